"""A colleague's line state from an RFC 4235 dialog-info document (BLF).

Owns the reading of ``application/dialog-info+xml`` NOTIFY bodies: every ``<dialog>`` that is
not terminated, its ``<state>`` (trying, proceeding, early, confirmed) and ``direction``
(initiator: the colleague calls; recipient: the colleague is called), and the caller's
identity when the document gives it. One state for the tile:

* any dialog ringing at the colleague (early/proceeding as recipient) → ``ringing``, with who
  is calling (``<remote><identity>``);
* else any confirmed dialog → ``talking`` (``hold`` when every confirmed one's local target
  says ``+sip.rendering="no"``, RFC 4235 §4.1.6.2);
* else a dialog being set up by the colleague → ``dialing``; else ``idle``.

The document is parsed by the standard library's expat (which refuses entity-expansion
bombs); a document type declaration, the wrong root or a body over 64 KB is refused with
:class:`DialogInfoError`, and the tile then says "unknown".
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

NS = "{urn:ietf:params:xml:ns:dialog-info}"
CONTENT_TYPE = "application/dialog-info+xml"
MAX_BODY = 65536
_RINGING = frozenset({"early", "proceeding"})
_SETUP = frozenset({"trying", "proceeding", "early"})


class DialogInfoError(ValueError):
    """Not a dialog-info document we can read."""


@dataclass(frozen=True)
class LineInfo:
    state: str  # idle ringing dialing talking hold
    peer: str = ""  # who calls (ringing) or is talked to, when the document says


def _text(node: ET.Element | None) -> str:
    return (node.text or "").strip() if node is not None else ""


def _user(identity: str) -> str:
    """``sip:1003@pbx`` → ``1003`` (the whole text when it is no SIP URI)."""
    uri = identity.strip().strip("<>")
    if uri.lower().startswith(("sip:", "sips:", "tel:")):
        uri = uri.split(":", 1)[1]
    return uri.split("@", 1)[0].split(";", 1)[0]


def line_info(body: bytes) -> LineInfo:
    """The tile's state from a dialog-info document (state="full" or "partial" read alike)."""
    if len(body) > MAX_BODY or b"<!DOCTYPE" in body.upper():
        raise DialogInfoError("dialog-info too large or with a document type")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as error:
        raise DialogInfoError(f"bad dialog-info XML: {error}") from None
    if root.tag != f"{NS}dialog-info":
        raise DialogInfoError(f"not a dialog-info document ({root.tag[:60]})")
    ringing: list[str] = []
    talking: list[tuple[str, bool]] = []
    dialing: list[str] = []
    for dialog in root.iter(f"{NS}dialog"):
        state = _text(dialog.find(f"{NS}state")).lower()
        direction = dialog.get("direction", "")
        peer = _user(_text(dialog.find(f"{NS}remote/{NS}identity")))
        if state in _RINGING and direction == "recipient":
            ringing.append(peer)
        elif state == "confirmed":
            target = dialog.find(f"{NS}local/{NS}target")
            held = target is not None and any(
                p.get("pname") == "+sip.rendering" and p.get("pval") == "no"
                for p in target.iter(f"{NS}param")
            )
            talking.append((peer, held))
        elif state in _SETUP:
            dialing.append(peer)
    if ringing:
        return LineInfo("ringing", ringing[0])
    if talking:
        live = [peer for peer, held in talking if not held]
        return LineInfo("talking", live[0]) if live else LineInfo("hold", talking[0][0])
    if dialing:
        return LineInfo("dialing", dialing[0])
    return LineInfo("idle")
