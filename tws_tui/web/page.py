"""textual-serve's server as ``tws-tui web`` runs it (imports the ``web`` extra).

:class:`ConsoleServer` is textual-serve's :class:`~textual_serve.server.Server` with what it
lacks for us: HTTPS (its ``serve`` has no TLS parameter, so ours runs the same aiohttp
application — built by its ``_make_app``, the one private name used here — with an
``ssl_context``), the page in the user's language without an outside font service
(``tws_tui/data/web/app_index.html``, its words given from our catalog), our log file instead
of its Rich console logging, a start line of our own (once the port is bound) giving the
address with its key, and that key required (:mod:`tws_tui.web.access`). Each browser
tab still gets one console process from textual-serve's ``AppService``, ended when the tab's
connection closes;
at shutdown the sessions are cut after :data:`SHUTDOWN_S` (each console then gets its
"quit", or sees its input closed, and exits).
"""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server

from tws_tui.platform.i18n import _, language
from tws_tui.web.access import access_middleware

TEMPLATES = Path(__file__).resolve().parents[1] / "data" / "web"
SHUTDOWN_S = 3.0


class WebTlsError(Exception):
    """The certificate or key cannot be used (one sentence)."""


def tls_context(certfile: str, keyfile: str) -> ssl.SSLContext:
    """A server TLS context from PEM files; an unreadable or mismatched file raises
    :class:`WebTlsError` with the reason."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(certfile, keyfile)
    except (OSError, ssl.SSLError) as error:
        reason = getattr(error, "strerror", None) or getattr(error, "reason", None) or error
        raise WebTlsError(
            _("cannot use the certificate {certfile} and key {keyfile}: {reason}").format(
                certfile=certfile, keyfile=keyfile, reason=reason
            )
        ) from None
    return context


def page_words() -> dict[str, str]:
    """The page's own words (before the console draws, and after it ended)."""
    return {
        "starting": _("Starting the console…"),
        "start": _("Start"),
        "ended": _("The console has ended (its tab was closed, or it was quit)."),
        "restart": _("Start a new console"),
    }


class ConsoleServer(Server):
    """One console process per browser tab, over HTTP or HTTPS."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        public_url: str,
        key: str,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        super().__init__(
            command,
            host=host,
            port=port,
            title="tws-tui",
            public_url=public_url,
            templates_path=TEMPLATES,
        )
        self.ssl_context = ssl_context
        self.key = key

    def initialize_logging(self) -> None:
        """Nothing: the CLI has started our log file, where textual-serve's records go."""

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: :meth:`serve` says where the console is once the port is bound."""

    def _listening(self, _aiohttp_line: str) -> None:
        print(
            _("Serving the console on {url} — one console per browser tab; Ctrl+C stops.").format(
                url=f"{self.public_url}/?key={self.key}"
            ),
            flush=True,
        )

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(
            access_middleware(self.key, port=self.port, public_url=self.public_url)
        )
        aiohttp_jinja2.get_env(app).globals.update(words=page_words(), lang=language())
        return app

    def serve(self, debug: bool = False) -> None:
        """Serve until SIGINT or SIGTERM; a port in use raises ``OSError``."""
        self.debug = debug
        self.initialize_logging()
        kwargs: dict[str, Any] = {}
        if self.ssl_context is not None:
            kwargs["ssl_context"] = self.ssl_context
        web.run_app(
            self._make_app(),
            host=self.host,
            port=self.port,
            shutdown_timeout=SHUTDOWN_S,
            handle_signals=True,
            print=self._listening,
            **kwargs,
        )
