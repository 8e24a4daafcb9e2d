"""``CtiBackend``: ``CallControl`` over the CTI HTTP protocol v1 (client of ``tws-tui serve``).

Owns option parsing and the mapping of each contract method to its route of
:mod:`tws_tui.wire.routes` (see ``docs/cti-protocol.md``), gated on the route's capability
through :func:`tws_tui.backends.gating.check`. The behaviour contract is the ``sim`` backend's:
``connect()`` signs in, opens the event stream and returns the first snapshot; ``events()``
then yields that ``SnapshotEvent``, ``LinkEvent(ONLINE)`` and every change; after a break,
``LinkEvent(RECONNECTING)``, then ``ONLINE`` and either the replayed events or a new
``SnapshotEvent`` (:mod:`.stream`); ``close()`` ends ``events()``. A method whose capability
is absent raises ``NotSupported`` before any I/O; errors are the typed errors of the problem
``code`` the server answered (:mod:`tws_tui.wire.problems`).

Options (unknown ones are ignored); those a settings file may set are declared once in
:mod:`tws_tui.backends.cti_options` (names, types, defaults, ranges) and parsed from there:

* ``url`` (required): ``https://cti.example.com``; ``http://`` only to this machine (loopback)
  unless ``allow_http`` (bool, default false) says so (a TLS proxy on a trusted network);
* ``username`` (required), and ``password`` or ``refresh_token``. A ``password`` that is a
  refresh token of this server (``twsrt.…``, what "remember me" may keep in the keyring) is
  used as one. After sign-in ``backend.refresh_token`` holds the session's refresh token;
* ``verify_tls`` (bool, default true) or ``ca_bundle`` (path of a CA file for a private CA);
* ``client_id`` (default ``tws-tui``), ``request_timeout_s`` (5), ``read_timeout_s`` (45: no
  byte, not even a heartbeat, for that long means the stream is dead), ``retries`` (2),
  ``reconnect_min_s`` (0.5) and ``reconnect_max_s`` (30): the backoff bounds;
* ``capabilities`` (list of capability values): restrict the backend further (tests).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from tws_tui.backends import BackendConfigError, bad_option
from tws_tui.backends.cti.data import (
    CtiCallComments,
    CtiChat,
    CtiDirectory,
    CtiHistory,
    CtiProfiles,
    CtiSharedContacts,
    CtiSharedLists,
    CtiVoicemail,
    CtiVoicemailPrefs,
)
from tws_tui.backends.cti.session import REFRESH_PREFIX, HttpSession, SessionOptions
from tws_tui.backends.cti.stream import EventStream
from tws_tui.backends.cti_options import OPTIONS
from tws_tui.backends.declared import parse_declared
from tws_tui.backends.event_queue import EventQueue
from tws_tui.backends.gating import check, restricted_call, restricted_queue, restricted_snapshot
from tws_tui.core.errors import N_, BackendTimeout
from tws_tui.core.events import CallEvent, Event, QueueEvent, SnapshotEvent
from tws_tui.core.model import (
    ANSWERING_MACHINE,
    FORWARD_KIND_CAPABILITY,
    AgentState,
    Call,
    CallId,
    Capability,
    DeviceId,
    FindMe,
    FlowId,
    FlowMode,
    Forward,
    ForwardKind,
    ForwardStep,
    LotId,
    ParkedCall,
    Party,
    PresenceState,
    QueueForwardRule,
    QueueId,
    QueueRuleId,
    Snapshot,
    Transfer,
    TransferId,
    UserId,
)
from tws_tui.wire import bodies, routes
from tws_tui.wire.codec import decode, encode
from tws_tui.wire.routes import Route, TransferStep
from tws_tui.wire.transport import is_loopback

NAME = "cti"


def _url(declared: Mapping[str, Any]) -> str:
    url = str(declared["url"]).strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad_option(NAME, "url", N_("an http(s) address such as https://cti.example.com"), url)
    if parts.scheme == "http" and not is_loopback(parts.hostname) and not declared["allow_http"]:
        raise bad_option(
            NAME,
            "url",
            N_("an https:// address (plain http:// only to this machine, or with allow_http)"),
            url,
        )
    return url


def _capabilities(raw: object) -> frozenset[Capability] | None:
    if raw is None:
        return None
    if isinstance(raw, str) or not isinstance(raw, Iterable):
        raise bad_option(NAME, "capabilities", N_("a list of capability names"), raw)
    try:
        return frozenset(Capability(item) for item in raw)
    except ValueError as error:
        raise BackendConfigError(
            N_("{backend} backend: {error} in 'capabilities'"), backend=NAME, error=str(error)
        ) from None


class CtiBackend:
    """One operator's console on a CTI HTTP server."""

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        options = options or {}
        declared = parse_declared(OPTIONS, options, NAME)
        url = _url(declared)
        username: str = declared["username"]
        if not username:
            raise bad_option(NAME, "username", N_("a non-empty text"), options.get("username"))
        password = options.get("password") or None
        refresh = options.get("refresh_token") or None
        if isinstance(password, str) and password.startswith(REFRESH_PREFIX) and not refresh:
            refresh, password = password, None
        if password is None and refresh is None:
            raise BackendConfigError(
                N_("{backend} backend: give 'password' (or a stored 'refresh_token')"),
                backend=NAME,
            )
        verify: bool | str = declared["verify_tls"]
        ca_bundle: str = declared["ca_bundle"]
        if ca_bundle and verify:
            verify = ca_bundle
        self.request_timeout_s: float = declared["request_timeout_s"]
        self.server_api_version = ""  # the server's protocol version, once connected
        self.read_timeout_s: float = declared["read_timeout_s"]
        self.reconnect_min_s: float = declared["reconnect_min_s"]
        self.reconnect_max_s: float = declared["reconnect_max_s"]
        self.session_options = SessionOptions(
            url=url,
            username=username,
            password=str(password) if password else None,
            refresh_token=str(refresh) if refresh else None,
            verify=verify,
            client_id=declared["client_id"],
            request_timeout_s=self.request_timeout_s,
            retries=declared["retries"],
            retry_base_s=min(0.2, self.reconnect_min_s),
        )
        self._restricted = _capabilities(options.get("capabilities"))
        self.capabilities: frozenset[Capability] = self._restricted or (
            frozenset(Capability) - {Capability.FORWARDING_BY_PHONE}  # until the server says
        )
        self.session: HttpSession | None = None
        self.stream: EventStream | None = None
        self.directory: CtiDirectory | None = None
        self.shared_lists: CtiSharedLists | None = None
        self.profiles: CtiProfiles | None = None
        self.shared_contacts: CtiSharedContacts | None = None
        self.history: CtiHistory | None = None
        self.chat: CtiChat | None = None
        self.voicemail: CtiVoicemail | None = None
        self.voicemail_prefs: CtiVoicemailPrefs | None = None
        self.call_comments: CtiCallComments | None = None
        self._queue = EventQueue()

    # ---- session ----------------------------------------------------------------------------

    @property
    def refresh_token(self) -> str | None:
        """The current session's refresh token (to remember instead of the password)."""
        return self.session.refresh_token if self.session is not None else None

    def _http(self) -> HttpSession:
        if self.session is None:
            self.session = HttpSession(self.session_options)
        return self.session

    def _now(self) -> datetime:
        return datetime.now(UTC)

    def about(self) -> dict[str, str]:
        """The About panel's lines (``core.protocols.Describes``): httpx's version, the
        server's address and, once connected, its protocol version."""
        from importlib.metadata import version

        server = self.session_options.url
        if self.server_api_version:
            server += f" · API {self.server_api_version}"
        return {"library": f"httpx {version('httpx')}", "server": server}

    async def connect(self) -> Snapshot:
        """Sign in, learn the capabilities, open the event stream; the first snapshot."""
        if self.stream is not None:
            await self.stream.stop()
            self.stream = None
        self._queue.reopen()
        session = self._http()
        await session.login()
        raw = await session.request(routes.CAPABILITIES)
        served = decode(bodies.Capabilities, raw)
        self.server_api_version = served.api_version
        offered = served.capabilities
        caps = frozenset(offered)
        self.capabilities = caps & self._restricted if self._restricted is not None else caps
        self.directory = (
            CtiDirectory(session) if Capability.DIRECTORY in self.capabilities else None
        )
        self.shared_lists = (
            CtiSharedLists(session) if Capability.SHARED_LISTS in self.capabilities else None
        )
        self.profiles = CtiProfiles(session) if Capability.PROFILES in self.capabilities else None
        self.shared_contacts = (
            CtiSharedContacts(session) if Capability.SHARED_CONTACTS in self.capabilities else None
        )
        self.history = CtiHistory(session) if Capability.HISTORY in self.capabilities else None
        self.chat = CtiChat(session) if Capability.CHAT in self.capabilities else None
        self.voicemail = (
            CtiVoicemail(session, self.capabilities)
            if Capability.VOICEMAIL in self.capabilities
            else None
        )
        self.voicemail_menu = None  # the messages are listed here, no menu to dial
        self.voicemail_prefs = (
            CtiVoicemailPrefs(session, self.capabilities)
            if Capability.VOICEMAIL_SETTINGS in self.capabilities
            else None
        )
        self.call_comments = (
            CtiCallComments(session, self.capabilities)
            if Capability.SHARED_COMMENTS in self.capabilities
            else None
        )
        self.stream = EventStream(
            session,
            self._queue.put_nowait,
            now=self._now,
            read_timeout_s=self.read_timeout_s,
            reconnect_min_s=self.reconnect_min_s,
            reconnect_max_s=self.reconnect_max_s,
            transform=self._restrict_event,
        )
        self.stream.start()
        try:
            return await self.stream.first_snapshot(self.request_timeout_s * 2)
        except TimeoutError:
            await self.stream.stop()
            self.stream = None
            raise BackendTimeout(
                N_("The CTI server did not send the console's state in time")
            ) from None

    async def close(self) -> None:
        """Stop the stream, sign out (best effort); ``events()`` ends."""
        if self.stream is not None:
            await self.stream.stop()
            self.stream = None
        if self.session is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.session.request(routes.REVOKE_TOKEN, retries=0), 2)
            await self.session.close()
            self.session = None
        self._queue.end()

    def events(self) -> AsyncIterator[Event]:
        return self._queue.until_end()

    async def snapshot(self) -> Snapshot:
        raw = await self._http().request(routes.SNAPSHOT)
        return restricted_snapshot(decode(Snapshot, raw), self.capabilities)

    # ---- capability gating ------------------------------------------------------------------

    def _restrict_event(self, event: Event) -> Event | None:
        caps = self.capabilities
        if isinstance(event, SnapshotEvent):
            return replace(event, snapshot=restricted_snapshot(event.snapshot, caps))
        if isinstance(event, CallEvent):
            return replace(event, call=restricted_call(event.call, caps))
        if isinstance(event, QueueEvent):
            return replace(event, queue=restricted_queue(event.queue, caps))
        return event

    def _call(self, raw: Any) -> Call:
        return restricted_call(decode(Call, raw), self.capabilities)

    # ---- calls ------------------------------------------------------------------------------
    # Every command is one route of :mod:`tws_tui.wire.routes`; ``_send`` gates it on the
    # route's capability (``NotSupported`` before any I/O) and builds its URL.

    async def _send(
        self,
        route: Route,
        path: Mapping[str, str] | None = None,
        *,
        body: Any = None,
        gone_is_done: bool = False,
    ) -> Any:
        if route.capability is not None:
            check(self, route.capability)
        return await self._http().request(route, path, body=body, gone_is_done=gone_is_done)

    async def make_call(
        self,
        destination: str,
        *,
        device_id: DeviceId | None = None,
        presented: str | None = None,
    ) -> Call:
        if presented is not None:
            check(self, Capability.PRESENTED_NUMBER)
        body = encode(bodies.MakeCallBody(destination, device_id, presented))
        return self._call(await self._send(routes.MAKE_CALL, body=body))

    async def set_presented_number(self, number: str | None) -> None:
        body = encode(bodies.PresentedNumberBody(number))
        await self._send(routes.SET_PRESENTED_NUMBER, body=body)

    async def answer(self, call_id: CallId) -> None:
        await self._send(routes.ANSWER, {"call_id": call_id})

    async def hangup(self, call_id: CallId) -> None:
        await self._send(routes.HANGUP, {"call_id": call_id}, gone_is_done=True)

    async def clear_call(self, call_id: CallId) -> None:
        await self._send(routes.CLEAR_CALL, {"call_id": call_id}, gone_is_done=True)

    async def drop_participant(self, call_id: CallId, party: Party) -> None:
        body = encode(bodies.PartyBody(party))
        await self._send(routes.DROP_PARTICIPANT, {"call_id": call_id}, body=body)

    async def hold(self, call_id: CallId) -> None:
        await self._send(routes.HOLD, {"call_id": call_id})

    async def retrieve(self, call_id: CallId) -> None:
        await self._send(routes.RETRIEVE, {"call_id": call_id})

    async def deflect(self, call_id: CallId, destination: str) -> None:
        body = encode(bodies.DestinationBody(destination))
        await self._send(routes.DEFLECT, {"call_id": call_id}, body=body)

    async def pickup(self, target: DeviceId, *, device_id: DeviceId | None = None) -> Call:
        body = encode(bodies.PickupBody(target, device_id))
        return self._call(await self._send(routes.PICKUP, body=body))

    async def send_dtmf(self, call_id: CallId, digits: str) -> None:
        body = encode(bodies.DigitsBody(digits))
        await self._send(routes.SEND_DTMF, {"call_id": call_id}, body=body)

    async def set_mute(self, call_id: CallId, muted: bool) -> None:
        await self._send(routes.MUTE_ON if muted else routes.MUTE_OFF, {"call_id": call_id})

    async def set_recording(self, call_id: CallId, on: bool) -> None:
        route = routes.RECORDING_ON if on else routes.RECORDING_OFF
        await self._send(route, {"call_id": call_id})

    async def set_hands_free(self, on: bool) -> None:
        await self._send(routes.HANDS_FREE_ON if on else routes.HANDS_FREE_OFF)

    # ---- transfers --------------------------------------------------------------------------

    async def blind_transfer(self, call_id: CallId, destination: str) -> None:
        body = encode(bodies.DestinationBody(destination))
        await self._send(routes.BLIND_TRANSFER, {"call_id": call_id}, body=body)

    async def start_transfer(self, call_id: CallId, destination: str) -> Transfer:
        body = encode(bodies.TransferBody(call_id, destination))
        transfer: Transfer = decode(Transfer, await self._send(routes.START_TRANSFER, body=body))
        return transfer

    async def _transfer_step(self, transfer_id: TransferId, step: TransferStep) -> None:
        await self._send(routes.TRANSFER_STEPS[step], {"transfer_id": transfer_id})

    async def complete_transfer(self, transfer_id: TransferId) -> None:
        await self._transfer_step(transfer_id, TransferStep.COMPLETE)

    async def cancel_transfer(self, transfer_id: TransferId) -> None:
        await self._transfer_step(transfer_id, TransferStep.CANCEL)

    async def alternate(self, transfer_id: TransferId) -> None:
        await self._transfer_step(transfer_id, TransferStep.ALTERNATE)

    async def conference(self, transfer_id: TransferId) -> None:
        await self._transfer_step(transfer_id, TransferStep.CONFERENCE)

    # ---- switchboard ------------------------------------------------------------------------

    async def answer_queued(self, queue_id: QueueId, call_id: CallId) -> Call:
        path = {"queue_id": queue_id, "call_id": call_id}
        return self._call(await self._send(routes.ANSWER_QUEUED, path))

    async def set_agent_state(
        self, state: AgentState, reason: str | None = None, *, queue_id: QueueId | None = None
    ) -> None:
        body = encode(bodies.AgentBody(AgentState(state), reason, queue_id))
        await self._send(routes.SET_AGENT_STATE, body=body)

    async def set_call_flow(self, flow_id: FlowId, mode: FlowMode) -> None:
        body = encode(bodies.CallFlowBody(FlowMode(mode)))
        await self._send(routes.SET_CALL_FLOW, {"flow_id": flow_id}, body=body)

    async def save_queue_rule(self, rule: QueueForwardRule) -> QueueForwardRule:
        body = encode(
            bodies.QueueRuleBody(rule.destination, rule.starts_at, rule.ends_at, rule.enabled)
        )
        if rule.id:
            path = {"queue_id": rule.queue_id, "rule_id": rule.id}
            raw = await self._send(routes.UPDATE_QUEUE_RULE, path, body=body)
        else:
            raw = await self._send(routes.CREATE_QUEUE_RULE, {"queue_id": rule.queue_id}, body=body)
        saved: QueueForwardRule = decode(QueueForwardRule, raw)
        return saved

    async def delete_queue_rule(self, queue_id: QueueId, rule_id: QueueRuleId) -> None:
        await self._send(routes.DELETE_QUEUE_RULE, {"queue_id": queue_id, "rule_id": rule_id})

    async def park(self, call_id: CallId, lot_id: LotId | None = None) -> ParkedCall:
        body = encode(bodies.ParkBody(lot_id))
        raw = await self._send(routes.PARK, {"call_id": call_id}, body=body)
        parked: ParkedCall = decode(ParkedCall, raw)
        return parked

    async def retrieve_parked(self, lot_id: LotId, call_id: CallId) -> Call:
        path = {"lot_id": lot_id, "call_id": call_id}
        return self._call(await self._send(routes.RETRIEVE_PARKED, path))

    # ---- features ---------------------------------------------------------------------------

    def _user(self, user_id: UserId | None) -> str:
        """``me``, or another user once ``OTHERS_FEATURES`` is checked."""
        if user_id is None:
            return "me"
        check(self, Capability.OTHERS_FEATURES)
        return user_id

    async def set_dnd(self, enabled: bool, *, user_id: UserId | None = None) -> None:
        check(self, Capability.DND)
        body = encode(bodies.EnabledBody(bool(enabled)))
        await self._send(routes.SET_DND, {"user_id": self._user(user_id)}, body=body)

    async def call_steps(self, conversation_id: str) -> list[ForwardStep]:
        """What my forwards did to a call of my history, as the server kept it
        (``core.protocols.CallSteps``): an announcement played to the caller, then forwarded."""
        raw = await self._send(routes.HISTORY_STEPS, {"conversation_id": conversation_id})
        return list(decode(bodies.ForwardStepList, raw).items)

    async def set_forward(
        self, kind: ForwardKind, forward: Forward, *, user_id: UserId | None = None
    ) -> None:
        check(self, Capability.FORWARDING)
        if kind in FORWARD_KIND_CAPABILITY:
            check(self, FORWARD_KIND_CAPABILITY[ForwardKind(kind)])
        if forward.announcement is not None or forward.destination == ANSWERING_MACHINE:
            check(self, Capability.FORWARD_ANNOUNCEMENT)
        path = {"user_id": self._user(user_id), "kind": ForwardKind(kind).value}
        await self._send(routes.SET_FORWARD, path, body=encode(forward))

    async def set_find_me(self, find_me: FindMe) -> None:
        check(self, Capability.FIND_ME)
        await self._send(routes.SET_FIND_ME, {"user_id": "me"}, body=encode(find_me))

    async def set_presence(
        self, state: PresenceState, note: str | None = None, *, label: str | None = None
    ) -> None:
        if label is not None:
            check(self, Capability.PRESENCE_CUSTOM)
        body = encode(bodies.PresenceBody(PresenceState(state), note, label))
        await self._send(routes.SET_PRESENCE, body=body)
