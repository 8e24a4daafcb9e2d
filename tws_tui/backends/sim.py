"""The ``sim`` backend: ``CallControl`` over the in-process simulated switch, for one operator.

Owns the adaptation between the async call-control contract and the synchronous switch:
option parsing, capability gating (through :mod:`tws_tui.backends.gating`: a method whose
capability is absent raises ``NotSupported`` before doing anything, and the methods that are
one switch request are a table of ``delegate(...)``; ``Call.allowed`` is restricted to the
capabilities;
call flows are left out of snapshots and events without ``CALL_FLOWS``, queue forwarding rules
without ``QUEUE_RULES``, pause reasons without ``AGENT``),
and the event stream (switch monitor → ``asyncio.Queue`` → ``events()``: a ``SnapshotEvent``
then ``LinkEvent(ONLINE)`` after ``connect()``, every change after that, end after ``close()``).

The entry point is the class: ``SimBackend(options)`` with an options mapping.
Options (all optional; unknown ones are ignored so one config serves several backends); those
a settings file may set are declared once in :mod:`tws_tui.backends.sim_options`:

* ``seed`` (int, default 1, as ``[backend.sim]``): the same seed gives the same company and
  the same traffic. It defaults to a fixed value, not to a random one, so that a demo, a
  screenshot or a bug report can be reproduced; pass another seed for another company.
* ``traffic`` (bool, default True): start the traffic generator on ``connect()``.
* ``colleague_lists`` (bool, default True): three colleagues have made public contact lists
  before the operator signs in (:mod:`tws_tui.simulator.shared_lists`); false: none yet.
* ``clock`` (a ``Clock``, programmatic only; default ``SystemClock``).
* ``extension`` (str, default ``""``: ``"100"``): the operator's extension.
* ``capabilities`` (iterable of ``Capability`` values or names): restrict the backend (tests);
  without ``SHARED_LISTS``, ``shared_lists`` is None; without ``VOICEMAIL``, ``voicemail``.

``backend.voicemail`` is the operator's voicemail box (:mod:`tws_tui.simulator.voicemail`):
a call forwarded or deflected to the voicemail leaves a message there (with a short generated
WAV); with ``traffic`` (the demo) three messages are already waiting.
``backend.voicemail_prefs`` its settings (greetings, PIN, e-mail copy:
:mod:`tws_tui.simulator.voicemail_settings`; no greeting recorded by phone here), and
``backend.call_comments`` the comments shared with the colleagues who saw the same call
(:mod:`tws_tui.simulator.call_comments`; ``backend.switch_comments.add(device, …)`` comments
as a colleague).

``backend.switch`` is the simulated switch, to drive colleagues and outside callers, e.g.
``backend.switch.inject_incoming_call("100", "+33612345678")``; ``backend.traffic`` is the
generator; ``backend.shared_lists`` keeps the users' public contact lists in memory
(:mod:`tws_tui.simulator.shared_lists`: three colleagues' lists seeded from the company, see
``colleague_lists``, then the operator's own).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, cast

from tws_tui.backends import BackendConfigError, bad_option, option_bool
from tws_tui.backends.declared import parse_declared
from tws_tui.backends.event_queue import EventQueue
from tws_tui.backends.gating import (
    check,
    delegate,
    requires,
    restricted_call,
    restricted_queue,
    restricted_snapshot,
)
from tws_tui.backends.sim_options import OPTIONS
from tws_tui.core.clock import Clock, SystemClock
from tws_tui.core.errors import N_, NotSupported
from tws_tui.core.events import (
    AssistEvent,
    BroadcastEvent,
    CallEvent,
    CallFlowEvent,
    ChatEvent,
    ChatGroupEvent,
    ChatReadEvent,
    CommentEvent,
    Event,
    LinkEvent,
    LinkStatus,
    QueueEvent,
    SnapshotEvent,
    VoicemailEvent,
    VoicemailSettingsEvent,
)
from tws_tui.core.model import (
    ANSWERING_MACHINE,
    DEFAULT_ANNOUNCEMENT,
    FORWARD_KIND_CAPABILITY,
    AgentState,
    AssistRequest,
    Broadcast,
    Call,
    CallComment,
    CallId,
    Capability,
    ChatFeature,
    ChatGroup,
    ChatMessage,
    DeviceId,
    FindMe,
    Forward,
    ForwardKind,
    ForwardStep,
    LotId,
    MessageSlip,
    OutgoingFile,
    PresenceState,
    QueueForwardRule,
    QueueId,
    Snapshot,
    UserId,
    VoicemailGreeting,
    VoicemailMessage,
    VoicemailSettings,
)
from tws_tui.simulator.announcements import DEFAULT_NAME
from tws_tui.simulator.assist import SwitchAssist
from tws_tui.simulator.attachments import SwitchFiles
from tws_tui.simulator.call_comments import SwitchComments
from tws_tui.simulator.chat import SwitchChat
from tws_tui.simulator.directory import CompanyDirectory, SwitchHistory
from tws_tui.simulator.shared_lists import SimSharedLists
from tws_tui.simulator.sms import SmsGateway
from tws_tui.simulator.switch import Switch
from tws_tui.simulator.traffic import Traffic
from tws_tui.simulator.voicemail import SwitchVoicemail
from tws_tui.simulator.voicemail_settings import SwitchVoicemailSettings

NAME = "sim"
UNKNOWN_CAPABILITY = N_(
    "{backend} backend: unknown capability {item} in 'capabilities' (known: {known})"
)
#: The operator's extension when ``extension`` is empty.
DEFAULT_EXTENSION = "100"
#: What the simulator can do (no event replay; the public directory stays a file here).
SIM_CAPABILITIES = frozenset(Capability) - {
    Capability.EVENT_REPLAY,
    Capability.SHARED_CONTACTS,  # the public directory stays a file on this machine
    Capability.FORWARDING_BY_PHONE,  # the switch forwards, not the console
}


def create(options: Mapping[str, Any] | None = None) -> SimBackend:
    """Same as ``SimBackend(options)`` (the entry point is the class itself)."""
    return SimBackend(options)


def _clock(options: Mapping[str, Any]) -> Clock:
    clock = options.get("clock")
    if clock is None:
        return SystemClock()
    if not (hasattr(clock, "now") and hasattr(clock, "call_later")):
        raise bad_option(NAME, "clock", N_("a Clock (now, call_later)"), clock)
    return cast(Clock, clock)


def _capabilities(raw: object) -> frozenset[Capability] | None:
    if raw is None:
        return None
    if isinstance(raw, str) or not isinstance(raw, Iterable):
        raise bad_option(NAME, "capabilities", N_("a list of capability names"), raw)
    out = set()
    for item in raw:
        try:
            out.add(Capability(item) if item in Capability._value2member_map_ else Capability[item])
        except (KeyError, TypeError):
            known = ", ".join(c.value for c in Capability)
            raise BackendConfigError(
                UNKNOWN_CAPABILITY,
                backend=NAME,
                item=repr(item),
                known=known,
            ) from None
    return frozenset(out)


class SimChat:
    """The operator's 1:1 chat on the simulated switch (``Chat`` protocol); the switch
    forgets it when it stops (the console keeps it in its local journal)."""

    kept = False
    features = frozenset(
        {
            ChatFeature.GROUPS,
            ChatFeature.EDIT,
            ChatFeature.DELETE,
            ChatFeature.REPLY,
            ChatFeature.MANAGE_GROUPS,
            ChatFeature.READ_RECEIPTS,
            ChatFeature.SMS,
            ChatFeature.ATTACHMENTS,
            ChatFeature.FILE_MESSAGES,
            ChatFeature.ASSIST,
            ChatFeature.BROADCAST,
        }
    )

    def __init__(
        self,
        chat: SwitchChat,
        me: UserId,
        sms: SmsGateway,
        files: SwitchFiles,
        assist: SwitchAssist | None = None,
    ) -> None:
        self._chat = chat
        self._me = me
        self._sms = sms
        self._files = files
        self._assist = assist if assist is not None else SwitchAssist(chat)

    # ---- ChatAssist (simulator/assist.py) ---------------------------------------------------

    async def ask_assist(self, to: str, text: str) -> AssistRequest:
        return self._assist.ask(self._me, to, text)

    async def take_assist(self, request_id: str) -> AssistRequest:
        return self._assist.take(self._me, request_id)

    async def cancel_assist(self, request_id: str) -> AssistRequest:
        return self._assist.cancel(self._me, request_id)

    async def assist_requests(self) -> list[AssistRequest]:
        return self._assist.of(self._me)

    # ---- ChatBroadcast (simulator/assist.py) ------------------------------------------------

    async def send_broadcast(self, to: tuple[str, ...], text: str) -> Broadcast:
        return self._assist.broadcast(self._me, to, text)

    async def broadcasts(self) -> list[Broadcast]:
        return self._assist.broadcasts_of(self._me)

    async def send_file(self, peer: UserId, name: str, data: bytes) -> ChatMessage:
        """``FileSender``: the switch keeps the bytes (simulator/attachments.py)."""
        return self._files.send(self._me, peer, name, data)

    async def send_files(
        self, peer: UserId, text: str, files: Sequence[OutgoingFile]
    ) -> ChatMessage:
        """``FileMessageSender``: a text and tagged files as one message."""
        return self._files.send_files(self._me, peer, text, files)

    async def file(self, attachment_id: str) -> bytes:
        return self._files.fetch(self._me, attachment_id)

    async def send_sms(self, number: str, text: str) -> ChatMessage:
        """``SmsSender``: through the simulated gateway (simulator/sms.py)."""
        return self._sms.send(self._me, number, text)

    async def send(
        self,
        peer: UserId,
        text: str,
        *,
        slip: MessageSlip | None = None,
        reply_to: ChatMessage | None = None,
    ) -> ChatMessage:
        return self._chat.send(self._me, peer, text, slip=slip, reply_to=reply_to)

    async def edit(self, peer: UserId, message_id: str, text: str) -> ChatMessage:
        return self._chat.change(self._me, peer, message_id, text=text)

    async def delete(self, peer: UserId, message_id: str) -> None:
        self._chat.change(self._me, peer, message_id)

    async def conversation(self, peer: UserId, *, limit: int = 100) -> list[ChatMessage]:
        if self._sms.handles(peer):
            return self._sms.conversation(self._me, peer, limit)
        return self._chat.conversation(self._me, peer, limit)

    async def recent(self, *, limit: int = 100) -> list[ChatMessage]:
        both = self._chat.recent(self._me, limit) + self._sms.recent(self._me, limit)
        return sorted(both, key=lambda m: m.at)[-limit:]

    async def groups(self) -> list[ChatGroup]:
        return self._chat.groups_of(self._me)

    # ---- ChatGroupAdmin ---------------------------------------------------------------------

    async def create_group(self, name: str, members: tuple[UserId, ...]) -> ChatGroup:
        return self._chat.create_group(self._me, name, members)

    async def rename_group(self, group_id: UserId, name: str) -> ChatGroup:
        return self._chat.rename_group(self._me, group_id, name)

    async def add_members(self, group_id: UserId, members: tuple[UserId, ...]) -> ChatGroup:
        return self._chat.add_members(self._me, group_id, members)

    async def remove_member(self, group_id: UserId, member: UserId) -> ChatGroup:
        changed = self._chat.remove_member(self._me, group_id, member)
        assert changed is not None, "the administrator removing another leaves them in it"
        return changed

    async def leave_group(self, group_id: UserId) -> None:
        self._chat.remove_member(self._me, group_id, self._me)

    async def delete_group(self, group_id: UserId) -> None:
        self._chat.delete_group(self._me, group_id)

    # ---- ChatReceipts -----------------------------------------------------------------------

    async def mark_read(self, peer: UserId, message_id: str) -> None:
        self._chat.mark_read(self._me, peer, message_id)

    async def reads(self, peer: UserId) -> dict[UserId, datetime]:
        return {reader: m.at for reader, m in self._chat.reads(self._me, peer).items()}


class SimVoicemail:
    """The operator's voicemail box on the simulated switch (``Voicemail`` protocol)."""

    def __init__(
        self, box: SwitchVoicemail, device: DeviceId, capabilities: frozenset[Capability]
    ) -> None:
        self.box = box
        self.device = device
        self.capabilities = capabilities

    async def messages(self) -> list[VoicemailMessage]:
        return self.box.messages(self.device)

    @requires(Capability.VOICEMAIL_MANAGE)
    async def mark(self, message_id: str, *, heard: bool) -> None:
        self.box.mark(self.device, message_id, heard=heard)

    @requires(Capability.VOICEMAIL_MANAGE)
    async def delete(self, message_id: str) -> None:
        self.box.delete(self.device, message_id)

    @requires(Capability.VOICEMAIL_AUDIO)
    async def audio(self, message_id: str) -> bytes:
        return self.box.audio(self.device, message_id)


