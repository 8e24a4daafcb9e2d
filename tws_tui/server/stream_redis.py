"""The event stream on Redis Streams (scaled mode): ids, the switch's publisher, the API's reader.

Owns the Redis side of ``GET /v1/events`` when the server config names a Redis URL:

* **Ids are Redis stream ids.** Each user's events go to the stream ``<prefix>:ev:<username>``
  (XADD with ``MAXLEN ~ ring_size``) under an id the switch gives itself, ``<term>-<n>``:
  ``term`` is the active switch's start in milliseconds, above every earlier switch's
  (``<prefix>:term``), ``n`` counts the user's events of this term (1, 2, 3…). That is the
  embedded hub's ``<epoch>-<seq>`` with the switch's term as epoch, and the SSE id *is* the
  Redis id, so no mapping is kept anywhere: any API instance can replay after a client's
  ``Last-Event-ID``, and since Redis orders ids across terms, an id of an earlier switch
  still resumes after a failover.
* **Snapshots are published by the switch.** At most every ``snapshot_every_s`` (0.25 s),
  the switch writes each changed user's whole console (``<prefix>:snap:<username>``, the wire
  snapshot whose ``cursor`` is the user's last id then) on the same connection, after the
  XADDs of the events it covers: a snapshot read by an API instance is never ahead of the
  stream, and the reader replays what came after its cursor.
* **The snapshot-when-too-old rule** (as the embedded hub): a ``Last-Event-ID`` not beyond
  the published cursor whose next entry the stream still holds (not older than the first
  entry kept, or right before it in the same term) is replayed; anything else (trimmed,
  unknown, from another Redis) gets a ``snapshot`` first.
* **One reader per API instance** (:class:`StreamReader`): a single task runs
  ``XREAD BLOCK`` over the streams of every user with an open SSE stream here, each from the
  oldest position one of them still needs, and hands each entry to the subscribers whose
  position is before it (so a replay and the live frames are the same path and nothing is
  sent twice). A new stream wakes the blocked read through the instance's own wake-up stream.

:class:`StreamPublisher` and :class:`StreamReader` are :class:`~.hub.EventHub`\\ s for the
switchboard and the server state (``publish``/``cursor`` on the switch; ``end_sessions``,
``end_all`` on an API instance); no frame is kept in this process's memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import secrets
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from tws_tui.core.clock import Clock
from tws_tui.core.errors import N_, BackendUnavailable
from tws_tui.core.events import Event, SnapshotEvent
from tws_tui.core.model import Snapshot
from tws_tui.server.hub import EventHub, Subscriber, sse_frame
from tws_tui.wire.codec import WireError, decode, encode, encode_event

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = logging.getLogger(__name__)

#: A position in a stream: a Redis id as numbers, ordered like Redis orders ids.
Position = tuple[int, int]
_REDIS_ID = re.compile(r"([0-9]{1,18})-([0-9]{1,18})")
#: What XREAD answers: per stream, its name and its entries (id, fields).
Entries = list[tuple[bytes, list[tuple[bytes, dict[bytes, bytes]]]]]
#: Entries read by one XREAD at most (per stream).
READ_COUNT = 500


def position(event_id: str | bytes | None) -> Position | None:
    """The position of a Redis stream id (``<ms>-<seq>``); None when it is not one."""
    if event_id is None:
        return None
    text = event_id.decode("ascii", "replace") if isinstance(event_id, bytes) else event_id
    found = _REDIS_ID.fullmatch(text.strip())
    if found is None:
        return None
    return int(found.group(1)), int(found.group(2))


def stream_id(pos: Position) -> str:
    return f"{pos[0]}-{pos[1]}"


def redis_client(url: str) -> Redis:
    """A client of the Redis at ``url`` (connections are made on first use, on the loop that
    uses them); ImportError without the ``scale`` extra (the ``redis`` package)."""
    from redis.asyncio import Redis

    client: Redis = Redis.from_url(url, health_check_interval=10)
    return client


async def end_reader(task: asyncio.Task[None], grace_s: float) -> None:
    """Cancel ``task``, a loop of Redis commands, and wait at most ``grace_s`` for it to end.
    redis-py can lose a task's cancellation during a command (redis/redis-py#2028, #2551: the
    loop then goes on; measured, one stepped-down switch in four never ended), so each such
    loop also checks a stop flag set before this: it ends after its current command at the
    latest."""
    task.cancel()
    done, _pending = await asyncio.wait({task}, timeout=grace_s)
    if not done:
        log.warning("a Redis reader did not stop within %.1f s; left behind", grace_s)
    elif not task.cancelled() and task.exception() is not None:
        log.debug("a Redis reader ended with %r", task.exception())


class Keys:
    """The Redis key names of one deployment (every name under ``prefix``)."""

    def __init__(self, prefix: str = "tws") -> None:
        self.prefix = prefix
        self.term = f"{prefix}:term"
        self.commands = f"{prefix}:cmd"
        self.leader = f"{prefix}:leader"
        self._events = f"{prefix}:ev:"

    def events(self, user: str) -> str:
        return self._events + user

    def user_of(self, events_key: str) -> str | None:
        return (
            events_key.removeprefix(self._events) if events_key.startswith(self._events) else None
        )

    def snapshot(self, user: str) -> str:
        return f"{self.prefix}:snap:{user}"

    def wake(self, instance: str) -> str:
        return f"{self.prefix}:wake:{instance}"

    def reply(self, request: str) -> str:
        return f"{self.prefix}:reply:{request}"


async def next_term(redis: Redis, keys: Keys, now_ms: int | None = None) -> int:
    """A term for a switch starting now: its start in milliseconds, above every earlier term
    (a clock set back, or two starts in the same millisecond, still move forward)."""
    now = int(time.time() * 1000) if now_ms is None else now_ms
    previous = await redis.get(keys.term)
    term = max(now, int(previous) + 1 if previous else 0)
    await redis.set(keys.term, term)
    return term


class StreamPublisher(EventHub):
    """The switch's side: each event XADDed to its user's stream, the user's snapshot beside.

    :meth:`publish` is synchronous (the switch calls it from its callbacks): it gives the event
    its id and queues it; one task sends what is queued as one pipeline, again and again while
    events come. The changed users' snapshots ride on a pipeline, after its XADDs, at most
    every ``snapshot_every_s`` (a snapshot is the whole console: computing one per event would
    cost the switch more than the events; an older snapshot is as good, the reader replays
    after its cursor). A Redis failure keeps the
    batch and retries it (an XADD already applied is refused by Redis as not above the last
    id, and left at that).
    """

    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        term: int,
        *,
        ring_size: int = 2000,
        retry_s: float = 0.5,
        snapshot_every_s: float = 0.25,
    ) -> None:
        super().__init__(ring_size=ring_size)
        self.redis = redis
        self.keys = keys
        self.term = term
        self.epoch = str(term)
        self.retry_s = retry_s
        self.snapshot_every_s = snapshot_every_s
        self._snapshots_at = 0.0  # time.monotonic() of the last snapshots written
        self._snapshots_due = False  # someone waits for them (flushed(snapshots=True))
        self._timer: asyncio.TimerHandle | None = None
        self.snapshot_of: Callable[[str], Snapshot | None] = lambda user: None
        self._seqs: dict[str, int] = {}
        self._pending: list[tuple[str, str, bytes]] = []
        self._dirty: set[str] = set()
        self._task: asyncio.Task[None] | None = None
        self.closed = False

    def cursor(self, user: str) -> str:
        """The user's last id; before any event of this term, the term's start (above every
        id of earlier switches, below every id of this one)."""
        return f"{self.term}-{self._seqs.get(user, 0)}"

    def publish(self, user: str, event: Event) -> None:
        seq = self._seqs[user] = self._seqs.get(user, 0) + 1
        event_id = f"{self.term}-{seq}"
        envelope = encode_event(event, event_id)
        self._pending.append((user, event_id, sse_frame(event_id, envelope["type"], envelope)))
        self._dirty.add(user)
        self.published += 1
        self._kick()

    def resync(self, user: str, at: datetime) -> None:
        """Put the user's whole console in their stream as a ``snapshot`` entry (a new switch
        taking over: what the streams showed of the previous one is replaced, in order, for
        the clients reading live and for those resuming after an older id)."""
        seq = self._seqs[user] = self._seqs.get(user, 0) + 1
        snap = self.snapshot_of(user)  # its cursor is the id below (``cursor``)
        if snap is None:
            self._seqs[user] = seq - 1
            return
        event_id = f"{self.term}-{seq}"
        envelope = encode_event(SnapshotEvent(at=at, snapshot=snap), event_id)
        self._pending.append((user, event_id, sse_frame(event_id, "snapshot", envelope)))
        self._dirty.add(user)
        self._kick()

    def new_term(self, term: int) -> None:
        """Go on under a new term (Redis lost every stream: restarted without persistence).
        What waits to be sent is dropped: the caller puts each user's snapshot, taken now and
        so covering it, first in the new term (:meth:`resync`)."""
        self.term = term
        self.epoch = str(term)
        self._seqs.clear()
        self._pending.clear()

    def publish_control(self, user: str, event_type: str, data: dict[str, Any]) -> None:
        """Control events are not replayed and have no id: not sent across processes."""

    def changed(self, user: str) -> None:
        """Publish the user's snapshot again (a position attached, a feature restored)."""
        self._dirty.add(user)
        self._kick()

    def _kick(self) -> None:
        if self.closed or (self._task is not None and not self._task.done()):
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop yet: sent by the first kick on the loop
            return
        self._task = loop.create_task(self._flush())

    def _tick(self) -> None:
        self._timer = None
        self._kick()

    async def flushed(self, *, snapshots: bool = False) -> None:
        """Until everything published so far is in Redis — and with ``snapshots``, the
        changed users' snapshots too (a position attached, a switch starting or stopping)."""
        if snapshots:
            self._snapshots_due = True
        self._kick()
        while (self._task is not None and not self._task.done()) or (
            snapshots and self._snapshots_due and not self.closed
        ):
            if self._task is None or self._task.done():
                self._kick()
            if self._task is not None:
                await asyncio.shield(self._task)

    async def _flush(self) -> None:
        from redis.exceptions import RedisError

        while not self.closed:
            now = time.monotonic()
            since = now - self._snapshots_at
            with_snapshots = bool(self._dirty) and (
                self._snapshots_due or since >= self.snapshot_every_s
            )
            if not self._pending and not with_snapshots:
                if self._dirty and self._timer is None:  # the snapshots' turn comes later
                    loop = asyncio.get_running_loop()
                    self._timer = loop.call_later(self.snapshot_every_s - since, self._tick)
                self._snapshots_due = False
                return
            pending, self._pending = self._pending, []
            dirty: set[str] = set()
            if with_snapshots:
                dirty, self._dirty = self._dirty, set()
                self._snapshots_due = False
                self._snapshots_at = now
            pipe = self.redis.pipeline(transaction=False)
            for user, event_id, frame in pending:
                pipe.xadd(
                    self.keys.events(user),
                    {"f": frame},
                    id=event_id,
                    maxlen=self.ring_size,
                    approximate=True,
                )
            for user in dirty:
                snap = self.snapshot_of(user)
                if snap is not None:
                    pipe.set(self.keys.snapshot(user), json.dumps(encode(snap)))
            try:
                results = await pipe.execute(raise_on_error=False)
            except (RedisError, OSError) as error:
                log.warning("cannot publish %d events to Redis (%s): retrying", len(pending), error)
                self._pending[:0] = pending
                self._dirty |= dirty
                await asyncio.sleep(self.retry_s)
                continue
            for result in results:
                if isinstance(result, Exception) and "equal or smaller" not in str(result):
                    log.warning("Redis refused an event: %s", result)

    def stop(self) -> None:
        self.closed = True
        if self._timer is not None:
            self._timer.cancel()
        if self._task is not None:
            self._task.cancel()


