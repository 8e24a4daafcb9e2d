"""The switch process of the scaled mode (``tws-tui serve --role switch``).

Owns :class:`SwitchProcess`: the one process that runs the phone system side (today the
simulator, :class:`~.pbx.Pbx`) with its switchboard (positions, ownership, persistence), and
talks to the API instances only through Redis — each user's events and snapshot published by
its :class:`~.stream_redis.StreamPublisher`, the commands run by its
:class:`~.switch_link.CommandRunner`. It serves no HTTP.

At start it takes a term (:func:`~.stream_redis.next_term`: its event ids are above every
earlier switch's), attaches every account's position and publishes every user's snapshot, so
that an API instance can open any user's stream at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets

from tws_tui.core.model import Snapshot
from tws_tui.server.app import OPERATIONS
from tws_tui.server.pbx import Pbx
from tws_tui.server.state import ServerConfig, ServerState
from tws_tui.server.stream_redis import Keys, StreamPublisher, next_term, redis_client
from tws_tui.server.switch_link import CommandRunner


class SwitchProcess:
    def __init__(self, config: ServerConfig, pbx: Pbx | None = None) -> None:
        if not config.redis_url:
            raise ValueError("the switch process needs the Redis URL of the scaled mode")
        self.config = config
        self.pbx = pbx or Pbx(seed=config.seed, traffic=config.traffic)
        self.keys = Keys(config.redis_prefix)
        self.name = f"switch-{secrets.token_hex(4)}"
        self.state: ServerState | None = None
        self.publisher: StreamPublisher | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Take a term, start the switch, publish every user's state, take commands."""
        redis = redis_client(self.config.redis_url)
        term = await next_term(redis, self.keys)
        publisher = StreamPublisher(redis, self.keys, term, ring_size=self.config.ring_size)
        state = ServerState(self.config, self.pbx, hub=publisher)
        self.state, self.publisher = state, publisher
        publisher.snapshot_of = self._snapshot_of
        state.start()
        self.pbx.start()
        for account in state.accounts.all():
            publisher.changed(account.username)
        await publisher.flushed()
        operations = {op.operation_id: op for op in OPERATIONS}
        runner = CommandRunner(state, publisher, operations, consumer=self.name)
        await runner.prepare()
        self._task = asyncio.get_running_loop().create_task(runner.run())

    def _snapshot_of(self, username: str) -> Snapshot | None:
        state = self.state
        if state is None:
            return None
        account = state.accounts.get(username)
        return None if account is None else state.switchboard.snapshot(account)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None
        if self.publisher is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.publisher.flushed(), 2)
            self.publisher.stop()
        if self.state is not None:
            self.state.stop()
        self.pbx.stop()
        if self.publisher is not None:
            with contextlib.suppress(Exception):
                await self.publisher.redis.aclose()

    async def run_forever(self) -> None:
        """Start, then serve until cancelled (Ctrl+C, SIGTERM)."""
        await self.start()
        try:
            await asyncio.Event().wait()
        finally:
            await self.stop()
