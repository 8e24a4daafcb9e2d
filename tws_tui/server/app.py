"""The ASGI application of the reference CTI server (Starlette), protocol v1.

Owns :func:`create_app`: one Starlette route per :class:`~.http.Operation` of
:data:`OPERATIONS` (the same table the OpenAPI document is written from), the SSE stream, and
problem+json answers for unknown paths (404) and wrong methods (405). The lifespan starts the
switchboard (monitors, persisted features, traffic) and, at shutdown, ends every stream first
so that clients reconnect and resume at once.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tws_tui.core.errors import CallControlError, NotFound
from tws_tui.server import (
    api_calls,
    api_comments,
    api_lists,
    api_profiles,
    api_sms,
    api_users,
    api_voicemail_settings,
)
from tws_tui.server.events import event_stream
from tws_tui.server.http import Ctx, Operation, dispatch, problem_response, request_id_of
from tws_tui.server.pbx import Pbx
from tws_tui.server.state import ServerConfig, ServerState
from tws_tui.wire import routes
from tws_tui.wire.problems import MethodNotAllowed


async def _events_placeholder(ctx: Ctx) -> None:  # documented here, served by event_stream
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
    *api_voicemail_settings.OPERATIONS,
    *api_comments.OPERATIONS,
    *api_sms.OPERATIONS,
    EVENTS,
    *api_calls.OPERATIONS,
)


def _routes(state: ServerState) -> list[Route]:
    """One Starlette route per path, holding every method of that path: a 405 (and so an
    ``OPTIONS``) then lists them all in ``Allow``, not only those of one operation."""
    by_path: dict[str, dict[str, Operation]] = {}
    for op in OPERATIONS:
        by_path.setdefault(op.path, {})[op.method] = op
    return [_route(path, ops, state) for path, ops in by_path.items()]


def _route(path: str, ops: dict[str, Operation], state: ServerState) -> Route:
    async def endpoint(request: Request) -> Response:
        op = ops.get(request.method) or ops["GET"]  # HEAD is GET without the body
        if op.stream:
            return await event_stream(request, state)
        return await dispatch(request, op, state)

    name = "|".join(op.operation_id for op in ops.values())
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
    """The application; ``pbx`` defaults to a fresh simulator from the config's seed."""
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


def state_of(app: Any) -> ServerState:
    """The server state of an application made by :func:`create_app`."""
    state: ServerState = app.state.cti
    return state
