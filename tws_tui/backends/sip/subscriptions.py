"""Watching colleagues: SUBSCRIBE to their dialog state (BLF, RFC 4235 ``Event: dialog``) or
their presence (RFC 3856 ``Event: presence``, PIDF), by RFC 6665.

Owns, for one event package, one subscription per supervised extension (``[backend.sip]
blf``): the SUBSCRIBE through the SIP server, the subscription dialog it creates (the
notifier's tag, its Contact, the route set), the refresh before it expires (10 % early, 2 to
30 s), and the NOTIFYs on it, each answered 200 and read by the package's reader
(:mod:`.dialog_info`, :mod:`.pidf`). What the tile says is only what the PBX said: until the
first NOTIFY, after a refusal (489 Bad Event, 403, 404…), a timeout or a
``Subscription-State: terminated``, the state is *unknown*, and the subscription is tried
again (at once after a terminated one that allows it, else after ``retry`` seconds).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from tws_tui.backends.sip.addresses import NameAddr, SipParseError, SipUri, params
from tws_tui.backends.sip.endpoint import SipEndpoint
from tws_tui.backends.sip.message import SipMessage

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Package(Generic[T]):
    """An event package: its name, the body type it sends, and how a body is read (the
    reader raises a ``ValueError`` for a body it cannot use: the state is then unknown)."""

    event: str
    content_type: str
    read: Callable[[bytes], T]


@dataclass(eq=False)
class Subscription:
    extension: str
    call_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    local_tag: str = field(default_factory=lambda: secrets.token_hex(5))
    remote_tag: str = ""
    remote_target: SipUri | None = None
    route_set: list[str] = field(default_factory=list)
    cseq: int = 0
    notify_cseq: int = -1
    state: object = None  # what the last NOTIFY said (None: unknown)
    status: int = 0  # the last final answer to our SUBSCRIBE (0: none yet)
    wake: asyncio.Event = field(default_factory=asyncio.Event)

    def reset(self) -> None:
        """A new subscription dialog next time (after a refusal or a termination)."""
        self.call_id, self.local_tag = uuid.uuid4().hex, secrets.token_hex(5)
        self.remote_tag, self.remote_target, self.route_set = "", None, []
        self.notify_cseq = -1


class Subscriptions(Generic[T]):
    """One package's subscriptions of the user agent (all on the SIP loop); ``on_change`` is
    told (extension, state or None for unknown) on the SIP thread."""

    def __init__(
        self,
        endpoint: SipEndpoint,
        package: Package[T],
        on_change: Callable[[str, T | None], None],
        extensions: tuple[str, ...],
        expires: int = 600,
        retry: float = 30.0,
    ) -> None:
        self.endpoint = endpoint
        self.package = package
        self.on_change = on_change
        self.expires = expires
        self.retry = retry
        self.subs = {ext: Subscription(ext) for ext in extensions}
        self._tasks: list[asyncio.Task[None]] = []

    def begin(self) -> None:
        for sub in self.subs.values():
            self._tasks.append(self.endpoint.loop.create_task(self._run(sub)))

    async def end(self) -> None:
        """Unsubscribe (Expires: 0), best effort, and stop."""
        for task in self._tasks:
            task.cancel()
        for sub in self.subs.values():
            if sub.remote_tag:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self._subscribe(sub, 0), 1.0)

    # ---- the subscription loop ----------------------------------------------------------

    async def _run(self, sub: Subscription) -> None:
        while True:
            delay = self.retry
            try:
                granted = await self._subscribe(sub, self.expires)
            except Exception:
                log.warning("SUBSCRIBE %s failed", sub.extension, exc_info=True)
                granted = 0
            if granted:
                delay = max(1.0, granted - min(max(granted * 0.1, 2.0), 30.0))
            else:
                sub.reset()
                self._tell(sub, None)
            sub.wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(sub.wake.wait(), delay)

    async def _subscribe(self, sub: Subscription, expires: int) -> int:
        ep = self.endpoint
        sub.cseq += 1
        target = sub.remote_target or ep.aor(sub.extension)
        to = NameAddr(ep.aor(sub.extension), "", {"tag": sub.remote_tag} if sub.remote_tag else {})
        msg = ep.request(
            "SUBSCRIBE",
            str(target),
            ep.local_party(sub.local_tag),
            to,
            sub.call_id,
            sub.cseq,
            routes=sub.route_set,
        )
        msg.add("contact", ep.contact())
        msg.add("event", self.package.event)
        msg.add("accept", self.package.content_type)
        msg.add("expires", str(expires))
        dest = ep.dest_for(target, sub.route_set) if sub.route_set else ep.server_addr

        def count(sent: SipMessage) -> None:
            sub.cseq = sent.cseq[0]

        response = await ep.send_request(msg, dest, on_sent=count)
        sub.status = response.code
        if not 200 <= response.code < 300:
            log.info(
                "%s of %s refused: %s %s",
                self.package.event,
                sub.extension,
                response.code,
                response.reason,
            )
            return 0
        if expires == 0:
            return 0
        if not sub.remote_tag:
            sub.remote_tag = response.to_tag
            contact = response.get("contact")
            with contextlib.suppress(SipParseError):
                sub.remote_target = NameAddr.parse(contact).uri if contact else None
            sub.route_set = list(reversed(response.get_all("record-route")))
        granted = response.get("expires")
        return int(granted) if granted.isdigit() and int(granted) > 0 else expires

    # ---- NOTIFY --------------------------------------------------------------------------

    def find(self, msg: SipMessage) -> Subscription | None:
        """The subscription a NOTIFY belongs to (it may come before our 200)."""
        for sub in self.subs.values():
            if sub.call_id == msg.call_id and sub.local_tag == msg.to_tag and sub.local_tag:
                return sub
        return None

    def on_notify(self, sub: Subscription, msg: SipMessage) -> None:
        ep = self.endpoint
        if msg.get("event").split(";")[0].strip().lower() != self.package.event:
            ep.reply(msg, 489, "Bad Event", headers=[("allow-events", self.package.event)])
            return
        ep.reply(msg, 200, "OK", headers=[("contact", ep.contact())])
        if not sub.remote_tag:
            sub.remote_tag = msg.from_tag
        if msg.cseq[0] <= sub.notify_cseq:
            return  # an older NOTIFY overtaken by a newer one
        sub.notify_cseq = msg.cseq[0]
        substate, _, rest = msg.get("subscription-state").partition(";")
        if substate.strip().lower() == "terminated":
            hint = params(rest)
            log.info(
                "%s of %s ended by the server (%s)",
                self.package.event,
                sub.extension,
                hint.get("reason", ""),
            )
            sub.remote_tag = ""  # a new dialog: retried at once unless the server said no
            sub.reset()
            self._tell(sub, None)
            if hint.get("reason", "") not in ("rejected", "noresource", "invariant"):
                sub.wake.set()
            return
        if msg.content_type != self.package.content_type or not msg.content:
            return  # no document (a NOTIFY may carry none): the state is unchanged
        try:
            found = self.package.read(msg.content)
        except ValueError as error:
            log.info("%s of %s: %s", self.package.event, sub.extension, error)
            self._tell(sub, None)
        else:
            self._tell(sub, found)

    def _tell(self, sub: Subscription, state: T | None) -> None:
        if state != sub.state:
            sub.state = state
            self.on_change(sub.extension, state)
