"""The dialogs the user agent holds, and what every call flow does with one.

Owns the call table (by our call id, and by SIP Call-ID for matching requests to a dialog)
and the dialog primitives the flows in :mod:`.outgoing_calls`, :mod:`.incoming_calls` and
:mod:`.mid_call` share:

* an ACK for a 2xx built from the dialog: the remote tag, the remote target as R-URI, a new
  branch, the route set (study defect #1: pyVoIP's had a random To-tag, the INVITE's branch
  and no Route, so every outgoing call was torn down by the callee after 32 s);
* our 2xx to an INVITE, with Record-Route copied (defect #8) and re-sent until its ACK comes;
* in-dialog requests with **our** Via and **our** CSeq, to the remote target through the
  route set (defect #8: pyVoIP's BYE copied the INVITE's Via and the peer's CSeq);
* applying the peer's SDP to the call's one RTP stream, which lives as long as the call (it is
  reconfigured, never restarted: defect #5 restarted pyVoIP's RTP threads per re-INVITE);
* ending a call (stream removed, conference partners told, the listener told once).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import secrets

from tws_tui.backends.sip import sdp
from tws_tui.backends.sip.addresses import NameAddr
from tws_tui.backends.sip.call_state import Listener, SipCall, SipError, UaConfig, cause_for
from tws_tui.backends.sip.endpoint import ALLOW, SipEndpoint
from tws_tui.backends.sip.media import MediaEngine, RtpStream
from tws_tui.backends.sip.message import SipMessage
from tws_tui.backends.sip.transactions import ServerTx

log = logging.getLogger(__name__)


class Dialogs:
    """The call table and the dialog primitives (the base of :class:`.ua.UserAgent`)."""

    def __init__(
        self, config: UaConfig, media: MediaEngine, listener: Listener, endpoint: SipEndpoint
    ) -> None:
        self.cfg = config
        self.media = media
        self.listener = listener
        self.endpoint = endpoint
        self.calls: dict[str, SipCall] = {}
        self._by_sip_id: dict[str, list[SipCall]] = {}
        self._ids = itertools.count(1)

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        return self.endpoint.loop

    async def hangup(self, call_id: str, reject_code: int | None = None) -> None:
        raise NotImplementedError  # the user agent's, which knows every flow

    # ---- the table ----------------------------------------------------------------------

    def _new_call(self, direction: str, remote: NameAddr, call_id: str, tag: str) -> SipCall:
        call = SipCall(
            id=f"sip-{next(self._ids)}-{secrets.token_hex(3)}",
            direction=direction,
            remote=remote,
            call_id=call_id,
            local_tag=tag,
            local=self.endpoint.local_party(tag),
        )
        self.calls[call.id] = call
        self._by_sip_id.setdefault(call_id, []).append(call)
        return call

    def _new_stream(self, call: SipCall) -> RtpStream:
        stream = RtpStream(self.endpoint.local_ip, self.cfg.rtp_port_low, self.cfg.rtp_port_high)
        stream.on_digit = lambda digit: self.endpoint.call_soon(self._digit, call, digit)
        self.media.add(stream)
        call.stream = stream
        return stream

    def _find_dialog(self, msg: SipMessage) -> SipCall | None:
        to_tag, from_tag = msg.to_tag, msg.from_tag
        for call in self._by_sip_id.get(msg.call_id, []):
            if call.local_tag == to_tag and (not call.remote_tag or call.remote_tag == from_tag):
                return call
        return None

    def _get(self, call_id: str) -> SipCall:
        call = self.calls.get(call_id)
        if call is None:
            raise SipError(404, "no such call")
        return call

    def _digit(self, call: SipCall, digit: str) -> None:
        call.dtmf_received += digit
        self.listener.call_changed(call, "information", "unknown")

    def _end(
        self,
        call: SipCall,
        state: str,
        response: SipMessage | None,
        cause: str | None = None,
        kind: str | None = None,
    ) -> None:
        if response is not None:
            call.status_text = f"{response.code} {response.reason}".strip()
            cause = cause or cause_for(response.code)
        call.cause = cause or "normalClearing"
        call.state = state
        if call.stream is not None:
            call.stream.stop_recording()
            if state in ("null", "fail"):
                self.media.remove(call.stream)
                call.stream = None
        for other in call.conference:
            other.conference = [c for c in other.conference if c is not call]
            if other.stream is not None:
                other.stream.conference = {c.stream for c in other.conference if c.stream}
            self.listener.call_changed(other, "information", "conference")
        call.conference = []
        if state == "null":
            self._forget(call)
        self.listener.call_changed(
            call, kind or ("failed" if state == "fail" else "connection_cleared"), call.cause
        )

    def _forget(self, call: SipCall) -> None:
        self.calls.pop(call.id, None)
        legs = self._by_sip_id.get(call.call_id, [])
        if call in legs:
            legs.remove(call)
        if not legs:
            self._by_sip_id.pop(call.call_id, None)

    def forget_failed(self, call_id: str) -> None:
        call = self.calls.get(call_id)
        if call is not None:
            self._end(call, "null", None, cause=call.cause)

    # ---- media --------------------------------------------------------------------------

    def _apply_answer(self, call: SipCall, media: sdp.MediaDescription) -> None:
        """Point the call's stream at what the peer's SDP says (codec, address, direction)."""
        stream = call.stream
        if stream is None:
            return
        pt = media.first_codec(self.cfg.codecs)
        if pt is None:
            pt = self.cfg.codecs[0]
        stream.configure(media.address, media.port, pt, media.event_pt)
        remote_held = media.direction in ("sendonly", "inactive")
        stream.remote_send = media.direction in ("sendrecv", "sendonly")
        stream.remote_recv = media.direction in ("sendrecv", "recvonly")
        if remote_held != call.remote_held:
            call.remote_held = remote_held
            call.remote_state = "hold" if remote_held else "connected"
            self.listener.call_changed(call, "information", "unknown")

    # ---- in-dialog messages -------------------------------------------------------------

    def _remote_party(self, call: SipCall) -> NameAddr:
        return NameAddr(call.remote.uri, call.remote.display, {"tag": call.remote_tag})

    def _send_ack(self, call: SipCall, cseq: int, body: bytes = b"") -> None:
        """ACK for a 2xx, from the dialog (defect #1); kept to answer a repeated 2xx."""
        assert call.remote_target is not None
        ep = self.endpoint
        ack = ep.request(
            "ACK",
            str(call.remote_target),
            call.local,
            self._remote_party(call),
            call.call_id,
            cseq,
            call.route_set,
        )
        if body:
            ack.add("content-type", "application/sdp")
            ack.content = body
        data = ack.to_bytes()
        dest = ep.dest_for(call.remote_target, call.route_set)
        call.last_ack = (data, dest, cseq)
        ep.send(data, dest)

    def _send_2xx(self, call: SipCall, req: SipMessage, body: bytes) -> None:
        """200 OK with our SDP to an INVITE, re-sent until the ACK (or hang up at 64·T1)."""
        ep = self.endpoint
        resp = ep.response(req, 200, "OK", call.local_tag)
        resp.add("contact", ep.contact())
        resp.add("allow", ALLOW)
        resp.add("supported", "replaces")
        for route in req.get_all("record-route"):
            resp.add("record-route", route)
        resp.add("content-type", "application/sdp")
        resp.content = body
        data = resp.build().raw
        addr = req.top_via.reply_address()
        ep.tx.server[(req.top_via.branch, req.method)] = ServerTx("INVITE", data, addr)

        def give_up() -> None:
            log.warning("no ACK for our 200 OK on %s: hanging up", call.call_id)
            if call.state != "null":
                self.loop.create_task(self.hangup(call.id))

        ep.tx.repeat(("2xx", call.call_id, req.cseq[0]), data, addr, give_up)

    async def _in_dialog(
        self,
        call: SipCall,
        method: str,
        body: bytes = b"",
        content_type: str = "",
        headers: list[tuple[str, str]] | None = None,
    ) -> SipMessage:
        """A request inside the dialog: our Via, our next CSeq, through the route set."""
        if call.remote_target is None:
            raise SipError(481, "no dialog")
        ep = self.endpoint
        call.local_cseq += 1
        msg = ep.request(
            method,
            str(call.remote_target),
            call.local,
            self._remote_party(call),
            call.call_id,
            call.local_cseq,
            call.route_set,
        )
        if method in ("INVITE", "REFER", "NOTIFY"):
            msg.add("contact", ep.contact())
        for name, value in headers or []:
            msg.add(name, value)
        if body:
            msg.add("content-type", content_type)
            msg.content = body

        def sent(m: SipMessage) -> None:
            call.local_cseq = m.cseq[0]

        dest = ep.dest_for(call.remote_target, call.route_set)
        return await ep.send_request(msg, dest, on_sent=sent)

    async def _bye(self, call: SipCall) -> None:
        try:
            response = await self._in_dialog(call, "BYE")
            log.info("BYE %s: %s", call.call_id[:12], response.code)
        except Exception:
            log.info("BYE on %s failed", call.call_id[:12], exc_info=True)
