"""The ASGI application of the reference CTI server (Starlette), protocol v1.

Owns :func:`create_app`: one Starlette route per :class:`~.http.Operation` of
:data:`OPERATIONS` (the same table the OpenAPI document is written from), the SSE stream, and
problem+json answers for unknown paths (404) and wrong methods (405). The lifespan starts the
switchboard (monitors, persisted features, traffic) and, at shutdown, ends every stream first
so that clients reconnect and resume at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tws_tui.core.clock import SystemClock
from tws_tui.core.errors import CallControlError, NotFound
from tws_tui.server import (
    api_assist,
    api_calls,
    api_chat_file_messages,
    api_chat_files,
    api_chat_groups,
    api_chat_reads,
    api_comments,
    api_lists,
    api_profiles,
    api_sms,
    api_users,
    api_voicemail_settings,
)
from tws_tui.server.events import EventStream
from tws_tui.server.http import (
    Ctx,
    Operation,
    Relay,
    dispatch,
    problem_response,
    request_id_of,
)
from tws_tui.server.pbx import Pbx
from tws_tui.server.state import ServerConfig, ServerState
from tws_tui.server.stream_redis import Keys, StreamReader, redis_client
from tws_tui.server.switch_link import SwitchLink
from tws_tui.wire import routes
from tws_tui.wire.problems import MethodNotAllowed


async def _events_placeholder(ctx: Ctx) -> None:  # documented here, served by EventStream
    raise AssertionError("the event stream is served by tws_tui.server.events")


_events_placeholder.__name__ = "events"

EVENTS = Operation(
    routes.EVENTS,
    _events_placeholder,
    "My event stream (SSE): Last-Event-ID replay, snapshot, heartbeats",
    "Session",
    stream=True,
)
OPERATIONS: tuple[Operation, ...] = (
    *api_users.OPERATIONS,
    *api_lists.OPERATIONS,
    *api_profiles.OPERATIONS,
    *api_chat_groups.OPERATIONS,
    *api_chat_reads.OPERATIONS,
    *api_assist.OPERATIONS,
    *api_chat_files.OPERATIONS,
    *api_chat_file_messages.OPERATIONS,
    *api_voicemail_settings.OPERATIONS,
    *api_comments.OPERATIONS,
    *api_sms.OPERATIONS,
    EVENTS,
    *api_calls.OPERATIONS,
)


def _routes(state: ServerState, relay: Relay | None = None) -> list[Route]:
    """One Starlette route per path, holding every method of that path: a 405 (and so an
    ``OPTIONS``) then lists them all in ``Allow``, not only those of one operation."""
    by_path: dict[str, dict[str, Operation]] = {}
    for op in OPERATIONS:
        by_path.setdefault(op.path, {})[op.method] = op
    return [_route(path, ops, state, relay) for path, ops in by_path.items()]


def _route(path: str, ops: dict[str, Operation], state: ServerState, relay: Relay | None) -> Route:
    name = "|".join(op.operation_id for op in ops.values())
    if any(op.stream for op in ops.values()):  # a plain ASGI application (see events.py)
        return Route(path, EventStream(state), methods=list(ops), name=name)

    async def endpoint(request: Request) -> Response:
        op = ops.get(request.method) or ops["GET"]  # HEAD is GET without the body
        return await dispatch(request, op, state, relay)

    return Route(path, endpoint, methods=list(ops), name=name)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    error: CallControlError
    if exc.status_code == 404:
        error = NotFound(f"No such endpoint: {request.url.path}")
    elif exc.status_code == 405:
        error = MethodNotAllowed(f"{request.method} is not allowed on {request.url.path}")
    else:
        error = CallControlError(str(exc.detail))
        error.http_status = exc.status_code
    response = problem_response(error, instance=request.url.path, request_id=request_id_of(request))
    if exc.status_code == 405 and exc.headers:
        response.headers.update(exc.headers)
    return response


def create_app(config: ServerConfig, pbx: Pbx | None = None) -> Starlette:
    """The application; ``pbx`` defaults to a fresh simulator from the config's seed. With
    ``role = "api"`` (scaled mode), an API instance over Redis instead: no switch here."""
    if config.role == "api":
        return _api_app(config)
    switch = pbx or Pbx(seed=config.seed, traffic=config.traffic)
    state = ServerState(config, switch)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        state.start()
        switch.start()
        try:
            yield
        finally:
            state.stop()

    app = Starlette(
        routes=_routes(state),
        exception_handlers={HTTPException: _http_error},
        lifespan=lifespan,
    )
    app.state.cti = state
    return app


def _api_app(config: ServerConfig) -> Starlette:
    """An API instance of the scaled mode: commands to the switch through Redis
    (:class:`SwitchLink`), events from the users' Redis streams (:class:`StreamReader`)."""
    if not config.redis_url:
        raise ValueError("an API instance needs the Redis URL of the scaled mode")
    keys = Keys(config.redis_prefix)
    instance = f"api-{secrets.token_hex(4)}"
    reader = StreamReader(
        redis_client(config.redis_url),
        keys,
        SystemClock(),
        queue_max=config.stream_queue_max,
        instance=instance,
    )
    state = ServerState(config, None, hub=reader)
    link = SwitchLink(
        redis_client(config.redis_url),
        keys,
        timeout_s=config.command_timeout_s,
        instance=instance,
    )
    state.attach_remote = link.attach

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        state.start()
        reader.start()
        try:
            yield
        finally:
            state.stop()
            await reader.stop()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(link.redis.aclose(), 1)

    app = Starlette(
        routes=_routes(state, link),
        exception_handlers={HTTPException: _http_error},
        lifespan=lifespan,
    )
    app.state.cti = state
    return app


def state_of(app: Any) -> ServerState:
    """The server state of an application made by :func:`create_app`."""
    state: ServerState = app.state.cti
    return state
