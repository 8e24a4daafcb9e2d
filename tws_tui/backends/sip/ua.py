"""The SIP user agent: registration, dialogs, calls and their in-dialog requests, MESSAGE.

Owns every SIP decision of the softphone, on one asyncio loop in its own thread ("sip-core");
the backend talks to it with :meth:`UserAgent.submit` and hears from it through a
:class:`Listener` (called on that thread). pyVoIP 1.6.8's ``SIPClient``/``VoIPPhone`` dialog
logic is not used: study defects #1–#8 are all in it (wrong ACK, 407 deadlock, 4xx ignored,
CANCEL without 487, re-INVITE restarting RTP, OPTIONS/REFER/NOTIFY/INFO dropped, fragile parser,
BYE with the INVITE's Via) and the study measured that every fix replaces the function
wholesale. What is kept from pyVoIP is the status-phrase table (:data:`pyVoIP.SIP.SIPStatus`).

What each request gets (RFC 3261 unless said):

* REGISTER: digest on 401 and 407 with qop, refresh before expiry, backoff retry, Expires: 0 on
  exit; link status registered / failing / offline with the reason;
* INVITE out: Route set from Record-Route, ACK for 2xx built from the dialog (defect #1),
  CANCEL of our own call, every final code mapped to a CSTA cause;
* INVITE in: 180, answer with SDP, refuse (486/603), CANCEL → 200 + 487, 302 for deflect;
* re-INVITE both ways for hold (sendonly/inactive/sendrecv), far-end hold reported, 491 glare
  retried; in-dialog BYE, INFO (dtmf-relay), NOTIFY (REFER progress), REFER sent (blind, and
  with Replaces for attended transfer);
* OPTIONS answered 200, MESSAGE 200 (text → chat), unknown methods 501, in-dialog requests of
  unknown dialogs 481; a malformed datagram is logged and dropped.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import itertools
import logging
import random
import secrets
import socket
import threading
import time
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar
from urllib.parse import quote

from tws_tui.backends.sip import sdp
from tws_tui.backends.sip.digest import AuthError, DigestAuth
from tws_tui.backends.sip.media import MediaEngine, RtpStream
from tws_tui.backends.sip.message import (
    NameAddr,
    SipMessage,
    SipParseError,
    SipUri,
    parse,
)
from tws_tui.backends.sip.transactions import Address, Transactions

log = logging.getLogger(__name__)
T = TypeVar("T")

ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, NOTIFY, MESSAGE"
USER_AGENT = "tws-tui"


@dataclass
class UaConfig:
    server: str
    port: int
    user: str
    password: str = ""
    auth_user: str = ""
    display_name: str = ""
    local_ip: str = ""
    local_port: int = 0
    codecs: list[int] = field(default_factory=lambda: [0, 8])
    register_expires: int = 600
    register: bool = True
    t1: float = 0.5
    rtp_port_low: int = 0
    rtp_port_high: int = 0
    reject_code: int = 486
    recordings_dir: Path | None = None


class Listener(Protocol):
    def link_changed(self, status: str, detail: str, retry_in: float | None) -> None: ...
    def call_changed(self, call: SipCall, kind: str, cause: str) -> None: ...
    def message_received(self, peer: str, name: str, text: str) -> None: ...
    def transfer_progress(self, call: SipCall, status: int, reason: str) -> None: ...


class SipError(Exception):
    """A request was answered with a failure (``status``) or not at all (408)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"{status} {reason}")
        self.status = status
        self.reason = reason


#: Final failure code → CSTA cause (tws_tui.core.model.Cause values).
def cause_for(status: int) -> str:
    if status in (486, 600):
        return "busy"
    if status == 603:
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
    invite_addr: Address | None = None
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
    ack_key: object = None
    late_offer: bool = False
    destination: str = ""
    provisional: bool = False
    cancel_pending: bool = False


