"""Writing a live SSE frame straight to the connection from the publish loop.

Owns the one place the server reaches below ASGI: uvicorn's httptools connection
(``uvicorn.protocols.http.httptools_impl.RequestResponseCycle``, whose bound ``receive`` is the
one the stream's application gets: Starlette's middlewares wrap ``send``, not ``receive``).
When a stream's writer task is parked with nothing waiting for it and the connection takes
bytes (not closed, not paused by flow control), :meth:`DirectWriter.write` writes the frame as
one chunk of the chunked transfer coding, exactly the bytes uvicorn's ``send`` would write, and
the stream's task is not woken at all. Anything else (a write that would wait: the transport
paused on a slow client, the client gone, a stream not served by httptools — h11, tests'
in-process transports) returns False, and the frame goes through the stream's deque and task
as before, so back-pressure, the ``queue_max`` cut-off and disconnection are unchanged.

Why: ``bench/cti_fanout.py`` at 1 000 streams × 20 events/s writes 20 000 frames a second;
waking each stream's task for each frame (a future, a task step, two coroutines, the ASGI
``send`` wrappers) was most of the Python cost per frame (bench/README.md, fourth pass).

The seam is checked, not assumed: :func:`direct_writer` accepts only the class and
attributes it knows (``transport``, ``flow.write_paused``, ``disconnected``,
``response_complete``, ``chunked_encoding``), and ``tests/test_sse_direct.py`` fails if uvicorn
stops handing them over (the stream then still works, through its task, only slower).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

#: The uvicorn class whose connection a frame may be written to directly.
HTTPTOOLS_CYCLE = ("uvicorn.protocols.http.httptools_impl", "RequestResponseCycle")


class DirectWriter:
    """One stream's direct writes to its httptools connection (see the module's docstring)."""

    __slots__ = ("_cycle", "_flow", "_time", "_transport", "last_write", "writes")

    def __init__(self, cycle: Any, transport: Any, flow: Any) -> None:
        self._cycle = cycle
        self._transport = transport
        self._flow = flow
        self._time: Callable[[], float] = asyncio.get_running_loop().time
        self.last_write = 0.0  # the loop's time of the last direct write (for the heartbeat)
        self.writes = 0

    def write(self, frame: bytes) -> bool:
        """Write ``frame`` now as one chunk; False (nothing written) when it cannot."""
        cycle = self._cycle
        if (
            cycle.disconnected
            or cycle.response_complete
            or self._flow.write_paused
            or self._transport.is_closing()
        ):
            return False
        self._transport.write(b"%x\r\n%b\r\n" % (len(frame), frame))
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
