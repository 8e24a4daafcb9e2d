"""An incremental ``text/event-stream`` parser (WHATWG HTML, server-sent events).

Owns :class:`SseParser`: bytes in (any chunking, ``\\n``, ``\\r\\n`` or ``\\r`` line ends),
complete :class:`SseMessage` values out. A message is dispatched only at the blank line that
ends it, so a stream cut in the middle of a frame yields nothing for that frame: the client
resumes from the last *complete* id and the server replays the rest. Comments (``: ping``)
are counted as liveness, ``retry:`` is kept. Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import field

from tws_tui.core.values import record_class, value_class

_LINE_END = re.compile(rb"\r\n|\r|\n")


@value_class
class SseMessage:
    event: str
    data: str
    id: str | None = None


@record_class
class SseParser:
    retry_ms: int | None = None
    comments: int = 0
    _buffer: bytes = b""
    _event: str = ""
    _data: list[str] = field(default_factory=list)
    _id: str | None = None

    def feed(self, chunk: bytes) -> list[SseMessage]:
        """The messages completed by ``chunk``. Lines are found by a regular expression and
        the buffer is cut once per chunk (a byte-by-byte scan cost ~1 µs a byte)."""
        buffer = self._buffer + chunk
        out: list[SseMessage] = []
        start = 0
        while (end := _LINE_END.search(buffer, start)) is not None:
            if end.group() == b"\r" and end.end() == len(buffer):
                break  # a CR at the end: wait, an LF may follow
            line = buffer[start : end.start()].decode("utf-8", errors="replace")
            start = end.end()
            message = self._line(line)
            if message is not None:
                out.append(message)
        self._buffer = buffer[start:]
        return out

    def _line(self, line: str) -> SseMessage | None:
        if line == "":
            return self._dispatch()
        if line.startswith(":"):
            self.comments += 1
            return None
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        elif name == "id" and "\0" not in value:
            self._id = value
        elif name == "retry" and value.isdigit():
            self.retry_ms = int(value)
        return None

    def _dispatch(self) -> SseMessage | None:
        event, data, event_id = self._event, self._data, self._id
        self._event, self._data, self._id = "", [], None
        if not data:
            return None
        return SseMessage(event or "message", "\n".join(data), event_id)
