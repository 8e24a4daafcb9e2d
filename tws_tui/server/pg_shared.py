"""Idempotency keys and sign-in throttling in PostgreSQL: held across the server's instances.

Owns :class:`PgIdempotencyKeys` and :class:`PgSignInThrottle`, the scaled mode's
:class:`~.storage.IdempotencyKeys` and :class:`~.storage.SignInCounter` (the embedded mode keeps
them in memory: :mod:`.idempotency`, :mod:`.throttle`). The rules are those modules'; here a
retry of a command sent to another instance still finds its key, and failed passwords are
counted whichever instance a guess reaches.

* ``idempotency`` rows (user, key, fingerprint, when, and once done the response) expire after
  ``ttl_s`` (deleted by the next ``begin``); the first request inserts its row, so two instances
  given the same key at once see one winner (the primary key) and the other answers 409.
* ``signin_failures`` rows (key, when), keys ``user:<name>`` and ``addr:<address>`` as in
  memory; rows older than the window are deleted as new ones come.

Times are the wall clock (``now``, injectable): every instance must agree on them.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from tws_tui.core.errors import N_
from tws_tui.server.idempotency import StoredResponse
from tws_tui.server.pg_store import PgStore
from tws_tui.server.throttle import KEY_CHARS
from tws_tui.wire.problems import IdempotencyInFlight, IdempotencyMismatch, TooManyRequests


class PgIdempotencyKeys:
    def __init__(
        self, store: PgStore, ttl_s: float = 600.0, now: Callable[[], float] = time.time
    ) -> None:
        self.store = store
        self.ttl_s = ttl_s
        self.now = now

    def begin(self, user: str, key: str, print_: str) -> StoredResponse | None:
        """The stored response to replay, or None: go ahead (then :meth:`finish`/:meth:`abort`)."""
        now = self.now()
        with self.store.transaction() as db:
            db.execute("DELETE FROM idempotency WHERE created_at <= %s", (now - self.ttl_s,))
            inserted = db.execute(
                "INSERT INTO idempotency (username, key, fingerprint, created_at)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (user, key, print_, now),
            ).rowcount
            if inserted:
                return None
            row = db.execute(
                "SELECT fingerprint, status, body, media_type FROM idempotency"
                " WHERE username = %s AND key = %s",
                (user, key),
            ).fetchone()
        if row is None:  # expired and deleted between the two statements: run it again
            return self.begin(user, key, print_)
        fingerprint, status, body, media_type = row
        if fingerprint != print_:
            raise IdempotencyMismatch(
                "This Idempotency-Key was used for another request (method, path or body)"
            )
        if status is None:
            raise IdempotencyInFlight("A request with this Idempotency-Key is still in progress")
        return StoredResponse(int(status), bytes(body), str(media_type))

    def finish(self, user: str, key: str, response: StoredResponse) -> None:
        with self.store.transaction() as db:
            db.execute(
                "UPDATE idempotency SET status = %s, body = %s, media_type = %s"
                " WHERE username = %s AND key = %s",
                (response.status, response.body, response.media_type, user, key),
            )

    def abort(self, user: str, key: str) -> None:
        with self.store.transaction() as db:
            db.execute("DELETE FROM idempotency WHERE username = %s AND key = %s", (user, key))


class PgSignInThrottle:
    def __init__(
        self,
        store: PgStore,
        *,
        account_limit: int,
        address_limit: int,
        window_s: float,
        now: Callable[[], float],
    ) -> None:
        self.store = store
        self.account_limit = account_limit
        self.address_limit = address_limit
        self.window_s = window_s
        self.now = now

    def check(self, username: str, address: str) -> None:
        """``TooManyRequests`` when the account or the address is locked out now."""
        now = self.now()
        since = now - self.window_s
        with self.store.transaction() as db:
            for key, limit in (
                (_user(username), self.account_limit),
                (_addr(address), self.address_limit),
            ):
                count, oldest = db.execute(
                    "SELECT count(*), min(at) FROM signin_failures WHERE key = %s AND at > %s",
                    (key, since),
                ).fetchone() or (0, None)
                if int(count) >= limit and oldest is not None:
                    wait = max(1, math.ceil(float(oldest) + self.window_s - now))
                    raise TooManyRequests(
                        N_("Too many failed sign-ins: try again in {seconds} s"), seconds=wait
                    )

    def failed(self, username: str, address: str) -> None:
        now = self.now()
        with self.store.transaction() as db:
            db.execute("DELETE FROM signin_failures WHERE at <= %s", (now - self.window_s,))
            for key in (_user(username), _addr(address)):
                db.execute("INSERT INTO signin_failures (key, at) VALUES (%s, %s)", (key, now))

    def succeeded(self, username: str) -> None:
        with self.store.transaction() as db:
            db.execute("DELETE FROM signin_failures WHERE key = %s", (_user(username),))


def _user(username: str) -> str:
    return f"user:{username[:KEY_CHARS]}"


def _addr(address: str) -> str:
    return f"addr:{address}"