def _covers(oldest: Position, pos: Position) -> bool:
    """Whether a stream whose oldest entry is ``oldest`` still holds every entry after
    ``pos``: ``pos`` is not older, or ``oldest`` comes right after it (the same term)."""
    return oldest <= pos or oldest == (pos[0], pos[1] + 1)


class StreamReader(EventHub):
    """An API instance's side: one ``XREAD BLOCK`` task for every open stream of this instance.

    :meth:`attach` answers what a new stream starts with (nothing: the reader replays from
    ``Last-Event-ID``; or a ``snapshot`` frame, the reader then going on from its cursor).
    """

    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        clock: Clock,
        *,
        queue_max: int = 10000,
        block_ms: int = 1000,
        instance: str | None = None,
    ) -> None:
        super().__init__(queue_max=queue_max)
        self.redis = redis
        self.keys = keys
        self.clock = clock
        self.block_ms = block_ms
        self.instance = instance or secrets.token_hex(6)
        self._wake_key = keys.wake(self.instance)
        self._wake_pos = "0-0"
        self._taps: dict[str, dict[Subscriber, Position]] = {}
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    # ---- streams opening and closing --------------------------------------------------------

    async def attach(
        self, user: str, last_event_id: str | None, session_id: str = ""
    ) -> tuple[list[bytes], Subscriber]:
        """Subscribe ``user``'s new stream; the frames it starts with (a snapshot, or none)."""
        from redis.exceptions import RedisError

        try:
            pipe = self.redis.pipeline(transaction=False)
            pipe.get(self.keys.snapshot(user))
            pipe.xrange(self.keys.events(user), count=1)
            raw_snapshot, first = await pipe.execute()
        except (RedisError, OSError) as error:
            raise BackendUnavailable(
                N_("The event stream is unavailable: {error}"), error=str(error)
            ) from None
        if raw_snapshot is None:
            raise BackendUnavailable(
                N_("The phone system has not published {user}'s state yet"), user=user
            )
        try:
            snap = decode(Snapshot, json.loads(raw_snapshot))
        except (ValueError, WireError) as error:
            raise BackendUnavailable(
                N_("The phone system published a bad state: {error}"), error=str(error)
            ) from None
        head = position(snap.cursor) or (0, 0)
        oldest = position(first[0][0]) if first else None
        pos = position(last_event_id)
        frames: list[bytes] = []
        lost = oldest is None and pos is not None and pos < head  # entries gone from Redis
        if pos is None or pos > head or lost or (oldest is not None and not _covers(oldest, pos)):
            envelope = encode_event(SnapshotEvent(at=self.clock.now(), snapshot=snap), snap.cursor)
            frames.append(sse_frame(snap.cursor, "snapshot", envelope))
            pos = head
        subscriber = Subscriber(self.queue_max, session_id)
        taps = self._taps.setdefault(user, {})
        taps[subscriber] = pos
        await self._wake()
        return frames, subscriber

    def close(self, user: str, subscriber: Subscriber) -> None:
        taps = self._taps.get(user)
        if taps is None:
            return
        taps.pop(subscriber, None)
        if not taps:
            del self._taps[user]

    def end_all(self) -> None:
        for taps in self._taps.values():
            for subscriber in taps:
                subscriber.end()

    def end_sessions(self, session_ids: set[str]) -> None:
        for taps in self._taps.values():
            for subscriber in list(taps):
                if subscriber.session_id in session_ids:
                    subscriber.end()

    def subscriber_count(self) -> int:
        return sum(len(taps) for taps in self._taps.values())

    # ---- the reader -------------------------------------------------------------------------

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        self.end_all()
        self._stopping = True
        if self._task is not None:
            await end_reader(self._task, self.block_ms / 1000 + 1)
        with contextlib.suppress(Exception):  # Redis gone: never hold the shutdown up
            await asyncio.wait_for(self.redis.delete(self._wake_key), 1)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.redis.aclose(), 1)

    async def _wake(self) -> None:
        from redis.exceptions import RedisError

        with contextlib.suppress(RedisError, OSError):
            await self.redis.xadd(self._wake_key, {"w": b"1"}, maxlen=16, approximate=False)

    async def _run(self) -> None:
        from redis.exceptions import RedisError

        while not self._stopping:
            issued: dict[str, Position] = {
                user: min(taps.values()) for user, taps in self._taps.items() if taps
            }
            streams: dict[Any, Any] = {self._wake_key: self._wake_pos}
            for user, pos in issued.items():
                streams[self.keys.events(user)] = stream_id(pos)
            try:
                found = cast(
                    "Entries",
                    await self.redis.xread(streams, count=READ_COUNT, block=self.block_ms),
                )
            except (RedisError, OSError) as error:
                log.warning("cannot read the event streams from Redis (%s): retrying", error)
                await asyncio.sleep(0.5)
                continue
            for key, entries in found or ():
                name = key.decode()
                if name == self._wake_key:
                    self._wake_pos = entries[-1][0].decode()
                    continue
                owner = self.keys.user_of(name)
                if owner is not None and owner in issued:
                    self._deliver(owner, issued[owner], entries)

    def _deliver(
        self, user: str, issued: Position, entries: list[tuple[bytes, dict[bytes, bytes]]]
    ) -> None:
        """Hand the entries read after ``issued`` to each subscriber that had read up to at
        least ``issued`` (one that needs older entries gets them from the next read)."""
        taps = self._taps.get(user)
        if not taps:
            return
        for raw_id, fields in entries:
            pos = position(raw_id)
            frame = fields.get(b"f")
            if pos is None or frame is None:
                continue
            for subscriber, at in list(taps.items()):
                if issued <= at < pos:
                    subscriber.push(frame)
                    taps[subscriber] = pos
