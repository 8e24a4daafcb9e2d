"""``CtiBackend``: ``CallControl`` over the CTI HTTP protocol v1 (client of ``tws-tui serve``).

Owns option parsing, capability gating and the mapping of each contract method to its
request (see ``docs/cti-protocol.md``). The behaviour contract is the ``sim`` backend's:
``connect()`` signs in, opens the event stream and returns the first snapshot; ``events()``
then yields that ``SnapshotEvent``, ``LinkEvent(ONLINE)`` and every change; after a break,
``LinkEvent(RECONNECTING)``, then ``ONLINE`` and either the replayed events or a new
``SnapshotEvent`` (:mod:`.stream`); ``close()`` ends ``events()``. A method whose capability
is absent raises ``NotSupported`` before any I/O; errors are the typed errors of the problem
``code`` the server answered (:mod:`tws_tui.wire.problems`).

Options (unknown ones are ignored); those a settings file may set are declared once in
:mod:`tws_tui.backends.cti_options` (names, types, defaults, ranges) and parsed from there:

* ``url`` (required): ``https://cti.example.com`` (``http://`` is for loopback and tests);
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
from urllib.parse import quote, urlsplit

from tws_tui.backends import BackendConfigError
from tws_tui.backends.cti.data import CtiChat, CtiDirectory, CtiHistory, CtiSharedLists
from tws_tui.backends.cti.session import REFRESH_PREFIX, HttpSession, SessionOptions
from tws_tui.backends.cti.stream import EventStream
from tws_tui.backends.cti_options import OPTIONS
from tws_tui.backends.declared import parse_declared
from tws_tui.backends.event_queue import EventQueue
from tws_tui.core.allowed import restrict
from tws_tui.core.errors import BackendTimeout, NotSupported
from tws_tui.core.events import CallEvent, Event, QueueEvent, SnapshotEvent
from tws_tui.core.model import (
    AgentState,
    Call,
    CallId,
    Capability,
    DeviceId,
    FlowId,
    FlowMode,
    Forward,
    ForwardKind,
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
from tws_tui.wire import bodies
from tws_tui.wire.codec import decode, encode

NAME = "cti"


def _url(declared: Mapping[str, Any]) -> str:
    url = str(declared["url"]).strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BackendConfigError(
            f"cti backend: option 'url' must be an http(s) address such as"
            f" https://cti.example.com, got {url!r}"
        )
    return url


def _capabilities(raw: object) -> frozenset[Capability] | None:
    if raw is None:
        return None
    if isinstance(raw, str) or not isinstance(raw, Iterable):
        raise BackendConfigError(
            f"cti backend: option 'capabilities' must be a list of capability names, got {raw!r}"
        )
    try:
        return frozenset(Capability(item) for item in raw)
    except ValueError as error:
        raise BackendConfigError(f"cti backend: {error} in 'capabilities'") from None


def _p(value: str) -> str:
    """One path segment, quoted (an id can never reach another path)."""
    return quote(str(value), safe="")


class CtiBackend:
    """One operator's console on a CTI HTTP server."""

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        options = options or {}
        declared = parse_declared(OPTIONS, options, NAME)
        url = _url(declared)
        username: str = declared["username"]
        if not username:
            raise BackendConfigError("cti backend: option 'username' must be a non-empty string")
        password = options.get("password") or None
        refresh = options.get("refresh_token") or None
        if isinstance(password, str) and password.startswith(REFRESH_PREFIX) and not refresh:
            refresh, password = password, None
        if password is None and refresh is None:
            raise BackendConfigError("cti backend: give 'password' (or a stored 'refresh_token')")
        verify: bool | str = declared["verify_tls"]
        ca_bundle: str = declared["ca_bundle"]
        if ca_bundle and verify:
            verify = ca_bundle
        self.request_timeout_s: float = declared["request_timeout_s"]
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
        self.capabilities: frozenset[Capability] = self._restricted or frozenset(Capability)
        self.session: HttpSession | None = None
        self.stream: EventStream | None = None
        self.directory: CtiDirectory | None = None
        self.shared_lists: CtiSharedLists | None = None
        self.history: CtiHistory | None = None
        self.chat: CtiChat | None = None
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

    async def connect(self) -> Snapshot:
        """Sign in, learn the capabilities, open the event stream; the first snapshot."""
        if self.stream is not None:
            await self.stream.stop()
            self.stream = None
        self._queue.reopen()
        session = self._http()
        await session.login()
        raw = await session.request("GET", "/v1/capabilities")
        offered = decode(bodies.Capabilities, raw).capabilities
        caps = frozenset(offered)
        self.capabilities = caps & self._restricted if self._restricted is not None else caps
        self.directory = (
            CtiDirectory(session) if Capability.DIRECTORY in self.capabilities else None
        )
        self.shared_lists = (
            CtiSharedLists(session) if Capability.SHARED_LISTS in self.capabilities else None
        )
        self.history = CtiHistory(session) if Capability.HISTORY in self.capabilities else None
        self.chat = CtiChat(session) if Capability.CHAT in self.capabilities else None
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
                "The CTI server did not send the console's state in time"
            ) from None

    async def close(self) -> None:
        """Stop the stream, sign out (best effort); ``events()`` ends."""
        if self.stream is not None:
            await self.stream.stop()
            self.stream = None
        if self.session is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(
                    self.session.request("DELETE", "/v1/auth/token", retries=0), 2
                )
            await self.session.close()
            self.session = None
        self._queue.end()

    def events(self) -> AsyncIterator[Event]:
        return self._queue.until_end()

    async def snapshot(self) -> Snapshot:
        raw = await self._http().request("GET", "/v1/snapshot")
        return self._restrict_snapshot(decode(Snapshot, raw))

    # ---- capability gating ------------------------------------------------------------------

    def _need(self, capability: Capability) -> HttpSession:
        if capability not in self.capabilities:
            raise NotSupported(f"This CTI server does not offer « {capability} »")
        return self._http()

    def _restrict_call(self, call: Call) -> Call:
        return replace(call, allowed=restrict(call.allowed, self.capabilities))

    def _restrict_snapshot(self, snapshot: Snapshot) -> Snapshot:
        caps = self.capabilities
        return replace(
            snapshot,
            calls=tuple(self._restrict_call(c) for c in snapshot.calls),
            queues=tuple(
                q if Capability.QUEUE_RULES in caps else replace(q, forward_rules=())
                for q in snapshot.queues
            ),
            call_flows=snapshot.call_flows if Capability.CALL_FLOWS in caps else (),
            pause_reasons=snapshot.pause_reasons if Capability.AGENT in caps else (),
        )

    def _restrict_event(self, event: Event) -> Event | None:
        if isinstance(event, SnapshotEvent):
            return replace(event, snapshot=self._restrict_snapshot(event.snapshot))
        if isinstance(event, CallEvent):
            return replace(event, call=self._restrict_call(event.call))
        if isinstance(event, QueueEvent) and Capability.QUEUE_RULES not in self.capabilities:
            return replace(event, queue=replace(event.queue, forward_rules=()))
        return event

    def _call(self, raw: Any) -> Call:
        return self._restrict_call(decode(Call, raw))

    # ---- calls ------------------------------------------------------------------------------

    async def make_call(self, destination: str, *, device_id: DeviceId | None = None) -> Call:
        http = self._need(Capability.MAKE_CALL)
        body = encode(bodies.MakeCallBody(destination, device_id))
        return self._call(await http.request("POST", "/v1/calls", body=body))

    async def answer(self, call_id: CallId) -> None:
        http = self._need(Capability.ANSWER)
        await http.request("POST", f"/v1/calls/{_p(call_id)}/answer")

    async def hangup(self, call_id: CallId) -> None:
        http = self._need(Capability.HANGUP)
        await http.request("DELETE", f"/v1/calls/{_p(call_id)}", gone_is_done=True)

    async def clear_call(self, call_id: CallId) -> None:
        http = self._need(Capability.CLEAR_CALL)
        await http.request("POST", f"/v1/calls/{_p(call_id)}/clear", gone_is_done=True)

    async def drop_participant(self, call_id: CallId, party: Party) -> None:
        http = self._need(Capability.DROP_PARTICIPANT)
        body = encode(bodies.PartyBody(party))
        await http.request("POST", f"/v1/calls/{_p(call_id)}/drop-participant", body=body)

    async def hold(self, call_id: CallId) -> None:
        http = self._need(Capability.HOLD)
        await http.request("PUT", f"/v1/calls/{_p(call_id)}/hold")

    async def retrieve(self, call_id: CallId) -> None:
        http = self._need(Capability.HOLD)
        await http.request("DELETE", f"/v1/calls/{_p(call_id)}/hold")

    async def deflect(self, call_id: CallId, destination: str) -> None:
        http = self._need(Capability.DEFLECT)
        body = encode(bodies.DestinationBody(destination))
        await http.request("POST", f"/v1/calls/{_p(call_id)}/deflect", body=body)

    async def pickup(self, target: DeviceId, *, device_id: DeviceId | None = None) -> Call:
        http = self._need(Capability.PICKUP)
        body = encode(bodies.PickupBody(target, device_id))
        return self._call(await http.request("POST", "/v1/pickup", body=body))

    async def send_dtmf(self, call_id: CallId, digits: str) -> None:
        http = self._need(Capability.DTMF)
        body = encode(bodies.DigitsBody(digits))
        await http.request("POST", f"/v1/calls/{_p(call_id)}/dtmf", body=body)

    async def set_mute(self, call_id: CallId, muted: bool) -> None:
        http = self._need(Capability.MUTE)
        await http.request("PUT" if muted else "DELETE", f"/v1/calls/{_p(call_id)}/mute")

    async def set_recording(self, call_id: CallId, on: bool) -> None:
        http = self._need(Capability.RECORD)
        await http.request("PUT" if on else "DELETE", f"/v1/calls/{_p(call_id)}/recording")

    async def set_hands_free(self, on: bool) -> None:
        http = self._need(Capability.HANDS_FREE)
        await http.request("PUT" if on else "DELETE", "/v1/me/hands-free")

    # ---- transfers --------------------------------------------------------------------------

    async def blind_transfer(self, call_id: CallId, destination: str) -> None:
        http = self._need(Capability.BLIND_TRANSFER)
        body = encode(bodies.DestinationBody(destination))
        await http.request("POST", f"/v1/calls/{_p(call_id)}/blind-transfer", body=body)

    async def start_transfer(self, call_id: CallId, destination: str) -> Transfer:
        http = self._need(Capability.ATTENDED_TRANSFER)
        body = encode(bodies.TransferBody(call_id, destination))
        transfer: Transfer = decode(
            Transfer, await http.request("POST", "/v1/transfers", body=body)
        )
        return transfer

    async def _transfer_step(self, capability: Capability, transfer_id: str, step: str) -> None:
        http = self._need(capability)
        await http.request("POST", f"/v1/transfers/{_p(transfer_id)}/{step}")

    async def complete_transfer(self, transfer_id: TransferId) -> None:
        await self._transfer_step(Capability.ATTENDED_TRANSFER, transfer_id, "complete")

    async def cancel_transfer(self, transfer_id: TransferId) -> None:
        await self._transfer_step(Capability.ATTENDED_TRANSFER, transfer_id, "cancel")

    async def alternate(self, transfer_id: TransferId) -> None:
        await self._transfer_step(Capability.ALTERNATE, transfer_id, "alternate")

    async def conference(self, transfer_id: TransferId) -> None:
        await self._transfer_step(Capability.CONFERENCE, transfer_id, "conference")

    # ---- switchboard ------------------------------------------------------------------------

    async def answer_queued(self, queue_id: QueueId, call_id: CallId) -> Call:
        http = self._need(Capability.QUEUES)
        path = f"/v1/queues/{_p(queue_id)}/calls/{_p(call_id)}/answer"
        return self._call(await http.request("POST", path))

    async def set_agent_state(
        self, state: AgentState, reason: str | None = None, *, queue_id: QueueId | None = None
    ) -> None:
        http = self._need(Capability.AGENT)
        body = encode(bodies.AgentBody(AgentState(state), reason, queue_id))
        await http.request("PUT", "/v1/me/agent", body=body)

    async def set_call_flow(self, flow_id: FlowId, mode: FlowMode) -> None:
        http = self._need(Capability.CALL_FLOWS)
        body = encode(bodies.CallFlowBody(FlowMode(mode)))
        await http.request("PUT", f"/v1/call-flows/{_p(flow_id)}", body=body)

    async def save_queue_rule(self, rule: QueueForwardRule) -> QueueForwardRule:
        http = self._need(Capability.QUEUE_RULES)
        body = encode(
            bodies.QueueRuleBody(rule.destination, rule.starts_at, rule.ends_at, rule.enabled)
        )
        base = f"/v1/queues/{_p(rule.queue_id)}/rules"
        if rule.id:
            raw = await http.request("PUT", f"{base}/{_p(rule.id)}", body=body)
        else:
            raw = await http.request("POST", base, body=body)
        saved: QueueForwardRule = decode(QueueForwardRule, raw)
        return saved

    async def delete_queue_rule(self, queue_id: QueueId, rule_id: QueueRuleId) -> None:
        http = self._need(Capability.QUEUE_RULES)
        await http.request("DELETE", f"/v1/queues/{_p(queue_id)}/rules/{_p(rule_id)}")

    async def park(self, call_id: CallId, lot_id: LotId | None = None) -> ParkedCall:
        http = self._need(Capability.PARK)
        body = encode(bodies.ParkBody(lot_id))
        parked: ParkedCall = decode(
            ParkedCall, await http.request("POST", f"/v1/calls/{_p(call_id)}/park", body=body)
        )
        return parked

    async def retrieve_parked(self, lot_id: LotId, call_id: CallId) -> Call:
        http = self._need(Capability.PARK)
        path = f"/v1/parking/{_p(lot_id)}/calls/{_p(call_id)}/retrieve"
        return self._call(await http.request("POST", path))

    # ---- features ---------------------------------------------------------------------------

    def _user_path(self, user_id: UserId | None) -> str:
        if user_id is None:
            return "/v1/users/me"
        self._need(Capability.OTHERS_FEATURES)
        return f"/v1/users/{_p(user_id)}"

    async def set_dnd(self, enabled: bool, *, user_id: UserId | None = None) -> None:
        http = self._need(Capability.DND)
        body = encode(bodies.EnabledBody(bool(enabled)))
        await http.request("PUT", f"{self._user_path(user_id)}/dnd", body=body)

    async def set_forward(
        self, kind: ForwardKind, forward: Forward, *, user_id: UserId | None = None
    ) -> None:
        http = self._need(Capability.FORWARDING)
        path = f"{self._user_path(user_id)}/forwards/{_p(ForwardKind(kind).value)}"
        await http.request("PUT", path, body=encode(forward))

    async def set_presence(self, state: PresenceState, note: str | None = None) -> None:
        http = self._need(Capability.PRESENCE_SET)
        body = encode(bodies.PresenceBody(PresenceState(state), note))
        await http.request("PUT", "/v1/me/presence", body=body)