class UserAgent:
    """A SIP UA bound to one UDP socket, run by an asyncio loop in its own thread."""

    def __init__(self, config: UaConfig, media: MediaEngine, listener: Listener) -> None:
        self.cfg = config
        self.media = media
        self.listener = listener
        self.auth = DigestAuth(config.auth_user or config.user, config.password)
        self.loop = asyncio.new_event_loop()
        self.calls: dict[str, SipCall] = {}
        self._by_sip_id: dict[str, list[SipCall]] = {}
        self._ids = itertools.count(1)
        self._thread: threading.Thread | None = None
        self._transport: asyncio.DatagramTransport | None = None
        self.tx: Transactions | None = None
        self.server_addr: Address = ("", 0)
        self.local_ip = config.local_ip
        self.local_port = config.local_port
        self._reg_call_id = f"{uuid.uuid4().hex}"
        self._reg_cseq = 0
        self._reg_tag = secrets.token_hex(5)
        self._stop = asyncio.Event()
        self._reg_task: asyncio.Task[None] | None = None
        self.registered = False
        self.dropped = 0  # malformed datagrams dropped

    # ---- lifecycle (called from other threads) ------------------------------------------

    def start(self, timeout: float = 5.0) -> None:
        """Resolve the server, bind the socket, start the loop thread and registration."""
        ready: concurrent.futures.Future[None] = concurrent.futures.Future()

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            try:
                self.loop.run_until_complete(self._open())
            except BaseException as error:
                ready.set_exception(error)
                self.loop.close()
                return
            ready.set_result(None)
            self.loop.run_forever()
            self.loop.close()

        self._thread = threading.Thread(target=run, name="sip-core", daemon=True)
        self._thread.start()
        ready.result(timeout)

    def begin(self) -> None:
        """Start registering (after the backend queued its snapshot)."""

        def go() -> None:
            if self.cfg.register and self._reg_task is None:
                self._reg_task = self.loop.create_task(self._register_loop())

        self.loop.call_soon_threadsafe(go)

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def call_soon(self, fn: Callable[..., Any], *args: Any) -> None:
        self.loop.call_soon_threadsafe(fn, *args)

    def stop(self, timeout: float = 5.0) -> None:
        if self._thread is None or not self._thread.is_alive():
            return
        try:
            self.submit(self._close()).result(timeout)
        except Exception:
            log.warning("SIP stack did not close cleanly", exc_info=True)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout)

    async def _open(self) -> None:
        infos = await self.loop.getaddrinfo(
            self.cfg.server, self.cfg.port, family=socket.AF_INET, type=socket.SOCK_DGRAM
        )
        self.server_addr = infos[0][4][0], self.cfg.port
        if not self.local_ip:
            probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                probe.connect(self.server_addr)
                self.local_ip = probe.getsockname()[0]
            finally:
                probe.close()
        transport, _ = await self.loop.create_datagram_endpoint(
            lambda: _Protocol(self), local_addr=(self.local_ip, self.local_port)
        )
        self._transport = transport
        self.local_port = transport.get_extra_info("sockname")[1]
        self.tx = Transactions(self.loop, self._send, self.cfg.t1)
        log.info("SIP UA on %s:%s, server %s:%s", self.local_ip, self.local_port, *self.server_addr)

    async def _close(self) -> None:
        self._stop.set()
        for call in list(self.calls.values()):
            try:
                await asyncio.wait_for(self.hangup(call.id), 1.0)
            except Exception:
                log.debug("hangup at close failed", exc_info=True)
        if self._reg_task is not None:
            self._reg_task.cancel()
        if self.registered:
            try:
                await asyncio.wait_for(self._register_once(0), 2.0)
            except Exception:
                log.info("unregister got no answer")
            self.registered = False
        self.listener.link_changed("offline", "unregistered", None)
        if self.tx is not None:
            self.tx.close()
        if self._transport is not None:
            self._transport.close()

    # ---- transport ----------------------------------------------------------------------

    def _send(self, data: bytes, addr: Address) -> None:
        if self._transport is not None and not self._transport.is_closing():
            self._transport.sendto(data, addr)

    def datagram(self, data: bytes, addr: Address) -> None:
        if not data.strip(b"\r\n\x00 "):
            return  # keep-alive
        try:
            message = parse(data)
        except SipParseError as error:
            self.dropped += 1
            log.info("dropped a malformed datagram from %s:%s: %s", *addr, error)
            return
        try:
            if message.is_request:
                self._on_request(message, addr)
            else:
                self._on_response(message)
        except Exception:
            self.dropped += 1
            log.exception("could not handle %s from %s:%s", message.summary(), *addr)
            if message.is_request and message.method != "ACK":
                self._reply(message, 500, "Server Internal Error")

    # ---- building messages --------------------------------------------------------------

    def _branch(self) -> str:
        return "z9hG4bK" + secrets.token_hex(10)

    def aor(self, user: str | None = None) -> SipUri:
        port = self.cfg.port if self.cfg.port != 5060 else None
        return SipUri(self.cfg.server, user if user is not None else self.cfg.user, port)

    def target_uri(self, destination: str) -> SipUri:
        if destination.lower().startswith(("sip:", "sips:")):
            return SipUri.parse(destination)
        user, at, _host = destination.partition("@")
        if at:
            return SipUri.parse(f"sip:{destination}")
        return self.aor(user)

    def contact(self) -> str:
        return f"<sip:{self.cfg.user}@{self.local_ip}:{self.local_port};transport=udp>"

    def _local_party(self, tag: str) -> NameAddr:
        return NameAddr(self.aor(), self.cfg.display_name, {"tag": tag})

    def _request(
        self,
        method: str,
        uri: str,
        from_: NameAddr,
        to: NameAddr,
        call_id: str,
        cseq: int,
        routes: list[str] | None = None,
    ) -> SipMessage:
        msg = SipMessage(method=method, uri=uri)
        msg.add(
            "via", f"SIP/2.0/UDP {self.local_ip}:{self.local_port};rport;branch={self._branch()}"
        )
        for route in routes or []:
            msg.add("route", route)
        msg.add("max-forwards", "70")
        msg.add("from", str(from_))
        msg.add("to", str(to))
        msg.add("call-id", call_id)
        msg.add("cseq", f"{cseq} {method}")
        msg.add("user-agent", USER_AGENT)
        return msg

    def _response(
        self, req: SipMessage, status: int, reason: str = "", to_tag: str = ""
    ) -> SipMessage:
        resp = SipMessage(status=status, reason=reason or _phrase(status))
        for via in req.get_all("via"):
            resp.add("via", via)
        resp.add("from", req.get("from"))
        to = req.get("to")
        if to_tag and ";tag=" not in to.replace(" ", "").lower():
            to = f"{to};tag={to_tag}"
        resp.add("to", to)
        resp.add("call-id", req.call_id)
        resp.add("cseq", req.get("cseq"))
        resp.add("server", USER_AGENT)
        return resp

    def _reply(
        self,
        req: SipMessage,
        status: int,
        reason: str = "",
        to_tag: str = "",
        headers: list[tuple[str, str]] | None = None,
        body: bytes = b"",
        content_type: str = "",
    ) -> SipMessage:
        resp = self._response(req, status, reason, to_tag)
        for name, value in headers or []:
            resp.add(name, value)
        if body:
            resp.add("content-type", content_type)
            resp.body = body
        assert self.tx is not None
        self.tx.respond(req, resp, req.top_via.reply_address())
        return resp

    def _dest_for(self, uri: SipUri, routes: list[str]) -> Address:
        if routes:
            uri = NameAddr.parse(routes[0]).uri
        host = uri.params.get("maddr") or uri.host
        try:
            ip = socket.gethostbyname(host)
        except OSError:
            ip = self.server_addr[0]
        return ip, uri.port or 5060

    async def _send_request(
        self,
        msg: SipMessage,
        dest: Address,
        on_provisional: Callable[[SipMessage], None] | None = None,
        on_sent: Callable[[SipMessage], None] | None = None,
    ) -> SipMessage:
        """Send, answering up to two digest challenges (401/407); return the final answer."""
        assert self.tx is not None
        for attempt in range(3):
            if on_sent is not None:
                on_sent(msg)
            response = await self.tx.request(msg, dest, on_provisional)
            if response.status not in (401, 407) or attempt == 2 or not self.auth.password:
                return response
            try:
                name, value = self.auth.answer(response, msg.method, msg.uri)
            except AuthError as error:
                log.warning("cannot answer the %s challenge: %s", response.status, error)
                return response
            msg = _retry_of(msg, self._branch())
            msg.remove("authorization")
            msg.remove("proxy-authorization")
            msg.add(name, value)
        return response

    # ---- registration -------------------------------------------------------------------

    async def _register_loop(self) -> None:
        backoff = 1.0
        self.listener.link_changed("connecting", "registering…", None)
        while not self._stop.is_set():
            try:
                granted = await self._register_once(self.cfg.register_expires)
            except SipError as error:
                self.registered = False
                detail = _register_failure(error, self.cfg)
                kind = "offline" if error.status in (401, 403, 404, 407) else "failing"
                self.listener.link_changed(kind, detail, backoff)
                log.warning("registration failed: %s; retry in %.0f s", detail, backoff)
                delay = backoff
                backoff = min(backoff * 2, 60.0)
            else:
                self.registered = True
                backoff = 1.0
                self.listener.link_changed(
                    "registered", f"registered as {self.cfg.user}@{self.cfg.server}", None
                )
                delay = max(1.0, granted - min(max(granted * 0.1, 2.0), 30.0))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), delay)

    async def _register_once(self, expires: int) -> int:
        self._reg_cseq += 1
        uri = str(SipUri(self.cfg.server, "", self.cfg.port if self.cfg.port != 5060 else None))
        me = self._local_party(self._reg_tag)
        msg = self._request(
            "REGISTER", uri, me, NameAddr(self.aor()), self._reg_call_id, self._reg_cseq
        )
        msg.add("contact", self.contact())
        msg.add("expires", str(expires))
        msg.add("allow", ALLOW)

        def count(sent: SipMessage) -> None:
            self._reg_cseq = sent.cseq[0]

        response = await self._send_request(msg, self.server_addr, on_sent=count)
        if not 200 <= response.status < 300:
            raise SipError(response.status, response.reason)
        if expires == 0:
            return 0
        granted = expires
        for value in response.get_all("contact"):
            for item in value.split(","):
                try:
                    contact = NameAddr.parse(item)
                except SipParseError:
                    continue
                if (
                    contact.uri.host == self.local_ip
                    and (contact.uri.port or 5060) == self.local_port
                ):
                    granted = int(contact.params.get("expires", granted) or granted)
        if response.get("expires").isdigit():
            granted = min(granted, int(response.get("expires"))) or granted
        return granted

    # ---- calls: public operations (coroutines on the SIP loop) --------------------------

    def _new_call(self, direction: str, remote: NameAddr, call_id: str, tag: str) -> SipCall:
        call = SipCall(
            id=f"sip-{next(self._ids)}-{secrets.token_hex(3)}",
            direction=direction,
            remote=remote,
            call_id=call_id,
            local_tag=tag,
            local=self._local_party(tag),
        )
        self.calls[call.id] = call
        self._by_sip_id.setdefault(call_id, []).append(call)
        return call

    def _new_stream(self) -> RtpStream:
        stream = RtpStream(self.local_ip, self.cfg.rtp_port_low, self.cfg.rtp_port_high)
        self.media.add(stream)
        return stream

    def make_call(self, destination: str, consult_of: str | None = None) -> SipCall:
        """Create the call and start dialling in the background (state ``initiated``)."""
        target = self.target_uri(destination)
        call = self._new_call(
            "outbound", NameAddr(target), f"{uuid.uuid4().hex}", secrets.token_hex(5)
        )
        call.destination = destination
        call.consult_of = consult_of
        call.stream = self._new_stream()
        call.stream.on_digit = lambda digit, c=call: self.call_soon(self._digit, c, digit)
        self.loop.create_task(self._dial(call))
        return call

    async def _dial(self, call: SipCall) -> None:
        assert call.stream is not None
        target = call.remote.uri
        offer = sdp.build(self.local_ip, call.stream.local_port, self.cfg.codecs)
        call.local_cseq = 1
        msg = self._request("INVITE", str(target), call.local, NameAddr(target), call.call_id, 1)
        msg.add("contact", self.contact())
        msg.add("allow", ALLOW)
        msg.add("supported", "replaces")
        msg.add("content-type", "application/sdp")
        msg.body = offer

        def sent(invite: SipMessage) -> None:
            call.invite = invite
            call.local_cseq = invite.cseq[0]

        def provisional(resp: SipMessage) -> None:
            call.provisional = True
            if call.cancel_pending:
                call.cancel_pending = False
                self._send_cancel(call)
                return
            if resp.status in (180, 183) and call.state == "initiated" and not call.cancelling:
                call.remote_state = "alerting"
                self.listener.call_changed(call, "delivered", "unknown")

        self.listener.call_changed(call, "originated", "makeCall")
        response = await self._send_request(msg, self.server_addr, provisional, sent)
        if 200 <= response.status < 300:
            await self._confirm_outgoing(call, response)
        elif call.state != "null":
            self._end(call, "fail" if not call.cancelling else "null", response)

    async def _confirm_outgoing(self, call: SipCall, response: SipMessage) -> None:
        call.remote_tag = response.to.tag
        call.remote = NameAddr(call.remote.uri, response.to.display or call.remote.display)
        contact = response.get("contact")
        call.remote_target = NameAddr.parse(contact).uri if contact else call.remote.uri
        call.route_set = list(reversed(response.get_all("record-route")))
        self._send_ack(call, response.cseq[0])
        if call.cancelling or call.state == "null":
            call.state = "connected"
            await self._bye(call)
            return
        if response.body:
            try:
                self._apply_answer(call, sdp.parse(response.body))
            except sdp.SdpError as error:
                log.warning("bad SDP answer: %s", error)
        call.state = "connected"
        call.remote_state = "connected"
        call.answered_at = time.time()
        self.listener.call_changed(call, "established", "unknown")

    def _send_ack(self, call: SipCall, cseq: int, body: bytes = b"") -> None:
        assert call.remote_target is not None
        ack = self._request(
            "ACK",
            str(call.remote_target),
            call.local,
            NameAddr(call.remote.uri, call.remote.display, {"tag": call.remote_tag}),
            call.call_id,
            cseq,
            call.route_set,
        )
        if body:
            ack.add("content-type", "application/sdp")
            ack.body = body
        data = ack.to_bytes()
        dest = self._dest_for(call.remote_target, call.route_set)
        call.ack_key = (data, dest, cseq)
        self._send(data, dest)

    def _apply_answer(self, call: SipCall, media: sdp.MediaDescription) -> None:
        stream = call.stream
        if stream is None:
            return
        pt = media.first_codec([sdp.CODEC_NAMES[p] for p in self.cfg.codecs])
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

    async def answer(self, call_id: str) -> None:
        call = self._get(call_id)
        if call.direction != "inbound" or call.state != "alerting" or call.invite is None:
            raise SipError(409, "not a ringing incoming call")
        offer = _sdp_of(call.invite)
        stream = call.stream = self._new_stream()
        stream.on_digit = lambda digit, c=call: self.call_soon(self._digit, c, digit)
        codecs = self.cfg.codecs
        if offer is not None:
            self._apply_answer(call, offer)
            chosen = [stream.pt]
            body = sdp.build(
                self.local_ip,
                stream.local_port,
                chosen,
                direction=sdp.MIRROR.get(offer.direction, "sendrecv"),
                event_pt=offer.event_pt or sdp.EVENT_PT,
            )
        else:
            call.late_offer = True
            body = sdp.build(self.local_ip, stream.local_port, codecs)
        self._send_2xx(call, call.invite, body)
        call.state = "connected"
        call.remote_state = "connected"
        call.answered_at = time.time()
        self.listener.call_changed(call, "established", "unknown")

    def _send_2xx(self, call: SipCall, req: SipMessage, body: bytes) -> None:
        headers = [("contact", self.contact()), ("allow", ALLOW), ("supported", "replaces")]
        headers += [("record-route", rr) for rr in req.get_all("record-route")]
        resp = self._response(req, 200, "OK", call.local_tag)
        for name, value in headers:
            resp.add(name, value)
        resp.add("content-type", "application/sdp")
        resp.body = body
        assert self.tx is not None
        addr = req.top_via.reply_address()
        key = ("2xx", call.call_id, req.cseq[0])
        self.tx.server[(req.top_via.branch, req.method)] = _done(resp, addr)

        def give_up() -> None:
            log.warning("no ACK for our 200 OK on %s: hanging up", call.call_id)
            if call.state != "null":
                self.loop.create_task(self.hangup(call.id))

        self.tx.repeat(key, resp.to_bytes(), addr, give_up)

    async def hangup(self, call_id: str, reject_code: int | None = None) -> None:
        call = self._get(call_id)
        if call.state == "null":
            return
        if call.direction == "inbound" and call.state == "alerting" and call.invite is not None:
            code = reject_code or self.cfg.reject_code
            self._reply(call.invite, code, to_tag=call.local_tag)
            self._end(call, "null", None, cause="normalClearing")
        elif call.direction == "outbound" and call.answered_at is None and call.state != "fail":
            self._cancel(call)
        elif call.state == "fail" or not call.remote_tag:
            self._end(call, "null", None, cause="normalClearing")
        else:
            self._end(call, "null", None, cause="normalClearing")
            await self._bye(call)

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
        cancel = SipMessage(method="CANCEL", uri=invite.uri)
        cancel.add("via", invite.get("via"))
        for route in invite.get_all("route"):
            cancel.add("route", route)
        cancel.add("max-forwards", "70")
        cancel.add("from", invite.get("from"))
        cancel.add("to", invite.get("to"))
        cancel.add("call-id", invite.call_id)
        cancel.add("cseq", f"{invite.cseq[0]} CANCEL")
        assert self.tx is not None
        future = self.tx.request(cancel, self.server_addr)
        future.add_done_callback(lambda f: f.cancelled() or f.result())

    async def _bye(self, call: SipCall) -> None:
        try:
            response = await self._in_dialog(call, "BYE")
            log.info("BYE %s: %s", call.call_id[:12], response.status)
        except Exception:
            log.info("BYE on %s failed", call.call_id[:12], exc_info=True)

    async def _in_dialog(
        self,
        call: SipCall,
        method: str,
        body: bytes = b"",
        content_type: str = "",
        headers: list[tuple[str, str]] | None = None,
    ) -> SipMessage:
        if call.remote_target is None:
            raise SipError(481, "no dialog")
        call.local_cseq += 1
        msg = self._request(
            method,
            str(call.remote_target),
            call.local,
            NameAddr(call.remote.uri, call.remote.display, {"tag": call.remote_tag}),
            call.call_id,
            call.local_cseq,
            call.route_set,
        )
        if method in ("INVITE", "REFER", "NOTIFY"):
            msg.add("contact", self.contact())
        for name, value in headers or []:
            msg.add(name, value)
        if body:
            msg.add("content-type", content_type)
            msg.body = body

        def sent(m: SipMessage) -> None:
            call.local_cseq = m.cseq[0]

        dest = self._dest_for(call.remote_target, call.route_set)
        return await self._send_request(msg, dest, on_sent=sent)

    async def set_hold(self, call_id: str, on: bool) -> None:
        call = self._get(call_id)
        if call.state not in ("connected", "hold") or call.answered_at is None:
            raise SipError(409, "the call is not connected")
        for attempt in range(3):
            response = await self._reinvite(call, hold=on)
            if response.status != 491 or attempt == 2:
                break
            await asyncio.sleep(random.uniform(0.3, 2.0))  # glare: try again (RFC 3261 §14.1)
        if not 200 <= response.status < 300:
            raise SipError(response.status, response.reason)
        call.held = on
        if call.stream is not None:
            call.stream.held = on
        call.state = "hold" if on else "connected"
        self.listener.call_changed(call, "held" if on else "retrieved", "unknown")

    async def _reinvite(self, call: SipCall, hold: bool) -> SipMessage:
        stream = call.stream
        assert stream is not None
        if call.reinvite_busy:
            return _fake(491, "Request Pending")
        call.reinvite_busy = True
        try:
            call.sdp_version += 1
            direction = "sendonly" if hold else "sendrecv"
            if call.remote_held:
                direction = "inactive" if hold else "recvonly"
            codecs = [stream.pt] + [c for c in self.cfg.codecs if c != stream.pt]
            body = sdp.build(
                self.local_ip,
                stream.local_port,
                codecs,
                direction=direction,
                version=call.sdp_version,
                event_pt=stream.event_pt or sdp.EVENT_PT,
            )
            response = await self._in_dialog(call, "INVITE", body, "application/sdp")
            if 200 <= response.status < 300:
                contact = response.get("contact")
                if contact:
                    call.remote_target = NameAddr.parse(contact).uri
                self._send_ack(call, response.cseq[0])
                if response.body:
                    try:
                        media = sdp.parse(response.body)
                        stream.configure(media.address, media.port, stream.pt, media.event_pt)
                    except sdp.SdpError:
                        pass
            return response
        finally:
            call.reinvite_busy = False

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

    async def deflect(self, call_id: str, destination: str) -> None:
        call = self._get(call_id)
        if call.direction != "inbound" or call.state != "alerting" or call.invite is None:
            raise SipError(409, "only a ringing incoming call can be deflected")
        target = self.target_uri(destination)
        self._reply(
            call.invite,
            302,
            "Moved Temporarily",
            call.local_tag,
            headers=[("contact", f"<{target}>")],
        )
        call.destination = destination
        self._end(call, "null", None, cause="redirected", kind="diverted")

    async def refer(self, call_id: str, refer_to: str) -> None:
        """Send REFER; return once it is accepted (2xx); progress comes by NOTIFY."""
        call = self._get(call_id)
        if call.remote_target is None or call.state not in ("connected", "hold"):
            raise SipError(409, "the call is not connected")
        call.refer_waiter = self.loop.create_future()
        response = await self._in_dialog(
            call,
            "REFER",
            headers=[("refer-to", refer_to), ("referred-by", f"<{self.aor()}>")],
        )
        if not 200 <= response.status < 300:
            call.refer_waiter = None
            raise SipError(response.status, response.reason)
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

    def send_message(self, peer: str, text: str) -> asyncio.Future[SipMessage]:
        target = self.target_uri(peer)
        msg = self._request(
            "MESSAGE",
            str(target),
            self._local_party(secrets.token_hex(5)),
            NameAddr(target),
            uuid.uuid4().hex,
            1,
        )
        msg.add("content-type", "text/plain;charset=UTF-8")
        msg.body = text.encode("utf-8")
        return asyncio.ensure_future(self._send_request(msg, self.server_addr))

    # ---- ending -------------------------------------------------------------------------

    def _end(
        self,
        call: SipCall,
        state: str,
        response: SipMessage | None,
        cause: str | None = None,
        kind: str | None = None,
    ) -> None:
        if response is not None:
            call.status_text = f"{response.status} {response.reason}".strip()
            cause = cause or cause_for(response.status)
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

    def _get(self, call_id: str) -> SipCall:
        call = self.calls.get(call_id)
        if call is None:
            raise SipError(404, "no such call")
        return call

    def _digit(self, call: SipCall, digit: str) -> None:
        call.dtmf_received += digit
        self.listener.call_changed(call, "information", "unknown")

    # ---- incoming -----------------------------------------------------------------------

    def _on_response(self, msg: SipMessage) -> None:
        assert self.tx is not None
        stray = self.tx.on_response(msg)
        if stray is not None and stray.cseq[1] == "INVITE":
            for call in self._by_sip_id.get(stray.call_id, []):
                if call.ack_key is not None and call.ack_key[2] == stray.cseq[0]:
                    data, dest, _ = call.ack_key
                    self._send(data, dest)  # our ACK was lost: the 2xx came again

    def _find_dialog(self, msg: SipMessage) -> SipCall | None:
        to_tag, from_tag = msg.to.tag, msg.from_.tag
        for call in self._by_sip_id.get(msg.call_id, []):
            if call.local_tag == to_tag and (not call.remote_tag or call.remote_tag == from_tag):
                return call
        return None

    def _on_request(self, msg: SipMessage, addr: Address) -> None:
        assert self.tx is not None
        method = msg.method
        if method == "ACK":
            self._on_ack(msg)
            return
        if self.tx.retransmission(msg):
            return
        if method == "CANCEL":
            self._on_cancel(msg)
            return
        if msg.to.tag:
            call = self._find_dialog(msg)
            if call is None:
                self._reply(msg, 481, "Call/Transaction Does Not Exist")
                return
            if msg.cseq[0] <= call.remote_cseq and method != "ACK":
                self._reply(msg, 500, "Out of order CSeq")
                return
            call.remote_cseq = msg.cseq[0]
            handler = {
                "BYE": self._on_bye,
                "INVITE": self._on_reinvite,
                "INFO": self._on_info,
                "NOTIFY": self._on_notify,
                "OPTIONS": lambda c, m: self._on_options(m),
                "REFER": lambda c, m: self._reply(m, 603, "Decline"),
                "MESSAGE": lambda c, m: self._on_message(m),
            }.get(method)
            if handler is None:
                self._reply(msg, 501, "Not Implemented", headers=[("allow", ALLOW)])
            else:
                handler(call, msg)
            return
        if method == "INVITE":
            self._on_invite(msg, addr)
        elif method == "OPTIONS":
            self._on_options(msg)
        elif method == "MESSAGE":
            self._on_message(msg)
        elif method in ("BYE", "INFO", "REFER", "PRACK", "UPDATE"):
            self._reply(msg, 481, "Call/Transaction Does Not Exist")
        elif method == "NOTIFY":
            self._reply(msg, 200, "OK")
        elif method == "SUBSCRIBE":
            self._reply(msg, 489, "Bad Event")
        else:
            self._reply(msg, 501, "Not Implemented", headers=[("allow", ALLOW)])

    def _on_options(self, msg: SipMessage) -> None:
        self._reply(
            msg,
            200,
            "OK",
            headers=[("allow", ALLOW), ("accept", "application/sdp"), ("supported", "replaces")],
        )

    def _on_invite(self, msg: SipMessage, addr: Address) -> None:
        offer = None
        if msg.body:
            try:
                offer = sdp.parse(msg.body)
            except sdp.SdpError as error:
                self._reply(msg, 488, f"Not Acceptable Here ({error})")
                return
            if offer.first_codec([sdp.CODEC_NAMES[p] for p in self.cfg.codecs]) is None:
                self._reply(msg, 488, "Not Acceptable Here (no common codec)")
                return
        if msg.get("replaces"):
            self._reply(msg, 420, "Bad Extension")  # we are never an attended-transfer target
            return
        remote = msg.from_
        call = self._new_call(
            "inbound",
            NameAddr(remote.uri, remote.display),
            msg.call_id,
            secrets.token_hex(5),
        )
        call.remote_tag = remote.tag
        call.remote_cseq = msg.cseq[0]
        contact = msg.get("contact")
        call.remote_target = NameAddr.parse(contact).uri if contact else remote.uri
        call.route_set = list(msg.get_all("record-route"))
        call.invite, call.invite_addr = msg, addr
        call.state = "alerting"
        call.remote_state = "connected"
        headers = [("contact", self.contact())]
        headers += [("record-route", rr) for rr in msg.get_all("record-route")]
        self._reply(msg, 180, "Ringing", call.local_tag, headers=headers)
        self.listener.call_changed(call, "delivered", "newCall")

    def _on_cancel(self, msg: SipMessage) -> None:
        for call in list(self._by_sip_id.get(msg.call_id, [])):
            invite = call.invite
            if (
                call.direction == "inbound"
                and invite is not None
                and invite.top_via.branch == msg.top_via.branch
            ):
                self._reply(msg, 200, "OK")
                if call.state == "alerting":
                    self._reply(invite, 487, "Request Terminated", call.local_tag)
                    self._end(call, "null", None, cause="callCancelled")
                return
        self._reply(msg, 481, "Call/Transaction Does Not Exist")

    def _on_ack(self, msg: SipMessage) -> None:
        assert self.tx is not None
        if self.tx.on_ack(msg):
            return
        if self.tx.stop_repeat(("2xx", msg.call_id, msg.cseq[0])):
            call = self._find_dialog(msg)
            if call is not None and call.late_offer and msg.body:
                call.late_offer = False
                try:
                    self._apply_answer(call, sdp.parse(msg.body))
                except sdp.SdpError:
                    log.warning("bad SDP in ACK")

    def _on_bye(self, call: SipCall, msg: SipMessage) -> None:
        self._reply(msg, 200, "OK")
        if call.state != "null":
            self._end(call, "null", None, cause="normalClearing")

    def _on_reinvite(self, call: SipCall, msg: SipMessage) -> None:
        stream = call.stream
        if stream is None:
            self._reply(msg, 488, "Not Acceptable Here")
            return
        if call.reinvite_busy:
            self._reply(msg, 491, "Request Pending")
            return
        contact = msg.get("contact")
        if contact:
            call.remote_target = NameAddr.parse(contact).uri
        call.sdp_version += 1
        ours = "sendonly" if call.held else "sendrecv"
        if msg.body:
            try:
                media = sdp.parse(msg.body)
            except sdp.SdpError as error:
                self._reply(msg, 488, f"Not Acceptable Here ({error})")
                return
            self._apply_answer(call, media)
            mirrored = sdp.MIRROR.get(media.direction, "sendrecv")
            ours = _combine(mirrored, call.held)
        else:
            call.late_offer = True
        body = sdp.build(
            self.local_ip,
            stream.local_port,
            [stream.pt],
            direction=ours,
            version=call.sdp_version,
            event_pt=stream.event_pt or sdp.EVENT_PT,
        )
        self._send_2xx(call, msg, body)

    def _on_info(self, call: SipCall, msg: SipMessage) -> None:
        self._reply(msg, 200, "OK")
        text = msg.body.decode("utf-8", errors="replace")
        digit = ""
        if msg.content_type == "application/dtmf-relay":
            for line in text.splitlines():
                name, _, value = line.partition("=")
                if name.strip().lower() == "signal":
                    digit = value.strip()
        elif msg.content_type == "application/dtmf":
            digit = text.strip()
        if len(digit) == 1 and digit.upper() in "0123456789*#ABCD":
            self._digit(call, digit.upper())

    def _on_notify(self, call: SipCall, msg: SipMessage) -> None:
        self._reply(msg, 200, "OK")
        if not msg.get("event").lower().startswith("refer"):
            return
        first = msg.body.decode("utf-8", errors="replace").strip().split("\n")[0].strip()
        parts = first.split(" ", 2)
        if len(parts) < 2 or not parts[1].isdigit():
            return
        status, reason = int(parts[1]), parts[2] if len(parts) > 2 else ""
        if status >= 200 and call.refer_waiter is not None and not call.refer_waiter.done():
            call.refer_waiter.set_result((status, reason))
        elif status < 200:
            self.listener.transfer_progress(call, status, reason)

    def _on_message(self, msg: SipMessage) -> None:
        if msg.content_type not in ("text/plain", ""):
            self._reply(msg, 415, "Unsupported Media Type", headers=[("accept", "text/plain")])
            return
        self._reply(msg, 200, "OK")
        sender = msg.from_
        self.listener.message_received(
            sender.uri.user or str(sender.uri),
            sender.display,
            msg.body.decode("utf-8", errors="replace"),
        )


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self, ua: UserAgent) -> None:
        self.ua = ua

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        self.ua.datagram(data, (str(addr[0]), int(addr[1])))

    def error_received(self, exc: Exception) -> None:
        log.debug("SIP socket error: %s", exc)


