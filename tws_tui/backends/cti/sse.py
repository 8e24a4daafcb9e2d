"""An incremental ``text/event-stream`` parser (WHATWG HTML, server-sent events).

Owns :class:`SseParser`: bytes in (any chunking, ``\\n``, ``\\r\\n`` or ``\\r`` line ends),
complete :class:`SseMessage` values out. A message is dispatched only at the blank line that
ends it, so a stream cut in the middle of a frame yields nothing for that frame: the client
resumes from the last *complete* id and the server replays the rest. Comments (``: ping``)
are counted as liveness, ``retry:`` is kept. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import field

from tws_tui.core.values import record_class, value_class


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
        """The messages completed by ``chunk``."""
        self._buffer += chunk
        out: list[SseMessage] = []
        while True:
            line, found = self._next_line()
            if not found:
                return out
            message = self._line(line)
            if message is not None:
                out.append(message)

    def _next_line(self) -> tuple[str, bool]:
        buffer = self._buffer
        for index, byte in enumerate(buffer):
            if byte == 0x0A or byte == 0x0D:
                if byte == 0x0D and index + 1 == len(buffer):
                    return "", False  # a CR at the end: wait, an LF may follow
                end = index + 2 if byte == 0x0D and buffer[index + 1] == 0x0A else index + 1
                self._buffer = buffer[end:]
                return buffer[:index].decode("utf-8", errors="replace"), True
        return "", False

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
