"""Presence documents (PIDF, RFC 3863, with RPID activities, RFC 4480): read and written.

Owns the mapping between the console's four presence states and PIDF:

* reading a colleague's document (:func:`presence_of`): no open tuple → *offline*; an open
  one with the RPID activity ``away``/``vacation``/``holiday``/``sleeping`` → *away*,
  ``busy``/``on-the-phone``/``meeting``/``appointment``/``permanent-absence`` excepted →
  *busy*, else *available*; the first ``<note>`` kept as the note;
* writing ours for PUBLISH (:func:`document`): basic open (closed for *offline*), the RPID
  activity for *away* and *busy*, the note escaped.

Parsed by the standard library's expat like :mod:`.dialog_info`: no document type, 64 KB
at most, the right root, or :class:`PidfError`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from xml.sax.saxutils import escape

PIDF = "{urn:ietf:params:xml:ns:pidf}"
RPID = "{urn:ietf:params:xml:ns:pidf:rpid}"
CONTENT_TYPE = "application/pidf+xml"
MAX_BODY = 65536
_AWAY = frozenset({"away", "vacation", "holiday", "sleeping", "permanent-absence"})
_BUSY = frozenset({"busy", "on-the-phone", "meeting", "appointment", "performance"})


class PidfError(ValueError):
    """Not a presence document we can read."""


@dataclass(frozen=True)
class PresenceInfo:
    state: str  # available away busy offline (tws_tui.core.model.PresenceState values)
    note: str = ""


def presence_of(body: bytes) -> PresenceInfo:
    if len(body) > MAX_BODY or b"<!DOCTYPE" in body.upper():
        raise PidfError("presence document too large or with a document type")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as error:
        raise PidfError(f"bad PIDF XML: {error}") from None
    if root.tag != f"{PIDF}presence":
        raise PidfError(f"not a PIDF document ({root.tag[:60]})")
    note = next((n.text.strip() for n in root.iter(f"{PIDF}note") if n.text), "")
    basics = [(b.text or "").strip().lower() for b in root.iter(f"{PIDF}basic")]
    if "open" not in basics:
        return PresenceInfo("offline", note)
    activities = {
        child.tag.removeprefix(RPID)
        for act in root.iter(f"{RPID}activities")
        for child in act
        if child.tag.startswith(RPID)
    }
    if activities & _AWAY:
        return PresenceInfo("away", note)
    if activities & _BUSY:
        return PresenceInfo("busy", note)
    return PresenceInfo("available", note)


def document(entity: str, state: str, note: str = "") -> bytes:
    """Our PIDF for PUBLISH: ``entity`` is our AOR, ``state`` a PresenceState value."""
    basic = "closed" if state == "offline" else "open"
    activity = {"away": "<rpid:away/>", "busy": "<rpid:busy/>"}.get(state, "")
    person = (
        f'<dm:person id="p1"><rpid:activities>{activity}</rpid:activities></dm:person>'
        if activity
        else ""
    )
    text = f"<note>{escape(note)}</note>" if note else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<presence xmlns="urn:ietf:params:xml:ns:pidf" '
        'xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" '
        'xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" '
        f'entity="{escape(entity, {chr(34): "&quot;"})}">'
        f'<tuple id="t1"><status><basic>{basic}</basic></status>{text}</tuple>'
        f"{person}</presence>"
    ).encode()
