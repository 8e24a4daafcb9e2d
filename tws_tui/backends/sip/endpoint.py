"""The SIP endpoint: one UDP socket, or one TCP or TLS connection to the SIP server
(``transport``), on an asyncio loop in its own thread, and how requests and responses are
written, sent, retransmitted and authenticated.

Owns the transport side of the user agent, and nothing about calls:

* the ``sip-core`` thread and its event loop (:meth:`SipEndpoint.start`, :meth:`submit`,
  :meth:`call_soon`, :meth:`stop`); other threads only ever submit work to it;
* the socket: the server resolved once, the local address found by routing towards it, every
  datagram parsed by :func:`.message.parse` (pyVoIP's ``SIPMessage``, patched) and handed to
  the user agent; a malformed one is counted in :attr:`dropped`, logged and dropped, and a
  request whose handling fails gets a 500 rather than a traceback; should asyncio ever close
  the socket under us (it does on a send error other than ``OSError``), the same port is bound
  again at once (:meth:`SipEndpoint.lost`);
* over TCP or TLS (:mod:`.stream`): one connection to the server, which carries everything
  both ways (requests to the server, its requests and our answers: an outbound flow), the
  server's certificate checked for TLS (``ca_bundle``); RFC 5626 CRLF keep-alives every
  ``keepalive`` seconds (:attr:`SipEndpoint.pongs` counts the answers); a lost connection is
  opened again with back-off and the user agent told (``on_reconnect``: register again);
* writing messages (:meth:`request`, :meth:`reply`: responses go to the Via, RFC 3261 §18.2.2,
  with rport, or back on the connection) and :meth:`send_request`, which answers up to two
  401/407 challenges (:mod:`.digest`) with a new branch and the next CSeq each time.

pyVoIP's ``SIPClient`` socket is not used: its receive loop polls a non-blocking socket every
10 ms while holding a lock that ``phone.call()`` also holds while it waits for an answer, which
is how a 407 froze registration (defect #2); it sends every response and in-dialog request to
the registrar whatever the Via or Route (defects #5, #8). This is one ``asyncio`` datagram
endpoint instead: no polling, no lock, and the transaction timers of :mod:`.transactions`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import secrets
import socket
import ssl
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from tws_tui.backends.sip.addresses import NameAddr, SipParseError, SipUri
from tws_tui.backends.sip.call_state import UaConfig
from tws_tui.backends.sip.digest import AuthError, DigestAuth
from tws_tui.backends.sip.guard import Throttle, refusal, trusted_source
from tws_tui.backends.sip.locate import Target, locate
from tws_tui.backends.sip.message import METHODS, Draft, SipMessage, is_ip, parse, valid_host
from tws_tui.backends.sip.stream import StreamProtocol, tls_context
from tws_tui.backends.sip.transactions import Address, Transactions

log = logging.getLogger(__name__)
T = TypeVar("T")

ALLOW = ", ".join(METHODS)
USER_AGENT = "tws-tui"
Handler = Callable[[SipMessage, Address], None]


class SipEndpoint:
    """A UDP SIP endpoint run by an asyncio loop in the ``sip-core`` thread."""

    def __init__(self, config: UaConfig, handler: Handler) -> None:
        self.cfg = config
        self.handler = handler
        self.auth = DigestAuth(config.auth_user or config.user, config.password)
        self.loop = asyncio.new_event_loop()
        self._thread: threading.Thread | None = None
        self._transport: asyncio.DatagramTransport | None = None
        self._tx: Transactions | None = None
        self.server_addr: Address = ("", 0)
        self.targets: list[Target] = []  # where RFC 3263 says the server is, in order
        self.local_ip = config.local_ip
        self.local_port = config.local_port
        self.dropped = 0  # malformed datagrams (answered 400/505 or not)
        self.refused = 0  # of those, answered 400 or 505
        self.unwanted = 0  # requests outside a dialog from an untrusted address, dropped
        self.trusted: frozenset[str] = frozenset()
        self.reopened = 0  # times the socket was lost and bound again
        self.failovers = 0  # times the next located server was taken (RFC 3263 §4.3)
        self._closing = False
        self._throttle = Throttle()
        self.reliable = config.transport in ("tcp", "tls")
        self.stream: StreamProtocol | None = None
        self.on_reconnect: Callable[[], None] | None = None
        self._pongs = 0  # CRLF keep-alive answers on connections before the current one

    @property
    def tx(self) -> Transactions:
        assert self._tx is not None, "the endpoint is not started"
        return self._tx

    # ---- the loop thread (called from other threads) ------------------------------------

    def start(self, timeout: float = 5.0) -> None:
        """Resolve the server, bind the socket, start the loop thread."""
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

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def call_soon(self, fn: Callable[..., Any], *args: Any) -> None:
        self.loop.call_soon_threadsafe(fn, *args)

    def stop(self, closing: Callable[[], Coroutine[Any, Any, None]], timeout: float = 5.0) -> None:
        """Run ``closing()`` on the loop (hang up, unregister), close the socket, end the
        thread."""
        if self._thread is None or not self._thread.is_alive():
            return
        try:
            self.submit(closing()).result(timeout)
        except Exception:
            log.warning("SIP stack did not close cleanly", exc_info=True)
        self.loop.call_soon_threadsafe(self._close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout)

    async def _open(self) -> None:
        cfg = self.cfg  # RFC 3263 in a worker thread: dnspython's queries block
        self.targets = await self.loop.run_in_executor(
            None, locate, cfg.server, cfg.port, cfg.transport, cfg.nameserver
        )
        first = self.targets[0]
        log.info("SIP server %s: %s:%s (%s)", cfg.server, first.host, first.port, first.via)
        self.server_addr = first.host, first.port
        if "*" not in self.cfg.trusted_hosts:
            ours = {target.host for target in self.targets}
            self.trusted = frozenset({*ours, *await self._resolve_all()})
        if self.reliable:
            await self._connect()
            self._tx = Transactions(self.loop, self.send, self.cfg.t1, reliable=True)
            if self.cfg.keepalive > 0:
                self.loop.create_task(self._crlf_keepalive())
            log.info(
                "SIP UA on %s:%s, server %s:%s over %s",
                self.local_ip,
                self.local_port,
                *self.server_addr,
                self.cfg.transport.upper(),
            )
            return
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
        self._tx = Transactions(self.loop, self.send, self.cfg.t1)
        log.info("SIP UA on %s:%s, server %s:%s", self.local_ip, self.local_port, *self.server_addr)

    async def _connect(self, start: int = 0) -> None:
        """Open the TCP or TLS connection to the server (TLS: its certificate checked), to
        the first of the located addresses from ``start`` on that answers (RFC 3263 §4.3: the
        next SRV target when one fails; a refused certificate is not retried elsewhere)."""
        context = tls_context(self.cfg.ca_bundle) if self.cfg.transport == "tls" else None
        failure: OSError | None = None
        targets = self.targets or [Target(*self.server_addr, "")]
        for target in targets[start:] + targets[:start]:
            try:
                transport, protocol = await asyncio.wait_for(
                    self.loop.create_connection(
                        lambda: StreamProtocol(self.datagram, self._stream_lost),
                        target.host,
                        target.port,
                        ssl=context,
                        server_hostname=self.cfg.server if context is not None else None,
                        local_addr=(self.local_ip, 0) if self.local_ip else None,
                    ),
                    max(5.0, 10 * self.cfg.t1),
                )
            except ssl.SSLCertVerificationError:
                raise
            except OSError as error:  # TimeoutError too
                log.warning("SIP server %s:%s not reached: %s", target.host, target.port, error)
                failure = error
                continue
            self.server_addr = target.host, target.port
            break
        else:
            raise failure or OSError("no address to connect to")
        self.stream = protocol
        self.local_ip, self.local_port = transport.get_extra_info("sockname")[:2]

    @property
    def pongs(self) -> int:
        """RFC 5626 keep-alive answers (CRLF) the server sent on our connections."""
        return self._pongs + (self.stream.framer.pongs if self.stream is not None else 0)

    async def _crlf_keepalive(self) -> None:
        """RFC 5626 §4.4.1: a CRLFCRLF ping on the connection every ``keepalive`` seconds."""
        while not self._closing:
            await asyncio.sleep(self.cfg.keepalive)
            if self.stream is not None:
                self.stream.write(b"\r\n\r\n")

    def _stream_lost(self, protocol: StreamProtocol, error: Exception | None) -> None:
        if self._closing or protocol is not self.stream:
            return
        self._pongs += protocol.framer.pongs
        self.stream = None
        log.warning("the SIP connection to the server was lost (%s): opening it again", error)
        self.loop.create_task(self._reconnect())

    async def _reconnect(self) -> None:
        for attempt in range(1000):
            if self._closing:
                return
            try:
                await self._connect()
            except (OSError, TimeoutError) as error:
                log.warning("SIP connection not opened again yet (%s)", error)
                await asyncio.sleep(min(0.5 * 2**attempt, 30.0))
                continue
            self.reopened += 1
            log.info("SIP connection open again from %s:%s", self.local_ip, self.local_port)
            if self.on_reconnect is not None:
                self.on_reconnect()
            return

    async def _resolve_all(self) -> set[str]:
        found: set[str] = set()
        for host in self.cfg.trusted_hosts:
            try:
                infos = await self.loop.getaddrinfo(host, None, family=socket.AF_INET)
            except OSError as error:
                log.warning("trusted host %s not resolved: %s", host, error)
                continue
            found.update(str(info[4][0]) for info in infos)
        return found

    def lost(self, error: Exception | None) -> None:
        """The socket was closed under us (asyncio closes it on a send error it does not
        expect): bind the same port again at once, so the phone stays reachable and
        registered; the transactions and dialogs are kept."""
        if self._closing:
            return
        log.error("the SIP socket was closed (%s): opening it again", error)
        self.loop.create_task(self._reopen())

    async def _reopen(self) -> None:
        for attempt in range(50):
            try:
                transport, _ = await self.loop.create_datagram_endpoint(
                    lambda: _Protocol(self), local_addr=(self.local_ip, self.local_port)
                )
            except OSError as error:
                log.warning("SIP socket not reopened yet (%s)", error)
                await asyncio.sleep(min(0.1 * 2**attempt, 5.0))
                continue
            self._transport = transport
            self.reopened += 1
            log.info("SIP socket open again on %s:%s", self.local_ip, self.local_port)
            return
        log.error("the SIP socket could not be opened again")

    def _close(self) -> None:
        self._closing = True
        if self._tx is not None:
            self._tx.close()
        if self.stream is not None and self.stream.transport is not None:
            self.stream.transport.close()
        if self._transport is not None:
            self._transport.close()

    # ---- the socket ---------------------------------------------------------------------

    def send(self, data: bytes, addr: Address) -> None:
        """Send a datagram to an IPv4 address and a port in range; a host name is resolved
        off this thread first (issue 19, defect 7).

        asyncio's ``sendto`` handles ``OSError`` only: an ``OverflowError`` or ``TypeError``
        (a port out of range, a NUL in the host) closed the socket for good (defect 1), so
        nothing reaches it unchecked."""
        if self.reliable:  # everything goes back and forth on the one connection
            if self.stream is not None:
                self.stream.write(data)
            return
        host, port = addr
        if not isinstance(port, int) or not 0 < port <= 65535:
            log.warning("not sent: port %r out of range", port)
        elif is_ip(host):
            if self._transport is not None and not self._transport.is_closing():
                self._transport.sendto(data, (host, port))
        elif valid_host(host):
            self.loop.create_task(self._send_resolved(data, host, port))
        else:
            log.warning("not sent: bad host %r", host[:60])

    async def _send_resolved(self, data: bytes, host: str, port: int) -> None:
        try:
            infos = await self.loop.getaddrinfo(host, port, family=socket.AF_INET)
        except OSError as error:
            log.warning("not sent: %s not resolved (%s)", host, error)
            return
        self.send(data, (str(infos[0][4][0]), port))

    def datagram(self, data: bytes, addr: Address) -> None:
        if not data.strip(b"\r\n\x00 "):
            return  # keep-alive
        try:
            message = parse(data)
        except SipParseError as error:
            self._refuse(data, str(error), addr)
            return
        if message.is_request:
            message.mark_source(addr)
            if not message.to_tag and not trusted_source(addr[0], self.trusted):
                self.unwanted += 1
                self._throttle.note(
                    "dropped %s from %s: not the SIP server", message.method, addr[0]
                )
                return
        try:
            self.handler(message, addr)
        except Exception:
            self.dropped += 1
            if self._throttle.note("could not handle %s from %s", message.brief(), addr[0]):
                log.debug("the handler failed", exc_info=True)
            if message.is_request and message.method != "ACK":
                self.reply(message, 500, "Server Internal Error")

    def _refuse(self, data: bytes, error: str, addr: Address) -> None:
        """A malformed datagram: 400/505 when it is a request that can be answered (to its
        source), else dropped; either way counted and logged (throttled)."""
        self.dropped += 1
        answer = refusal(data, error, addr) if trusted_source(addr[0], self.trusted) else None
        if answer is not None:
            self.refused += 1
            self.send(answer[0], addr)
        self._throttle.note(
            "%s a malformed datagram from %s:%s: %s",
            f"answered {answer[1]} to" if answer else "dropped",
            *addr,
            error,
        )

    # ---- writing messages ---------------------------------------------------------------

    @staticmethod
    def branch() -> str:
        return "z9hG4bK" + secrets.token_hex(10)

    def aor(self, user: str | None = None) -> SipUri:
        port = self.cfg.port if self.cfg.port not in (0, 5060) else None
        return SipUri(self.cfg.server, user if user is not None else self.cfg.user, port)

    def target_uri(self, destination: str) -> SipUri:
        if destination.lower().startswith(("sip:", "sips:")):
            return SipUri.parse(destination)
        user, at, _host = destination.partition("@")
        if at:
            return SipUri.parse(f"sip:{destination}")
        return self.aor(user)

    def contact(self) -> str:
        where = f"{self.local_ip}:{self.local_port}"
        return f"<sip:{self.cfg.user}@{where};transport={self.cfg.transport}>"

    def local_party(self, tag: str) -> NameAddr:
        return NameAddr(self.aor(), self.cfg.display_name, {"tag": tag})

    def request(
        self,
        method: str,
        uri: str,
        from_: NameAddr,
        to: NameAddr,
        call_id: str,
        cseq: int,
        routes: list[str] | None = None,
    ) -> Draft:
        msg = Draft(method=method, uri=uri)
        msg.add(
            "via",
            f"SIP/2.0/{self.cfg.transport.upper()} {self.local_ip}:{self.local_port}"
            f";rport;branch={self.branch()}",
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

    def response(self, req: SipMessage, status: int, reason: str = "", to_tag: str = "") -> Draft:
        resp = Draft(status=status, reason=reason)
        for via in req.get_all("via"):
            resp.add("via", via)
        resp.add("from", req.get("from"))
        to = req.get("to")
        if to_tag and not req.to_tag:
            to = f"{to};tag={to_tag}"
        resp.add("to", to)
        resp.add("call-id", req.call_id)
        resp.add("cseq", req.get("cseq"))
        resp.add("server", USER_AGENT)
        return resp

    def reply(
        self,
        req: SipMessage,
        status: int,
        reason: str = "",
        to_tag: str = "",
        headers: list[tuple[str, str]] | None = None,
        body: bytes = b"",
        content_type: str = "",
    ) -> SipMessage:
        resp = self.response(req, status, reason, to_tag)
        for name, value in headers or []:
            resp.add(name, value)
        if body:
            resp.add("content-type", content_type)
            resp.content = body
        built = resp.build()
        self.tx.respond(req, built, req.top_via.reply_address())
        return built

    def dest_for(self, uri: SipUri, routes: list[str]) -> Address:
        if routes:
            uri = NameAddr.parse(routes[0]).uri
        host = uri.params.get("maddr") or uri.host  # resolved by send(), off this thread
        return host, uri.port or 5060

    async def send_request(
        self,
        draft: Draft,
        dest: Address,
        on_provisional: Callable[[SipMessage], None] | None = None,
        on_sent: Callable[[SipMessage], None] | None = None,
    ) -> SipMessage:
        """Send, answering up to two digest challenges (401/407); return the final answer.

        RFC 3263 §4.3: when the server (``dest`` is :attr:`server_addr`) does not answer or
        answers 503, the next located target becomes the server: over UDP the request is
        sent there again (each target once); over TCP/TLS the connection moves to it and the
        registration starts again there (the Contact changes with the connection)."""
        challenges = 0
        tried = {dest}
        while True:
            msg = draft.build()
            if on_sent is not None:
                on_sent(msg)
            response = await self.tx.request(msg, dest, on_provisional)
            if _server_failed(response) and dest == self.server_addr and not self._closing:
                following = await self._fail_over(response, tried)
                if following is not None and not self.reliable:
                    tried.add(following)
                    dest = following
                    draft = _retry_of(msg, self.branch())
                    continue
                return response
            if response.code not in (401, 407) or challenges == 2 or not self.auth.password:
                return response
            challenges += 1
            try:
                name, value = self.auth.answer(response, msg.method, msg.uri)
            except AuthError as error:
                log.warning("cannot answer the %s challenge: %s", response.code, error)
                return response
            draft = _retry_of(msg, self.branch())
            draft.remove("authorization")
            draft.remove("proxy-authorization")
            draft.add(name, value)

    async def _fail_over(self, response: SipMessage, tried: set[Address]) -> Address | None:
        """Make the next located target not yet tried the server; None when there is none
        (or, over TCP/TLS, when none of them can be connected to)."""
        order = [(t.host, t.port) for t in self.targets]
        if self.server_addr not in order or len(order) < 2:
            return None
        at = order.index(self.server_addr)
        following = [a for a in order[at + 1 :] + order[:at] if a not in tried]
        if not following:
            return None
        log.warning(
            "SIP server %s:%s %s: trying the next one, %s:%s (RFC 3263 §4.3)",
            *self.server_addr,
            "did not answer" if response.code == 408 else f"answered {response.code}",
            *following[0],
        )
        if not self.reliable:
            self.server_addr = following[0]
            self.failovers += 1
            return following[0]
        old, self.stream = self.stream, None  # not "lost": no reconnection to the same one
        if old is not None and old.transport is not None:
            old.transport.close()
        try:
            await self._connect(start=order.index(following[0]))
        except OSError as error:
            log.warning("no other SIP server could be reached: %s", error)
            self.loop.create_task(self._reconnect())
            return None
        self.failovers += 1
        if self.on_reconnect is not None:
            self.on_reconnect()
        return self.server_addr


def _server_failed(response: SipMessage) -> bool:
    """No answer (our own 408) or 503 Service Unavailable: RFC 3263 §4.3's cue for the next
    server."""
    return response.code == 503 or (response.code == 408 and bool(response.get("x-local-timeout")))


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self, endpoint: SipEndpoint) -> None:
        self.endpoint = endpoint
        self.transport: asyncio.BaseTransport | None = None

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        self.endpoint.datagram(data, (str(addr[0]), int(addr[1])))

    def error_received(self, exc: Exception) -> None:
        log.debug("SIP socket error: %s", exc)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def connection_lost(self, exc: Exception | None) -> None:
        if self.transport is not None and self.transport is self.endpoint._transport:
            self.endpoint.lost(exc)


def _retry_of(msg: SipMessage, branch: str) -> Draft:
    """The same request with a new branch and the next CSeq (for a digest retry)."""
    again = Draft.copy_of(msg)
    via = msg.get("via")
    head, _, rest = via.partition(";branch=")
    tail = rest.split(";", 1)
    again.headers = [
        (k, f"{head};branch={branch}" + (f";{tail[1]}" if len(tail) > 1 else ""))
        if k == "via" and v == via
        else (k, v)
        for k, v in again.headers
    ]
    number, method = msg.cseq
    again.set("cseq", f"{number + 1} {method}")
    return again
