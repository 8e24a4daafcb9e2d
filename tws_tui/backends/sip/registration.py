"""Registration (RFC 3261 §10): REGISTER with digest, refresh before expiry, backoff, Expires: 0.

Owns the binding of our Contact at the registrar and the link status the console shows:
``connecting`` → ``registered``, or ``failing`` (no answer, 5xx: retried with a backoff from 1
to 60 s) / ``offline`` (wrong credentials, forbidden, unknown user) with the reason in words.
The granted expiry is read from our Contact's ``expires`` in the 200 (or ``Expires``), and the
binding is refreshed 10 % early (2 to 30 s). One Call-ID and a rising CSeq for the session.
The registrar's software and version, as its replies' ``Server`` (or ``User-Agent``) header
says ("kamailio (5.7.4 (x86_64/linux))"), is kept for About (``server_agent``).

Staying reachable (issue 19, defect 6): every ``keepalive`` seconds while registered, an
OPTIONS to our own address of record goes through the server, which routes it back to us
(and answers our 200) only while it still holds our binding. A 404 or 480 (the registrar
restarted with an empty location table), a 408 (it did not answer) or a 5xx re-registers at
once, with the usual backoff, instead of waiting up to ~9.5 min for the next refresh; on
UDP the same OPTIONS keeps a NAT binding open.

pyVoIP's ``SIPClient.register`` is not used: it blocks its caller in ``select`` on the shared
socket with no retransmission, answers 401 only, without qop and with a digest URI that is not
the request's (defect #2), sends Expires 120 whatever is configured, puts no port in the
R-URI, From and To (a registrar on another port than 5060 misroutes them), takes its Call-ID
from a counter hashed the same way after every restart (defect #12), and stops the phone
for good after three failures.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import uuid

from tws_tui.backends.sip.addresses import NameAddr, SipParseError, SipUri, split_list
from tws_tui.backends.sip.call_state import Listener, SipError, UaConfig
from tws_tui.backends.sip.endpoint import ALLOW, SipEndpoint
from tws_tui.backends.sip.message import SipMessage
from tws_tui.core.errors import N_

log = logging.getLogger(__name__)

#: The longest registrar's Server header kept (a header is the peer's text: bounded).
MAX_AGENT_CHARS = 120


class Registration:
    """Keeps this phone registered while the user agent runs."""

    def __init__(self, endpoint: SipEndpoint, listener: Listener) -> None:
        self.endpoint = endpoint
        self.cfg: UaConfig = endpoint.cfg
        self.listener = listener
        self.registered = False
        self._call_id = uuid.uuid4().hex
        self._cseq = 0
        self._tag = secrets.token_hex(5)
        self._stop = asyncio.Event()
        self._wake = asyncio.Event()  # register now (the keep-alive found the binding gone)
        self._task: asyncio.Task[None] | None = None
        self._keepalive: asyncio.Task[None] | None = None
        self.lost = 0  # times the keep-alive found the binding gone
        #: The registrar's Server (else User-Agent) header on its last REGISTER reply; "".
        self.server_agent = ""

    def begin(self) -> None:
        """Start the registration loop (on the SIP loop)."""
        if self.cfg.register and self._task is None:
            self._task = self.endpoint.loop.create_task(self._loop())
            if self.cfg.keepalive > 0:
                self._keepalive = self.endpoint.loop.create_task(self._keep_alive())

    def now(self) -> None:
        """Register again at once (a new TCP/TLS connection: a new Contact)."""
        self._wake.set()

    async def end(self) -> None:
        """Stop refreshing and remove the binding (Expires: 0), best effort."""
        self._stop.set()
        self._wake.set()
        for task in (self._task, self._keepalive):
            if task is not None:
                task.cancel()
        if self.registered:
            try:
                await asyncio.wait_for(self._register_once(0), 2.0)
            except Exception:
                log.info("unregister got no answer")
            self.registered = False

    async def _loop(self) -> None:
        backoff = 1.0
        self.listener.link_changed("connecting", REGISTERING, None)
        while not self._stop.is_set():
            try:
                granted = await self._register_once(self.cfg.register_expires)
            except SipError as error:
                self.registered = False
                detail = failure_text(error)
                kind = "offline" if error.status in (401, 403, 404, 407) else "failing"
                self.listener.link_changed(kind, detail, backoff)
                log.warning(
                    "registration of %s at %s:%s failed: %s %s; retry in %.0f s",
                    self.cfg.auth_user or self.cfg.user,
                    *self.endpoint.server_addr,
                    error.status,
                    error.reason,
                    backoff,
                )
                delay = backoff
                backoff = min(backoff * 2, 60.0)
            else:
                self.registered = True
                backoff = 1.0
                self.listener.link_changed(
                    "registered", f"registered as {self.cfg.user}@{self.cfg.server}", None
                )
                delay = max(1.0, granted - min(max(granted * 0.1, 2.0), 30.0))
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)

    async def _keep_alive(self) -> None:
        """OPTIONS to our own AOR through the server; register again when it is lost."""
        ep = self.endpoint
        while not self._stop.is_set():
            await asyncio.sleep(self.cfg.keepalive)
            if not self.registered or self._stop.is_set():
                continue
            msg = ep.request(
                "OPTIONS",
                str(ep.aor()),
                ep.local_party(secrets.token_hex(5)),
                NameAddr(ep.aor()),
                uuid.uuid4().hex,
                1,
            )
            msg.add("accept", "application/sdp")
            try:
                response = await ep.send_request(msg, ep.server_addr)
            except Exception:
                log.warning("keep-alive OPTIONS failed", exc_info=True)
                continue
            if response.code in (404, 408, 480) or response.code >= 500:
                self.lost += 1
                self.registered = False
                log.warning(
                    "the server no longer reaches us (%s %s): registering again",
                    response.code,
                    response.reason,
                )
                if response.code == 408:
                    self.listener.link_changed("failing", NO_ANSWER, None)
                self._wake.set()

    async def _register_once(self, expires: int) -> int:
        ep = self.endpoint
        self._cseq += 1
        uri = str(SipUri(self.cfg.server, "", self.cfg.port if self.cfg.port != 5060 else None))
        msg = ep.request(
            "REGISTER",
            uri,
            ep.local_party(self._tag),
            NameAddr(ep.aor()),
            self._call_id,
            self._cseq,
        )
        msg.add("contact", ep.contact())
        msg.add("expires", str(expires))
        msg.add("allow", ALLOW)

        def count(sent: SipMessage) -> None:
            self._cseq = sent.cseq[0]

        response = await ep.send_request(msg, ep.server_addr, on_sent=count)
        agent = response.get("server") or response.get("user-agent")
        if agent.isprintable() and agent.strip():
            self.server_agent = " ".join(agent.split())[:MAX_AGENT_CHARS]
        if not 200 <= response.code < 300:
            raise SipError(response.code, response.reason)
        if expires == 0:
            return 0
        granted = expires
        for value in response.get_all("contact"):
            for item in split_list(value):
                try:
                    contact = NameAddr.parse(item)
                except SipParseError:
                    continue
                mine = (
                    contact.uri.host == ep.local_ip and (contact.uri.port or 5060) == ep.local_port
                )
                if mine and contact.params.get("expires", "").isdigit():
                    granted = int(contact.params["expires"]) or granted
        if response.get("expires").isdigit():
            granted = min(granted, int(response.get("expires"))) or granted
        return granted


#: Why registration failed, for the status bar: English msgids, translated there (the status
#: code and the server are in the log). NO_ANSWER is how the backend tells PBX_DOWN.
REGISTERING = N_("registering…")
UNREGISTERED = N_("unregistered")
NO_ANSWER = N_("no answer from the phone system")
_FAILURES = {
    401: N_("wrong password or user name"),
    407: N_("wrong password or user name"),
    403: N_("registration refused (forbidden)"),
    404: N_("user unknown to the phone system"),
    408: NO_ANSWER,
}


def failure_text(error: SipError) -> str:
    """Why registration failed, in words for the status bar (an English msgid)."""
    return _FAILURES.get(error.status, N_("registration refused by the phone system"))
