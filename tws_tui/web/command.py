"""The ``tws-tui web`` subcommand: its options, what it refuses, what each tab runs.

:func:`add_web_parser` adds the subcommand (one call from :mod:`tws_tui.cli`); :func:`run_web`
runs it and returns the exit code. Like ``tws-tui serve``: loopback by default; another address
needs ``--certfile``/``--keyfile`` (HTTPS), or ``--allow-http`` behind a TLS proxy, else the
command refuses with one sentence. Each browser tab gets its own console process:
:func:`console_command` is that command, this same ``tws-tui`` (the interpreter running now,
``-m tws_tui``) with the console options given to ``web`` passed on (``--demo``, ``--backend``,
``--config``, ``--lang``, ``--log-level``, ``--seed``). The console learns it runs in a
browser from Textual's web driver, which textual-serve selects for it.

The CLI imports this module on every run (for the parser): what only a run of ``web`` needs
is imported there, not here, so the console's start-up does not pay for it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Collection
from pathlib import Path
from typing import Any

from tws_tui.platform import logs
from tws_tui.platform.i18n import LANGUAGES, _

DEFAULT_PORT = 8000
PORTS = range(1, 65536)


class WebError(Exception):
    """A problem the person running ``tws-tui web`` can fix (one sentence)."""


def add_web_parser(commands: Any) -> None:
    """``tws-tui web``: the console in a browser. The console's own options are accepted after
    ``web`` too (``tws-tui web --demo``), as before it."""
    web = commands.add_parser(
        "web",
        help=_("serve the console to a browser (needs the 'web' extra)"),
        description=_(
            "Serve the console to a browser: each tab runs its own console, with the same"
            " backends, keys and languages; closing the tab ends it."
        ),
    )
    web.add_argument(
        "--host", default="127.0.0.1", metavar=_("ADDRESS"), help=_("address to listen on")
    )
    web.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        metavar=_("PORT"),
        help=_("port (default {port})").format(port=DEFAULT_PORT),
    )
    web.add_argument("--certfile", metavar=_("PATH"), help=_("TLS certificate (PEM) for HTTPS"))
    web.add_argument("--keyfile", metavar=_("PATH"), help=_("TLS private key (PEM) for HTTPS"))
    web.add_argument(
        "--allow-http", action="store_true", help=_("allow plain HTTP off loopback (TLS proxy)")
    )
    web.add_argument(
        "--public-url",
        metavar=_("URL"),
        help=_("the address browsers open, behind a proxy (default: from --host and --port)"),
    )
    # The console's options, also after `web`; absent here, the ones before `web` stand.
    mode = web.add_mutually_exclusive_group()
    keep = argparse.SUPPRESS
    mode.add_argument(
        "--demo",
        action="store_true",
        default=keep,
        help=_("use the embedded simulator and skip the setup screen"),
    )
    mode.add_argument(
        "--backend",
        default=keep,
        metavar=_("NAME"),
        help=_("use this backend (see: tws-tui backends)"),
    )
    web.add_argument(
        "--lang", choices=list(LANGUAGES), default=keep, help=_("display language for this run")
    )
    web.add_argument(
        "--log-level",
        choices=list(logs.LEVELS),
        type=str.lower,
        default=keep,
        help=_("detail of the log file for this run"),
    )
    web.add_argument(
        "--seed",
        type=int,
        default=keep,
        metavar="N",
        help=_("seed of the simulated company and its traffic"),
    )


def console_command(args: argparse.Namespace, python: str = sys.executable) -> str:
    """The shell command each browser session runs: this ``tws-tui`` with the console's
    options of ``args`` (textual-serve runs it through the shell)."""
    import shlex

    command = [python, "-m", "tws_tui"]
    if args.demo:
        command.append("--demo")
    elif args.backend:
        command += ["--backend", args.backend]
    if args.config:
        command += ["--config", str(Path(args.config).expanduser().absolute())]
    if args.lang:
        command += ["--lang", args.lang]
    if args.log_level:
        command += ["--log-level", args.log_level]
    if args.seed is not None:
        command += ["--seed", str(args.seed)]
    return shlex.join(command)


def check_address(
    host: str, port: int, *, certfile: str | None, keyfile: str | None, allow_http: bool
) -> None:
    """Refuse what ``tws-tui web`` must not do, in one sentence (:class:`WebError`)."""
    from tws_tui.wire.transport import is_loopback

    if port not in PORTS:
        raise WebError(_("--port must be between 1 and 65535, not {port}").format(port=port))
    if bool(certfile) != bool(keyfile):
        raise WebError(_("give both --certfile and --keyfile for HTTPS"))
    if not certfile and not is_loopback(host) and not allow_http:
        raise WebError(
            _(
                "refusing plain HTTP on {host}: the console, its calls and contacts would cross"
                " the network in clear; give --certfile and --keyfile, or --allow-http behind a"
                " TLS proxy"
            ).format(host=host)
        )


def public_url(host: str, port: int, *, https: bool) -> str:
    """The address browsers open, from the listening address (a wildcard address is no
    address to open: the machine's name stands for it)."""
    import socket

    if host in ("", "0.0.0.0", "::", "[::]"):
        host = socket.getfqdn()
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    scheme = "https" if https else "http"
    default_port = 443 if https else 80
    return f"{scheme}://{host}" + ("" if port == default_port else f":{port}")


def missing_extra(error: ImportError) -> str:
    """What to do when the ``web`` extra is missing, from where tws-tui runs."""
    from tws_tui.platform.extras import install_hint

    return _(
        "the browser mode needs the 'web' extra (textual-serve), which is not installed"
        " ({missing}); {hint}"
    ).format(missing=error.name or error, hint=install_hint("web"))


def run_web(args: argparse.Namespace, backends: Collection[str]) -> None:
    """Serve until interrupted; a problem the user can fix raises :class:`WebError`.
    ``backends`` are the installed ones (a name given to ``--backend`` must be one)."""
    if args.backend and not args.demo and args.backend not in backends:
        raise WebError(
            _("unknown backend {name!r} — expected one of {choices}").format(
                name=args.backend, choices=", ".join(backends)
            )
        )
    check_address(
        args.host,
        args.port,
        certfile=args.certfile,
        keyfile=args.keyfile,
        allow_http=args.allow_http,
    )
    if args.public_url and not args.public_url.startswith(("http://", "https://")):
        raise WebError(
            _("--public-url must start with http:// or https://, not {url!r}").format(
                url=args.public_url
            )
        )
    try:
        from tws_tui.web.access import new_key
        from tws_tui.web.page import ConsoleServer, WebTlsError, tls_context
    except ImportError as error:
        raise WebError(missing_extra(error)) from None
    ssl_context = None
    if args.certfile:
        try:
            ssl_context = tls_context(args.certfile, args.keyfile)
        except WebTlsError as error:
            raise WebError(str(error)) from None
    url = args.public_url or public_url(args.host, args.port, https=ssl_context is not None)
    url = url.rstrip("/")
    server = ConsoleServer(
        console_command(args),
        host=args.host,
        port=args.port,
        public_url=url,
        key=new_key(),
        ssl_context=ssl_context,
    )
    try:
        server.serve()
    except OSError as error:
        raise WebError(
            _("cannot listen on {host} port {port}: {reason}").format(
                host=args.host, port=args.port, reason=error.strerror or error
            )
        ) from None
