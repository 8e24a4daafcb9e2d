"""SIP transactions over UDP (RFC 3261 §17): retransmission, timeouts, response matching.

Owns the timers the SIP user agent needs on an unreliable transport, all on the SIP thread's
asyncio loop:

* client transactions: Timer A/E retransmit the request (INVITE doubling until a provisional,
  others doubling up to T2), Timer B/F give a synthetic 408 after 64·T1, the ACK of a non-2xx
  final answer is sent here (hop-by-hop, same branch) and re-sent for each retransmission;
* server transactions: a retransmitted request gets the last response again, a non-2xx final
  answer to INVITE is retransmitted until its ACK (Timer G/H);
* :meth:`Transactions.repeat` retransmits a 2xx to INVITE until the dialog layer sees the ACK.

Keys are ``(branch, method)``: CANCEL shares its INVITE's branch. On a reliable transport
(TCP, TLS: ``reliable``) requests and non-2xx answers are not retransmitted (RFC 3261
§17.1.1.2, §17.2.1); the timeouts stay.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from tws_tui.backends.sip.message import Draft, SipMessage

log = logging.getLogger(__name__)

Address = tuple[str, int]
Send = Callable[[bytes, Address], None]


@dataclass
class ClientTx:
    request: SipMessage
    dest: Address
    future: asyncio.Future[SipMessage]
    on_provisional: Callable[[SipMessage], None] | None = None
    final: SipMessage | None = None
    ack: bytes | None = None
    timers: list[asyncio.TimerHandle] = field(default_factory=list)

    @property
    def method(self) -> str:
        return self.request.method

    def cancel_timers(self) -> None:
        for timer in self.timers:
            timer.cancel()
        self.timers.clear()


@dataclass
class ServerTx:
    method: str
    response: bytes | None = None
    addr: Address | None = None
    acked: bool = False
    retransmit: asyncio.TimerHandle | None = None


class Transactions:
    def __init__(
        self, loop: asyncio.AbstractEventLoop, send: Send, t1: float = 0.5, reliable: bool = False
    ) -> None:
        self.loop = loop
        self.reliable = reliable
        self.send = send
        self.t1 = t1
        self.t2 = max(4.0, t1 * 8) if t1 >= 0.5 else t1 * 8
        self.client: dict[tuple[str, str], ClientTx] = {}
        self.server: dict[tuple[str, str], ServerTx] = {}
        self._repeats: dict[object, asyncio.TimerHandle] = {}

    @property
    def timeout(self) -> float:
        return 64 * self.t1

    # ---- client ------------------------------------------------------------------------

    def request(
        self,
        request: SipMessage,
        dest: Address,
        on_provisional: Callable[[SipMessage], None] | None = None,
    ) -> asyncio.Future[SipMessage]:
        key = (request.top_via.branch, request.method)
        future: asyncio.Future[SipMessage] = self.loop.create_future()
        tx = ClientTx(request, dest, future, on_provisional)
        self.client[key] = tx
        data = request.raw
        self.send(data, dest)
        if not self.reliable:
            self._schedule_retransmit(tx, data, self.t1)
        tx.timers.append(self.loop.call_later(self.timeout, self._timeout, key))
        return future

    def _schedule_retransmit(self, tx: ClientTx, data: bytes, interval: float) -> None:
        def again() -> None:
            if tx.final is None and not tx.future.done():
                self.send(data, tx.dest)
                cap = interval * 2 if tx.method == "INVITE" else min(interval * 2, self.t2)
                self._schedule_retransmit(tx, data, cap)

        tx.timers.append(self.loop.call_later(interval, again))

    def _timeout(self, key: tuple[str, str]) -> None:
        tx = self.client.pop(key, None)
        if tx is None or tx.future.done():
            return
        tx.cancel_timers()
        timeout = Draft(status=408, reason="Request Timeout (no answer)")
        for name in ("via", "from", "to", "call-id", "cseq"):
            for value in tx.request.get_all(name):
                timeout.add(name, value)
        timeout.add("x-local-timeout", "1")
        tx.future.set_result(timeout.build())

    def on_response(self, response: SipMessage) -> SipMessage | None:
        """Match a response; returns it when it is a 2xx retransmission nobody waits for."""
        branch = response.top_via.branch
        key = (branch, response.cseq[1])
        tx = self.client.get(key)
        if tx is None:
            return response if 200 <= response.code < 300 else None
        if response.code < 200:
            if tx.method == "INVITE":
                # Timer A stops; the proxy now owns the timeout (a long guard stays)
                tx.cancel_timers()
                tx.timers.append(self.loop.call_later(300.0, self._timeout, key))
            if tx.on_provisional is not None and tx.final is None:
                tx.on_provisional(response)
            return None
        if tx.final is not None:  # a retransmitted final answer
            if tx.ack is not None:
                self.send(tx.ack, tx.dest)
                return None
            return response if 200 <= response.code < 300 else None
        tx.final = response
        tx.cancel_timers()
        if tx.method == "INVITE" and response.code >= 300:
            ack = same_transaction_request(tx.request, "ACK", response.get("to"))
            tx.ack = ack.to_bytes()
            self.send(tx.ack, tx.dest)
        if not tx.future.done():
            tx.future.set_result(response)
        self.loop.call_later(self.timeout, self.client.pop, key, None)
        return None

    # ---- server ------------------------------------------------------------------------

    def retransmission(self, request: SipMessage) -> bool:
        """True if ``request`` was seen already (its last response, if any, is re-sent)."""
        key = (request.top_via.branch, request.method)
        tx = self.server.get(key)
        if tx is None:
            self.server[key] = ServerTx(request.method)
            self.loop.call_later(self.timeout + 5, self.server.pop, key, None)
            return False
        if tx.response is not None and tx.addr is not None:
            self.send(tx.response, tx.addr)
        return True

    def respond(self, request: SipMessage, response: SipMessage, addr: Address) -> None:
        key = (request.top_via.branch, request.method)
        tx = self.server.setdefault(key, ServerTx(request.method))
        data = response.raw
        tx.response, tx.addr = data, addr
        self.send(data, addr)
        if request.method == "INVITE" and response.code >= 300 and not self.reliable:
            self._retransmit_until_ack(tx, data, addr, self.t1, self.loop.time() + self.timeout)

    def _retransmit_until_ack(
        self, tx: ServerTx, data: bytes, addr: Address, interval: float, deadline: float
    ) -> None:
        def again() -> None:
            if not tx.acked and self.loop.time() < deadline:
                self.send(data, addr)
                self._retransmit_until_ack(tx, data, addr, min(interval * 2, self.t2), deadline)

        tx.retransmit = self.loop.call_later(interval, again)

    def on_ack(self, ack: SipMessage) -> bool:
        """An ACK for a non-2xx answer (same branch as the INVITE): absorbed, True."""
        tx = self.server.get((ack.top_via.branch, "INVITE"))
        if tx is None or tx.response is None or tx.response[8:9] == b"2":
            return False
        tx.acked = True
        if tx.retransmit is not None:
            tx.retransmit.cancel()
        return True

    def repeat(
        self, key: object, data: bytes, addr: Address, on_give_up: Callable[[], None]
    ) -> None:
        """Re-send ``data`` (a 2xx to INVITE) until :meth:`stop_repeat` (its ACK came)."""
        deadline = self.loop.time() + self.timeout
        self.send(data, addr)

        def again(interval: float) -> None:
            if key not in self._repeats:
                return
            if self.loop.time() >= deadline:
                self._repeats.pop(key, None)
                on_give_up()
                return
            self.send(data, addr)
            self._repeats[key] = self.loop.call_later(interval, again, min(interval * 2, self.t2))

        self._repeats[key] = self.loop.call_later(self.t1, again, min(self.t1 * 2, self.t2))

    def stop_repeat(self, key: object) -> bool:
        handle = self._repeats.pop(key, None)
        if handle is not None:
            handle.cancel()
            return True
        return False

    def close(self) -> None:
        for tx in self.client.values():
            tx.cancel_timers()
            if not tx.future.done():
                tx.future.cancel()
        for handle in self._repeats.values():
            handle.cancel()
        for stx in self.server.values():
            if stx.retransmit is not None:
                stx.retransmit.cancel()
        self.client.clear()
        self._repeats.clear()


def same_transaction_request(invite: SipMessage, method: str, to: str) -> Draft:
    """A CANCEL or the ACK of a non-2xx final response (RFC 3261 §9.1, §17.1.1.3): the
    INVITE's Request-URI, top Via, Route set, From, Call-ID and CSeq number; ``to`` is the
    INVITE's To (CANCEL) or the response's, with its tag (ACK)."""
    request = Draft(method=method, uri=invite.uri)
    request.add("via", invite.get("via"))
    for route in invite.get_all("route"):
        request.add("route", route)
    request.add("max-forwards", "70")
    request.add("from", invite.get("from"))
    request.add("to", to)
    request.add("call-id", invite.call_id)
    request.add("cseq", f"{invite.cseq[0]} {method}")
    return request
