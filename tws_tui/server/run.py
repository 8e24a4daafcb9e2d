"""``tws-tui serve``: run the reference server under uvicorn, and its admin commands.

Owns the process side: :func:`serve` (uvicorn on the given address; HTTPS with a certificate
and key, plain HTTP only on loopback unless explicitly allowed; at shutdown the event streams
are ended first so clients resume at once instead of the server waiting for them), and the
account commands (:func:`add_user`, :func:`remove_user`, :func:`set_password`,
:func:`list_users`) that work on the server's store — the data directory's SQLite file, or the
PostgreSQL database of its ``server.toml`` (:func:`server_file`) — with or without running
servers (a running server takes every change into account within a second: a new account signs
in, a changed password or a removed account closes the user's sessions and event streams; see
:meth:`tws_tui.server.state.ServerState.sync_accounts`). Errors a user can fix
are raised as :class:`ServeError` with a sentence; the CLI prints it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tws_tui.platform.extras import install_hint
from tws_tui.platform.i18n import _
from tws_tui.server.accounts import AccountError, Accounts
from tws_tui.server.config_file import FILE_NAME, ServerFile, ServerFileError, read_server_file
from tws_tui.server.storage import open_storage
from tws_tui.server.store import StoreUnavailable
from tws_tui.wire.transport import is_loopback

DEFAULT_PORT = 8765


class ServeError(Exception):
    """A problem the person running the command can fix (one sentence)."""


def missing_extra(error: ImportError) -> str:
    """What to do when the ``server`` extra is missing, from where tws-tui runs."""
    hint = install_hint(
        "server",
        make_target=_(
            "make serve-demo (it installs the extra and starts a demo server with two accounts)"
        ),
    )
    return _(
        "the server needs the 'server' extra (Starlette, uvicorn, PyJWT), which is not"
        " installed ({missing}); {hint}"
    ).format(missing=error.name or error, hint=hint)


def server_file(data_dir: Path, config: Path | None = None) -> ServerFile:
    """The settings of ``config`` (it must exist), else of ``server.toml`` in ``data_dir`` if
    there is one; ``ServeError`` with the problem."""
    try:
        if config is not None:
            return read_server_file(config, required=True)
        return read_server_file(data_dir / FILE_NAME)
    except ServerFileError as error:
        raise ServeError(str(error)) from None


def serve(
    *,
    data_dir: Path,
    settings: ServerFile | None = None,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    seed: int = 0,
    traffic: bool = False,
    certfile: str | None = None,
    keyfile: str | None = None,
    allow_http: bool = False,
    access_ttl_s: float = 900.0,
    log_level: str = "info",
    role: str = "all",
    redis_url: str = "",
) -> None:
    """Serve until interrupted. ``role`` (scaled mode, with ``redis_url``): ``switch`` runs
    the phone system side only (no HTTP), ``api`` an HTTP instance with no switch."""
    try:
        import uvicorn

        from tws_tui.server.app import create_app, state_of
        from tws_tui.server.state import ServerConfig
    except ImportError as error:
        raise ServeError(missing_extra(error)) from None

    if bool(certfile) != bool(keyfile):
        raise ServeError(_("give both --certfile and --keyfile for HTTPS"))
    if not certfile and not is_loopback(host) and not allow_http:
        raise ServeError(
            _(
                "refusing plain HTTP on {host}: tokens would cross the network in clear; give"
                " --certfile and --keyfile, or --allow-http behind a TLS proxy"
            ).format(host=host)
        )
    if role not in ("all", "api", "switch"):
        raise ServeError(_("--role must be all, api or switch, not {role}").format(role=role))
    if role != "all":
        if not redis_url:
            raise ServeError(
                _("--role {role} needs the Redis of the scaled mode: give --redis URL").format(
                    role=role
                )
            )
        try:
            import redis  # noqa: F401  (the scale extra)
        except ImportError as error:
            raise ServeError(missing_scale(error)) from None
    settings = settings or server_file(data_dir)
    config = ServerConfig(
        data_dir=data_dir,
        database=settings.database,
        pool_size=settings.pool_size,
        chat_file_max_bytes=settings.chat_file_max_bytes,
        seed=seed,
        traffic=traffic,
        access_ttl_s=access_ttl_s,
        role=role,
        redis_url=redis_url if role != "all" else "",
    )
    if role == "switch":
        _run_switch(config)
        return
    try:
        app = create_app(config)
    except StoreUnavailable as error:
        raise ServeError(str(error)) from None
    if not state_of(app).accounts.all():
        raise ServeError(
            _(
                "no account in {folder}: create one first, e.g."
                " tws-tui serve add-user alice --extension 100"
            ).format(folder=state_of(app).store.describe())
        )

    class Server(uvicorn.Server):
        async def shutdown(self, sockets: Any = None) -> None:
            state_of(app).hub.end_all()
            await super().shutdown(sockets)

    server_config = uvicorn.Config(
        app,
        host=host,
        port=port,
        ssl_certfile=certfile,
        ssl_keyfile=keyfile,
        log_level=log_level,
        timeout_graceful_shutdown=3,
        server_header=False,
        proxy_headers=False,
    )
    Server(server_config).run()


def missing_scale(error: ImportError) -> str:
    """What to do when the ``scale`` extra (redis-py) is missing."""
    return _(
        "the scaled mode needs the 'scale' extra (redis), which is not installed ({missing});"
        " {hint}"
    ).format(missing=error.name or error, hint=install_hint("scale"))


def _run_switch(config: Any) -> None:
    """The switch process until interrupted (Ctrl+C or SIGTERM end it cleanly)."""
    import asyncio
    import contextlib
    import signal

    from tws_tui.server.switch_process import SteppedDown, SwitchProcess

    async def main() -> None:
        process = SwitchProcess(config)
        loop = asyncio.get_running_loop()
        for stop_signal in (signal.SIGTERM, signal.SIGINT):  # a flag, not a cancellation:
            loop.add_signal_handler(stop_signal, process.request_stop)  # redis-py may lose one
        with contextlib.suppress(asyncio.CancelledError):
            await process.run_forever()

    from redis.exceptions import RedisError

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
    except SteppedDown as error:
        raise ServeError(
            _("this switch stopped: it lost the switch lock ({reason}); start it again").format(
                reason=error
            )
        ) from None
    except (OSError, RedisError) as error:  # Redis refused: say which
        raise ServeError(
            _("cannot reach Redis at {url}: {error}").format(url=config.redis_url, error=error)
        ) from None


def _accounts(data_dir: Path, settings: ServerFile | None) -> Accounts:
    settings = settings or server_file(data_dir)
    try:
        return Accounts(open_storage(data_dir, settings.database, pool_size=1))
    except StoreUnavailable as error:
        raise ServeError(str(error)) from None


def add_user(
    data_dir: Path,
    username: str,
    password: str,
    extension: str,
    role: str,
    name: str = "",
    settings: ServerFile | None = None,
) -> str:
    accounts = _accounts(data_dir, settings)
    try:
        account = accounts.add(username, password, extension, role, name)
    except AccountError as error:
        raise ServeError(str(error)) from None
    finally:
        accounts.store.close()
    return _("added {role} {username} on extension {extension}").format(
        role=account.role.value, username=account.username, extension=account.extension
    )


def remove_user(data_dir: Path, username: str, settings: ServerFile | None = None) -> str:
    accounts = _accounts(data_dir, settings)
    try:
        accounts.remove(username)
    except AccountError as error:
        raise ServeError(str(error)) from None
    finally:
        accounts.store.close()
    return _("removed {username} (and closed their sessions)").format(username=username)


def set_password(
    data_dir: Path, username: str, password: str, settings: ServerFile | None = None
) -> str:
    accounts = _accounts(data_dir, settings)
    try:
        accounts.set_password(username, password)
    except AccountError as error:
        raise ServeError(str(error)) from None
    finally:
        accounts.store.close()
    return _("changed the password of {username} (and closed their sessions)").format(
        username=username
    )


def list_users(data_dir: Path, settings: ServerFile | None = None) -> list[str]:
    accounts = _accounts(data_dir, settings)
    try:
        return [f"{a.username}\t{a.extension}\t{a.role.value}\t{a.name}" for a in accounts.all()]
    finally:
        accounts.store.close()
