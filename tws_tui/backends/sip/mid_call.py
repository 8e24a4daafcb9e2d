"""Requests inside an established call: hold both ways, BYE, DTMF, transfer, conference links.

Owns what happens once a dialog exists (pyVoIP had none of it but BYE, defect #12):

* hold and retrieve by us: re-INVITE with ``sendonly``/``inactive``/``sendrecv`` (``inactive``
  and ``recvonly`` when the far end holds us too), a 491 (glare) retried after a random
  0.3–2 s wait (RFC 3261 §14.1);
* hold by the far end: its re-INVITE or UPDATE (RFC 3311) is answered to its Via with the
  direction mirrored, the one RTP stream reconfigured (defect #5: pyVoIP answered to the
  registrar, did not mirror, and started two more RTP threads per retransmission), and the
  far-end hold reported; a re-INVITE without SDP gets our offer and the answer comes in the ACK;
* BYE from the far end; DTMF sent as RFC 4733 events when the peer offered telephone-event,
  else as SIP INFO ``application/dtmf-relay``; DTMF received by INFO (dtmf-relay, dtmf);
* REFER (blind, or with ``Replaces`` for an attended transfer) and its NOTIFY progress
  (``message/sipfrag``, which pyVoIP's body parser could not read); the final status, or 32 s
  of silence, is reported to the listener;
* a local 3-way conference is the streams mixing each other (:meth:`set_conference`).
"""

from __future__ import annotations

import asyncio
import logging
import random
from urllib.parse import quote

from tws_tui.backends.sip import sdp
from tws_tui.backends.sip.addresses import NameAddr, SipUri
from tws_tui.backends.sip.call_state import SipCall, SipError
from tws_tui.backends.sip.dialogs import Dialogs
from tws_tui.backends.sip.message import SipMessage

log = logging.getLogger(__name__)

_DIGITS = "0123456789*#ABCD"


