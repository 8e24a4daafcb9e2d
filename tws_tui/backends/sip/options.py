"""Options of the ``sip`` backend: from the ``[backend.sip]`` mapping to a :class:`UaConfig`.

Owns validation: every bad value raises :class:`~tws_tui.backends.BackendConfigError` naming
the option and what was expected. Unknown options are ignored (one configuration serves
several backends).

The options a settings file may set (names, types, defaults, ranges, choices, docs) are
declared once in :mod:`tws_tui.backends.sip_options` and checked here with
:func:`~tws_tui.backends.declared.parse_declared`, the rules the settings layer applies to
``[backend.sip]`` (``transport`` is ``udp``, ``tcp`` or ``tls``; ``reject_code`` is 486 or
603; the shapes of ``server``, ``username``, ``local_ip``, ``rtp_ports``...). On top of them
this module requires ``server`` and ``username`` and checks what a declaration cannot say: an
IPv4 ``local_ip``'s numbers, the ``rtp_ports`` bounds (``"low-high"`` within 1024-65535, or
``""``: any), codec names, that ``ca_bundle`` is a file, the ``park_slots`` ranges, and that
``pickup`` has what it needs, and reads ``voicemail_keys`` into a
:class:`~tws_tui.core.model.VoicemailMenu` (an action named twice is refused).
Programmatic only: ``password`` (from the secret store, passed by the app), ``audio`` (an
``AudioBackend`` object), ``sip_t1`` (RFC 3261 T1 in seconds, 0.5; tests shorten timeouts
with it), ``register`` (bool, True), ``blf_retry`` (seconds before a refused BLF
subscription is tried again, 30), ``dns_server`` (``"address:port"`` of the DNS server the
RFC 3263 look-up asks instead of the system's).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tws_tui.backends import BackendConfigError, bad_option, option_bool
from tws_tui.backends.declared import parse_declared
from tws_tui.backends.sip.call_state import UaConfig
from tws_tui.backends.sip.sdp import CODECS
from tws_tui.backends.sip_options import (
    OPTIONS,
    VOICEMAIL_ACTIONS,
    VOICEMAIL_KEYS,
    VOICEMAIL_MAP,
)
from tws_tui.core.errors import N_
from tws_tui.core.model import VoicemailMenu

NAME = "sip"
_EXTENSION = re.compile(r"^[A-Za-z0-9*#+._-]{1,32}$")


def _fail(key: str, expected: str, value: object) -> BackendConfigError:
    """``expected`` is an English msgid (``N_``), translated where the error is shown."""
    return bad_option(NAME, key, expected, value)


def parse_options(options: Mapping[str, Any]) -> tuple[UaConfig, str]:
    """(user-agent configuration, audio device spec)."""
    if not options.get("server"):
        raise _fail("server", N_("the SIP server's host name or address"), options.get("server"))
    if not options.get("username"):
        raise _fail("username", N_("the SIP user name (the extension)"), options.get("username"))
    declared = parse_declared(OPTIONS, options, NAME)
    server = declared["server"].strip()
    port, local_port = declared["port"], declared["local_port"]
    user = declared["username"]
    auth_user = declared["auth_user"] or user
    password = options.get("password") or ""
    if not isinstance(password, str):
        raise _fail("password", N_("text"), "***")
    display = declared["display_name"]
    local_ip = declared["local_ip"]
    if local_ip:
        try:
            ipaddress.IPv4Address(local_ip)
        except ValueError:
            raise _fail("local_ip", N_("an IPv4 address such as '192.0.2.10'"), local_ip) from None
    low, high = _rtp_ports(declared["rtp_ports"])
    expires, reject = declared["register_expires"], declared["reject_code"]
    t1 = options.get("sip_t1", 0.5)
    if isinstance(t1, bool) or not isinstance(t1, int | float) or not 0.01 <= t1 <= 5:
        raise _fail("sip_t1", N_("seconds from 0.01 to 5"), t1)
    audio = declared["audio_device"]
    rec = declared["recordings_dir"]
    ca = declared["ca_bundle"].strip()
    if ca and not Path(ca).expanduser().is_file():
        raise _fail("ca_bundle", N_("a PEM file of certificate authorities that exists"), ca)
    config = UaConfig(
        server=server,
        transport=declared["transport"],
        nameserver=_nameserver(options.get("dns_server", "")),
        ca_bundle=Path(ca).expanduser() if ca else None,
        port=port,
        user=user,
        password=password,
        auth_user=auth_user,
        display_name=display,
        local_ip=local_ip,
        local_port=local_port,
        codecs=_codecs(declared["codecs"]),
        register_expires=expires,
        keepalive=float(declared["keepalive"]),
        register=option_bool(options, "register", True, NAME),
        t1=float(t1),
        rtp_port_low=low,
        rtp_port_high=high,
        reject_code=reject,
        recordings_dir=Path(rec) if rec else None,
        trusted_hosts=_hosts(declared["trusted_hosts"]),
        blf=_extensions(declared["blf"]),
        park_slots=_slots(declared["park_slots"]),
        park_retrieve_code=declared["park_retrieve_code"].strip(),
        presence=bool(declared["presence"]),
        pickup_code=declared["pickup_code"].strip(),
        mwi=declared["mwi"].strip(),
        pickup=_pickup(declared["pickup"], declared["pickup_code"].strip(), declared["blf"]),
        blf_retry=_retry(options.get("blf_retry", 30.0)),
        voicemail_menu=voicemail_menu(declared["voicemail_keys"]),
    )
    return config, str(audio)


def _menu_map(text: str) -> dict[str, str]:
    """``"play=1, pause=0"`` -> ``{"play": "1", "pause": "0"}``; None for a bad entry."""
    found: dict[str, str] = {}
    for item in text.split(","):
        name, sep, digits = item.partition("=")
        name, digits = name.strip(), digits.strip()
        if not item.strip():
            continue
        if (
            not sep
            or name not in VOICEMAIL_ACTIONS
            or name in found
            or not re.fullmatch(r"[0-9*#]{1,4}", digits)
        ):
            raise _fail("voicemail_keys", VOICEMAIL_MAP, text)
        found[name] = digits
    return found


def voicemail_menu(raw: object) -> VoicemailMenu:
    """``voicemail_keys`` over the defaults (Asterisk's VoiceMailMain, ``sip_options``)."""
    if not isinstance(raw, str):
        raise _fail("voicemail_keys", VOICEMAIL_MAP, raw)
    keys = _menu_map(VOICEMAIL_KEYS) | _menu_map(raw)
    return VoicemailMenu(**keys)


def _codecs(raw: object) -> list[int]:
    items = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple):
        raise _fail("codecs", N_("a list of codec names such as 'PCMU,PCMA'"), raw)
    out: list[int] = []
    for item in items:
        name = str(item).strip().upper()
        if name in ("G711U", "ULAW"):
            name = "PCMU"
        if name in ("G711A", "ALAW"):
            name = "PCMA"
        if name not in CODECS:
            raise _fail("codecs", N_("codec names among PCMU, PCMA"), raw)
        if CODECS[name] not in out:
            out.append(CODECS[name])
    if not out:
        raise _fail("codecs", N_("at least one codec among PCMU, PCMA"), raw)
    return out


