"""Which CTI server addresses may be spoken to in plain HTTP: loopback only, unless allowed.

Owns :func:`is_loopback`, the one rule the reference server (``tws-tui serve`` refuses to listen
in clear off loopback without ``--allow-http``) and the cti client (it refuses an ``http://``
server that is not this machine without ``allow_http = true``) share: bearer tokens and
passwords must not cross a network in clear.
"""

from __future__ import annotations

import ipaddress


def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback address (127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
