"""The ``sip`` backend package: this terminal is a SIP softphone, pyVoIP 1.6.8 + our layer.

Imported only when the ``sip`` backend is chosen (never at console start-up). Built as the
study recommends (``research/pyvoip-study.md`` §6, option A): pyVoIP==1.6.8 pinned exactly,
its sound parts used as they are or subclassed where they are defective, and a
project-owned dialog layer for what it gets wrong or lacks.

**Taken from pyVoIP, on the live path** (imported only through :mod:`.upstream`):

* ``SIP.SIPMessage``: every datagram received, and every message we write, is parsed by it
  (:class:`.message.SipMessage` subclasses it): start line, version, ``SIPStatus``, the header
  dicts the user agent reads (Via branch/received/rport, From/To tags, CSeq, Call-ID,
  Content-Length) and the SDP dict; ``SIPStatus`` also gives our reason phrases;
* the SDP dict of ``SIPMessage.parse_body``, read by :func:`.sdp.media_of` for every offer and
  answer; ``RTP.TransmitType`` (directions), ``RTP.RTPProtocol`` (profile);
* ``RTP.RTPMessage``: every received RTP packet (:class:`.rtp.RtpPacket` subclasses it), with
  ``RTP.PayloadType`` for PCMU, PCMA and telephone-event (association table, codec numbers,
  names, clock rate).

**Patched** (subclass overrides, each said in its module): ``SIPMessage.parse`` dispatch and
framing, ``parse_raw_header``, ``parse_header`` (tags, CSeq, Content-Type), ``parse_raw_body``
(tolerant SDP, sipfrag, dtmf-relay) — defects #6 and #7; ``RTPMessage.parse`` (header
extension and padding left in the payload, short packets raising the wrong error); pyVoIP's
``debug`` (stdout → logging) and its import order (#12).

**Replaced, and why** (defect numbers of the study's table):

* ``SIPClient`` socket and receive loop → :mod:`.endpoint` (asyncio UDP, no 10 ms polling, no
  lock held across ``call()``: the 407 deadlock of #2; responses to the Via: #5, #8);
* ``SIPClient.register``/``gen_authorization`` → :mod:`.registration` and :mod:`.digest` (401
  **and** 407 with qop, the right digest URI, configurable expiry, retransmission, backoff:
  #2, #12's fixed Call-ID);
* ``VoIPPhone``/``VoIPCall`` and ``SIPClient``'s ``gen_*`` builders → :mod:`.dialogs`,
  :mod:`.outgoing_calls`, :mod:`.incoming_calls`, :mod:`.mid_call`, :mod:`.ua`: ACK for 2xx
  from the dialog (#1), 407 answered (#2), every final failure ends the call (#3), CANCEL → 200
  + 487 (#4), re-INVITE/UPDATE answered to the Via, mirrored, one RTP stream (#5), OPTIONS,
  INFO, NOTIFY, REFER, UPDATE, MESSAGE answered (#6), BYE with our Via and CSeq, Record-Route
  in our 2xx (#8), and what 1.6.8 lacks (#12): hold, blind and attended transfer, DTMF
  sending, our own CANCEL, state callbacks, a random Call-ID per call, RFC 3261 timers
  (:mod:`.transactions`);
* ``RTPClient``/``RTPPacketManager`` → :mod:`.media`, :mod:`.codec`, :mod:`.jitter`: PCMA
  encoded as PCMA (#9), one absolute 20 ms clock for all calls (#10), a 16-bit audio path
  (#11), a bounded jitter buffer instead of every packet kept for the whole call, one receive
  thread in ``select`` instead of two polling threads per call.

No datagram can stop the stack (issue 19): a Via whose port or ``rport`` is out of range or
whose host holds a NUL, a lying Content-Length, a bad CSeq, another SIP version, an SDP port
out of range or a non-IPv4 ``c=`` are refused by the parser (400/505/488 when they can be
answered, :mod:`.guard`), nothing unchecked reaches ``sendto``, responses go back to the
source (``received``/``rport``), host names are resolved off the SIP thread, and requests
outside a dialog are taken from the SIP server and ``trusted_hosts`` only.

Transports (RFC 3261 §18): UDP, or one TCP or TLS connection to the server
(:mod:`.stream`: framing by Content-Length, the TLS context checking the server's certificate
against ``ca_bundle``, RFC 5626 CRLF keep-alives); pyVoIP had UDP only (#12). The server is
located as RFC 3263 says (:mod:`.locate`: NAPTR, SRV, A through dnspython, in a worker
thread).

Still true of the result (#12): no NAT traversal beyond ``rport``/``received``, GPLv3
(pyVoIP's licence), and ``audioop-lts`` needed on Python ≥ 3.13.

Modules, each owning one thing: :mod:`.upstream` (the pyVoIP import), :mod:`.addresses` and
:mod:`.message` (wire format), :mod:`.guard` (what a bad datagram gets), :mod:`.sdp`,
:mod:`.digest`, :mod:`.transactions` (UDP timers), :mod:`.endpoint` (socket or connection, loop
thread, sending), :mod:`.stream` (TCP/TLS), :mod:`.locate` (RFC 3263), :mod:`.registration`,
:mod:`.call_state` (config, call record, listener, causes), :mod:`.dialogs`,
:mod:`.outgoing_calls`, :mod:`.incoming_calls`, :mod:`.mid_call`, :mod:`.subscriptions` with
:mod:`.dialog_info` and :mod:`.pidf` (BLF and presence: SUBSCRIBE to colleagues' dialogs and
presence), :mod:`.publication` (our presence, PUBLISH), :mod:`.parking` (the PBX's parking
spaces this console parked calls in), :mod:`.ua` (the assembled user agent and message routing),
:mod:`.rtp` / :mod:`.codec` / :mod:`.jitter` / :mod:`.media` (RTP and the 20 ms clock),
:mod:`.audio` (``AudioBackend``: null, WAV, sound device), :mod:`.options` (config checks) and
:mod:`.backend` (``SipBackend``, the ``CallControl`` the app uses).
"""

from tws_tui.backends.sip.backend import SIP_CAPABILITIES, SipBackend

__all__ = ["SIP_CAPABILITIES", "SipBackend"]