class SimVoicemailPrefs:
    """The operator's voicemail settings on the simulated switch (``VoicemailPrefs``)."""

    def __init__(
        self,
        prefs: SwitchVoicemailSettings,
        device: DeviceId,
        capabilities: frozenset[Capability],
    ) -> None:
        self.prefs = prefs
        self.device = device
        self.capabilities = capabilities

    async def settings(self) -> VoicemailSettings:
        return self.prefs.settings(self.device)

    @requires(Capability.VOICEMAIL_SETTINGS)
    async def add_greeting(self, name: str, wav: bytes) -> VoicemailGreeting:
        return self.prefs.add_greeting(self.device, name, wav)

    @requires(Capability.VOICEMAIL_SETTINGS)
    async def activate_greeting(self, greeting_id: str) -> None:
        self.prefs.activate_greeting(self.device, greeting_id)

    @requires(Capability.VOICEMAIL_SETTINGS)
    async def delete_greeting(self, greeting_id: str) -> None:
        self.prefs.delete_greeting(self.device, greeting_id)

    @requires(Capability.VOICEMAIL_SETTINGS)
    async def greeting_audio(self, greeting_id: str) -> bytes:
        return self.prefs.greeting_audio(self.device, greeting_id)

    @requires(Capability.VOICEMAIL_SETTINGS)
    async def change_pin(self, old: str, new: str) -> None:
        self.prefs.change_pin(self.device, old, new)

    @requires(Capability.VOICEMAIL_SETTINGS)
    async def set_email_copy(self, enabled: bool, address: str) -> None:
        self.prefs.set_email_copy(self.device, enabled, address)


