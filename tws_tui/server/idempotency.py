"""``Idempotency-Key`` on POST commands (draft-ietf-httpapi-idempotency-key-header).

Owns :class:`IdempotencyStore`: per (user, key), the fingerprint of the request (method, path,
SHA-256 of the body) and, once done, the response (status, body, content type), kept
``ttl_s`` seconds. The same key and request again → the stored response, marked
``Idempotent-Replayed: true``, and no second effect; the same key for another request → 422
``idempotency_mismatch``; while the first is still running → 409 ``idempotency_in_flight``.
In memory: a restarted server forgets the keys (documented limit of the reference server).
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable

from tws_tui.core.values import record_class
from tws_tui.wire.problems import IdempotencyInFlight, IdempotencyMismatch

MAX_KEY_LENGTH = 255


@record_class
class StoredResponse:
    status: int
    body: bytes
    media_type: str


@record_class
class _Entry:
    fingerprint: str
    created: float
    response: StoredResponse | None = None


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


class IdempotencyStore:
    def __init__(
        self,
        ttl_s: float = 600.0,
        max_entries: int = 100_000,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self.now = now
        self._entries: OrderedDict[tuple[str, str], _Entry] = OrderedDict()

    def _expire(self) -> None:
        limit = self.now() - self.ttl_s
        while self._entries:
            key, entry = next(iter(self._entries.items()))
            if entry.created > limit and len(self._entries) <= self.max_entries:
                break
            if entry.response is None and entry.created > limit:
                break  # still running: keep it
            del self._entries[key]

    def begin(self, user: str, key: str, print_: str) -> StoredResponse | None:
        """The stored response to replay, or None: go ahead (then :meth:`finish`/:meth:`abort`)."""
        self._expire()
        entry = self._entries.get((user, key))
        if entry is None:
            self._entries[(user, key)] = _Entry(print_, self.now())
            return None
        if entry.fingerprint != print_:
            raise IdempotencyMismatch(
                "This Idempotency-Key was used for another request (method, path or body)"
            )
        if entry.response is None:
            raise IdempotencyInFlight("A request with this Idempotency-Key is still in progress")
        return entry.response

    def finish(self, user: str, key: str, response: StoredResponse) -> None:
        entry = self._entries.get((user, key))
        if entry is not None:
            entry.response = response

    def abort(self, user: str, key: str) -> None:
        """Forget a key whose request could not complete (a retry may run it again)."""
        self._entries.pop((user, key), None)
