"""The SSE hub: one ordered event stream per user, a ring buffer for replay, live subscribers.

Owns event ids and replay. Ids are ``<epoch>-<seq>``: ``epoch`` is random per hub (per server
start), ``seq`` increases strictly per user. Each event is encoded once (for every user it goes
to; only the id differs) into each user's SSE frame, and kept in the user's ring buffer (the
last ``ring_size`` frames). A stream opened with a ``Last-Event-ID`` of the current epoch still
covered by the buffer gets the frames after it (replay); otherwise it must start with a
``snapshot`` (:meth:`EventHub.open` returns None for the replay). A subscriber that falls
``queue_max`` frames behind is cut off (its stream ends); it comes back with its last id and is
replayed or resynchronised. A subscriber is a deque and a wake-up, not an ``asyncio.Queue``
(the fan-out's cost is per frame and per stream). A stream remembers the session that opened
it: closing the session (sign-out, password changed, account removed) ends it at once
(:meth:`EventHub.end_sessions`). Everything runs on the server's event loop thread: publishing
is synchronous and never waits for a slow client.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
from collections import deque
from typing import TYPE_CHECKING, Any

from tws_tui.core.events import Event
from tws_tui.wire.codec import encode_event

if TYPE_CHECKING:
    from tws_tui.server.sse_direct import DirectWriter

_SEQ = re.compile(r"[0-9]{1,18}")
#: What a subscriber's queue receives: a frame, or None (the stream must end).
Frame = bytes | None


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def sse_frame(event_id: str | None, event_type: str, data: Any) -> bytes:
    """One SSE message (the JSON is on one line: ``json.dumps`` never emits a newline)."""
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event_type}\ndata: {_dumps(data)}\n\n".encode()


class Subscriber:
    """One live stream's frames waiting to be written, and its writer's wake-up.

    Cheaper than an ``asyncio.Queue`` for the fan-out (one deque append and at most one
    future per frame): :meth:`push` appends and wakes the stream, which takes every waiting
    frame at once (:meth:`take`). While the stream's writer waits with nothing queued and
    :attr:`direct` is set (``server/sse_direct.py``), the frame is not a wake-up: the frames
    pushed during this turn of the event loop are written together, straight to the
    connection, at its end (:meth:`flush_direct`), or, if the connection would block, the
    writer is woken then. :meth:`end` (or falling ``queue_max`` frames behind) ends the stream
    after the frames before it; :meth:`wake` wakes it with nothing new (its heartbeat).
    """

    __slots__ = (
        "_scheduled",
        "_waiter",
        "direct",
        "ended",
        "frames",
        "overflowed",
        "queue_max",
        "session_id",
    )

    def __init__(self, queue_max: int, session_id: str = "") -> None:
        self.session_id = session_id  # the session whose token opened the stream
        self.frames: deque[bytes] = deque()
        self.queue_max = queue_max
        self.overflowed = False
        self.ended = False  # the stream ends once the frames before the end are written
        self._waiter: asyncio.Future[None] | None = None
        self.direct: DirectWriter | None = None  # set by the stream's application
        self._scheduled = False  # in the direct writer's outbox for this turn of the loop

    def push(self, frame: Frame) -> None:
        if self.ended:
            return
        if frame is None:
            self.end()
        elif len(self.frames) >= self.queue_max:
            self.overflowed = True
            self.end()
        else:
            self.frames.append(frame)
            waiter = self._waiter
            direct = self.direct
            if direct is None or waiter is None or waiter.done():
                self.wake()
            elif not self._scheduled:
                self._scheduled = True
                direct.outbox.add(self)

    def flush_direct(self) -> None:
        """The direct writer's outbox, at the end of the turn: write the frames pushed since,
        in one chunk, if the writer still waits and the connection takes them; else wake it."""
        self._scheduled = False
        frames = self.frames
        if not frames:
            return  # the writer was woken meanwhile (heartbeat, end) and took them
        waiter = self._waiter
        direct = self.direct
        if (
            direct is not None
            and waiter is not None
            and not waiter.done()
            and direct.write(frames[0] if len(frames) == 1 else b"".join(frames))
        ):
            frames.clear()
        else:
            self.wake()

    def end(self) -> None:
        self.ended = True
        self.wake()

    def wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def wait(self) -> None:
        """Until a frame is waiting, the stream ended, or :meth:`wake`."""
        if self.frames or self.ended:
            return
        self._waiter = asyncio.get_running_loop().create_future()
        try:
            await self._waiter
        finally:
            self._waiter = None

    def take(self, most: int = 256) -> list[bytes]:
        """Up to ``most`` waiting frames, oldest first."""
        frames = self.frames
        if len(frames) <= most:
            taken = list(frames)
            frames.clear()
            return taken
        return [frames.popleft() for _ in range(most)]


class Channel:
    """One user's stream."""

    def __init__(self, ring_size: int) -> None:
        self.seq = 0
        self.ring: deque[tuple[int, bytes]] = deque(maxlen=ring_size)
        self.subscribers: set[Subscriber] = set()


