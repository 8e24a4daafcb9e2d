"""The HTTP side of the ``cti`` backend: httpx client, tokens, requests with retries.

Owns :class:`HttpSession`:

* one ``httpx.AsyncClient`` (HTTP/1.1; TLS verification on unless ``verify_tls`` is off, or a
  CA bundle path);
* sign-in with a refresh token when there is one, else with the password; refreshing the access
  token shortly before it expires (single flight), and once more on a 401;
* :meth:`HttpSession.request`: ``X-Request-Id`` on every request, a fresh ``Idempotency-Key``
  on every POST, kept across its retries; transport failures are retried (a POST only thanks
  to its key), with backoff and jitter; an error answer becomes the typed error of its problem
  ``code`` (:func:`tws_tui.wire.problems.error_from_problem`); no answer in time becomes
  ``BackendTimeout``, an unreachable server ``BackendUnavailable``.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import uuid
from collections.abc import Mapping
from typing import Any

import httpx

from tws_tui import __version__
from tws_tui.backends import BackendConfigError
from tws_tui.backends.cti.failures import connection_failure
from tws_tui.core.errors import N_, BackendTimeout, BackendUnavailable, CallControlError
from tws_tui.core.values import value_class
from tws_tui.wire import routes
from tws_tui.wire.problems import Unauthenticated, error_from_problem
from tws_tui.wire.routes import Route

log = logging.getLogger(__name__)

REFRESH_PREFIX = "twsrt."
_RETRYABLE_STATUS = frozenset({502, 503, 504})


class LoginRefused(Unauthenticated, BackendConfigError):
    """The server refused the user name and password (or the stored session): the user must
    sign in again. Both a ``CallControlError`` and a ``BackendConfigError`` (the app goes back
    to its sign-in screen with this message)."""


@value_class
class SessionOptions:
    url: str
    username: str
    password: str | None
    refresh_token: str | None
    verify: bool | str
    client_id: str
    request_timeout_s: float
    retries: int
    retry_base_s: float


class HttpSession:
    def __init__(self, options: SessionOptions) -> None:
        self.options = options
        self.client = httpx.AsyncClient(
            base_url=options.url.rstrip("/"),
            verify=options.verify,
            http1=True,
            http2=False,
            timeout=httpx.Timeout(options.request_timeout_s),
            headers={"User-Agent": f"tws-tui/{__version__}", "Accept": "application/json"},
        )
        self.access_token: str | None = None
        self.refresh_token: str | None = options.refresh_token
        self.expires_at = 0.0  # monotonic
        self.lifetime_s = 0.0
        self.user: dict[str, Any] = {}
        self.refreshes = 0
        self._lock = asyncio.Lock()

    async def close(self) -> None:
        await self.client.aclose()

    # ---- tokens -----------------------------------------------------------------------------

    def _take(self, body: Any) -> None:
        if not isinstance(body, dict) or not isinstance(body.get("access_token"), str):
            raise BackendUnavailable(N_("The CTI server answered the sign-in with something else"))
        self.access_token = body["access_token"]
        self.refresh_token = body.get("refresh_token") or self.refresh_token
        self.lifetime_s = float(body.get("expires_in") or 60)
        self.expires_at = time.monotonic() + self.lifetime_s
        user = body.get("user")
        self.user = user if isinstance(user, dict) else {}

    async def _token_request(self, payload: dict[str, Any]) -> Any:
        try:
            response = await self.client.post(routes.CREATE_TOKEN.url(), json=payload)
        except httpx.TimeoutException as error:
            raise BackendTimeout(
                N_("The CTI server did not answer the sign-in ({error})"), error=repr(error)
            ) from None
        except httpx.HTTPError as error:
            log.info("sign-in request failed: %r", error)
            raise BackendUnavailable(
                N_("Cannot reach the CTI server {url}: {why}"),
                url=self.options.url,
                why=connection_failure(error),
            ) from None
        if response.status_code >= 400:
            raise error_from_problem(response.status_code, _json(response))
        return _json(response)

    async def login(self) -> None:
        """Sign in: the refresh token first, else the password (``LoginRefused`` if refused)."""
        async with self._lock:
            await self._login()

    async def _login(self) -> None:
        options = self.options
        if self.refresh_token:
            try:
                self._take(
                    await self._token_request(
                        {
                            "grant_type": "refresh_token",
                            "refresh_token": self.refresh_token,
                            "client_id": options.client_id,
                        }
                    )
                )
                self.refreshes += 1
                return
            except Unauthenticated:
                self.refresh_token = None
                if not options.password:
                    raise LoginRefused(
                        N_(
                            "The CTI session has expired or was closed:"
                            " sign in again with your password"
                        )
                    ) from None
        if not options.password:
            raise LoginRefused(
                N_("No password for {user!r} on the CTI server"), user=options.username
            )
        try:
            self._take(
                await self._token_request(
                    {
                        "grant_type": "password",
                        "username": options.username,
                        "password": options.password,
                        "client_id": options.client_id,
                    }
                )
            )
        except Unauthenticated:
            raise LoginRefused(
                N_("The CTI server refused the user name {user!r} or its password"),
                user=options.username,
            ) from None

    def _expiring(self) -> bool:
        margin = min(60.0, self.lifetime_s / 4)
        return self.access_token is None or time.monotonic() >= self.expires_at - margin

    async def ensure_token(self, *, force: bool = False) -> str:
        """A valid access token, refreshed first when it expires soon (or when forced)."""
        stale = self.access_token
        if force or self._expiring():
            async with self._lock:
                if self.access_token == stale and (force or self._expiring()):
                    await self._login()
        assert self.access_token is not None
        return self.access_token

    # ---- requests ---------------------------------------------------------------------------

    async def request(
        self,
        route: Route,
        path_params: Mapping[str, str] | None = None,
        *,
        body: Any = None,
        params: Mapping[str, str | int] | None = None,
        gone_is_done: bool = False,
        retries: int | None = None,
        raw: bool = False,
    ) -> Any:
        """Send one command or query on ``route`` (its path filled with ``path_params``, the
        query string from ``params``); the decoded JSON answer (None for 204), or with ``raw``
        the answer's bytes (a recording).

        ``gone_is_done``: a 404 on a *retry* means the first attempt did it (hang up).
        """
        method, path = route.method, route.url(**(path_params or {}))
        key = str(uuid.uuid4()) if method == "POST" else None
        request_id = f"r-{uuid.uuid4().hex[:12]}"
        attempts = 1 + (self.options.retries if retries is None else retries)
        refreshed = False
        last_error: CallControlError | None = None
        attempt = 0
        while attempt < attempts:
            token = await self.ensure_token()
            headers = {"Authorization": f"Bearer {token}", "X-Request-Id": request_id}
            if key is not None:
                headers["Idempotency-Key"] = key
            try:
                response = await self.client.request(
                    method, path, json=body, params=params, headers=headers
                )
            except httpx.TimeoutException as error:
                last_error = BackendTimeout(
                    N_("The CTI server did not answer in time ({method} {path})"),
                    method=method,
                    path=path,
                )
                log.info("%s %s timed out (%r), attempt %d", method, path, error, attempt + 1)
            except httpx.HTTPError as error:
                last_error = BackendUnavailable(
                    N_("The CTI server cannot be reached: {why}"), why=connection_failure(error)
                )
                log.info("%s %s failed (%r), attempt %d", method, path, error, attempt + 1)
            else:
                status = response.status_code
                if status == 401 and not refreshed:
                    refreshed = True
                    await self.ensure_token(force=True)
                    continue  # not an attempt: the same request, with a fresh token
                if status == 404 and gone_is_done and attempt > 0:
                    return None
                if status in _RETRYABLE_STATUS:
                    last_error = error_from_problem(status, _json(response))
                elif status >= 400:
                    raise error_from_problem(status, _json(response))
                elif raw:
                    return response.content
                else:
                    return _json(response) if response.content else None
            attempt += 1
            if attempt < attempts:
                await asyncio.sleep(random.uniform(0, self.options.retry_base_s * 2**attempt))
        assert last_error is not None
        raise last_error


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
