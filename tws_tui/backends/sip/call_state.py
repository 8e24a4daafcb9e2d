"""What the SIP user agent keeps and reports: its configuration, one record per call leg, the
listener it reports to, and the mapping of SIP failure codes to CSTA causes.

Owns data only (no I/O): :class:`UaConfig` (built from the ``[backend.sip]`` options by
:mod:`.options`), :class:`SipCall` (one dialog: tags, URIs, route set, CSeqs, the RTP stream,
hold flags, transfer and conference links), :class:`Listener` (what the backend implements to
hear from the user agent, called on the SIP thread), :class:`SipError` and :func:`cause_for`.
pyVoIP's ``VoIPCall`` is not used: it has four states and no callbacks (study defect #12), and
its call object disappears when the app's callback thread returns.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from tws_tui.backends.sip.addresses import NameAddr, SipUri
from tws_tui.backends.sip.dialog_info import LineInfo
from tws_tui.backends.sip.media import RtpStream
from tws_tui.backends.sip.message import SipMessage
from tws_tui.backends.sip.pidf import PresenceInfo
from tws_tui.backends.sip.transactions import Address
from tws_tui.core.model import VoicemailMenu


@dataclass
class UaConfig:
    server: str
    port: int
    user: str
    password: str = ""
    transport: str = "udp"  # udp, tcp or tls (RFC 3261 §18)
    nameserver: str = ""  # "host:port" of the DNS server to ask (tests); "": the system's
    ca_bundle: Path | None = None  # the CAs trusted for the TLS server; None: the system's
    auth_user: str = ""
    display_name: str = ""
    local_ip: str = ""
    local_port: int = 0
    codecs: list[int] = field(default_factory=lambda: [0, 8])
    register_expires: int = 600
    keepalive: float = 8.0  # seconds between OPTIONS to our own AOR; 0: none
    register: bool = True
    t1: float = 0.5
    rtp_port_low: int = 0
    rtp_port_high: int = 0
    reject_code: int = 486
    recordings_dir: Path | None = None
    #: Who may send requests outside a dialog (INVITE, MESSAGE…) besides the server;
    #: ``("*",)``: anyone.
    trusted_hosts: tuple[str, ...] = ()
    blf: tuple[str, ...] = ()  # extensions whose line state is subscribed to (BLF)
    pickup_code: str = ""  # the PBX's directed pickup prefix, e.g. "*8" (+ the extension)
    pickup: str = "auto"  # "replaces" (RFC 3891 from BLF), "code" (pickup_code), "auto": either
    park_slots: tuple[str, ...] = ()  # the PBX's parking spaces (a transfer there parks)
    park_retrieve_code: str = ""  # dialled before a space to take its call back
    presence: bool = False  # also watch the blf colleagues' presence, publish ours
    blf_retry: float = 30.0  # seconds before a refused or lost subscription is tried again
    #: The mailbox to SUBSCRIBE to for message-waiting (RFC 3842; "": none, unsolicited
    #: NOTIFYs are read all the same).
    mwi: str = ""
    #: The voicemail menu's digits (``voicemail_keys``); None: Asterisk's defaults.
    voicemail_menu: VoicemailMenu | None = None


class Listener(Protocol):
    def link_changed(self, status: str, detail: str, retry_in: float | None) -> None: ...
    def call_changed(self, call: SipCall, kind: str, cause: str) -> None: ...
    def message_received(self, peer: str, name: str, text: str) -> None: ...
    def transfer_progress(self, call: SipCall, status: int, reason: str) -> None: ...
    def line_changed(self, extension: str, line: LineInfo | None) -> None: ...
    def presence_changed(self, extension: str, presence: PresenceInfo | None) -> None: ...
    def voicemail_changed(self, new: int, old: int) -> None:
        """My mailbox's counts (message-waiting indication, RFC 3842)."""
        ...


class SipError(Exception):
    """A request was answered with a failure (``status``) or not at all (408)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"{status} {reason}")
        self.status = status
        self.reason = reason


def cause_for(status: int) -> str:
    """Final failure code → CSTA cause (``tws_tui.core.model.Cause`` values)."""
    if status in (486, 600, 603):
        return "busy"
    if status in (408, 480):
        return "callNotAnswered"
    if status == 487:
        return "callCancelled"
    if 300 <= status < 400:
        return "redirected"
    if status in (404, 410, 484, 485, 604, 403, 488, 606, 416, 420):
        return "destNotObtainable"
    if 500 <= status < 600:
        return "networkCongestion"
    if 600 <= status < 700:
        return "busy"
    return "destNotObtainable"


@dataclass(eq=False)
class SipCall:
    """One call leg (dialog) as the user agent keeps it."""

    id: str
    direction: str  # "inbound" | "outbound"
    remote: NameAddr
    call_id: str
    local_tag: str
    local: NameAddr
    state: str = "initiated"  # initiated alerting connected hold fail null (CSTA words)
    remote_state: str | None = None
    remote_tag: str = ""
    remote_target: SipUri | None = None
    route_set: list[str] = field(default_factory=list)
    local_cseq: int = 0
    remote_cseq: int = 0
    invite: SipMessage | None = None  # the initial INVITE (ours or theirs)
    stream: RtpStream | None = None
    sdp_version: int = 1
    held: bool = False  # we hold it
    remote_held: bool = False  # the far end holds us
    cancelling: bool = False
    created_at: float = field(default_factory=time.time)
    answered_at: float | None = None
    cause: str = "unknown"
    status_text: str = ""
    dtmf_sent: str = ""
    dtmf_received: str = ""
    recording: Path | None = None
    consult_of: str | None = None
    conference: list[SipCall] = field(default_factory=list)
    reinvite_busy: bool = False
    refer_waiter: asyncio.Future[tuple[int, str]] | None = None
    last_ack: tuple[bytes, Address, int] | None = None  # (datagram, destination, CSeq)
    late_offer: bool = False
    destination: str = ""
    provisional: bool = False
    cancel_pending: bool = False
    #: On a pickup dialled by code because the caller's phone refused Replaces: its answer.
    pickup_fallback: str = ""
