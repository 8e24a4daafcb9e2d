"""``GET /v1/events``: the user's SSE stream (replay, snapshot, heartbeats, session end).

Owns the stream's life: authenticate (a problem+json 401 before any byte of stream), open the
user's channel in the hub with ``Last-Event-ID`` — replay the frames after it, or start with a
``snapshot`` event whose id is the cursor it is current to — then live frames, a ``: ping``
comment every ``heartbeat_s`` of silence, and at the access token's expiry a final
``session.expired`` event (the client refreshes its token and resumes with its last id, so
nothing is lost). Closing the session (sign-out, password changed or account removed, even
by the account commands while the server runs) ends the stream at once. The stream also ends
when the client lags too far behind (it comes back and is replayed or resynchronised) or when
the server shuts down. On an API instance of the scaled mode the hub is a
:class:`~.stream_redis.StreamReader`: the replay or snapshot comes from Redis, the rest is
the same.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from tws_tui.core.errors import CallControlError
from tws_tui.core.events import SnapshotEvent
from tws_tui.server.accounts import Account
from tws_tui.server.http import authenticate, problem_response, request_id_of
from tws_tui.server.hub import sse_frame
from tws_tui.server.state import ServerState
from tws_tui.server.stream_redis import StreamReader
from tws_tui.server.tokens import Principal
from tws_tui.wire.codec import SESSION_EXPIRED, encode_event, format_time

PING = b": ping\n\n"
log = logging.getLogger(__name__)


async def event_stream(request: Request, state: ServerState) -> Response:
    request_id = request_id_of(request)
    try:
        principal, account = authenticate(request, state)
    except CallControlError as error:
        return problem_response(error, instance=request.url.path, request_id=request_id)
    last_event_id = request.headers.get("last-event-id")
    frames = _frames(state, principal, account, last_event_id)
    return StreamingResponse(
        frames,
        media_type="text/event-stream",
        headers={
            "Cache-Control": "no-cache",
            "X-Accel-Buffering": "no",
            "X-Request-Id": request_id,
        },
    )


async def _frames(
    state: ServerState, principal: Principal, account: Account, last_event_id: str | None
) -> AsyncIterator[bytes]:
    hub = state.hub
    first = [f"retry: {state.config.retry_ms}\n\n".encode()]
    opening: list[bytes] | None
    if isinstance(hub, StreamReader):  # scaled mode: the user's Redis stream (stream_redis)
        try:
            opening, subscriber = await hub.attach(
                account.username, last_event_id, principal.session_id
            )
        except CallControlError as error:  # no switch yet: the client retries after `retry`
            log.warning("cannot open the event stream of %s: %s", account.username, error)
            yield first[0]
            return
    else:
        opening, subscriber = hub.open(account.username, last_event_id, principal.session_id)
    try:
        if opening is None:
            snap = state.switchboard.snapshot(account)
            event = SnapshotEvent(at=state.clock.now(), snapshot=snap)
            envelope = encode_event(event, snap.cursor)
            first.append(sse_frame(snap.cursor, "snapshot", envelope))
        else:
            first.extend(opening)
        yield b"".join(first)
        loop = asyncio.get_running_loop()
        heartbeat = state.config.heartbeat_s
        last_write = loop.time()
        # One timer a heartbeat, not one a frame (the fan-out's cost is per frame and per
        # stream): when it rings, a ping if nothing was written for ``heartbeat_s``, the end
        # at the token's expiry, else it is set again for the next of the two.
        rang = False

        def ring() -> None:
            nonlocal rang
            rang = True
            subscriber.wake()

        def arm() -> asyncio.TimerHandle:
            left = principal.expires_at - state.tokens.now()
            return loop.call_at(min(last_write + heartbeat, loop.time() + max(left, 0)), ring)

        timer = arm()
        try:
            while True:
                if principal.expires_at - state.tokens.now() <= 0:
                    data = {"type": SESSION_EXPIRED, "time": format_time(state.clock.now())}
                    yield sse_frame(None, SESSION_EXPIRED, data)
                    return
                if not rang:
                    await subscriber.wait()
                if subscriber.frames:
                    yield b"".join(subscriber.take())
                    last_write = loop.time()
                elif subscriber.ended:
                    return
                if rang:
                    rang = False
                    if loop.time() - last_write >= heartbeat * 0.999:
                        yield PING
                        last_write = loop.time()
                    timer = arm()
        finally:
            timer.cancel()
    finally:
        hub.close(account.username, subscriber)
