"""The event stream reader of the ``cti`` backend: SSE with resume, resync and reconnection.

Owns :class:`EventStream`, one task that keeps ``GET /v1/events`` open and turns it into core
events on an ``asyncio.Queue``:

* a ``snapshot`` message becomes a ``SnapshotEvent`` (the client replaces all its state); the
  first one completes :meth:`EventStream.first_snapshot` for ``connect()``;
* other messages are decoded (:func:`tws_tui.wire.codec.decode_event`; unknown types are
  ignored) and deduplicated by id: an id of the current epoch not above the last one applied
  is dropped, so a replay overlapping what was already seen adds nothing;
* when the stream breaks (network error, read timeout without even a heartbeat, server gone,
  5xx): one ``LinkEvent(RECONNECTING, reason, retry_in_s)`` per outage, then reconnection with
  exponential backoff and full jitter, sending ``Last-Event-ID`` so the server replays what
  was missed — or sends a snapshot when it cannot (restart, buffer overrun); back online, a
  ``LinkEvent(ONLINE)``;
* the event-stream format is parsed by ``httpx-sse`` (:func:`messages`); a message is used
  only once complete (a stream cut inside a frame yields nothing for it, and the server
  replays it from the last complete id);
* ``session.expired`` (the access token's end) is not an outage: the token is refreshed and
  the stream resumes at once, without any link event;
* a refused session (refresh token revoked, no password) ends the stream with
  ``LinkEvent(OFFLINE, reason)``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
from collections.abc import AsyncGenerator, Callable
from datetime import datetime

import httpx
from httpx_sse import EventSource, ServerSentEvent

from tws_tui.backends.cti.failures import StreamEnded, link_reason
from tws_tui.backends.cti.session import HttpSession
from tws_tui.core.errors import CallControlError
from tws_tui.core.events import Event, LinkEvent, LinkStatus, SnapshotEvent
from tws_tui.core.model import Snapshot
from tws_tui.wire import routes
from tws_tui.wire.codec import SESSION_EXPIRED, WireError, decode, decode_event
from tws_tui.wire.problems import Unauthenticated, error_from_problem

log = logging.getLogger(__name__)


async def messages(response: httpx.Response) -> AsyncGenerator[ServerSentEvent, None]:
    """The complete messages of an event-stream response that carry data (heartbeat comments
    and ``retry:`` frames, which httpx-sse also dispatches, with no data, are left out)."""
    async with contextlib.aclosing(EventSource(response).aiter_sse()) as found:
        async for message in found:
            if message.data:
                yield message


def _split(event_id: str | None) -> tuple[str, int] | None:
    if not event_id:
        return None
    epoch, _, seq = event_id.rpartition("-")
    return (epoch, int(seq)) if seq.isdigit() else None


class EventStream:
    def __init__(
        self,
        session: HttpSession,
        deliver: Callable[[Event | None], None],
        *,
        now: Callable[[], datetime],
        read_timeout_s: float,
        reconnect_min_s: float,
        reconnect_max_s: float,
        transform: Callable[[Event], Event | None] = lambda event: event,
    ) -> None:
        self.session = session
        self.deliver = deliver
        self.now = now
        self.read_timeout_s = read_timeout_s
        self.reconnect_min_s = reconnect_min_s
        self.reconnect_max_s = reconnect_max_s
        self.transform = transform
        self.last_id: str | None = None
        self.online = False
        self.connections = 0
        self.snapshots = 0
        self._first: asyncio.Future[Snapshot] = asyncio.get_running_loop().create_future()
        self._task: asyncio.Task[None] | None = None
        self._session_expired = False
        self._failures = 0

    # ---- life cycle -------------------------------------------------------------------------

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="cti-event-stream")

    async def first_snapshot(self, timeout_s: float) -> Snapshot:
        return await asyncio.wait_for(asyncio.shield(self._first), timeout_s)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None

    # ---- the loop ---------------------------------------------------------------------------

    async def _run(self) -> None:
        outage = False
        while True:
            try:
                await self._read_once()
                if self._session_expired:
                    self._session_expired = False
                    await self.session.ensure_token(force=True)
                    continue
                raise StreamEnded("the CTI server closed the event stream")
            except asyncio.CancelledError:
                raise
            except Unauthenticated as error:
                self._fail(error)
                detail = link_reason(error)
                self.deliver(LinkEvent(at=self.now(), status=LinkStatus.OFFLINE, detail=detail))
                self.deliver(None)
                return
            except (httpx.HTTPError, StreamEnded, CallControlError, WireError, OSError) as error:
                ceiling = min(self.reconnect_max_s, self.reconnect_min_s * 2**self._failures)
                delay = max(random.uniform(0, ceiling), self.reconnect_min_s / 2)
                self._failures += 1
                reason = link_reason(error)
                log.info("CTI event stream lost (%r); retry in %.2f s", error, delay)
                if self.online or not outage:
                    self.online = False
                    outage = True
                    self.deliver(
                        LinkEvent(
                            at=self.now(),
                            status=LinkStatus.RECONNECTING,
                            detail=reason,
                            retry_in_s=round(delay, 2),
                        )
                    )
                await asyncio.sleep(delay)

    def _fail(self, error: BaseException) -> None:
        if not self._first.done():
            self._first.set_exception(error)

    async def _read_once(self) -> None:
        token = await self.session.ensure_token()
        headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
        if self.last_id:
            headers["Last-Event-ID"] = self.last_id
        timeout = httpx.Timeout(self.session.options.request_timeout_s, read=self.read_timeout_s)
        async with self.session.client.stream(
            routes.EVENTS.method, routes.EVENTS.url(), headers=headers, timeout=timeout
        ) as response:
            if response.status_code == 401:
                await response.aread()
                await self.session.ensure_token(force=True)
                raise StreamEnded("the access token was refused; refreshed it")
            if response.status_code != 200:
                await response.aread()
                body = json.loads(response.content) if response.content else None
                raise error_from_problem(response.status_code, body)
            self.connections += 1
            self._failures = 0
            if self._first.done() and not self.online:
                self.online = True
                self.deliver(LinkEvent(at=self.now(), status=LinkStatus.ONLINE))
            async with contextlib.aclosing(messages(response)) as stream:
                async for message in stream:
                    self._handle(message)
                    if self._session_expired:
                        return

    def _handle(self, message: ServerSentEvent) -> None:
        if message.event == SESSION_EXPIRED:
            self._session_expired = True
            return
        try:
            envelope = json.loads(message.data)
        except ValueError:
            log.warning("CTI event %s is not JSON; ignored", message.event)
            return
        if message.event == "snapshot":
            self._snapshot(envelope, message.id)
            return
        position = _split(message.id)
        last = _split(self.last_id)
        if position and last and position[0] == last[0] and position[1] <= last[1]:
            return  # already applied (replay overlap)
        try:
            event = decode_event(envelope)
        except WireError as error:
            log.warning("CTI event %s has a bad shape (%s); ignored", message.event, error)
            event = None
        if message.id:
            self.last_id = message.id
        if event is not None:
            shown = self.transform(event)
            if shown is not None:
                self.deliver(shown)

    def _snapshot(self, envelope: object, event_id: str | None) -> None:
        data = envelope.get("data") if isinstance(envelope, dict) else None
        raw = data.get("snapshot") if isinstance(data, dict) else None
        snapshot = decode(Snapshot, raw)
        self.last_id = event_id or snapshot.cursor
        self.snapshots += 1
        event = self.transform(SnapshotEvent(at=self.now(), seq=self.last_id, snapshot=snapshot))
        assert isinstance(event, SnapshotEvent)
        self.deliver(event)
        if not self._first.done():
            self._first.set_result(event.snapshot)
            self.online = True
            self.deliver(LinkEvent(at=self.now(), status=LinkStatus.ONLINE))
