"""The reference CTI server (`tws-tui serve`): the simulator over HTTP protocol v1 (Starlette,
uvicorn), with accounts, tokens, an idempotency store and its data in SQLite (embedded) or
PostgreSQL (scaled mode). Never imports backends, the console or httpx."""
