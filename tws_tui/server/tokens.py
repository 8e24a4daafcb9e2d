"""Bearer access tokens and refresh tokens (RFC 6750), surviving a server restart.

Owns :class:`TokenService`. A login opens a *session* (stored in SQLite with the SHA-256 of
its refresh token, never the token itself). Access tokens are short-lived and stateless: a JWT
(RFC 7519, written and checked by PyJWT) whose claims are the session id (``sid``), the user
name (``sub``) and the expiry (``exp``), signed with HS256 under a key generated once and kept
by the store (:meth:`~.storage.ServerStorage.signing_key`: with SQLite in its own file,
``token.key`` (mode 0600) beside the database, not in ``server.sqlite3``; with PostgreSQL in the
database, so that every instance checks every instance's tokens) — so tokens stay valid across a
restart, and revoking the session (logout, account removed) kills them at once. A user has at most
``max_sessions``: a new sign-in past it closes the oldest. The expiry is checked here against
the service's clock (injectable for tests), not by PyJWT against the wall clock. Refresh tokens
(``twsrt.<random>``) are opaque, last ``refresh_ttl_s`` and are not rotated (a lost refresh
response cannot lock a client out).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import Callable

import jwt

from tws_tui.core.errors import N_
from tws_tui.core.values import value_class
from tws_tui.server.storage import ServerStorage
from tws_tui.wire.problems import Unauthenticated

ALGORITHM = "HS256"
REFRESH_PREFIX = "twsrt."


@value_class
class Principal:
    """Who a valid access token speaks for."""

    username: str
    session_id: str
    expires_at: float


@value_class
class IssuedTokens:
    access_token: str
    expires_in: int
    refresh_token: str
    refresh_expires_in: int


def refresh_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenService:
    def __init__(
        self,
        store: ServerStorage,
        *,
        access_ttl_s: float,
        refresh_ttl_s: float,
        max_sessions: int = 20,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.max_sessions = max_sessions
        self.access_ttl_s = access_ttl_s
        self.refresh_ttl_s = refresh_ttl_s
        self.now = now
        self._key = base64.b64decode(store.signing_key())
        store.purge_sessions(now())
        self._live = store.session_ids(now())

    def _access(self, username: str, session_id: str) -> tuple[str, int]:
        ttl = max(1, round(self.access_ttl_s))
        exp = self.now() + self.access_ttl_s
        claims = {"sid": session_id, "sub": username, "exp": exp}
        return jwt.encode(claims, self._key, algorithm=ALGORITHM), ttl

    def login(self, username: str, client_id: str) -> tuple[IssuedTokens, set[str]]:
        """Open a session for an authenticated user: its tokens, and the ids of the user's
        oldest sessions closed to keep at most ``max_sessions`` (end their streams)."""
        older = self.store.user_sessions(username)
        closed = set(older[: max(0, len(older) - self.max_sessions + 1)])
        for old in closed:
            self.revoke(old)
        session_id = secrets.token_hex(12)
        refresh = REFRESH_PREFIX + secrets.token_urlsafe(32)
        now = self.now()
        until = now + self.refresh_ttl_s
        self.store.add_session(session_id, username, client_id, refresh_hash(refresh), now, until)
        self._live.add(session_id)
        access, ttl = self._access(username, session_id)
        return IssuedTokens(access, ttl, refresh, int(self.refresh_ttl_s)), closed

    def refresh(self, refresh_token: str) -> tuple[str, IssuedTokens]:
        """A new access token for a refresh token: ``(username, tokens)``."""
        found = self.store.session_by_refresh(refresh_hash(refresh_token))
        if found is None or found[2] <= self.now():
            raise Unauthenticated(
                N_("The refresh token is unknown, revoked or expired: sign in again")
            )
        session_id, username, until = found
        access, ttl = self._access(username, session_id)
        return username, IssuedTokens(access, ttl, refresh_token, int(until - self.now()))

    def verify(self, token: str) -> Principal:
        """The principal of a valid access token; ``Unauthenticated`` otherwise."""
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                options={"verify_exp": False, "require": ["exp", "sub", "sid"]},
            )
            principal = Principal(str(claims["sub"]), str(claims["sid"]), float(claims["exp"]))
        except (jwt.InvalidTokenError, ValueError, KeyError, TypeError):
            raise Unauthenticated(N_("The access token is not valid")) from None
        if principal.expires_at <= self.now():
            raise Unauthenticated(N_("The access token has expired"))
        if principal.session_id not in self._live:
            raise Unauthenticated(N_("The session was closed: sign in again"))
        return principal

    def resync(self) -> set[str]:
        """Take the live sessions from the store again (an account command may have closed
        some from another process); the ids of those that were closed."""
        live = self.store.session_ids(self.now())
        closed = self._live - live
        self._live = live
        return closed

    def revoke(self, session_id: str) -> None:
        self._live.discard(session_id)
        self.store.delete_session(session_id)
