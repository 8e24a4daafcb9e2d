"""``GET /v1/events``: the user's SSE stream (replay, snapshot, heartbeats, session end).

Owns the stream's life: authenticate (a problem+json 401 before any byte of stream), open the
user's channel in the hub with ``Last-Event-ID`` — replay the frames after it, or start with a
``snapshot`` event whose id is the cursor it is current to — then live frames, a ``: ping``
comment every ``heartbeat_s`` of silence, and at the access token's expiry a final
``session.expired`` event (the client refreshes its token and resumes with its last id, so
nothing is lost). Closing the session (sign-out, password changed or account removed, even
by the account commands while the server runs) ends the stream at once. The stream also ends
when the client lags too far behind (it comes back and is replayed or resynchronised), when
the client goes away, or when the server shuts down. On an API instance of the scaled mode the
hub is a :class:`~.stream_redis.StreamReader`: the replay or snapshot comes from Redis, the rest
is the same.

:class:`EventStream` is a plain ASGI application, not a Starlette ``StreamingResponse``: the
fan-out's cost is per frame and per stream (``bench/cti_fanout.py``: 1 000 streams at 20
events/s are 20 000 writes a second). A stream's live frames are written by one task of its
own (:func:`_live`), which a frame wakes through two coroutines, not through the ASGI stack's
(server, middleware, router), and which writes every frame waiting for it in one ``send``;
one parked task waits for the client's disconnection. Counted in the bench's server (1 000
streams, uvloop and httptools): 10.6 Python calls per frame delivered, against 15.6 with the
streaming response (37.6 with h11 and the asyncio loop). Under httptools the task is not woken
at all while it waits with nothing queued: the frames are written straight to the connection
at the end of the event loop's turn (``server/sse_direct.py``; 5.9 calls per frame).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.requests import Request

from tws_tui.core.errors import CallControlError
from tws_tui.core.events import SnapshotEvent
from tws_tui.server.accounts import Account
from tws_tui.server.http import authenticate, problem_response, request_id_of
from tws_tui.server.hub import Subscriber, sse_frame
from tws_tui.server.sse_direct import DirectWriter, direct_writer
from tws_tui.server.state import ServerState
from tws_tui.server.stream_redis import StreamReader
from tws_tui.server.tokens import Principal
from tws_tui.wire.codec import SESSION_EXPIRED, encode_event, format_time

PING = b": ping\n\n"
log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class EventStream:
    """The ASGI application of ``GET /v1/events`` (and ``HEAD``: the headers only)."""

    def __init__(self, state: ServerState) -> None:
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        request_id = request_id_of(request)
        try:
            principal, account = authenticate(request, self.state)
        except CallControlError as error:
            response = problem_response(error, instance=request.url.path, request_id=request_id)
            await response(scope, receive, send)
            return
        headers = [
            (b"content-type", b"text/event-stream; charset=utf-8"),
            (b"cache-control", b"no-cache"),
            (b"x-accel-buffering", b"no"),
            (b"x-request-id", request_id.encode()),
        ]
        last_event_id = request.headers.get("last-event-id")
        # A server of ASGI 2.4 raises OSError on a send once the client went away (uvicorn
        # ignores the send; the stream ends when _until_disconnected hears of it).
        with contextlib.suppress(OSError):
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            if scope["method"] != "HEAD":
                await self._stream(send, receive, principal, account, last_event_id)
            await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _stream(
        self,
        send: Send,
        receive: Receive,
        principal: Principal,
        account: Account,
        last_event_id: str | None,
    ) -> None:
        state = self.state
        hub = state.hub
        first = [f"retry: {state.config.retry_ms}\n\n".encode()]
        replay: list[bytes] | None
        if isinstance(hub, StreamReader):  # scaled mode: the user's Redis stream (stream_redis)
            try:
                replay, subscriber = await hub.attach(
                    account.username, last_event_id, principal.session_id
                )
            except CallControlError as error:  # no switch yet: the client retries after `retry`
                log.warning("cannot open the event stream of %s: %s", account.username, error)
                await send({"type": "http.response.body", "body": first[0], "more_body": True})
                return
        else:
            replay, subscriber = hub.open(account.username, last_event_id, principal.session_id)
        watcher = asyncio.ensure_future(_until_disconnected(receive, subscriber))
        try:
            if replay is None:
                snap = state.switchboard.snapshot(account)
                event = SnapshotEvent(at=state.clock.now(), snapshot=snap)
                envelope = encode_event(event, snap.cursor)
                first.append(sse_frame(snap.cursor, "snapshot", envelope))
            else:
                first.extend(replay)
            await send({"type": "http.response.body", "body": b"".join(first), "more_body": True})
            # Under httptools, frames are written straight to the connection while this
            # stream's task waits with nothing queued (server/sse_direct.py).
            writer = subscriber.direct = direct_writer(receive)
            # In a task of its own: each frame then wakes a chain of two coroutines, not the
            # whole ASGI stack's (server, middleware, router, this) as it would here.
            await asyncio.ensure_future(_live(send, state, principal, subscriber, writer))
        finally:
            subscriber.direct = None
            watcher.cancel()
            hub.close(account.username, subscriber)


async def _until_disconnected(receive: Receive, subscriber: Subscriber) -> None:
    """End the stream when the client goes away (a server then ignores what is sent)."""
    while (await receive())["type"] != "http.disconnect":
        pass
    subscriber.frames.clear()
    subscriber.end()


async def _live(
    send: Send,
    state: ServerState,
    principal: Principal,
    subscriber: Subscriber,
    writer: DirectWriter | None = None,
) -> None:
    """Live frames, each wake-up's in one ``send`` (those ``writer`` wrote meanwhile count as
    written for the heartbeat); pings; the end at the token's expiry."""
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
                body = sse_frame(None, SESSION_EXPIRED, data)
                await send({"type": "http.response.body", "body": body, "more_body": True})
                return
            if not rang:
                await subscriber.wait()
            if subscriber.frames:
                body = b"".join(subscriber.take())
                await send({"type": "http.response.body", "body": body, "more_body": True})
                last_write = loop.time()
            elif subscriber.ended:
                return
            if rang:
                rang = False
                if writer is not None:
                    last_write = max(last_write, writer.last_write)
                if loop.time() - last_write >= heartbeat * 0.999:
                    await send({"type": "http.response.body", "body": PING, "more_body": True})
                    last_write = loop.time()
                timer = arm()
    finally:
        timer.cancel()
