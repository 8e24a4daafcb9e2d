"""Options of the ``sip`` backend: from the ``[backend.sip]`` mapping to a :class:`UaConfig`.

Owns validation: every bad value raises :class:`~tws_tui.backends.BackendConfigError` naming
the option and what was expected. Unknown options are ignored (one configuration serves
several backends).

Options: ``server`` (required), ``port`` (5060), ``transport`` (``udp``; ``tcp``/``tls`` are
refused: pyVoIP and this layer are UDP only), ``username`` (required), ``auth_user``
(default: username), ``password`` (from the secret store, passed by the app),
``display_name``, ``local_ip`` (default: the address that routes to the server),
``local_port`` (0: any free port), ``rtp_ports`` (``"low-high"`` or ``""``: any),
``codecs`` (``"PCMU,PCMA"`` or a list, in preference order), ``audio_device`` (``""``:
none, ``"auto"``, ``"default"``, a device name or number, ``"wav:IN.wav[,OUT.wav]"``),
``register_expires`` (600 s), ``reject_code`` (486 or 603: what refusing a ringing call
sends), ``recordings_dir`` (where call recordings go; default: the data directory).
Programmatic only: ``audio`` (an ``AudioBackend`` object), ``sip_t1`` (RFC 3261 T1 in
seconds, 0.5; tests shorten timeouts with it), ``register`` (bool, True).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tws_tui.backends import BackendConfigError, option_bool, option_int, option_str
from tws_tui.backends.sip.call_state import UaConfig
from tws_tui.backends.sip.sdp import CODECS

NAME = "sip"
_USER_CHARS = set(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!~*'()&=+$,;?/%#"
)


def _fail(key: str, expected: str, value: object) -> BackendConfigError:
    return BackendConfigError(f"sip backend: option {key!r} must be {expected}, got {value!r}")


def parse_options(options: Mapping[str, Any]) -> tuple[UaConfig, str]:
    """(user-agent configuration, audio device spec)."""
    if not options.get("server"):
        raise _fail("server", "the SIP server's host name or address", options.get("server"))
    server = option_str(options, "server", "", NAME).strip()
    if any(c in server for c in " /@;<>") or server.startswith(("sip:", "sips:")):
        raise _fail("server", "a host name or IP address such as 'pbx.example.com'", server)
    port = option_int(options, "port", 5060, NAME)
    if not 1 <= port <= 65535:
        raise _fail("port", "a port number from 1 to 65535", port)
    transport = option_str(options, "transport", "udp", NAME).lower()
    if transport != "udp":
        raise _fail(
            "transport", "'udp' (tcp and tls are not supported by the sip backend)", transport
        )
    if not options.get("username"):
        raise _fail("username", "the SIP user name (the extension)", options.get("username"))
    user = option_str(options, "username", "", NAME)
    auth_user = str(options.get("auth_user") or user)
    for key, value in (("username", user), ("auth_user", auth_user)):
        if not set(value) <= _USER_CHARS:
            raise _fail(key, "a SIP user name without spaces, '@' or ':'", value)
    password = options.get("password") or ""
    if not isinstance(password, str):
        raise _fail("password", "text", "***")
    display = options.get("display_name") or ""
    if not isinstance(display, str) or '"' in display:
        raise _fail("display_name", "text without double quotes", display)
    local_ip = str(options.get("local_ip") or "")
    if local_ip:
        try:
            ipaddress.IPv4Address(local_ip)
        except ValueError:
            raise _fail("local_ip", "an IPv4 address such as '192.0.2.10'", local_ip) from None
    local_port = option_int(options, "local_port", 0, NAME)
    if not 0 <= local_port <= 65535:
        raise _fail("local_port", "a port number from 0 (any) to 65535", local_port)
    low, high = _rtp_ports(options.get("rtp_ports", ""))
    expires = option_int(options, "register_expires", 600, NAME)
    if not 1 <= expires <= 86400:
        raise _fail("register_expires", "seconds from 1 to 86400", expires)
    reject = option_int(options, "reject_code", 486, NAME)
    if reject not in (486, 603):
        raise _fail("reject_code", "486 (busy) or 603 (decline)", reject)
    t1 = options.get("sip_t1", 0.5)
    if isinstance(t1, bool) or not isinstance(t1, int | float) or not 0.01 <= t1 <= 5:
        raise _fail("sip_t1", "seconds from 0.01 to 5", t1)
    audio = options.get("audio_device", "")
    if not isinstance(audio, str | int) or isinstance(audio, bool):
        raise _fail("audio_device", "'', 'auto', 'default', a device name or 'wav:FILE'", audio)
    rec = options.get("recordings_dir") or ""
    if not isinstance(rec, str | Path):
        raise _fail("recordings_dir", "a directory path", rec)
    config = UaConfig(
        server=server,
        port=port,
        user=user,
        password=password,
        auth_user=auth_user,
        display_name=display,
        local_ip=local_ip,
        local_port=local_port,
        codecs=_codecs(options.get("codecs", "PCMU,PCMA")),
        register_expires=expires,
        register=option_bool(options, "register", True, NAME),
        t1=float(t1),
        rtp_port_low=low,
        rtp_port_high=high,
        reject_code=reject,
        recordings_dir=Path(rec) if rec else None,
    )
    return config, str(audio)


def _codecs(raw: object) -> list[int]:
    items = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple):
        raise _fail("codecs", "a list of codec names such as 'PCMU,PCMA'", raw)
    out: list[int] = []
    for item in items:
        name = str(item).strip().upper()
        if name in ("G711U", "ULAW"):
            name = "PCMU"
        if name in ("G711A", "ALAW"):
            name = "PCMA"
        if name not in CODECS:
            raise _fail("codecs", "codec names among PCMU, PCMA", raw)
        if CODECS[name] not in out:
            out.append(CODECS[name])
    if not out:
        raise _fail("codecs", "at least one codec among PCMU, PCMA", raw)
    return out


def _rtp_ports(raw: object) -> tuple[int, int]:
    if raw in ("", None):
        return 0, 0
    text = str(raw).replace(" ", "")
    low, sep, high = text.partition("-")
    if not (sep and low.isdigit() and high.isdigit()):
        raise _fail("rtp_ports", "a range such as '30000-30100'", raw)
    lo, hi = int(low), int(high)
    if not 1024 <= lo < hi <= 65535:
        raise _fail("rtp_ports", "a range within 1024-65535 with low < high", raw)
    return lo, hi
