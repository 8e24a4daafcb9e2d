"""A small RTP jitter buffer: reorders by sequence number, plays out one frame per tick.

Owns playout timing of received audio. It starts after ``depth`` frames are queued, hands one
frame per 20 ms tick (``None`` for a missing one), and never grows: beyond ``max_depth``
queued frames it drops the oldest down to ``depth``, so a peer whose clock runs fast cannot
make latency creep (study defect #10 was the same creep on the sending side). After
``idle_reset`` empty ticks (the peer paused, e.g. on hold) it primes again.
"""

from __future__ import annotations

import threading


class JitterBuffer:
    def __init__(self, depth: int = 2, max_depth: int = 6, idle_reset: int = 10) -> None:
        self.depth = depth
        self.max_depth = max_depth
        self.idle_reset = idle_reset
        self._frames: dict[int, bytes] = {}
        self._next: int | None = None
        self._last_ext = -1
        self._empty = 0
        self._lock = threading.Lock()
        self.late = 0
        self.dropped = 0

    def _extend(self, seq: int) -> int:
        if self._last_ext < 0:
            return seq
        base = self._last_ext & ~0xFFFF
        candidate = base | seq
        if candidate - self._last_ext > 0x8000:
            candidate -= 0x10000
        elif self._last_ext - candidate > 0x8000:
            candidate += 0x10000
        return candidate

    def put(self, seq: int, frame: bytes) -> None:
        with self._lock:
            ext = self._extend(seq)
            self._last_ext = max(self._last_ext, ext)
            if self._next is not None and ext < self._next:
                self.late += 1
                return
            self._frames[ext] = frame

    def pop(self) -> bytes | None:
        with self._lock:
            if self._next is None:
                if len(self._frames) < self.depth:
                    return None
                self._next = min(self._frames)
            if len(self._frames) > self.max_depth:
                keys = sorted(self._frames)
                for key in keys[: len(keys) - self.depth]:
                    del self._frames[key]
                    self.dropped += 1
                self._next = min(self._frames)
            frame = self._frames.pop(self._next, None)
            self._next += 1
            if frame is None and not self._frames:
                self._empty += 1
                if self._empty >= self.idle_reset:
                    self._next, self._empty = None, 0
            else:
                self._empty = 0
            return frame

    def __len__(self) -> int:
        return len(self._frames)
