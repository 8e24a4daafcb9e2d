#!/usr/bin/env python3
"""The former hand-written SSE parser against httpx-sse's decoders: same bytes, same process.

Owns the measurement behind the decision in ``docs/architecture.md`` ("Backends and wire"):
keep the hand-written ``SseParser`` (``tws_tui/backends/cti/sse.py`` until it was replaced;
copied below unchanged, as the reference) or use ``httpx-sse``, which the cti client now uses.
Both get the same input: a stream of ``--events`` (20 000) frames as the reference server
writes them (``id``, ``event``, one JSON ``data`` line of a call event, about 690 bytes), a
heartbeat comment every 50 frames, cut into chunks of ``--chunk`` bytes (4096, a network
read; try 64 for a slow link).

* **ours**: the hand-written ``SseParser.feed(bytes)`` → ``SseMessage`` values;
* **httpx-sse**: what ``EventSource.aiter_sse()`` does per chunk of ``response.aiter_text()``:
  an incremental UTF-8 decoder (httpx's text decoding), ``SSELineDecoder.decode`` and
  ``SSEDecoder.decode`` per line → ``ServerSentEvent`` values.

httpx-sse also dispatches an event with empty ``data`` at the blank line after each heartbeat
comment (it keeps the last id across events, per the WHATWG text, and dispatches when an id
is set); those are not counted. Each runs ``--rounds`` (7) times, alternating; printed: the
best time of each in µs per event and the ratio httpx-sse/ours (above 1: ours is faster).
Both must find every event (checked). Exit code 0 either way (a benchmark, not a test).

    python bench/sse_parser.py [--events 20000] [--chunk 4096] [--rounds 7] [--json]
"""

from __future__ import annotations

import argparse
import codecs
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from httpx_sse._decoders import SSEDecoder, SSELineDecoder

from tws_tui.core.values import record_class, value_class

# ---- the hand-written parser, as it was (tws_tui/backends/cti/sse.py at b04e1c0) -------------

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


# ---- the measurement ------------------------------------------------------------------------


def stream(events: int) -> bytes:
    """Frames as the server writes them (see ``tws_tui.server.events.sse_frame``)."""
    parts: list[str] = []
    for n in range(events):
        data = {
            "type": "call.established",
            "time": "2026-12-07T01:20:00.000000Z",
            "data": {
                "call": {
                    "call_id": f"c-{n}",
                    "state": "connected",
                    "remote": {"number": "+33612345678", "name": "Hélène Guérin"},
                    "allowed": ["hold", "hangup", "blind_transfer", "attended_transfer"],
                    "version": n,
                    "queue": None,
                    "notes": "x" * 300,
                },
                "cause": "normal",
            },
        }
        parts.append(f"id: s1:{n}\nevent: call.established\ndata: {json.dumps(data)}\n\n")
        if n % 50 == 49:
            parts.append(": ping\n\n")
    return "".join(parts).encode()


def chunks(raw: bytes, size: int) -> list[bytes]:
    return [raw[i : i + size] for i in range(0, len(raw), size)]


def ours(pieces: list[bytes]) -> int:
    parser = SseParser()
    found = 0
    for piece in pieces:
        found += len(parser.feed(piece))
    return found


def httpx_sse(pieces: list[bytes]) -> int:
    text = codecs.getincrementaldecoder("utf-8")(errors="replace")
    lines = SSELineDecoder()
    decoder = SSEDecoder()
    found = 0
    for piece in pieces:
        for line in lines.decode(text.decode(piece)):
            event = decoder.decode(line.rstrip("\n"))
            if event is not None and event.data:  # it dispatches heartbeats too, data ""
                found += 1
    return found


def best(run: Callable[[list[bytes]], int], pieces: list[bytes], expected: int) -> float:
    start = time.perf_counter()
    found = run(pieces)
    elapsed = time.perf_counter() - start
    if found != expected:
        raise SystemExit(f"{run.__name__} found {found} events, expected {expected}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--chunk", type=int, default=4096)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    raw = stream(args.events)
    pieces = chunks(raw, args.chunk)
    times: dict[str, list[float]] = {"ours": [], "httpx-sse": []}
    for round_ in range(args.rounds):
        order = [("ours", ours), ("httpx-sse", httpx_sse)]
        for name, run in order if round_ % 2 == 0 else reversed(order):
            times[name].append(best(run, pieces, args.events))
    per_event = {name: min(values) / args.events * 1e6 for name, values in times.items()}
    ratio = per_event["httpx-sse"] / per_event["ours"]
    figures = {
        "events": args.events,
        "bytes": len(raw),
        "chunk": args.chunk,
        "ours_us_per_event": round(per_event["ours"], 3),
        "httpx_sse_us_per_event": round(per_event["httpx-sse"], 3),
        "ratio_httpx_sse_over_ours": round(ratio, 2),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"{args.events} events, {len(raw)} bytes in chunks of {args.chunk} B")
        print(f"ours       {per_event['ours']:8.3f} µs/event (best of {args.rounds})")
        print(f"httpx-sse  {per_event['httpx-sse']:8.3f} µs/event (best of {args.rounds})")
        print(f"ratio httpx-sse/ours: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
