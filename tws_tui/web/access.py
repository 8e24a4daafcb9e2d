"""Who may open a console served by ``tws-tui web``: whoever has the address it printed.

textual-serve has no access control: anyone who reaches the port gets a console signed in as
the operator, and a web page open in the operator's browser may open the websocket itself
(websockets are not held by the browser's same-origin rule). So the address ``tws-tui web``
prints carries a random key (``?key=…``, :func:`new_key`); :func:`access_middleware` lets a
request through when it carries the key, and then keeps it in a cookie of this server
(``HttpOnly``, ``SameSite=Strict``, ``Secure`` over HTTPS), which the page's websocket sends
back; the websocket must also come from the page's own origin. textual-serve's static files
(its script, style and font) need no key. Anything else is refused with 403 and one sentence.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Middleware

from tws_tui.platform.i18n import _

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
PUBLIC_PREFIX = "/static/"


def new_key() -> str:
    """A fresh key for one run of ``tws-tui web`` (192 random bits)."""
    return secrets.token_urlsafe(24)


def cookie_name(port: int) -> str:
    """One cookie per server: cookies are shared by every port of a host."""
    return f"tws_tui_web_{port}"


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def access_middleware(key: str, *, port: int, public_url: str) -> Middleware:
    """The aiohttp middleware that holds the console behind ``key``."""
    cookie = cookie_name(port)
    origin = origin_of(public_url)
    https = public_url.startswith("https:")

    def holds(value: str | None) -> bool:
        return value is not None and hmac.compare_digest(value.encode(), key.encode())

    @web.middleware
    async def need_key(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path.startswith(PUBLIC_PREFIX):
            return await handler(request)
        if holds(request.query.get("key")):
            response = await handler(request)
            response.set_cookie(
                cookie, key, httponly=True, samesite="Strict", secure=https or None, path="/"
            )
            return response
        if not holds(request.cookies.get(cookie)):
            raise web.HTTPForbidden(
                text=_(
                    "This console opens only from the address tws-tui web printed, with its key."
                )
            )
        sent_from = request.headers.get("Origin")
        if request.path == "/ws" and sent_from is not None and sent_from != origin:
            raise web.HTTPForbidden(
                text=_("Refused: the console's connection must come from its own page.")
            )
        return await handler(request)

    return need_key