class SimCallComments:
    """Comments on calls shared on the simulated switch (``CallComments``)."""

    def __init__(
        self, comments: SwitchComments, device: DeviceId, capabilities: frozenset[Capability]
    ) -> None:
        self.shared = comments
        self.device = device
        self.capabilities = capabilities

    async def comments(self, conversation_id: str) -> list[CallComment]:
        return self.shared.comments(self.device, conversation_id)

    @requires(Capability.SHARED_COMMENTS)
    async def add(self, conversation_id: str, text: str) -> CallComment:
        return self.shared.add(self.device, conversation_id, text)

    @requires(Capability.SHARED_COMMENTS)
    async def edit(self, comment_id: str, text: str) -> CallComment:
        return self.shared.edit(self.device, comment_id, text)

    @requires(Capability.SHARED_COMMENTS)
    async def delete(self, comment_id: str) -> None:
        self.shared.delete(self.device, comment_id)

    async def recent(self, *, limit: int = 500, text: str = "") -> list[CallComment]:
        return self.shared.recent(self.device, limit, text)


class SimBackend:
    """One operator's console on the simulated switch."""

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        """Build from an options mapping (see the module docstring); unknown keys ignored."""
        options = options or {}
        declared = parse_declared(OPTIONS, options, NAME)
        seed: int = declared["seed"]
        self.seed = seed
        extension: str = declared["extension"] or DEFAULT_EXTENSION
        capabilities = _capabilities(options.get("capabilities"))
        self.traffic_enabled: bool = declared["traffic"]
        self.clock: Clock = _clock(options)
        self.switch = Switch(self.clock, seed, operator_extension=extension)
        self.switch_chat = SwitchChat(self.switch, seed)
        self.sms_gateway = SmsGateway(self.switch, seed)
        self.switch_files = SwitchFiles(self.switch_chat)
        self.switch_assist = SwitchAssist(self.switch_chat)
        self.traffic = Traffic(self.switch, seed, chat=self.switch_chat)
        self.capabilities = (
            SIM_CAPABILITIES if capabilities is None else frozenset(capabilities) & SIM_CAPABILITIES
        )
        self.device = self.switch.operator.device_id
        self.directory = CompanyDirectory(self.switch)
        self.profiles = None  # the console keeps my profiles (profiles.json)
        seeded = option_bool(options, "colleague_lists", True, NAME)
        self.shared_contacts = None  # the public directory is a file on this machine
        self.shared_lists = (
            SimSharedLists(self.switch, seeded=seeded)
            if Capability.SHARED_LISTS in self.capabilities
            else None
        )
        self.history = SwitchHistory(self.switch, self.device)
        me = self.switch.operator.user_id
        self.chat = (
            SimChat(self.switch_chat, me, self.sms_gateway, self.switch_files, self.switch_assist)
            if Capability.CHAT in self.capabilities and me is not None
            else None
        )
        self.switch_voicemail = SwitchVoicemail(self.switch)
        if self.traffic_enabled:
            self.switch_voicemail.leave_demo_messages(self.device)
        self.voicemail = (
            SimVoicemail(self.switch_voicemail, self.device, self.capabilities)
            if Capability.VOICEMAIL in self.capabilities
            else None
        )
        self.switch_voicemail_settings = SwitchVoicemailSettings()
        self.voicemail_menu = None  # the messages are listed here, no menu to dial
        self.voicemail_prefs = (
            SimVoicemailPrefs(self.switch_voicemail_settings, self.device, self.capabilities)
            if Capability.VOICEMAIL_SETTINGS in self.capabilities
            else None
        )
        self.switch_comments = SwitchComments(self.switch)
        self.call_comments = (
            SimCallComments(self.switch_comments, self.device, self.capabilities)
            if Capability.SHARED_COMMENTS in self.capabilities
            else None
        )
        self._queue = EventQueue()
        self._unsubscribe: Any = None
        self._unlisten: Any = None
        self._unlisten_voicemail: Any = None
        self._unlisten_more: list[Callable[[], None]] = []

    # ---- session ------------------------------------------------------------------------

    @property
    def delegate_to(self) -> Switch:
        """What the ``delegate(...)`` methods call (see :mod:`tws_tui.backends.gating`)."""
        return self.switch

    def _restrict_snapshot(self, snapshot: Snapshot) -> Snapshot:
        caps = self.capabilities
        return replace(
            restricted_snapshot(snapshot, caps),
            voicemail_new=(
                self.switch_voicemail.counts(self.device)[0] if Capability.VOICEMAIL in caps else 0
            ),
        )

    def _on_event(self, event: Event) -> None:
        if isinstance(event, CallEvent):
            event = replace(event, call=restricted_call(event.call, self.capabilities))
        elif isinstance(event, QueueEvent):
            event = replace(event, queue=restricted_queue(event.queue, self.capabilities))
        elif isinstance(event, CallFlowEvent) and Capability.CALL_FLOWS not in self.capabilities:
            return
        self._queue.put_nowait(event)

    def _on_voicemail(self, message: VoicemailMessage | None) -> None:
        new, total = self.switch_voicemail.counts(self.device)
        at = message.at if message is not None else self.clock.now()
        self._queue.put_nowait(VoicemailEvent(at=at, new=new, total=total, message=message))

    def about(self) -> dict[str, str]:
        """The About panel's lines (``core.protocols.Describes``): the simulated switch."""
        return {"seed": str(self.seed)}

    def _on_group(self, group: ChatGroup, gone: bool) -> None:
        self._queue.put_nowait(ChatGroupEvent(at=self.clock.now(), group=group, gone=gone))

    def _on_read(self, peer: UserId, reader: UserId, message: ChatMessage) -> None:
        event = ChatReadEvent(
            at=self.clock.now(), peer=peer, reader=reader, message_id=message.id, read_to=message.at
        )
        self._queue.put_nowait(event)

    async def connect(self) -> Snapshot:
        """Monitor the operator's device; queue a snapshot and ONLINE; start the traffic."""
        if self._unsubscribe is None:
            self._queue.reopen()
            self._unsubscribe = self.switch.monitor(self.device, self._on_event)
            me = self.switch.operator.user_id
            if self.chat is not None and me is not None:
                self._unlisten = self.switch_chat.listen(
                    me,
                    lambda m: self._queue.put_nowait(ChatEvent(at=m.at, message=m)),
                )
                self._unlisten_more.append(self.switch_chat.listen_groups(me, self._on_group))
                self._unlisten_more.append(self.switch_chat.listen_reads(me, self._on_read))
                self._unlisten_more.append(
                    self.switch_assist.listen(
                        me, lambda r: self._queue.put_nowait(AssistEvent(at=r.at, request=r))
                    )
                )
                self._unlisten_more.append(
                    self.switch_assist.listen_broadcasts(
                        me,
                        lambda b: self._queue.put_nowait(BroadcastEvent(at=b.at, broadcast=b)),
                    )
                )
                self._unlisten_more.append(
                    self.sms_gateway.listen(
                        me, lambda m: self._queue.put_nowait(ChatEvent(at=m.at, message=m))
                    )
                )
            if self.voicemail is not None:
                self._unlisten_voicemail = self.switch_voicemail.listen(
                    self.device, self._on_voicemail
                )
            if self.voicemail_prefs is not None:
                self._unlisten_more.append(
                    self.switch_voicemail_settings.listen(
                        self.device,
                        lambda s: self._queue.put_nowait(
                            VoicemailSettingsEvent(at=self.clock.now(), settings=s)
                        ),
                    )
                )
            if self.call_comments is not None:
                self._unlisten_more.append(
                    self.switch_comments.listen(
                        self.device,
                        lambda c: self._queue.put_nowait(CommentEvent(at=c.at, comment=c)),
                    )
                )
        snapshot = self._restrict_snapshot(self.switch.snapshot(self.device))
        self._queue.put_nowait(SnapshotEvent(at=self.clock.now(), snapshot=snapshot))
        self._queue.put_nowait(LinkEvent(at=self.clock.now(), status=LinkStatus.ONLINE))
        if self.traffic_enabled:
            self.traffic.start()
        return snapshot

    async def close(self) -> None:
        """Stop the traffic and the switch's timers; ``events()`` ends."""
        self.traffic.stop()
        self.switch.shutdown()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._unlisten is not None:
            self._unlisten()
            self._unlisten = None
        if self._unlisten_voicemail is not None:
            self._unlisten_voicemail()
            self._unlisten_voicemail = None
        while self._unlisten_more:
            self._unlisten_more.pop()()
        self._queue.end()

    def events(self) -> AsyncIterator[Event]:
        return self._queue.until_end()

    async def snapshot(self) -> Snapshot:
        return self._restrict_snapshot(self.switch.snapshot(self.device))

    def _call(self, call_id: str) -> Call:
        call = self.switch.call(call_id, self.device)
        assert call is not None, call_id
        return restricted_call(call, self.capabilities)

    def _mine(self, device_id: DeviceId | None) -> None:
        if device_id is not None and device_id != self.device:
            raise NotSupported(N_("The simulator controls the operator's own phone only"))

    # ---- calls, transfers, switchboard --------------------------------------------------
    # The methods that are one switch request with the same arguments are ``delegate(...)``;
    # the others add the operator's device or restrict the answer, behind ``@requires``.

    @requires(Capability.MAKE_CALL)
    async def make_call(
        self,
        destination: str,
        *,
        device_id: DeviceId | None = None,
        presented: str | None = None,
    ) -> Call:
        self._mine(device_id)
        if presented is not None:
            check(self, Capability.PRESENTED_NUMBER)
        return self._call(self.switch.make_call(self.device, destination, presented=presented))

    @requires(Capability.PRESENTED_NUMBER)
    async def set_presented_number(self, number: str | None) -> None:
        self.switch.set_presented_number(self.device, number)

    answer = delegate(Capability.ANSWER, Switch.answer)
    hangup = delegate(Capability.HANGUP, Switch.clear_connection)
    clear_call = delegate(Capability.CLEAR_CALL, Switch.clear_call)
    drop_participant = delegate(Capability.DROP_PARTICIPANT, Switch.drop_participant)
    hold = delegate(Capability.HOLD, Switch.hold)
    retrieve = delegate(Capability.HOLD, Switch.retrieve)
    deflect = delegate(Capability.DEFLECT, Switch.deflect)
    send_dtmf = delegate(Capability.DTMF, Switch.send_dtmf)
    set_mute = delegate(Capability.MUTE, Switch.set_mute)
    set_recording = delegate(Capability.RECORD, Switch.set_recording)
    blind_transfer = delegate(Capability.BLIND_TRANSFER, Switch.blind_transfer)
    start_transfer = delegate(Capability.ATTENDED_TRANSFER, Switch.start_transfer)
    complete_transfer = delegate(Capability.ATTENDED_TRANSFER, Switch.complete_transfer)
    cancel_transfer = delegate(Capability.ATTENDED_TRANSFER, Switch.cancel_transfer)
    alternate = delegate(Capability.ALTERNATE, Switch.alternate)
    conference = delegate(Capability.CONFERENCE, Switch.conference)
    set_call_flow = delegate(Capability.CALL_FLOWS, Switch.set_call_flow)
    delete_queue_rule = delegate(Capability.QUEUE_RULES, Switch.delete_queue_rule)
    park = delegate(Capability.PARK, Switch.park)

    @requires(Capability.HANDS_FREE)
    async def set_hands_free(self, on: bool) -> None:
        self.switch.set_hands_free(self.device, on)

    @requires(Capability.PICKUP)
    async def pickup(self, target: DeviceId, *, device_id: DeviceId | None = None) -> Call:
        self._mine(device_id)
        return self._call(self.switch.pickup(self.device, target))

    @requires(Capability.QUEUES)
    async def answer_queued(self, queue_id: QueueId, call_id: CallId) -> Call:
        return self._call(self.switch.answer_queued(self.device, queue_id, call_id))

    @requires(Capability.AGENT)
    async def set_agent_state(
        self, state: AgentState, reason: str | None = None, *, queue_id: QueueId | None = None
    ) -> None:
        self.switch.set_agent_state(self.device, state, reason, queue_id)

    @requires(Capability.QUEUE_RULES)
    async def save_queue_rule(self, rule: QueueForwardRule) -> QueueForwardRule:
        """Saved in the operator's name (``created_by``, kept when a rule is modified)."""
        return self.switch.save_queue_rule(rule, by=self.switch.operator.name)

    @requires(Capability.PARK)
    async def retrieve_parked(self, lot_id: LotId, call_id: CallId) -> Call:
        return self._call(self.switch.retrieve_parked(self.device, lot_id, call_id))

    # ---- features -----------------------------------------------------------------------

    def _target(self, user_id: UserId | None) -> str:
        if user_id is None or user_id == self.switch.operator.user_id:
            return self.device
        check(self, Capability.OTHERS_FEATURES)
        return self.switch.endpoint_of_user(user_id).device_id

    @requires(Capability.DND)
    async def set_dnd(self, enabled: bool, *, user_id: UserId | None = None) -> None:
        self.switch.set_dnd(self._target(user_id), enabled)

    @requires(Capability.FORWARDING)
    async def set_forward(
        self, kind: ForwardKind, forward: Forward, *, user_id: UserId | None = None
    ) -> None:
        if kind in FORWARD_KIND_CAPABILITY:
            check(self, FORWARD_KIND_CAPABILITY[ForwardKind(kind)])
        if forward.announcement is not None or forward.destination == ANSWERING_MACHINE:
            check(self, Capability.FORWARD_ANNOUNCEMENT)
        self.switch.set_forward(self._target(user_id), kind, forward)

    async def call_steps(self, conversation_id: str) -> list[ForwardStep]:
        """What my forwards did to the call (``core.protocols.CallSteps``): the switch's
        announcement and forward steps that were mine, the default announcement by its
        constant."""
        return [
            ForwardStep(
                step.at,
                step.what,
                DEFAULT_ANNOUNCEMENT
                if step.what == "announcement" and step.detail == DEFAULT_NAME
                else step.detail,
                step.length_s,
            )
            for step in self.switch.timeline(conversation_id)
            if step.by == self.device
        ]

    @requires(Capability.FIND_ME)
    async def set_find_me(self, find_me: FindMe) -> None:
        self.switch.set_find_me(self.device, find_me)

    @requires(Capability.PRESENCE_SET)
    async def set_presence(
        self, state: PresenceState, note: str | None = None, *, label: str | None = None
    ) -> None:
        if label is not None:
            check(self, Capability.PRESENCE_CUSTOM)
        self.switch.set_presence(self.device, state, note, label)