class EventHub:
    def __init__(self, *, ring_size: int = 2000, queue_max: int = 10000) -> None:
        self.epoch = secrets.token_hex(4)
        self.ring_size = ring_size
        self.queue_max = queue_max
        self._channels: dict[str, Channel] = {}
        self.published = 0
        self._last: tuple[Event, str, str] | None = None  # the last event encoded (see _frame)

    def _channel(self, user: str) -> Channel:
        channel = self._channels.get(user)
        if channel is None:
            channel = self._channels[user] = Channel(self.ring_size)
        return channel

    def cursor(self, user: str) -> str:
        """The id of the user's latest event (what a snapshot taken now is current to)."""
        return f"{self.epoch}-{self._channel(user).seq}"

    def publish(self, user: str, event: Event) -> None:
        """Give ``event`` the user's next id, keep it for replay, send it to live streams."""
        channel = self._channel(user)
        channel.seq += 1
        event_id = f"{self.epoch}-{channel.seq}"
        frame = self._frame(event_id, event)
        channel.ring.append((channel.seq, frame))
        self.published += 1
        for subscriber in list(channel.subscribers):
            subscriber.push(frame)

    def _frame(self, event_id: str, event: Event) -> bytes:
        """``sse_frame(event_id, type, encode_event(event, event_id))``, the event encoded once
        for all the users it goes to (the switch hands the same event to each monitor), only
        the id written per user."""
        last = self._last
        if last is None or last[0] is not event:
            envelope = encode_event(event, None)
            del envelope["id"]  # first in the envelope: written per user below
            last = self._last = (event, envelope["type"], _dumps(envelope)[1:])
        _, event_type, rest = last
        data = f'{{"id":{_dumps(event_id)},{rest}'
        return f"id: {event_id}\nevent: {event_type}\ndata: {data}\n\n".encode()

    def publish_control(self, user: str, event_type: str, data: dict[str, Any]) -> None:
        """A control event without an id (not replayed): e.g. ``system.status``."""
        frame = sse_frame(None, event_type, {"type": event_type, "data": data})
        for subscriber in list(self._channel(user).subscribers):
            subscriber.push(frame)

    def parse_id(self, last_event_id: str | None) -> int | None:
        """The seq of an id of this epoch, else None."""
        if not last_event_id:
            return None
        epoch, _, seq = last_event_id.strip().rpartition("-")
        if epoch != self.epoch or not _SEQ.fullmatch(seq):  # ASCII digits: not "²"
            return None
        return int(seq)

    def open(
        self, user: str, last_event_id: str | None, session_id: str = ""
    ) -> tuple[list[bytes] | None, Subscriber]:
        """Subscribe; the frames to replay after ``last_event_id``, or None: send a snapshot.

        Synchronous, so no event can slip between the replay (or the snapshot the caller takes
        right after) and the live frames.
        """
        channel = self._channel(user)
        subscriber = Subscriber(self.queue_max, session_id)
        channel.subscribers.add(subscriber)
        seq = self.parse_id(last_event_id)
        if seq is None or seq > channel.seq:
            return None, subscriber
        if seq == channel.seq:
            return [], subscriber
        oldest = channel.ring[0][0] if channel.ring else channel.seq + 1
        if seq + 1 < oldest:
            return None, subscriber  # fell out of the buffer: messages lost
        return [frame for s, frame in channel.ring if s > seq], subscriber

    def close(self, user: str, subscriber: Subscriber) -> None:
        self._channel(user).subscribers.discard(subscriber)

    def end_all(self) -> None:
        """End every live stream (server shutting down): clients reconnect and resume."""
        for channel in self._channels.values():
            for subscriber in list(channel.subscribers):
                subscriber.end()

    def end_sessions(self, session_ids: set[str]) -> None:
        """End the streams opened by these sessions (signed out, account removed)."""
        if not session_ids:
            return
        for channel in self._channels.values():
            for subscriber in list(channel.subscribers):
                if subscriber.session_id in session_ids:
                    channel.subscribers.discard(subscriber)
                    subscriber.end()

    def subscriber_count(self) -> int:
        return sum(len(c.subscribers) for c in self._channels.values())
