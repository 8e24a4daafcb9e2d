"""A colleague's line state from an RFC 4235 dialog-info document (BLF).

Owns the reading of ``application/dialog-info+xml`` NOTIFY bodies: every ``<dialog>`` that is
not terminated, its ``<state>`` (trying, proceeding, early, confirmed) and ``direction``
(initiator: the colleague calls; recipient: the colleague is called), and the caller's
identity when the document gives it. One state for the tile:

* any dialog ringing at the colleague (early/proceeding as recipient) → ``ringing``, with who
  is calling (``<remote><identity>``: the number, and the name from its ``display``
  attribute when the PBX gives one — Asterisk does; Kamailio's ``pua_dialoginfo`` gives the
  address only) and, when the document gives them (Kamailio's
  ``pua_dialoginfo`` with ``include_callid``, ``include_tags`` and ``include_localremote``),
  the ringing dialog's ``call-id``, its ``local-tag`` (the colleague's) and ``remote-tag`` (the
  caller's) and the caller's ``<remote><target>``: what a directed pickup by ``Replaces``
  (RFC 3891) needs (:class:`RingingDialog`);
* else any confirmed dialog → ``talking``, with whom when the document says (``hold`` when
  every confirmed one's local target says ``+sip.rendering="no"``, RFC 4235 §4.1.6.2);
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
MAX_NAME = 64
#: A party of a dialog: its number (the user part of its identity) and its name, "" if none.
Who = tuple[str, str]


class DialogInfoError(ValueError):
    """Not a dialog-info document we can read."""


@dataclass(frozen=True)
class RingingDialog:
    """The early dialog of a call ringing at a colleague, as the colleague's side sees it."""

    call_id: str
    local_tag: str  # the colleague's tag
    remote_tag: str  # the caller's tag
    caller: str  # the caller's identity (an address of record), "" when not given
    caller_target: str  # the caller's Contact (``<remote><target uri>``), "" when not given

    def replaces(self) -> str:
        """The ``Replaces`` header value for an INVITE sent to the **caller** (RFC 3891 §3:
        ``to-tag`` is the recipient's own tag, ``from-tag`` the other side's), with
        ``early-only`` so an answered call is never taken away from the colleague."""
        return f"{self.call_id};to-tag={self.remote_tag};from-tag={self.local_tag};early-only"


@dataclass(frozen=True)
class LineInfo:
    state: str  # idle ringing dialing talking hold
    peer: str = ""  # who calls (ringing) or is talked to, when the document says
    peer_name: str = ""  # that party's name (``<identity display="…">``), when given
    ringing: RingingDialog | None = None  # the ringing dialog, when the document names it


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
    ringing: list[tuple[Who, RingingDialog | None]] = []
    talking: list[tuple[Who, bool]] = []
    dialing: list[Who] = []
    for dialog in root.iter(f"{NS}dialog"):
        state = _text(dialog.find(f"{NS}state")).lower()
        direction = dialog.get("direction", "")
        identity = dialog.find(f"{NS}remote/{NS}identity")
        peer = (_user(_text(identity)), _display(identity))
        if state in _RINGING and direction == "recipient":
            ringing.append((peer, _ringing_dialog(dialog)))
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
        return LineInfo("ringing", *ringing[0][0], ringing=ringing[0][1])
    if talking:
        live = [peer for peer, held in talking if not held]
        return LineInfo("talking", *live[0]) if live else LineInfo("hold", *talking[0][0])
    if dialing:
        return LineInfo("dialing", *dialing[0])
    return LineInfo("idle")


def _display(identity: ET.Element | None) -> str:
    """The ``display`` attribute of an ``<identity>`` (RFC 4235 §4.1.6.1), cleaned of
    control characters and kept short: a name for a tile, never markup or a long paste."""
    if identity is None:
        return ""
    name = "".join(c for c in identity.get("display", "") if c.isprintable())
    return " ".join(name.split())[:MAX_NAME]


def _ringing_dialog(dialog: ET.Element) -> RingingDialog | None:
    call_id = dialog.get("call-id", "").strip()
    local, remote = dialog.get("local-tag", "").strip(), dialog.get("remote-tag", "").strip()
    if not (call_id and local and remote) or any(
        c in value for value in (call_id, local, remote) for c in ';,<>"\r\n '
    ):
        return None
    target = dialog.find(f"{NS}remote/{NS}target")
    return RingingDialog(
        call_id=call_id,
        local_tag=local,
        remote_tag=remote,
        caller=_text(dialog.find(f"{NS}remote/{NS}identity")).strip("<>"),
        caller_target=(target.get("uri", "") if target is not None else "").strip(),
    )
