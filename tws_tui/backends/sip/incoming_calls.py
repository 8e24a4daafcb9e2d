"""Calls to us: an INVITE rings, and is answered, refused, deflected or cancelled by the caller.

Owns the UAS side of a call (RFC 3261 §13.3): an incoming INVITE is checked (a usable audio
offer with a common codec, else 488; ``Replaces`` refused with 420), answered 180 with our tag
and Record-Route copied, and reported ``delivered`` at once (pyVoIP ran its callback 1 s later
in a thread that had to live for the whole call). Then:

* answering sends our SDP answer in a 200 re-sent until the ACK; an INVITE without an offer
  gets our offer, and the peer's answer is read from the ACK;
* refusing sends 486 or 603 (``reject_code``), deflecting sends 302 with the new Contact;
* the operator's forwards and DND are carried out here (:mod:`.forwarding`): 302 with the
  destination's Contact or 486 before it rings, or 302 after the no-answer ring time;
* the caller's CANCEL gets 200 **and** 487 for the INVITE, and the call disappears (defect #4:
  pyVoIP answered 200 only and left the call RINGING, answerable after the caller hung up);
* an ACK for a non-2xx is absorbed by the transaction; an ACK for our 2xx stops its
  retransmission.
"""

from __future__ import annotations

import logging
import secrets
import time

from tws_tui.backends.sip import sdp
from tws_tui.backends.sip.addresses import NameAddr
from tws_tui.backends.sip.call_state import SipCall, SipError
from tws_tui.backends.sip.dialogs import Dialogs
from tws_tui.backends.sip.forwarding import ForwardPlan, decide
from tws_tui.backends.sip.message import SipMessage
from tws_tui.backends.sip.transactions import Address

log = logging.getLogger(__name__)


#: The states in which I am on a call (or dialling one): "busy" for the busy forward.
_BUSY_STATES = frozenset({"initiated", "connected", "hold"})


class IncomingCalls(Dialogs):
    #: The operator's forwards and DND, replaced whole by the backend.
    forwarding = ForwardPlan()

    def _busy(self) -> bool:
        return any(
            c.state in _BUSY_STATES or (c.direction == "outbound" and c.state == "alerting")
            for c in self.calls.values()
        )

    def _on_invite(self, msg: SipMessage, addr: Address) -> None:
        ep = self.endpoint
        if msg.get("replaces"):
            ep.reply(msg, 420, "Bad Extension")  # we are never an attended-transfer target
            return
        verdict = decide(self.forwarding, busy=self._busy())
        caller = msg.from_.uri.user or str(msg.from_.uri)
        if verdict.code == 486:
            log.info("call from %s refused 486: do not disturb", caller)
            ep.reply(msg, 486, "Busy Here")
            return
        if verdict.code == 302:
            log.info(
                "call from %s forwarded (%s) to %s", caller, verdict.reason, verdict.destination
            )
            target = ep.target_uri(verdict.destination)
            ep.reply(
                msg,
                302,
                "Moved Temporarily",
                secrets.token_hex(5),
                headers=[("contact", f"<{target}>")],
            )
            return
        try:
            offer = sdp.media_of(msg)
        except sdp.SdpError as error:
            ep.reply(msg, 488, f"Not Acceptable Here ({error})")
            return
        if offer is not None and offer.first_codec(self.cfg.codecs) is None:
            ep.reply(msg, 488, "Not Acceptable Here (no common codec)")
            return
        remote = msg.from_
        call = self._new_call(
            "inbound", NameAddr(remote.uri, remote.display), msg.call_id, secrets.token_hex(5)
        )
        call.remote_tag = msg.from_tag
        call.remote_cseq = msg.cseq[0]
        contact = msg.get("contact")
        call.remote_target = NameAddr.parse(contact).uri if contact else remote.uri
        call.route_set = list(msg.get_all("record-route"))
        call.invite = msg
        call.state = "alerting"
        call.remote_state = "connected"
        headers = [("contact", ep.contact())]
        headers += [("record-route", rr) for rr in msg.get_all("record-route")]
        ep.reply(msg, 180, "Ringing", call.local_tag, headers=headers)
        self.listener.call_changed(call, "delivered", "newCall")
        if verdict.after_s is not None:
            self.loop.call_later(verdict.after_s, self._no_answer, call, verdict.destination)

    def _no_answer(self, call: SipCall, destination: str) -> None:
        """The no-answer forward's ring time is over: redirect the call if it still rings."""
        if call.state == "alerting" and call.invite is not None and call.id in self.calls:
            log.info("call %s not answered: forwarded to %s", call.id, destination)
            self._redirect(call, destination, "callForward")

    def _on_cancel(self, msg: SipMessage) -> None:
        ep = self.endpoint
        for call in list(self._by_sip_id.get(msg.call_id, [])):
            invite = call.invite
            if (
                call.direction == "inbound"
                and invite is not None
                and invite.top_via.branch == msg.top_via.branch
            ):
                ep.reply(msg, 200, "OK")
                if call.state == "alerting":
                    ep.reply(invite, 487, "Request Terminated", call.local_tag)
                    self._end(call, "null", None, cause="callCancelled")
                return
        ep.reply(msg, 481, "Call/Transaction Does Not Exist")

    def _on_ack(self, msg: SipMessage) -> None:
        tx = self.endpoint.tx
        if tx.on_ack(msg):
            return
        if tx.stop_repeat(("2xx", msg.call_id, msg.cseq[0])):
            call = self._find_dialog(msg)
            if call is not None and call.late_offer and msg.content:
                call.late_offer = False
                try:
                    answer = sdp.media_of(msg)
                except sdp.SdpError:
                    log.warning("bad SDP in ACK")
                else:
                    if answer is not None:
                        self._apply_answer(call, answer)

    async def answer(self, call_id: str) -> None:
        call = self._get(call_id)
        if call.direction != "inbound" or call.state != "alerting" or call.invite is None:
            raise SipError(409, "not a ringing incoming call")
        try:
            offer = sdp.media_of(call.invite)
        except sdp.SdpError:
            offer = None
        stream = self._new_stream(call)
        local_ip = self.endpoint.local_ip
        if offer is not None:
            self._apply_answer(call, offer)
            body = sdp.build(
                local_ip,
                stream.local_port,
                [stream.pt],
                direction=sdp.MIRROR.get(offer.direction, "sendrecv"),
                event_pt=offer.event_pt or sdp.EVENT_PT,
            )
        else:
            call.late_offer = True
            body = sdp.build(local_ip, stream.local_port, self.cfg.codecs)
        self._send_2xx(call, call.invite, body)
        call.state = "connected"
        call.remote_state = "connected"
        call.answered_at = time.time()
        self.listener.call_changed(call, "established", "unknown")

    async def deflect(self, call_id: str, destination: str) -> None:
        call = self._get(call_id)
        if call.direction != "inbound" or call.state != "alerting" or call.invite is None:
            raise SipError(409, "only a ringing incoming call can be deflected")
        self._redirect(call, destination, "redirected")

    def _redirect(self, call: SipCall, destination: str, cause: str) -> None:
        """302 to the ringing call's INVITE with ``destination`` as Contact; the call is gone."""
        assert call.invite is not None
        target = self.endpoint.target_uri(destination)
        self.endpoint.reply(
            call.invite,
            302,
            "Moved Temporarily",
            call.local_tag,
            headers=[("contact", f"<{target}>")],
        )
        call.destination = destination
        self._end(call, "null", None, cause=cause, kind="diverted")
