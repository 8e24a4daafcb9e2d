"""``GET /v1/events``: the user's SSE stream (replay, snapshot, heartbeats, session end).

Owns the stream's life: authenticate (a problem+json 401 before any byte of stream), open the
user's channel in the hub with ``Last-Event-ID`` — replay the frames after it, or start with a
``snapshot`` event whose id is the cursor it is current to — then live frames, a ``: ping``
comment every ``heartbeat_s`` of silence, and at the access token's expiry a final
``session.expired`` event (the client refreshes its token and resumes with its last id, so
nothing is lost). Closing the session (sign-out, password changed or account removed, even
by the account commands while the server runs) ends the stream at once. The stream also ends
when the client lags too far behind (it comes back and is replayed or resynchronised) or when
the server shuts down.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from tws_tui.core.errors import CallControlError
from tws_tui.core.events import SnapshotEvent
from tws_tui.server.accounts import Account
from tws_tui.server.http import authenticate, problem_response, request_id_of
from tws_tui.server.hub import sse_frame
from tws_tui.server.state import ServerState
from tws_tui.server.tokens import Principal
from tws_tui.wire.codec import SESSION_EXPIRED, encode_event, format_time

PING = b": ping\n\n"


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
    replay, subscriber = hub.open(account.username, last_event_id, principal.session_id)
    try:
        first = [f"retry: {state.config.retry_ms}\n\n".encode()]
        if replay is None:
            snap = state.switchboard.snapshot(account)
            event = SnapshotEvent(at=state.pbx.clock.now(), snapshot=snap)
            envelope = encode_event(event, snap.cursor)
            first.append(sse_frame(snap.cursor, "snapshot", envelope))
        else:
            first.extend(replay)
        yield b"".join(first)
        heartbeat = state.config.heartbeat_s
        while True:
            left = principal.expires_at - state.tokens.now()
            if left <= 0:
                data = {"type": SESSION_EXPIRED, "time": format_time(state.pbx.clock.now())}
                yield sse_frame(None, SESSION_EXPIRED, data)
                return
            try:
                async with asyncio.timeout(min(heartbeat, left)):  # no task, unlike wait_for
                    frame = await subscriber.queue.get()
            except TimeoutError:
                yield PING
                continue
            if frame is None:
                return
            batch = [frame]
            while not subscriber.queue.empty() and len(batch) < 256:
                more = subscriber.queue.get_nowait()
                if more is None:
                    yield b"".join(batch)
                    return
                batch.append(more)
            yield b"".join(batch)
    finally:
        hub.close(account.username, subscriber)
