"""``CtiBackend``: ``CallControl`` over the CTI HTTP protocol v1 (client of ``tws-tui serve``).

Owns option parsing, capability gating and the mapping of each contract method to its
request (see ``docs/cti-protocol.md``). The behaviour contract is the ``sim`` backend's:
``connect()`` signs in, opens the event stream and returns the first snapshot; ``events()``
then yields that ``SnapshotEvent``, ``LinkEvent(ONLINE)`` and every change; after a break,
``LinkEvent(RECONNECTING)``, then ``ONLINE`` and either the replayed events or a new
``SnapshotEvent`` (:mod:`.stream`); ``close()`` ends ``events()``. A method whose capability
is absent raises ``NotSupported`` before any I/O; errors are the typed errors of the problem
``code`` the server answered (:mod:`tws_tui.wire.problems`).

Options (unknown ones are ignored):

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

from tws_tui.backends import BackendConfigError, option_bool, option_int, option_str
from tws_tui.backends.cti.data import CtiChat, CtiDirectory, CtiHistory, CtiSharedLists
from tws_tui.backends.cti.session import REFRESH_PREFIX, HttpSession, SessionOptions
from tws_tui.backends.cti.stream import EventStream
from tws_tui.backends.event_queue import EventQueue
from tws_tui.backends.gating import check, requires
from tws_tui.core.allowed import restrict
from tws_tui.core.errors import BackendTimeout
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
from tws_tui.wire.routes import TransferStep

NAME = "cti"


def _seconds(options: Mapping[str, Any], key: str, default: float) -> float:
    value = options.get(key, default)
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = -1.0
    if isinstance(value, bool) or number <= 0:
        raise BackendConfigError(
            f"cti backend: option {key!r} must be a number of seconds above 0, got {value!r}"
        )
    return number


def _url(options: Mapping[str, Any]) -> str:
    url = option_str(options, "url", "", NAME).strip()
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
        url = _url(options)
        username = option_str(options, "username", "", NAME)
        password = options.get("password") or None
        refresh = options.get("refresh_token") or None
        if isinstance(password, str) and password.startswith(REFRESH_PREFIX) and not refresh:
            refresh, password = password, None
        if password is None and refresh is None:
            raise BackendConfigError("cti backend: give 'password' (or a stored 'refresh_token')")
        verify: bool | str = option_bool(options, "verify_tls", True, NAME)
        ca_bundle = options.get("ca_bundle")
        if ca_bundle and verify:
            verify = str(ca_bundle)
        self.request_timeout_s = _seconds(options, "request_timeout_s", 5.0)
        self.read_timeout_s = _seconds(options, "read_timeout_s", 45.0)
        self.reconnect_min_s = _seconds(options, "reconnect_min_s", 0.5)
        self.reconnect_max_s = _seconds(options, "reconnect_max_s", 30.0)
        self.session_options = SessionOptions(
            url=url,
            username=username,
            password=str(password) if password else None,
            refresh_token=str(refresh) if refresh else None,
            verify=verify,
            client_id=option_str(options, "client_id", "tws-tui", NAME),
            request_timeout_s=self.request_timeout_s,
            retries=option_int(options, "retries", 2, NAME),
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

    @requires(Capability.MAKE_CALL)
    async def make_call(self, destination: str, *, device_id: DeviceId | None = None) -> Call:
        http = self._http()
        body = encode(bodies.MakeCallBody(destination, device_id))
        return self._call(await http.request("POST", "/v1/calls", body=body))

    @requires(Capability.ANSWER)
    async def answer(self, call_id: CallId) -> None:
        http = self._http()
        await http.request("POST", f"/v1/calls/{_p(call_id)}/answer")

    @requires(Capability.HANGUP)
    async def hangup(self, call_id: CallId) -> None:
        http = self._http()
        await http.request("DELETE", f"/v1/calls/{_p(call_id)}", gone_is_done=True)

    @requires(Capability.CLEAR_CALL)
    async def clear_call(self, call_id: CallId) -> None:
        http = self._http()
        await http.request("POST", f"/v1/calls/{_p(call_id)}/clear", gone_is_done=True)

    @requires(Capability.DROP_PARTICIPANT)
    async def drop_participant(self, call_id: CallId, party: Party) -> None:
        http = self._http()
        body = encode(bodies.PartyBody(party))
        await http.request("POST", f"/v1/calls/{_p(call_id)}/drop-participant", body=body)

    @requires(Capability.HOLD)
    async def hold(self, call_id: CallId) -> None:
        http = self._http()
        await http.request("PUT", f"/v1/calls/{_p(call_id)}/hold")

    @requires(Capability.HOLD)
    async def retrieve(self, call_id: CallId) -> None:
        http = self._http()
        await http.request("DELETE", f"/v1/calls/{_p(call_id)}/hold")

    @requires(Capability.DEFLECT)
    async def deflect(self, call_id: CallId, destination: str) -> None:
        http = self._http()
        body = encode(bodies.DestinationBody(destination))
        await http.request("POST", f"/v1/calls/{_p(call_id)}/deflect", body=body)

    @requires(Capability.PICKUP)
    async def pickup(self, target: DeviceId, *, device_id: DeviceId | None = None) -> Call:
        http = self._http()
        body = encode(bodies.PickupBody(target, device_id))
        return self._call(await http.request("POST", "/v1/pickup", body=body))

    @requires(Capability.DTMF)
    async def send_dtmf(self, call_id: CallId, digits: str) -> None:
        http = self._http()
        body = encode(bodies.DigitsBody(digits))
        await http.request("POST", f"/v1/calls/{_p(call_id)}/dtmf", body=body)

    @requires(Capability.MUTE)
    async def set_mute(self, call_id: CallId, muted: bool) -> None:
        http = self._http()
        await http.request("PUT" if muted else "DELETE", f"/v1/calls/{_p(call_id)}/mute")

    @requires(Capability.RECORD)
    async def set_recording(self, call_id: CallId, on: bool) -> None:
        http = self._http()
        await http.request("PUT" if on else "DELETE", f"/v1/calls/{_p(call_id)}/recording")

    @requires(Capability.HANDS_FREE)
    async def set_hands_free(self, on: bool) -> None:
        http = self._http()
        await http.request("PUT" if on else "DELETE", "/v1/me/hands-free")

    # ---- transfers --------------------------------------------------------------------------

    @requires(Capability.BLIND_TRANSFER)
    async def blind_transfer(self, call_id: CallId, destination: str) -> None:
        http = self._http()
        body = encode(bodies.DestinationBody(destination))
        await http.request("POST", f"/v1/calls/{_p(call_id)}/blind-transfer", body=body)

    @requires(Capability.ATTENDED_TRANSFER)
    async def start_transfer(self, call_id: CallId, destination: str) -> Transfer:
        http = self._http()
        body = encode(bodies.TransferBody(call_id, destination))
        transfer: Transfer = decode(
            Transfer, await http.request("POST", "/v1/transfers", body=body)
        )
        return transfer

    async def _transfer_step(
        self, capability: Capability, transfer_id: str, step: TransferStep
    ) -> None:
        check(self, capability)
        http = self._http()
        await http.request("POST", f"/v1/transfers/{_p(transfer_id)}/{step}")

    async def complete_transfer(self, transfer_id: TransferId) -> None:
        await self._transfer_step(Capability.ATTENDED_TRANSFER, transfer_id, TransferStep.COMPLETE)

    async def cancel_transfer(self, transfer_id: TransferId) -> None:
        await self._transfer_step(Capability.ATTENDED_TRANSFER, transfer_id, TransferStep.CANCEL)

    async def alternate(self, transfer_id: TransferId) -> None:
        await self._transfer_step(Capability.ALTERNATE, transfer_id, TransferStep.ALTERNATE)

    async def conference(self, transfer_id: TransferId) -> None:
        await self._transfer_step(Capability.CONFERENCE, transfer_id, TransferStep.CONFERENCE)

    # ---- switchboard ------------------------------------------------------------------------

    @requires(Capability.QUEUES)
    async def answer_queued(self, queue_id: QueueId, call_id: CallId) -> Call:
        http = self._http()
        path = f"/v1/queues/{_p(queue_id)}/calls/{_p(call_id)}/answer"
        return self._call(await http.request("POST", path))

    @requires(Capability.AGENT)
    async def set_agent_state(
        self, state: AgentState, reason: str | None = None, *, queue_id: QueueId | None = None
    ) -> None:
        http = self._http()
        body = encode(bodies.AgentBody(AgentState(state), reason, queue_id))
        await http.request("PUT", "/v1/me/agent", body=body)

    @requires(Capability.CALL_FLOWS)
    async def set_call_flow(self, flow_id: FlowId, mode: FlowMode) -> None:
        http = self._http()
        body = encode(bodies.CallFlowBody(FlowMode(mode)))
        await http.request("PUT", f"/v1/call-flows/{_p(flow_id)}", body=body)

    @requires(Capability.QUEUE_RULES)
    async def save_queue_rule(self, rule: QueueForwardRule) -> QueueForwardRule:
        http = self._http()
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

    @requires(Capability.QUEUE_RULES)
    async def delete_queue_rule(self, queue_id: QueueId, rule_id: QueueRuleId) -> None:
        http = self._http()
        await http.request("DELETE", f"/v1/queues/{_p(queue_id)}/rules/{_p(rule_id)}")

    @requires(Capability.PARK)
    async def park(self, call_id: CallId, lot_id: LotId | None = None) -> ParkedCall:
        http = self._http()
        body = encode(bodies.ParkBody(lot_id))
        parked: ParkedCall = decode(
            ParkedCall, await http.request("POST", f"/v1/calls/{_p(call_id)}/park", body=body)
        )
        return parked

    @requires(Capability.PARK)
    async def retrieve_parked(self, lot_id: LotId, call_id: CallId) -> Call:
        http = self._http()
        path = f"/v1/parking/{_p(lot_id)}/calls/{_p(call_id)}/retrieve"
        return self._call(await http.request("POST", path))

    # ---- features ---------------------------------------------------------------------------

    def _user_path(self, user_id: UserId | None) -> str:
        if user_id is None:
            return "/v1/users/me"
        check(self, Capability.OTHERS_FEATURES)
        return f"/v1/users/{_p(user_id)}"

    @requires(Capability.DND)
    async def set_dnd(self, enabled: bool, *, user_id: UserId | None = None) -> None:
        http = self._http()
        body = encode(bodies.EnabledBody(bool(enabled)))
        await http.request("PUT", f"{self._user_path(user_id)}/dnd", body=body)

    @requires(Capability.FORWARDING)
    async def set_forward(
        self, kind: ForwardKind, forward: Forward, *, user_id: UserId | None = None
    ) -> None:
        http = self._http()
        path = f"{self._user_path(user_id)}/forwards/{_p(ForwardKind(kind).value)}"
        await http.request("PUT", path, body=encode(forward))

    @requires(Capability.PRESENCE_SET)
    async def set_presence(self, state: PresenceState, note: str | None = None) -> None:
        http = self._http()
        body = encode(bodies.PresenceBody(PresenceState(state), note))
        await http.request("PUT", "/v1/me/presence", body=body)
