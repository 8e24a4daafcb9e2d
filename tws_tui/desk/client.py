"""The desk client: one request to this user's running console, its replies read back.

Blocking and small, for the ``tws-tui dial``, ``events`` and ``status`` commands (and any
Python script): :func:`ask` sends a request and returns the one reply; :func:`stream` yields
the replies of an ``events`` request until the console closes the stream. A refusal comes
back as a reply with ``"ok": false`` (see :mod:`tws_tui.desk.protocol`); no console running
is :class:`~tws_tui.desk.endpoint.NoConsole`.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from tws_tui.desk.endpoint import DeskUnavailable, connect
from tws_tui.desk.protocol import MAX_REPLY_BYTES, decode_line, encode_line
from tws_tui.platform.i18n import _


def _replies(sock: socket.socket) -> Iterator[dict[str, Any]]:
    with sock.makefile("rb") as lines:
        while True:
            try:
                line = lines.readline(MAX_REPLY_BYTES + 1)
            except TimeoutError:
                raise DeskUnavailable(_("The console did not answer in time.")) from None
            except OSError as error:
                raise DeskUnavailable(
                    _("The console closed the connection: {reason}.").format(
                        reason=error.strerror or error
                    )
                ) from None
            if not line:
                return
            if not line.endswith(b"\n"):
                raise DeskUnavailable(_("The console's reply was cut off."))
            yield decode_line(line)


def stream(
    request: Mapping[str, Any], path: Path | None = None, timeout: float | None = 10.0
) -> Iterator[dict[str, Any]]:
    """Send ``request``, then yield every reply line until the console closes the connection
    (``timeout``: the longest wait for the first reply; none after it)."""
    sock = connect(path, timeout)
    try:
        sock.sendall(encode_line(request))
        first = True
        for reply in _replies(sock):
            yield reply
            if first:
                sock.settimeout(None)
                first = False
    finally:
        sock.close()


def ask(
    request: Mapping[str, Any], path: Path | None = None, timeout: float | None = 30.0
) -> dict[str, Any]:
    """Send ``request`` and return its one reply."""
    for reply in stream(request, path, timeout):
        return reply
    raise DeskUnavailable(_("The console closed the connection without a reply."))
