"""The SIP user agent: the object the backend drives, made of the endpoint, the registration
and the call flows, and the router of every incoming message.

Owns the assembly and the routing, not the flows themselves:

* :class:`UserAgent` combines :class:`.outgoing_calls.OutgoingCalls`,
  :class:`.incoming_calls.IncomingCalls` and :class:`.mid_call.MidCall` (all on the call table
  of :class:`.dialogs.Dialogs`) with a :class:`.endpoint.SipEndpoint` (socket, loop thread,
  transactions, digest) and a :class:`.registration.Registration`;
* its lifecycle: :meth:`start` binds, :meth:`begin` registers, :meth:`stop` hangs every call up,
  unregisters and closes; the backend talks to it with :meth:`submit` (coroutines on the
  ``sip-core`` loop) and hears from it through a :class:`.call_state.Listener`;
* :meth:`hangup`, which picks the right way out for the call's state (refuse, CANCEL, BYE);
* routing: a response to its transaction (a repeated 2xx to our INVITE gets our ACK again); a
  request to its dialog (481 when there is none, 500 for an out-of-order CSeq), to its flow,
  or to a BLF subscription (:mod:`.subscriptions`, NOTIFY),
  or to my mailbox's message-waiting subscription (``mwi``), or: OPTIONS → 200 with Allow,
  MESSAGE → 200 and the text to the chat, NOTIFY outside a dialog → 200 (an unsolicited
  message summary, RFC 3842, gives my mailbox's counts), SUBSCRIBE → 489, an in-dialog
  REFER → 603 (nobody transfers this console), anything else → 501 with Allow. pyVoIP 1.6.8
  dropped all of these without a response (defect #6).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import secrets
import uuid
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from tws_tui.backends.sip import dialog_info, message_summary, pidf
from tws_tui.backends.sip.addresses import NameAddr, SipUri
from tws_tui.backends.sip.call_state import Listener, SipCall, UaConfig
from tws_tui.backends.sip.endpoint import ALLOW, SipEndpoint
from tws_tui.backends.sip.incoming_calls import IncomingCalls
from tws_tui.backends.sip.media import MediaEngine
from tws_tui.backends.sip.message import SipMessage
from tws_tui.backends.sip.mid_call import MidCall
from tws_tui.backends.sip.outgoing_calls import OutgoingCalls
from tws_tui.backends.sip.publication import Publication
from tws_tui.backends.sip.registration import UNREGISTERED, Registration
from tws_tui.backends.sip.subscriptions import Package, Subscriptions
from tws_tui.backends.sip.transactions import Address

log = logging.getLogger(__name__)
T = TypeVar("T")


class UserAgent(OutgoingCalls, IncomingCalls, MidCall):
    """A SIP UA bound to one UDP socket, run by an asyncio loop in its own thread."""

    def __init__(self, config: UaConfig, media: MediaEngine, listener: Listener) -> None:
        endpoint = SipEndpoint(config, self._on_message)
        super().__init__(config, media, listener, endpoint)
        self.registration = Registration(endpoint, listener)
        dialogs = Package("dialog", dialog_info.CONTENT_TYPE, dialog_info.line_info)
        presence = Package("presence", pidf.CONTENT_TYPE, pidf.presence_of)
        self.subscriptions = Subscriptions(
            endpoint, dialogs, listener.line_changed, config.blf, retry=config.blf_retry
        )
        self.presence = Subscriptions(
            endpoint, presence, listener.presence_changed, config.blf, retry=config.blf_retry
        )
        mwi = Package(
            message_summary.EVENT, message_summary.CONTENT_TYPE, message_summary.summary_of
        )
        self.mwi = Subscriptions(
            endpoint,
            mwi,
            lambda _box, found: self._mwi(found),
            (config.mwi,) if config.mwi else (),
            retry=config.blf_retry,
        )
        self.publication = Publication(endpoint)

    # ---- lifecycle (called from other threads) ------------------------------------------

    def start(self, timeout: float = 5.0) -> None:
        """Resolve the server, bind the socket, start the loop thread."""
        self.endpoint.start(timeout)

    def begin(self) -> None:
        """Start registering (after the backend queued its snapshot)."""
        self.endpoint.call_soon(self.registration.begin)
        self.endpoint.call_soon(self.subscriptions.begin)
        self.endpoint.call_soon(self.mwi.begin)
        if self.cfg.presence:
            self.endpoint.call_soon(self.presence.begin)

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        return self.endpoint.submit(coro)

    def call_soon(self, fn: Callable[..., Any], *args: Any) -> None:
        self.endpoint.call_soon(fn, *args)

    def stop(self, timeout: float = 5.0) -> None:
        self.endpoint.stop(self._close, timeout)

    async def _close(self) -> None:
        for call in list(self.calls.values()):
            try:
                await asyncio.wait_for(self.hangup(call.id), 1.0)
            except Exception:
                log.debug("hangup at close failed", exc_info=True)
        await self.subscriptions.end()
        await self.presence.end()
        await self.mwi.end()
        await self.publication.end()
        await self.registration.end()
        self.listener.link_changed("offline", UNREGISTERED, None)

    @property
    def registered(self) -> bool:
        return self.registration.registered

    @property
    def local_port(self) -> int:
        return self.endpoint.local_port

    @property
    def dropped(self) -> int:
        """Datagrams refused as malformed (or whose handling failed)."""
        return self.endpoint.dropped

    def target_uri(self, destination: str) -> SipUri:
        return self.endpoint.target_uri(destination)

    # ---- hanging up ---------------------------------------------------------------------

    async def hangup(self, call_id: str, reject_code: int | None = None) -> None:
        call = self._get(call_id)
        if call.state == "null":
            return
        if call.direction == "inbound" and call.state == "alerting" and call.invite is not None:
            code = reject_code or self.cfg.reject_code
            self.endpoint.reply(call.invite, code, to_tag=call.local_tag)
            self._end(call, "null", None, cause="normalClearing")
        elif call.direction == "outbound" and call.answered_at is None and call.state != "fail":
            self._cancel(call)
        elif call.state == "fail" or not call.remote_tag:
            self._end(call, "null", None, cause="normalClearing")
        else:
            self._end(call, "null", None, cause="normalClearing")
            await self._bye(call)

    # ---- chat ---------------------------------------------------------------------------

    def send_message(self, peer: str, text: str) -> asyncio.Future[SipMessage]:
        ep = self.endpoint
        target = ep.target_uri(peer)
        msg = ep.request(
            "MESSAGE",
            str(target),
            ep.local_party(secrets.token_hex(5)),
            NameAddr(target),
            uuid.uuid4().hex,
            1,
        )
        msg.add("content-type", "text/plain;charset=UTF-8")
        msg.content = text.encode("utf-8")
        return asyncio.ensure_future(ep.send_request(msg, ep.server_addr))

    def _on_text(self, msg: SipMessage) -> None:
        if msg.content_type not in ("text/plain", ""):
            self.endpoint.reply(
                msg, 415, "Unsupported Media Type", headers=[("accept", "text/plain")]
            )
            return
        self.endpoint.reply(msg, 200, "OK")
        sender = msg.from_
        self.listener.message_received(
            sender.uri.user or str(sender.uri),
            sender.display,
            msg.content.decode("utf-8", errors="replace"),
        )

    # ---- routing ------------------------------------------------------------------------

    def _on_message(self, msg: SipMessage, addr: Address) -> None:
        if msg.is_request:
            self._on_request(msg, addr)
        else:
            self._on_response(msg)

    def _on_response(self, msg: SipMessage) -> None:
        stray = self.endpoint.tx.on_response(msg)
        if stray is not None and stray.cseq[1] == "INVITE":
            for call in self._by_sip_id.get(stray.call_id, []):
                if call.last_ack is not None and call.last_ack[2] == stray.cseq[0]:
                    data, dest, _ = call.last_ack
                    self.endpoint.send(data, dest)  # our ACK was lost: the 2xx came again

    def _on_options(self, msg: SipMessage) -> None:
        self.endpoint.reply(
            msg,
            200,
            "OK",
            headers=[("allow", ALLOW), ("accept", "application/sdp"), ("supported", "replaces")],
        )

    def _unsolicited_notify(self, msg: SipMessage) -> None:
        """A NOTIFY outside any subscription: 200; an unsolicited message summary (RFC 3842
        §3: many voicemail servers send them to a registered phone) gives my mailbox's counts."""
        self.endpoint.reply(msg, 200, "OK")
        event = msg.get("event").split(";")[0].strip().lower()
        if event != message_summary.EVENT or not msg.content:
            return
        try:
            found = message_summary.summary_of(msg.content)
        except ValueError as error:
            log.info("unsolicited message summary not read: %s", error)
            return
        self._mwi(found)

    def _mwi(self, found: message_summary.MessageSummary | None) -> None:
        if found is not None:
            self.listener.voicemail_changed(found.new, found.old)

    def _on_request(self, msg: SipMessage, addr: Address) -> None:
        ep = self.endpoint
        method = msg.method
        if method == "ACK":
            self._on_ack(msg)
            return
        if ep.tx.retransmission(msg):
            return
        if method == "CANCEL":
            self._on_cancel(msg)
            return
        if method == "NOTIFY":  # BLF, presence or MWI (it may come before our 200)
            for watched in (self.subscriptions, self.presence, self.mwi):
                if (sub := watched.find(msg)) is not None:
                    watched.on_notify(sub, msg)
                    return
        if msg.to_tag:
            call = self._find_dialog(msg)
            if call is None:
                ep.reply(msg, 481, "Call/Transaction Does Not Exist")
                return
            if msg.cseq[0] <= call.remote_cseq:
                ep.reply(msg, 500, "Out of order CSeq")
                return
            call.remote_cseq = msg.cseq[0]
            handlers: dict[str, Callable[[SipCall, SipMessage], object]] = {
                "BYE": self._on_bye,
                "INVITE": self._on_reinvite,
                "UPDATE": self._on_update,
                "INFO": self._on_info,
                "NOTIFY": self._on_notify,
                "OPTIONS": lambda c, m: self._on_options(m),
                "REFER": lambda c, m: ep.reply(m, 603, "Decline"),  # nobody transfers us
                "MESSAGE": lambda c, m: self._on_text(m),
            }
            handler = handlers.get(method)
            if handler is None:
                ep.reply(msg, 501, "Not Implemented", headers=[("allow", ALLOW)])
            else:
                handler(call, msg)
            return
        if method == "INVITE":
            self._on_invite(msg, addr)
        elif method == "OPTIONS":
            self._on_options(msg)
        elif method == "MESSAGE":
            self._on_text(msg)
        elif method in ("BYE", "INFO", "REFER", "PRACK", "UPDATE"):
            ep.reply(msg, 481, "Call/Transaction Does Not Exist")
        elif method == "NOTIFY":
            self._unsolicited_notify(msg)
        elif method == "SUBSCRIBE":
            ep.reply(msg, 489, "Bad Event")
        else:
            ep.reply(msg, 501, "Not Implemented", headers=[("allow", ALLOW)])
