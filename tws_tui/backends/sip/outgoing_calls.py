"""Calls we make: INVITE with our offer, progress, answer or failure, and our CANCEL.

Owns the UAC side of a call (RFC 3261 §13.2): the INVITE (unique Call-ID, offer of the
configured codecs and telephone-event) goes to the registrar/proxy, a 401 or 407 is answered
by the endpoint (defect #2: pyVoIP blocked for ever on a 407), 180/183 report ``delivered``,
a 2xx confirms the dialog (remote tag, target, route set from Record-Route reversed) and is
ACKed from the dialog (defect #1), and **every** final failure ends the call with its CSTA
cause (defect #3: pyVoIP left a 486 call DIALING for ever). Hanging up before the answer sends
CANCEL, at once if a provisional came, else as soon as one does (RFC 3261 §9.1); a 2xx that
crosses our CANCEL is ACKed and BYEd. pyVoIP had no CANCEL of its own calls (defect #12).

A directed pickup by ``Replaces`` (RFC 3891) is such a call too: :meth:`OutgoingCalls.
pickup_call` sends the INVITE to the caller's Contact (through the SIP server) with
``Replaces`` naming the caller's early dialog with the colleague and ``Require: replaces``
(a user agent that cannot do it answers 420 rather than ringing as a new call); the caller's
phone cancels its call to the colleague and answers ours. A caller's phone that cannot
(420 Bad Extension: no Replaces; 481: it knows no such dialog) is not the end of it:
:meth:`OutgoingCalls.pickup` then dials the PBX's pickup code + the colleague's extension
when one is configured, says so in the log, and marks the new call with why
(``pickup_fallback``).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
import uuid

from tws_tui.backends.sip import sdp
from tws_tui.backends.sip.addresses import NameAddr, SipUri
from tws_tui.backends.sip.call_state import SipCall
from tws_tui.backends.sip.dialogs import Dialogs
from tws_tui.backends.sip.endpoint import ALLOW
from tws_tui.backends.sip.message import SipMessage
from tws_tui.backends.sip.transactions import same_transaction_request

log = logging.getLogger(__name__)


class OutgoingCalls(Dialogs):
    def make_call(self, destination: str, consult_of: str | None = None) -> SipCall:
        """Create the call and start dialling in the background (state ``initiated``)."""
        target = self.endpoint.target_uri(destination)
        call = self._new_call("outbound", NameAddr(target), uuid.uuid4().hex, secrets.token_hex(5))
        call.destination = destination
        call.consult_of = consult_of
        self._new_stream(call)
        self.loop.create_task(self._dial(call))
        return call

    def pickup_call(
        self,
        target: SipUri,
        caller: SipUri,
        replaces: str,
        first: asyncio.Future[SipMessage] | None = None,
    ) -> SipCall:
        """Take a call ringing at a colleague: INVITE the caller at ``target`` (its Contact)
        with ``Replaces: replaces``; the call shows the caller (``caller``) as its party.
        ``first`` gets the first answer from the caller's phone (not the proxy's 100)."""
        call = self._new_call("outbound", NameAddr(caller), uuid.uuid4().hex, secrets.token_hex(5))
        call.destination = caller.user or str(caller)
        self._new_stream(call)
        self.loop.create_task(self._dial(call, target, replaces, first))
        return call

    async def pickup(
        self, target: SipUri, caller: SipUri, replaces: str, fallback: str = ""
    ) -> SipCall:
        """:meth:`pickup_call`, and when the caller's phone answers it 420 or 481 and a
        ``fallback`` number (the pickup code + the extension) is given, that number dialled
        instead: the call returned is the one that goes on."""
        first: asyncio.Future[SipMessage] = self.loop.create_future()
        call = self.pickup_call(target, caller, replaces, first)
        if not fallback:
            return call
        try:  # the transaction answers by itself in time (408 at worst); this is a bound
            answer = await asyncio.wait_for(asyncio.shield(first), self.endpoint.tx.timeout + 2)
        except TimeoutError:
            return call
        if answer.code not in (420, 481):
            return call
        refused = f"{answer.code} {answer.reason}".strip()
        log.warning(
            "pickup by Replaces refused by the caller's phone (%s): dialling %s instead",
            refused,
            fallback,
        )
        code_call = self.make_call(fallback)
        code_call.pickup_fallback = refused
        return code_call

    async def _dial(
        self,
        call: SipCall,
        uri: SipUri | None = None,
        replaces: str = "",
        first: asyncio.Future[SipMessage] | None = None,
    ) -> None:
        assert call.stream is not None
        ep = self.endpoint
        target = call.remote.uri
        call.local_cseq = 1
        msg = ep.request(
            "INVITE", str(uri or target), call.local, NameAddr(target), call.call_id, 1
        )
        msg.add("contact", ep.contact())
        msg.add("allow", ALLOW)
        if replaces:
            msg.add("replaces", replaces)
            msg.add("require", "replaces")
        else:
            msg.add("supported", "replaces")
        msg.add("content-type", "application/sdp")
        msg.content = sdp.build(ep.local_ip, call.stream.local_port, self.cfg.codecs)

        def sent(invite: SipMessage) -> None:
            call.invite = invite
            call.local_cseq = invite.cseq[0]

        def provisional(resp: SipMessage) -> None:
            call.provisional = True
            if first is not None and resp.code > 100 and not first.done():
                first.set_result(resp)
            if call.cancel_pending:
                call.cancel_pending = False
                self._send_cancel(call)
                return
            if resp.code in (180, 183) and call.state == "initiated" and not call.cancelling:
                call.remote_state = "alerting"
                self.listener.call_changed(call, "delivered", "unknown")

        self.listener.call_changed(call, "originated", "makeCall")
        response = await ep.send_request(msg, ep.server_addr, provisional, sent)
        if first is not None and not first.done():
            first.set_result(response)
        if 200 <= response.code < 300:
            await self._confirm_outgoing(call, response)
        elif call.state != "null":
            self._end(call, "fail" if not call.cancelling else "null", response)

    async def _confirm_outgoing(self, call: SipCall, response: SipMessage) -> None:
        call.remote_tag = response.to_tag
        call.remote = NameAddr(call.remote.uri, response.to.display or call.remote.display)
        contact = response.get("contact")
        call.remote_target = NameAddr.parse(contact).uri if contact else call.remote.uri
        call.route_set = list(reversed(response.get_all("record-route")))
        self._send_ack(call, response.cseq[0])
        if call.cancelling or call.state == "null":
            call.state = "connected"
            await self._bye(call)
            return
        try:
            answer = sdp.media_of(response)
        except sdp.SdpError as error:
            log.warning("bad SDP answer: %s", error)
        else:
            if answer is not None:
                self._apply_answer(call, answer)
        call.state = "connected"
        call.remote_state = "connected"
        call.answered_at = time.time()
        self.listener.call_changed(call, "established", "unknown")

    def _cancel(self, call: SipCall) -> None:
        call.cancelling = True
        self._end(call, "null", None, cause="callCancelled")
        if call.provisional:
            self._send_cancel(call)
        else:
            call.cancel_pending = True  # RFC 3261 §9.1: CANCEL only after a provisional

    def _send_cancel(self, call: SipCall) -> None:
        invite = call.invite
        if invite is None:
            return
        cancel = same_transaction_request(invite, "CANCEL", invite.get("to"))
        future = self.endpoint.tx.request(cancel.build(), self.endpoint.server_addr)
        future.add_done_callback(lambda f: f.cancelled() or f.result())
