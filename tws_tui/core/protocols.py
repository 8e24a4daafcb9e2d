"""The call-control contract: small protocols a backend implements, and ``CallControl``.

Method names follow cti-protocol-study §6 (CSTA services in Python spelling). Two deliberate
changes from the study, for reasons the UI needs:

* the big interface is split into small protocols (``Session``, ``Calls``, ``Transfers``,
  ``Switchboard``, ``Features``) that ``CallControl`` unites, so a reader finds a service by
  its group and a partial backend can be typed honestly;
* data services that a backend may lack (``Directory``, ``History``, ``Chat``, ``Voicemail``)
  are attributes
  that are ``None`` when absent; the app then fills in with a local SQLite implementation.

Rules for implementers:

* methods return when the switch *accepted* the request; state arrives as events only;
* a method whose capability is absent raises :class:`~tws_tui.core.errors.NotSupported` at once;
* an invalid request raises a typed :class:`~tws_tui.core.errors.CallControlError` and changes
  nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

from tws_tui.core.events import Event
from tws_tui.core.model import (
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
    Contact,
    DeviceId,
    FindMe,
    FlowId,
    FlowMode,
    Forward,
    ForwardKind,
    ForwardStep,
    HistoryEntry,
    LotId,
    MessageSlip,
    OutgoingFile,
    ParkedCall,
    Party,
    PresenceState,
    QueueForwardRule,
    QueueId,
    QueueRuleId,
    SharedList,
    Snapshot,
    Transfer,
    TransferId,
    UserId,
    VoicemailGreeting,
    VoicemailMenu,
    VoicemailMessage,
    VoicemailSettings,
)


@runtime_checkable
class Directory(Protocol):
    async def search(self, term: str, *, limit: int = 20) -> list[Contact]: ...
    async def reverse(self, number: str) -> Contact | None: ...


@runtime_checkable
class SharedLists(Protocol):
    """The public contact lists of every user (TWS-2.4.5/-6), kept by the phone system.

    ``lists()``: every public list, the signed-in user's own flagged ``mine``.
    ``publish(list_id, …)``: create or replace *my* list ``list_id`` (my own id for it, e.g. the
    console's local list id); returns it as others see it. ``withdraw(list_id)``: my list is no
    longer public (nothing happens if it was not). Failures raise the typed errors of
    :mod:`tws_tui.core.errors`.
    """

    async def lists(self) -> list[SharedList]: ...
    async def publish(self, list_id: str, name: str, contacts: list[Contact]) -> SharedList: ...
    async def withdraw(self, list_id: str) -> None: ...


@runtime_checkable
class ProfileStore(Protocol):
    """My profiles kept by the phone system (issue 17, Capability.PROFILES on a server that
    keeps them): one document per user, the console's profiles.json. ``load()`` gives it
    ("" when none was kept); ``save(document)`` keeps it, and every console of mine then gets
    a ``ProfilesEvent``."""

    async def load(self) -> str: ...
    async def save(self, document: str) -> None: ...


@runtime_checkable
class SharedContacts(Protocol):
    """The public directory kept by the phone system (``Capability.SHARED_CONTACTS``): every
    user sees its contacts (in ``Directory`` search and reverse lookup) and may add to it.

    ``add(contact)``: a new shared contact, returned as stored (the phone system's id and
    ``source``). ``contacts()``: every contact in it. ``update(contact)``: replaces the fields
    of the shared contact ``contact.id``.
    ``delete(contact_id)``. Only the user who added a contact (or a supervisor) changes or
    deletes it: others get :class:`~tws_tui.core.errors.PermissionDenied`.
    """

    async def contacts(self) -> list[Contact]: ...
    async def add(self, contact: Contact) -> Contact: ...
    async def update(self, contact: Contact) -> Contact: ...
    async def delete(self, contact_id: str) -> None: ...


@runtime_checkable
class History(Protocol):
    async def recent(self, *, limit: int = 50, missed_only: bool = False) -> list[HistoryEntry]: ...
    async def mark_seen(self) -> None: ...


@runtime_checkable
class CallSteps(Protocol):
    """The steps my forwards took with a call of my history, beyond its connections: an
    announcement played to the caller, then the forward (``sim``; ``cti``, kept by the server)."""

    async def call_steps(self, conversation_id: str) -> list[ForwardStep]:
        """Oldest first; [] for a call my forwards did nothing to, or one not known."""
        ...


@runtime_checkable
class HistoryClearing(Protocol):
    """A ``History`` the phone system keeps per user and deletes on request (Tools' "delete
    all my history": ``cti``)."""

    async def clear(self) -> None:
        """Every call of my history deleted there, with its comments."""
        ...


@runtime_checkable
class SmsSender(Protocol):
    """The SMS side of a chat that has ``ChatFeature.SMS``: an SMS conversation's peer is
    ``sms:`` and the number in E.164; received SMS and delivery reports come as chat events
    (the same message id, its ``delivery`` changed)."""

    async def send_sms(self, number: str, text: str) -> ChatMessage:
        """Send ``text`` to the mobile ``number`` (``InvalidDestination`` for a number that
        is not a mobile one or a text too long); the message comes back ``SmsDelivery.SENT``."""
        ...


@runtime_checkable
class FileSender(Protocol):
    """The files of a chat that has ``ChatFeature.ATTACHMENTS``."""

    async def send_file(self, peer: UserId, name: str, data: bytes) -> ChatMessage:
        """Send the file ``name`` to ``peer`` (``InvalidValue`` over the size limit)."""
        ...

    async def file(self, attachment_id: str) -> bytes:
        """The bytes of a file of one of my conversations (``PermissionDenied`` for anyone
        else's, ``NotFound`` for one that is gone)."""
        ...


@runtime_checkable
class FileMessageSender(Protocol):
    """A text and several files, each with its tags, in one message
    (``ChatFeature.FILE_MESSAGES``, TWS-4.3.5.3-4)."""

    async def send_files(
        self, peer: UserId, text: str, files: Sequence[OutgoingFile]
    ) -> ChatMessage:
        """Send ``text`` (maybe empty) and ``files`` to ``peer`` as one message
        (``InvalidValue`` over a limit: nothing is sent)."""
        ...


@runtime_checkable
class Chat(Protocol):
    #: Whether the phone system keeps the conversations across sessions (the CTI server);
    #: if not, the console keeps them in its local journal.
    kept: bool
    #: What this chat offers beyond 1:1 messages (groups…); the console hides the rest.
    features: frozenset[ChatFeature]

    async def send(
        self,
        peer: UserId,
        text: str,
        *,
        slip: MessageSlip | None = None,
        reply_to: ChatMessage | None = None,
    ) -> ChatMessage:
        """Send ``text`` to ``peer``; with ``slip``, as a message taken for them (the text is
        what the caller said, maybe empty); with ``reply_to`` (``ChatFeature.REPLY``), as an
        answer quoting that message."""
        ...

    async def edit(self, peer: UserId, message_id: str, text: str) -> ChatMessage:
        """Change one of my messages (``ChatFeature.EDIT``); the new version comes as an event
        with the same id, marked edited."""
        ...

    async def delete(self, peer: UserId, message_id: str) -> None:
        """Take one of my messages back (``ChatFeature.DELETE``): an event with the same id,
        marked deleted, its text gone."""
        ...

    async def conversation(self, peer: UserId, *, limit: int = 100) -> list[ChatMessage]: ...
    async def recent(self, *, limit: int = 100) -> list[ChatMessage]:
        """The last messages of every 1:1 conversation, oldest first."""
        ...

    async def groups(self) -> list[ChatGroup]:
        """The discussion groups I am a member of (none without ``ChatFeature.GROUPS``)."""
        ...


@runtime_checkable
class ChatGroupAdmin(Protocol):
    """Managing discussion groups (TWS-4.2, ``ChatFeature.MANAGE_GROUPS``), beside ``Chat`` on
    the chat objects that offer it. Every change comes back to each member, old and new, as a
    ``ChatGroupEvent``. Only the group's administrator (``ChatGroup.created_by``) renames it
    and changes its members (:class:`~tws_tui.core.errors.PermissionDenied` otherwise);
    anyone may leave. When the administrator leaves or is removed, the next member becomes
    administrator; when the last member leaves, or the administrator deletes it, the group is
    deleted. Who joined, left or was removed, and a new name, come as notices in the group's
    thread (``ChatMessage.notice``)."""

    async def create_group(self, name: str, members: tuple[UserId, ...]) -> ChatGroup:
        """A new group of mine with ``members`` (I am its first member and administrator)."""
        ...

    async def rename_group(self, group_id: UserId, name: str) -> ChatGroup: ...
    async def add_members(self, group_id: UserId, members: tuple[UserId, ...]) -> ChatGroup: ...
    async def remove_member(self, group_id: UserId, member: UserId) -> ChatGroup: ...
    async def leave_group(self, group_id: UserId) -> None: ...
    async def delete_group(self, group_id: UserId) -> None:
        """Delete the group and its conversation (its administrator only): every member gets
        it ``gone``."""
        ...


@runtime_checkable
class ChatReceipts(Protocol):
    """Read state (``ChatFeature.READ_RECEIPTS``), beside ``Chat`` on the chat objects that
    offer it: I tell how far I read a conversation; everyone in it (and my other consoles)
    gets a ``ChatReadEvent``; ``reads`` is how far each of the others read it."""

    async def mark_read(self, peer: UserId, message_id: str) -> None: ...
    async def reads(self, peer: UserId) -> dict[UserId, datetime]: ...


@runtime_checkable
class ChatAssist(Protocol):
    """Assistance requests (TWS-4.4, ``ChatFeature.ASSIST``), beside ``Chat`` on the chat
    objects that offer it. Asking puts the request before ``to`` (a colleague, a group I am
    in, or ``"*"``: everyone); each change comes to the requester and every receiver as an
    ``AssistEvent``. ``take`` is "I'm on it": the first wins, a later one is refused
    (:class:`~tws_tui.core.errors.AlreadyTaken`, naming who has it); only the requester cancels,
    while it is open. ``requests`` lists the ones I asked or was asked, still open or
    recently settled (oldest first), so a console started again shows them."""

    async def ask_assist(self, to: str, text: str) -> AssistRequest: ...
    async def take_assist(self, request_id: str) -> AssistRequest: ...
    async def cancel_assist(self, request_id: str) -> AssistRequest: ...
    async def assist_requests(self) -> list[AssistRequest]: ...


@runtime_checkable
class ChatBroadcast(Protocol):
    """Broadcasts (TWP-4.1, ``ChatFeature.BROADCAST``), beside ``Chat`` on the chat objects
    that offer it: one text to several colleagues, groups or everyone (``"*"``) at once; the
    sender and each receiver get a ``BroadcastEvent``, no conversation is made. ``broadcasts``
    lists the ones I sent or received, oldest first."""

    async def send_broadcast(self, to: tuple[str, ...], text: str) -> Broadcast: ...
    async def broadcasts(self) -> list[Broadcast]: ...


@runtime_checkable
class Voicemail(Protocol):
    """My voicemail box (TWS-3.9, Selfcare §6.1, Webpilot §10), kept by the phone system.

    ``messages()``: newest first (``Capability.VOICEMAIL``). ``mark(id, heard=...)`` and
    ``delete(id)`` need ``Capability.VOICEMAIL_MANAGE``; ``audio(id)`` the message's recording
    as WAV bytes (``Capability.VOICEMAIL_AUDIO``). A message that is gone (deleted meanwhile,
    by another session) raises ``NotFound``. Each change comes back as a ``VoicemailEvent``.
    """

    async def messages(self) -> list[VoicemailMessage]: ...
    async def mark(self, message_id: str, *, heard: bool) -> None: ...
    async def delete(self, message_id: str) -> None: ...
    async def audio(self, message_id: str) -> bytes: ...


@runtime_checkable
class VoicemailPrefs(Protocol):
    """My voicemail box's settings kept by the phone system (TWS-6.9, Selfcare §6.2;
    ``Capability.VOICEMAIL_SETTINGS``). Each change comes back to every console of mine as a
    ``VoicemailSettingsEvent``; a refused one raises a typed error that says why, in a sentence
    (``InvalidRequest``: a file that is not a usable WAV, a sixth greeting, a PIN that is not
    4 to 8 digits; ``PermissionDenied``: the old PIN is wrong; ``NotFound``: a greeting gone).

    ``add_greeting(name, wav)``: a WAV file's bytes, kept as a greeting (the first one becomes
    active); ``activate_greeting(id)``: callers now hear that one; ``greeting_audio(id)`` gives
    its WAV back (to listen to it). Recording a greeting through my phone (the phone system
    ringing me to record it) is not part of the contract: no phone system of ours offers it.
    """

    async def settings(self) -> VoicemailSettings: ...
    async def add_greeting(self, name: str, wav: bytes) -> VoicemailGreeting: ...
    async def activate_greeting(self, greeting_id: str) -> None: ...
    async def delete_greeting(self, greeting_id: str) -> None: ...
    async def greeting_audio(self, greeting_id: str) -> bytes: ...
    async def change_pin(self, old: str, new: str) -> None: ...
    async def set_email_copy(self, enabled: bool, address: str) -> None: ...


@runtime_checkable
class CallComments(Protocol):
    """Comments on a call shared by the phone system (TWS-3.13, ``Capability.SHARED_COMMENTS``):
    everyone who saw the call (the same ``conversation_id``: answered it, saw it ring in a
    queue, had it transferred) reads them; only the author changes one (``PermissionDenied``
    for anyone else); its author or a supervisor deletes one, for everyone. Each addition,
    change or deletion (``deleted``, text gone) reaches those consoles as a ``CommentEvent``.
    ``recent(limit)``: the newest comments on every call I saw, oldest first (the console
    keeps a copy to search History by them); ``recent(text=...)``: only those whose text has
    every word of ``text``, case and accents ignored (History's search, for the comments
    older than the copy)."""

    async def comments(self, conversation_id: str) -> list[CallComment]: ...
    async def add(self, conversation_id: str, text: str) -> CallComment: ...
    async def edit(self, comment_id: str, text: str) -> CallComment: ...
    async def delete(self, comment_id: str) -> None: ...
    async def recent(self, *, limit: int = 500, text: str = "") -> list[CallComment]: ...


class Session(Protocol):
    """Connection to the switch and the event stream."""

    capabilities: frozenset[Capability]

    async def connect(self) -> Snapshot: ...
    async def close(self) -> None: ...
    def events(self) -> AsyncIterator[Event]:
        """Endless stream; a ``SnapshotEvent`` replaces all state (after connect/reconnect)."""
        ...

    async def snapshot(self) -> Snapshot: ...


class Calls(Protocol):
    """Basic call control (CSTA MakeCall … GenerateDigits)."""

    async def make_call(
        self,
        destination: str,
        *,
        device_id: DeviceId | None = None,
        presented: str | None = None,
    ) -> Call:
        """Call ``destination``; ``presented``: the company number the callee sees for this
        call (``Capability.PRESENTED_NUMBER``), None for my default."""
        ...

    async def answer(self, call_id: CallId) -> None: ...
    async def hangup(self, call_id: CallId) -> None: ...
    async def clear_call(self, call_id: CallId) -> None:
        """CSTA ClearCall: end the call for every party (e.g. end a 3-way conference)."""
        ...

    async def drop_participant(self, call_id: CallId, party: Party) -> None:
        """CSTA ClearConnection on another party's leg of my 3-way conference ``call_id``:
        that participant leaves, the others stay connected (TWS-3.6.1-2)."""
        ...

    async def hold(self, call_id: CallId) -> None: ...
    async def retrieve(self, call_id: CallId) -> None: ...
    async def deflect(self, call_id: CallId, destination: str) -> None: ...
    async def pickup(self, target: DeviceId, *, device_id: DeviceId | None = None) -> Call: ...
    async def send_dtmf(self, call_id: CallId, digits: str) -> None: ...
    async def set_mute(self, call_id: CallId, muted: bool) -> None: ...
    async def set_recording(self, call_id: CallId, on: bool) -> None: ...
    async def set_hands_free(self, on: bool) -> None:
        """My softphone's audio to the loudspeaker (``True``) or the headset (TWS-3.11.3-1)."""
        ...


class Transfers(Protocol):
    """Blind and attended transfer, alternate and 3-way conference."""

    async def blind_transfer(self, call_id: CallId, destination: str) -> None: ...
    async def start_transfer(self, call_id: CallId, destination: str) -> Transfer: ...
    async def complete_transfer(self, transfer_id: TransferId) -> None: ...
    async def cancel_transfer(self, transfer_id: TransferId) -> None: ...
    async def alternate(self, transfer_id: TransferId) -> None: ...
    async def conference(self, transfer_id: TransferId) -> None: ...


class Switchboard(Protocol):
    """Queues, agent state, call flows (day/night), queue forwarding rules and parking."""

    async def answer_queued(self, queue_id: QueueId, call_id: CallId) -> Call: ...
    async def set_agent_state(
        self, state: AgentState, reason: str | None = None, *, queue_id: QueueId | None = None
    ) -> None: ...
    async def set_call_flow(self, flow_id: FlowId, mode: FlowMode) -> None:
        """Force a call flow open (DAY) or closed (NIGHT), or give it back to its schedule."""
        ...

    async def save_queue_rule(self, rule: QueueForwardRule) -> QueueForwardRule:
        """Create (id ``""``) or replace a queue forwarding rule; return it as saved."""
        ...

    async def delete_queue_rule(self, queue_id: QueueId, rule_id: QueueRuleId) -> None:
        """Delete a queue forwarding rule (``NotFound`` when it is not there)."""
        ...

    async def park(self, call_id: CallId, lot_id: LotId | None = None) -> ParkedCall: ...
    async def retrieve_parked(self, lot_id: LotId, call_id: CallId) -> Call: ...


class Features(Protocol):
    """Logical-device features of the operator: DND, forwarding, presence."""

    async def set_dnd(self, enabled: bool, *, user_id: UserId | None = None) -> None: ...
    async def set_forward(
        self, kind: ForwardKind, forward: Forward, *, user_id: UserId | None = None
    ) -> None: ...
    async def set_find_me(self, find_me: FindMe) -> None:
        """My simultaneous ring / find-me numbers (``Capability.FIND_ME``); the phone system
        checks them (``InvalidDestination``) and tells ``me.find_me`` in the events."""
        ...

    async def set_presented_number(self, number: str | None) -> None:
        """The company number callers see by default (one of ``me.company_numbers``), None
        for the switch's own (``Capability.PRESENTED_NUMBER``)."""
        ...

    async def set_presence(
        self, state: PresenceState, note: str | None = None, *, label: str | None = None
    ) -> None:
        """My presence and its note; ``label`` names a custom state on ``state``
        (``Capability.PRESENCE_CUSTOM``), None for the base state itself."""
        ...


@runtime_checkable
class Describes(Protocol):
    """A backend that says what it runs on, for the About panel (issue 17, TWS-1.8): keys
    ``library`` (the library that speaks to the phone system, with its version) and ``server``
    (the phone system's address, and its protocol version once known), ``audio`` (the sound
    device asked for), ``seed`` (the simulator's); a key it cannot fill is left out."""

    def about(self) -> dict[str, str]: ...


@runtime_checkable
class AudioVolumes(Protocol):
    """A backend whose audio runs on this machine (the ``sip`` softphone): the operator's
    speaker and microphone volumes, in percent (Preferences → Audio, TWS-6.7-2)."""

    def set_volumes(self, speaker: int, microphone: int) -> None: ...


@runtime_checkable
class AudioDevices(Protocol):
    """A backend that opens this machine's sound devices (``sip``): the microphone and the
    loudspeaker chosen in Preferences → Audio ("" the system's default), set before it
    connects."""

    def set_devices(self, microphone: str, loudspeaker: str) -> None: ...


@runtime_checkable
class CallControl(Session, Calls, Transfers, Switchboard, Features, Protocol):
    """One operator's view of one switch. Render from ``events()`` only."""

    directory: Directory | None
    #: None when the phone system keeps no public lists (Capability.SHARED_LISTS).
    shared_lists: SharedLists | None
    #: None when the console keeps my profiles itself (sim, sip).
    profiles: ProfileStore | None
    #: None when the phone system keeps no public directory (Capability.SHARED_CONTACTS):
    #: the console's public contacts are then a file on this machine.
    shared_contacts: SharedContacts | None
    history: History | None
    chat: Chat | None
    #: None when the phone system gives no access to my voicemail messages.
    voicemail: Voicemail | None
    #: None when the console cannot set my voicemail's greetings, PIN and e-mail copy.
    voicemail_prefs: VoicemailPrefs | None
    #: The voicemail menu's digits when my messages are listened to by calling the voicemail
    #: (``voicemail`` is None: the phone system lists no message); None otherwise.
    voicemail_menu: VoicemailMenu | None
    #: None when comments on calls stay on this machine (not shared with colleagues).
    call_comments: CallComments | None