def _hosts(raw: object) -> tuple[str, ...]:
    items = raw.replace(",", " ").split() if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise _fail("trusted_hosts", N_("host names or addresses, or '*'"), raw)
    return tuple(str(item).strip() for item in items if str(item).strip())


def _pickup(way: str, code: str, blf: object) -> str:
    """``replaces`` needs colleagues watched (``blf``: their dialogs name the ringing call),
    ``code`` needs ``pickup_code``."""
    if way == "replaces" and not _extensions(blf):
        raise _fail("pickup", N_("'code' or 'auto' when blf names no colleague"), way)
    if way == "code" and not code:
        raise _fail("pickup", N_("'replaces' or 'auto' when pickup_code is empty"), way)
    return way


def _nameserver(raw: object) -> str:
    """``dns_server`` (programmatic): ``"address:port"`` of the DNS server RFC 3263 asks."""
    host, _, port = str(raw).rpartition(":")
    if raw == "":
        return ""
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        raise _fail(
            "dns_server", N_("an IPv4 address and port such as '127.0.0.1:53'"), raw
        ) from None
    if not port.isdigit() or not 0 < int(port) <= 65535:
        raise _fail("dns_server", N_("an IPv4 address and port such as '127.0.0.1:53'"), raw)
    return str(raw)


def _slots(raw: object) -> tuple[str, ...]:
    """Parking spaces: extensions, or ranges of digits such as ``701-710`` (100 at most)."""
    items = raw.replace(",", " ").split() if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple):
        raise _fail("park_slots", N_("parking spaces such as '701-710' or '701,702'"), raw)
    slots: list[str] = []
    for item in items:
        low, sep, high = str(item).strip().partition("-")
        if sep and low.isdigit() and high.isdigit() and int(low) <= int(high):
            if int(high) - int(low) >= 100 or len(low) != len(high):
                raise _fail(
                    "park_slots", N_("ranges of at most 100 spaces, such as '701-710'"), raw
                )
            slots += [str(n).zfill(len(low)) for n in range(int(low), int(high) + 1)]
        elif not sep and _EXTENSION.match(low):
            slots.append(low)
        else:
            raise _fail("park_slots", N_("parking spaces such as '701-710' or '701,702'"), raw)
    return tuple(dict.fromkeys(slots))


def _retry(raw: object) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0.1 <= raw <= 3600:
        raise _fail("blf_retry", N_("seconds from 0.1 to 3600"), raw)
    return float(raw)


def _extensions(raw: object) -> tuple[str, ...]:
    items = raw.replace(",", " ").split() if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple) or not all(
        isinstance(i, str | int) and _EXTENSION.match(str(i).strip()) for i in items
    ):
        raise _fail("blf", N_("extensions such as '201,202'"), raw)
    return tuple(dict.fromkeys(str(item).strip() for item in items))


def _rtp_ports(raw: object) -> tuple[int, int]:
    if raw in ("", None):
        return 0, 0
    text = str(raw).replace(" ", "")
    low, sep, high = text.partition("-")
    if not (sep and low.isdigit() and high.isdigit()):
        raise _fail("rtp_ports", N_("a range such as '30000-30100'"), raw)
    lo, hi = int(low), int(high)
    if not 1024 <= lo < hi <= 65535:
        raise _fail("rtp_ports", N_("a range within 1024-65535 with low < high"), raw)
    return lo, hi
