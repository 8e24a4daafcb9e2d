"""Writing live SSE frames straight to the connection, without waking the stream's task.

Owns the one place the server reaches below ASGI: uvicorn's httptools connection
(``uvicorn.protocols.http.httptools_impl.RequestResponseCycle``, whose bound ``receive`` is the
one the stream's application gets: Starlette's middlewares wrap ``send``, not ``receive``).
While a stream's writer task waits with nothing queued, a frame pushed to it
(:meth:`~.hub.Subscriber.push`) puts the stream in this event loop's :class:`Outbox`; at the
end of the loop's turn (one callback for every stream of the burst) the frames pushed since are
written as one chunk of the chunked transfer coding — the bytes uvicorn's ``send`` would
write — by :meth:`DirectWriter.write`, and the task is not woken at all. Anything else (a write
that would wait: the transport paused by flow control on a slow client; the client gone; a
stream not served by httptools — h11, tests' in-process transports) wakes the task instead,
which writes through ``send`` as before: back-pressure, the ``queue_max`` cut-off and
disconnection are unchanged, and frames keep their order (one deque per stream).

Why: ``bench/cti_fanout.py`` at 1 000 streams × 20 events/s writes 20 000 frames a second;
waking each stream's task for each frame (a future, a task step, two coroutines, the ASGI
``send`` wrappers) was most of the Python cost per frame (bench/README.md, fourth pass).
Writing at the end of the turn rather than in ``push`` keeps the frames one switch change
gives a user in one ``send``, as the task did.

The seam is checked, not assumed: :func:`direct_writer` accepts only the class and
attributes it knows (``transport``, ``flow.write_paused``, ``disconnected``,
``response_complete``, ``chunked_encoding``), and ``tests/test_sse_direct.py`` fails if uvicorn
stops handing them over (the stream then still works, through its task, only slower).
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from typing import Any, Protocol


class DirectStream(Protocol):
    """What the outbox needs of a stream (``hub.Subscriber``; named here by its one method, so
    this module does not import the hub, which imports it)."""

    def flush_direct(self) -> None: ...


#: The uvicorn class whose connection a frame may be written to directly.
HTTPTOOLS_CYCLE = ("uvicorn.protocols.http.httptools_impl", "RequestResponseCycle")


class Outbox:
    """The streams to write at the end of this turn of the event loop (one per loop)."""

    __slots__ = ("_loop", "_streams")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._streams: list[DirectStream] = []

    def add(self, subscriber: DirectStream) -> None:
        if not self._streams:
            self._loop.call_soon(self._flush)
        self._streams.append(subscriber)

    def _flush(self) -> None:
        streams, self._streams = self._streams, []
        for subscriber in streams:
            subscriber.flush_direct()


_OUTBOXES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Outbox] = (
    weakref.WeakKeyDictionary()
)


def outbox() -> Outbox:
    """The running event loop's outbox."""
    loop = asyncio.get_running_loop()
    box = _OUTBOXES.get(loop)
    if box is None:
        box = _OUTBOXES[loop] = Outbox(loop)
    return box


class DirectWriter:
    """One stream's direct writes to its httptools connection (see the module's docstring)."""

    __slots__ = ("_cycle", "_flow", "_time", "_transport", "last_write", "outbox", "writes")

    def __init__(self, cycle: Any, transport: Any, flow: Any) -> None:
        self._cycle = cycle
        self._transport = transport
        self._flow = flow
        self._time: Callable[[], float] = asyncio.get_running_loop().time
        self.outbox = outbox()
        self.last_write = 0.0  # the loop's time of the last direct write (for the heartbeat)
        self.writes = 0

    def write(self, body: bytes) -> bool:
        """Write ``body`` (whole frames) now as one chunk; False (nothing written) when it
        would have to wait."""
        cycle = self._cycle
        if (
            cycle.disconnected
            or cycle.response_complete
            or self._flow.write_paused
            or self._transport.is_closing()
        ):
            return False
        self._transport.write(b"%x\r\n%b\r\n" % (len(body), body))
        self.last_write = self._time()
        self.writes += 1
        return True


def direct_writer(receive: Callable[..., Any]) -> DirectWriter | None:
    """The direct writer of the connection ``receive`` belongs to, once the response's headers
    are sent with the chunked coding; None for any other server or state."""
    cycle = getattr(receive, "__self__", None)
    kind = type(cycle)
    if (kind.__module__, kind.__name__) != HTTPTOOLS_CYCLE:
        return None
    transport = getattr(cycle, "transport", None)
    flow = getattr(cycle, "flow", None)
    if (
        not callable(getattr(transport, "write", None))  # uvloop's is no asyncio.Transport
        or not callable(getattr(transport, "is_closing", None))
        or not isinstance(getattr(flow, "write_paused", None), bool)
        or getattr(cycle, "chunked_encoding", None) is not True
        or not isinstance(getattr(cycle, "disconnected", None), bool)
        or not isinstance(getattr(cycle, "response_complete", None), bool)
    ):
        return None
    return DirectWriter(cycle, transport, flow)
