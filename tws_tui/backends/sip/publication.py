"""The operator's own presence, PUBLISHed to the SIP server (RFC 3903, RFC 3856, PIDF).

Owns one publication: :meth:`Publication.publish` sends the document of :mod:`.pidf` (the
server's ``SIP-ETag`` is kept, and a change is sent with ``SIP-If-Match``), the refresh
before it expires (no body, ``SIP-If-Match``, 10 % early), a new publication when the server
forgot the old one (412 Conditional Request Failed), and its removal (``Expires: 0``) when the
phone stops. A refusal raises :class:`.call_state.SipError` to the caller (the console says
so); a refresh that fails is retried at the next turn.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import uuid

from tws_tui.backends.sip.addresses import NameAddr
from tws_tui.backends.sip.call_state import SipError
from tws_tui.backends.sip.endpoint import SipEndpoint
from tws_tui.backends.sip.message import SipMessage
from tws_tui.backends.sip.pidf import CONTENT_TYPE, document

log = logging.getLogger(__name__)


class Publication:
    def __init__(self, endpoint: SipEndpoint, expires: int = 3600) -> None:
        self.endpoint = endpoint
        self.expires = expires
        self.etag = ""
        self._call_id = uuid.uuid4().hex
        self._cseq = 0
        self._refresh: asyncio.TimerHandle | None = None

    async def publish(self, state: str, note: str = "") -> None:
        """Publish ``state`` (a PresenceState value) and ``note``; raises SipError."""
        ep = self.endpoint
        body = document(str(ep.aor()), state, note)
        response = await self._send(body, self.expires)
        if response.code == 412 and self.etag:  # the server forgot it: publish anew
            self.etag = ""
            response = await self._send(body, self.expires)
        if not 200 <= response.code < 300:
            raise SipError(response.code, response.reason)
        self._keep(response)

    async def end(self) -> None:
        if self._refresh is not None:
            self._refresh.cancel()
        if self.etag:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._send(b"", 0), 1.0)
            self.etag = ""

    async def _send(self, body: bytes, expires: int) -> SipMessage:
        ep = self.endpoint
        self._cseq += 1
        msg = ep.request(
            "PUBLISH",
            str(ep.aor()),
            ep.local_party(secrets.token_hex(5)),
            NameAddr(ep.aor()),
            self._call_id,
            self._cseq,
        )
        msg.add("event", "presence")
        msg.add("expires", str(expires))
        if self.etag:
            msg.add("sip-if-match", self.etag)
        if body:
            msg.add("content-type", CONTENT_TYPE)
            msg.content = body

        def count(sent: SipMessage) -> None:
            self._cseq = sent.cseq[0]

        return await ep.send_request(msg, ep.server_addr, on_sent=count)

    def _keep(self, response: SipMessage) -> None:
        self.etag = response.get("sip-etag") or self.etag
        granted = response.get("expires")
        life = int(granted) if granted.isdigit() and int(granted) > 0 else self.expires
        if self._refresh is not None:
            self._refresh.cancel()
        delay = max(1.0, life - min(max(life * 0.1, 2.0), 30.0))
        self._refresh = self.endpoint.loop.call_later(
            delay, lambda: self.endpoint.loop.create_task(self._refresh_now())
        )

    async def _refresh_now(self) -> None:
        try:
            response = await self._send(b"", self.expires)
        except Exception:
            log.warning("presence refresh failed", exc_info=True)
            return
        if 200 <= response.code < 300:
            self._keep(response)
        else:
            log.warning("presence refresh refused: %s %s", response.code, response.reason)
            self.etag = ""
