"""What a bad datagram gets: a 400 (or 505) when it can be answered, one log line, no more.

Owns the endpoint's defences against malformed or unwanted traffic (issue 19, "defects found
by flooding it"):

* :func:`refusal`: for a request :func:`.message.parse` refused, the response RFC 3261 asks
  for when one can be sent (§8.2.2, §18.3, §21.5.6): ``400 Bad Request`` with the reason, or
  ``505 Version Not Supported`` for another SIP version; built from the datagram's own Via,
  From, To, Call-ID and CSeq, each checked (a Via whose port is out of range or whose host
  holds a NUL is not answered at all), and addressed to the datagram's source (RFC 3581),
  never to a name that would need a DNS lookup. An ACK, a response or a datagram without
  those headers is only dropped;
* :class:`Throttle`: the log of what was dropped or refused, a few lines per window and then
  one line saying how many more, so a flood cannot fill the log (no traceback either);
* :func:`trusted_source`: whether a request that does not belong to a dialog may come from
  an address (the registrar's and the configured ``trusted_hosts``), so that INVITEs sent
  straight to the phone's port by anyone do not ring the console (defect 5).
"""

from __future__ import annotations

import logging
import re
import time

from tws_tui.backends.sip.addresses import SipParseError, split_list
from tws_tui.backends.sip.message import COMPACT, Draft, checked_params, sent_by

log = logging.getLogger("tws_tui.backends.sip.endpoint")

_START = re.compile(r"^([A-Za-z0-9.!%*_+`'~-]+) (\S+) (SIP/\d+\.\d+)$", re.IGNORECASE)
_VIA = re.compile(r"^SIP\s*/\s*2\.0\s*/\s*([A-Za-z0-9]+)\s+([^;\s]+)\s*(.*)$", re.IGNORECASE)
_UNSAFE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_COPIED = ("via", "from", "to", "call-id", "cseq")


def _clean(text: str, limit: int = 80) -> str:
    """Printable ASCII only (a reason phrase or a log line made from peer input)."""
    return "".join(c if " " <= c <= "~" else "?" for c in text)[:limit]


def refusal(data: bytes, error: str, source: tuple[str, int]) -> tuple[bytes, int] | None:
    """The 400/505 answer to a malformed request, or ``None`` when it cannot be answered.

    Returns the response bytes and its status code; the response goes to ``source``."""
    head = data.lstrip(b"\r\n").split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    lines = head.decode("utf-8", errors="replace").replace("\r\n", "\n").split("\n")
    match = _START.match(" ".join(lines[0].split()))
    if match is None or match.group(1) == "ACK":
        return None  # a response or garbage is only dropped; an ACK is never answered
    fields: dict[str, list[str]] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        name = COMPACT.get(name.strip().lower(), name.strip().lower())
        if colon and name in _COPIED:
            if _UNSAFE.search(value):
                return None  # not echoed back: a NUL or a line break in a copied header
            values = split_list(value) if name == "via" else [value.strip()]
            fields.setdefault(name, []).extend(values)
    if any(not fields.get(name) or not fields[name][0] for name in _COPIED):
        return None
    via = _VIA.match(fields["via"][0])
    if via is None:
        return None
    host, _, port = via.group(2).partition(":")
    try:
        sent_by(host, port or "5060")
        params = {}
        for part in via.group(3).split(";"):
            key, _, value = part.strip().partition("=")
            if key:
                params[key.lower()] = value.strip().strip('"')
        checked_params(params)
    except SipParseError:
        return None
    other_version = match.group(3).upper() != "SIP/2.0"
    status = 505 if other_version else 400
    reason = "Version Not Supported" if other_version else f"Bad Request ({_clean(error, 60)})"
    answer = Draft(status=status, reason=reason)
    for name in _COPIED:
        for value in fields[name]:
            answer.add(name, value)
    answer.add("server", "tws-tui")
    return answer.to_bytes(), status


def trusted_source(ip: str, trusted: frozenset[str]) -> bool:
    """May a request outside any dialog come from ``ip``? Anything goes when ``trusted``
    is empty (``trusted_hosts = ["*"]``)."""
    return not trusted or ip in trusted


class Throttle:
    """Logs at most ``burst`` lines per ``window`` seconds, then one line with the count of
    the lines it kept back."""

    def __init__(self, burst: int = 5, window: float = 10.0) -> None:
        self.burst = burst
        self.window = window
        self._start = -window
        self._logged = 0
        self._held = 0

    def note(self, message: str, *args: object) -> bool:
        """Log ``message`` unless this window's lines are used up; True when logged."""
        now = time.monotonic()
        if now - self._start >= self.window:
            if self._held:
                log.info("%d more malformed or unwanted datagrams dropped", self._held)
            self._start, self._logged, self._held = now, 0, 0
        if self._logged < self.burst:
            self._logged += 1
            log.info(message, *(_clean(str(a), 120) for a in args))
            return True
        self._held += 1
        return False


__all__ = ["Throttle", "refusal", "trusted_source"]