def _phrase(status: int) -> str:
    try:
        import pyVoIP  # noqa: F401 - pyVoIP.SIP must not be the first import (defect #12)
        from pyVoIP.SIP import SIPStatus

        return str(SIPStatus(status).phrase)
    except Exception:
        return {200: "OK", 487: "Request Terminated"}.get(status, "Unknown")


def _retry_of(msg: SipMessage, branch: str) -> SipMessage:
    """The same request with a new branch and the next CSeq (for a digest retry)."""
    again = SipMessage(method=msg.method, uri=msg.uri, headers=list(msg.headers), body=msg.body)
    via = again.get("via")
    head, _, _ = via.partition(";branch=")
    rest = via.split(";branch=", 1)[1].split(";", 1)
    tail = f";{rest[1]}" if len(rest) > 1 else ""
    number, method = msg.cseq
    again.headers = [
        (k, f"{head};branch={branch}{tail}" if k == "via" and v == via else v)
        for k, v in again.headers
    ]
    again.set("cseq", f"{number + 1} {method}")
    return again


def _sdp_of(msg: SipMessage) -> sdp.MediaDescription | None:
    if not msg.body:
        return None
    try:
        return sdp.parse(msg.body)
    except sdp.SdpError:
        return None


def _combine(mirrored: str, held: bool) -> str:
    if not held:
        return mirrored
    return {"sendrecv": "sendonly", "recvonly": "inactive"}.get(mirrored, mirrored)


def _fake(status: int, reason: str) -> SipMessage:
    return SipMessage(status=status, reason=reason)


def _done(resp: SipMessage, addr: Address) -> Any:
    from tws_tui.backends.sip.transactions import ServerTx

    return ServerTx("INVITE", resp.to_bytes(), addr)


def _register_failure(error: SipError, cfg: UaConfig) -> str:
    if error.status in (401, 407):
        return f"wrong password or user name for {cfg.auth_user or cfg.user} ({error.status})"
    if error.status == 403:
        return f"registration refused: forbidden (403 {error.reason})"
    if error.status == 404:
        return f"unknown user {cfg.user} (404)"
    if error.status == 408:
        return f"no answer from {cfg.server}:{cfg.port}"
    return f"registration failed: {error.status} {error.reason}"