class MidCall(Dialogs):
    # ---- hold ---------------------------------------------------------------------------

    async def set_hold(self, call_id: str, on: bool) -> None:
        call = self._get(call_id)
        if call.state not in ("connected", "hold") or call.answered_at is None:
            raise SipError(409, "the call is not connected")
        for attempt in range(3):
            status, reason = await self._reinvite(call, hold=on)
            if status != 491 or attempt == 2:
                break
            await asyncio.sleep(random.uniform(0.3, 2.0))  # glare: try again (RFC 3261 §14.1)
        if not 200 <= status < 300:
            raise SipError(status, reason)
        call.held = on
        if call.stream is not None:
            call.stream.held = on
        call.state = "hold" if on else "connected"
        self.listener.call_changed(call, "held" if on else "retrieved", "unknown")

    async def _reinvite(self, call: SipCall, hold: bool) -> tuple[int, str]:
        stream = call.stream
        assert stream is not None
        if call.reinvite_busy:
            return 491, "Request Pending"
        call.reinvite_busy = True
        try:
            call.sdp_version += 1
            direction = "sendonly" if hold else "sendrecv"
            if call.remote_held:
                direction = "inactive" if hold else "recvonly"
            codecs = [stream.pt] + [c for c in self.cfg.codecs if c != stream.pt]
            body = sdp.build(
                self.endpoint.local_ip,
                stream.local_port,
                codecs,
                direction=direction,
                version=call.sdp_version,
                event_pt=stream.event_pt or sdp.EVENT_PT,
            )
            response = await self._in_dialog(call, "INVITE", body, "application/sdp")
            if 200 <= response.code < 300:
                contact = response.get("contact")
                if contact:
                    call.remote_target = NameAddr.parse(contact).uri
                self._send_ack(call, response.cseq[0])
                try:
                    answer = sdp.media_of(response)
                except sdp.SdpError:
                    answer = None
                if answer is not None:
                    stream.configure(answer.address, answer.port, stream.pt, answer.event_pt)
            return response.code, response.reason
        finally:
            call.reinvite_busy = False

    def _on_reinvite(self, call: SipCall, msg: SipMessage) -> None:
        body = self._answer_offer(call, msg)
        if body is not None:
            if not msg.content:
                call.late_offer = True
            self._send_2xx(call, msg, body)

    def _on_update(self, call: SipCall, msg: SipMessage) -> None:
        if not msg.content:  # a session refresh
            self.endpoint.reply(msg, 200, "OK", headers=[("contact", self.endpoint.contact())])
            return
        body = self._answer_offer(call, msg)
        if body is not None:
            self.endpoint.reply(
                msg,
                200,
                "OK",
                headers=[("contact", self.endpoint.contact())],
                body=body,
                content_type="application/sdp",
            )

    def _answer_offer(self, call: SipCall, msg: SipMessage) -> bytes | None:
        """Our SDP for the peer's in-dialog offer (or our offer if it made none);
        ``None`` when it was refused here (488 or 491 sent)."""
        stream = call.stream
        if stream is None:
            self.endpoint.reply(msg, 488, "Not Acceptable Here")
            return None
        if call.reinvite_busy:
            self.endpoint.reply(msg, 491, "Request Pending")
            return None
        contact = msg.get("contact")
        if contact:
            call.remote_target = NameAddr.parse(contact).uri
        call.sdp_version += 1
        ours = "sendonly" if call.held else "sendrecv"
        try:
            offer = sdp.media_of(msg)
        except sdp.SdpError as error:
            self.endpoint.reply(msg, 488, f"Not Acceptable Here ({error})")
            return None
        if offer is not None:
            self._apply_answer(call, offer)
            ours = _combine(sdp.MIRROR.get(offer.direction, "sendrecv"), call.held)
        return sdp.build(
            self.endpoint.local_ip,
            stream.local_port,
            [stream.pt],
            direction=ours,
            version=call.sdp_version,
            event_pt=stream.event_pt or sdp.EVENT_PT,
        )

    # ---- BYE and DTMF -------------------------------------------------------------------

    def _on_bye(self, call: SipCall, msg: SipMessage) -> None:
        self.endpoint.reply(msg, 200, "OK")
        if call.state != "null":
            self._end(call, "null", None, cause="normalClearing")

    def send_dtmf(self, call_id: str, digits: str) -> None:
        call = self._get(call_id)
        if call.state != "connected" or call.stream is None:
            raise SipError(409, "the call is not connected")
        call.dtmf_sent += digits
        if call.stream.event_pt is not None:
            call.stream.queue_digits(digits)
        else:
            self.loop.create_task(self._info_digits(call, digits))

    async def _info_digits(self, call: SipCall, digits: str) -> None:
        for digit in digits:
            body = f"Signal={digit}\r\nDuration=160\r\n".encode()
            await self._in_dialog(call, "INFO", body, "application/dtmf-relay")

    def _on_info(self, call: SipCall, msg: SipMessage) -> None:
        self.endpoint.reply(msg, 200, "OK")
        digit = ""
        if msg.content_type == "application/dtmf-relay":
            digit = str(msg.body.get("signal", ""))  # pyVoIP's key=value body parse
        elif msg.content_type == "application/dtmf":
            digit = msg.content.decode("utf-8", errors="replace").strip()
        if len(digit) == 1 and digit.upper() in _DIGITS:
            self._digit(call, digit.upper())

    # ---- transfer -----------------------------------------------------------------------

    async def refer(self, call_id: str, refer_to: str) -> None:
        """Send REFER; return once it is accepted (2xx); progress comes by NOTIFY."""
        call = self._get(call_id)
        if call.remote_target is None or call.state not in ("connected", "hold"):
            raise SipError(409, "the call is not connected")
        call.refer_waiter = self.loop.create_future()
        response = await self._in_dialog(
            call,
            "REFER",
            headers=[("refer-to", refer_to), ("referred-by", f"<{self.endpoint.aor()}>")],
        )
        if not 200 <= response.code < 300:
            call.refer_waiter = None
            raise SipError(response.code, response.reason)
        self.loop.create_task(self._await_refer(call))

    async def _await_refer(self, call: SipCall) -> None:
        waiter = call.refer_waiter
        if waiter is None:
            return
        try:
            status, reason = await asyncio.wait_for(waiter, 32.0)
        except TimeoutError:
            status, reason = 200, "no NOTIFY (assumed done)"
        call.refer_waiter = None
        self.listener.transfer_progress(call, status, reason)

    def _on_notify(self, call: SipCall, msg: SipMessage) -> None:
        self.endpoint.reply(msg, 200, "OK")
        if not msg.get("event").lower().startswith("refer") or msg.sipfrag is None:
            return
        status, reason = msg.sipfrag
        if status >= 200 and call.refer_waiter is not None and not call.refer_waiter.done():
            call.refer_waiter.set_result((status, reason))
        elif status < 200:
            self.listener.transfer_progress(call, status, reason)

    def replaces_uri(self, target: SipCall) -> str:
        """Refer-To for an attended transfer: the target's address with a Replaces header."""
        replaces = quote(
            f"{target.call_id};to-tag={target.remote_tag};from-tag={target.local_tag}", safe=""
        )
        uri = SipUri(target.remote.uri.host, target.remote.uri.user, target.remote.uri.port)
        return f"<{uri}?Replaces={replaces}>"

    def set_conference(self, calls: list[SipCall]) -> None:
        for call in calls:
            call.conference = [c for c in calls if c is not call]
            if call.stream is not None:
                call.stream.conference = {c.stream for c in call.conference if c.stream}


def _combine(mirrored: str, held: bool) -> str:
    if not held:
        return mirrored
    return {"sendrecv": "sendonly", "recvonly": "inactive"}.get(mirrored, mirrored)
