"""The server's domain: each account's console over the shared switch, with authorisation.

Owns :class:`Switchboard`, bound to one HTTP application over a :class:`~.pbx.Pbx`:

* every account is an operator position; its device is monitored (CSTA MonitorStart) from
  the start, and each event goes to the user's stream in the :class:`~.hub.EventHub`, stamped
  with the ``X-Request-Id`` of the command that caused it;
* ownership: an operator acts on their own connections and transfers only (``forbidden``
  otherwise, ``not_found`` when the id does not exist); other users' DND and forwarding need
  the supervisor role;
* one ``asyncio.Lock`` serialises every command, so two operators answering the same queued
  call are decided in order: one gets the call, the other ``already_taken``;
* persistence through the :class:`~.store.ServerStore`: history entries (with comments and
  the seen flag), DND / forwards / presence (re-applied at start), voicemail deposits,
  directory contacts and chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import secrets
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

from tws_tui.core.errors import (
    N_,
    CallControlError,
    InvalidDestination,
    InvalidState,
    NotFound,
    PermissionDenied,
)
from tws_tui.core.events import (
    CallEvent,
    ChatEvent,
    ChatGroupEvent,
    ChatReadEvent,
    Event,
    HistoryEvent,
    VoicemailEvent,
)
from tws_tui.core.model import (
    DEFAULT_ANNOUNCEMENT,
    Call,
    CallId,
    ChatAttachment,
    ChatGroup,
    ChatMessage,
    Contact,
    DeviceId,
    FindMe,
    Forward,
    ForwardKind,
    GroupNotice,
    HistoryEntry,
    MessageSlip,
    Party,
    PresenceState,
    Snapshot,
    TransferId,
    UserId,
    VoicemailMessage,
)
from tws_tui.domain import chat_groups
from tws_tui.domain.text import quote_of
from tws_tui.server.accounts import Account, Accounts, Role
from tws_tui.server.directory import Entry, index
from tws_tui.server.hub import EventHub
from tws_tui.server.pbx import Pbx
from tws_tui.server.storage import ServerStorage
from tws_tui.simulator.announcements import DEFAULT_NAME
from tws_tui.simulator.directory import company_contacts
from tws_tui.simulator.entities import CallStep, Endpoint
from tws_tui.simulator.voicemail import length_of, recording
from tws_tui.wire import bodies
from tws_tui.wire.codec import WireError, decode, encode, format_time

#: Shared contacts one user may add to the server's directory.
DEFAULT_CONTACTS_QUOTA = 500

log = logging.getLogger(__name__)

GROUP_PREFIX = "grp-"
MAX_CHAT_TEXT = 4000
#: Longest name, company or number of a message slip.
MAX_SLIP_FIELD = 200


class Switchboard:
    def __init__(self, pbx: Pbx, store: ServerStorage, accounts: Accounts, hub: EventHub) -> None:
        self.pbx = pbx
        self.switch = pbx.switch
        self.store = store
        self.accounts = accounts
        self.hub = hub
        self.lock = asyncio.Lock()
        self._request: tuple[str, str] | None = None  # (username, request id) of the command
        self._monitors: dict[str, Callable[[], None]] = {}
        self.switch.voicemail_hooks.append(self._on_voicemail)
        self.switch.step_hooks.append(self._on_step)
        self._voicemail_ids = itertools.count(1)
        self._shared: tuple[Entry, ...] | None = None  # the shared contacts, indexed
        self.contacts_quota = DEFAULT_CONTACTS_QUOTA
        self._seen_calls: set[tuple[str, str]] = set()  # (conversation, username) kept

    # ---- life cycle -----------------------------------------------------------------------

    def start(self) -> None:
        """Monitor every account's position and re-apply the persisted features."""
        saved = self.store.features()
        for account in self.accounts.all():
            self.attach(account)
            features = saved.get(account.device_id)
            if features is not None:
                self._restore(account.device_id, features)

    def stop(self) -> None:
        for stop in self._monitors.values():
            stop()
        self._monitors.clear()
        with contextlib.suppress(ValueError):
            self.switch.voicemail_hooks.remove(self._on_voicemail)
        with contextlib.suppress(ValueError):
            self.switch.step_hooks.remove(self._on_step)

    def attach(self, account: Account) -> None:
        """Make the account an operator position and monitor it (once)."""
        if account.username in self._monitors:
            return
        self.switch.add_operator(account.extension, account.name)
        username = account.username

        def deliver(event: Event) -> None:
            self._deliver(username, event)

        self._monitors[username] = self.switch.monitor(account.device_id, deliver)

    def _deliver(self, username: str, event: Event) -> None:
        if isinstance(event, CallEvent) and self._request and self._request[0] == username:
            event = replace(event, request_id=self._request[1])
        if isinstance(event, CallEvent) and event.call.conversation_id:
            self._saw(event.call.conversation_id, username)
        if isinstance(event, HistoryEvent):
            entry = event.entry
            if entry.conversation_id:
                self._saw(entry.conversation_id, username)
            self.store.add_history(
                username, entry.id, encode(entry), format_time(entry.start), _missed(entry)
            )
        self.hub.publish(username, event)

    def _saw(self, conversation_id: str, username: str) -> None:
        """``username`` saw the call ``conversation_id``: its shared comments are theirs to
        read (TWS-3.13); written once per call and user."""
        key = (conversation_id, username)
        if key not in self._seen_calls:
            self.store.saw_call(conversation_id, username)
            if len(self._seen_calls) > 100_000:  # only a cache of what the store holds
                self._seen_calls.clear()
            self._seen_calls.add(key)

    @contextlib.contextmanager
    def command(self, account: Account, request_id: str) -> Iterator[None]:
        """Run a switch request on behalf of ``account`` (events carry the request id)."""
        self._request = (account.username, request_id)
        try:
            yield
        finally:
            self._request = None

    def _restore(self, device_id: str, features: dict[str, Any]) -> None:
        try:
            self.switch.set_dnd(device_id, bool(features.get("dnd", False)))
            for kind, raw in (features.get("forwards") or {}).items():
                self.switch.set_forward(device_id, ForwardKind(kind), decode(Forward, raw))
            if features.get("find_me"):
                self.switch.set_find_me(device_id, decode(FindMe, features["find_me"]))
            if features.get("presented_number"):
                self.switch.set_presented_number(device_id, features["presented_number"])
            presence = features.get("presence")
            if presence:
                self.switch.set_presence(
                    device_id,
                    PresenceState(presence),
                    features.get("presence_note"),
                    features.get("presence_label"),
                )
        except (CallControlError, ValueError, WireError) as error:  # stale: a number gone
            log.warning("cannot restore the saved features of %s: %s", device_id, error)

    def _persist_features(self, device_id: str) -> None:
        ep = self.switch.endpoint(device_id)
        self.store.save_features(
            ep.device_id,
            {
                "dnd": ep.dnd,
                "forwards": {k.value: encode(f) for k, f in ep.forwards.items()},
                "find_me": encode(ep.find_me),
                "presence": ep.presence.value,
                "presence_note": ep.presence_note,
                "presence_label": ep.presence_label,
                "presented_number": ep.presented_number,
            },
        )

    # ---- reading ----------------------------------------------------------------------------

    def snapshot(self, account: Account) -> Snapshot:
        """The account's whole console, current to its stream cursor."""
        snap = self.switch.snapshot(account.device_id)
        return replace(
            snap,
            cursor=self.hub.cursor(account.username),
            missed_calls=self.store.missed_unseen(account.username),
            voicemail_new=self.voicemail(account).new,
        )

    def call(self, account: Account, call_id: str) -> Call:
        self.own_call(account, call_id)
        call = self.switch.call(call_id, account.device_id)
        if call is None:
            raise NotFound(N_("Unknown or ended call: {call_id}"), call_id=call_id)
        return call

    # ---- authorisation ----------------------------------------------------------------------

    def own_call(self, account: Account, call_id: str) -> None:
        conn = self.switch.conns.get(CallId(call_id))
        if conn is None:
            raise NotFound(N_("Unknown or ended call: {call_id}"), call_id=call_id)
        if conn.endpoint.device_id != account.device_id:
            raise PermissionDenied(N_("Call {call_id} is not yours"), call_id=call_id)

    def own_transfer(self, account: Account, transfer_id: str) -> None:
        x = self.switch.transfers.get(TransferId(transfer_id))
        if x is None:
            raise NotFound(N_("Unknown or ended transfer: {transfer_id}"), transfer_id=transfer_id)
        if x.owner.device_id != account.device_id:
            raise PermissionDenied(
                N_("Transfer {transfer_id} is not yours"), transfer_id=transfer_id
            )

    def own_device(self, account: Account, device_id: str | None) -> str:
        if device_id is not None and device_id not in (account.device_id, account.extension):
            raise PermissionDenied(N_("Device {device_id} is not yours"), device_id=device_id)
        return account.device_id

    def target_user(self, account: Account, user_id: str) -> str:
        """The device whose features ``account`` may change (``me`` or a user id)."""
        if user_id in ("me", account.user_id):
            return account.device_id
        target = self._user_endpoint(user_id)
        if account.role is not Role.SUPERVISOR:
            raise PermissionDenied(
                N_("Only a supervisor may change another user's DND or forwarding")
            )
        return target.device_id

    def _user_endpoint(self, user_id: str) -> Endpoint:
        for ep in self.switch.endpoints.values():
            if ep.internal and ep.user_id == user_id:
                return ep
        raise NotFound(N_("Unknown user: {user_id}"), user_id=user_id)

    # ---- features ---------------------------------------------------------------------------

    def set_presented_number(self, account: Account, number: str | None) -> None:
        """My default presented number (one of the company's), kept across a restart."""
        self.switch.set_presented_number(account.device_id, number)
        self._persist_features(account.device_id)

    def set_dnd(self, account: Account, user_id: str, enabled: bool) -> None:
        device = self.target_user(account, user_id)
        self.switch.set_dnd(device, enabled)
        self._persist_features(device)

    def set_forward(self, account: Account, user_id: str, kind: str, forward: Forward) -> None:
        device = self.target_user(account, user_id)
        try:
            forward_kind = ForwardKind(kind)
        except ValueError:
            kinds = ", ".join(k.value for k in ForwardKind)
            raise NotFound(
                N_("Unknown forward kind {kind!r} ({kinds})"), kind=kind, kinds=kinds
            ) from None
        self.switch.set_forward(device, forward_kind, forward)
        self._persist_features(device)

    def set_find_me(self, account: Account, user_id: str, find_me: FindMe) -> None:
        """Simultaneous ring / find-me, applied by the switch and kept across a restart."""
        device = self.target_user(account, user_id)
        self.switch.set_find_me(device, find_me)
        self._persist_features(device)

    def set_presence(
        self, account: Account, state: PresenceState, note: str | None, label: str | None = None
    ) -> None:
        """My presence, its note and a custom state's label, kept across a restart."""
        self.switch.set_presence(account.device_id, state, note, label)
        self._persist_features(account.device_id)

    # ---- history ----------------------------------------------------------------------------

    def history(self, account: Account, limit: int, missed_only: bool) -> list[HistoryEntry]:
        out = []
        for body, seen, comment in self.store.history(account.username, limit, missed_only):
            entry = decode(HistoryEntry, body)
            out.append(replace(entry, seen=seen, comment=comment))
        return out

    def comment(self, account: Account, entry_id: str, text: str) -> None:
        if len(text) > MAX_CHAT_TEXT:
            raise InvalidDestination(
                N_("A comment is at most {most} characters"), most=MAX_CHAT_TEXT
            )
        if not self.store.set_comment(account.username, entry_id, text or None):
            raise NotFound(N_("No history entry {entry_id}"), entry_id=entry_id)

    # ---- directory --------------------------------------------------------------------------

    def directory(self) -> tuple[Entry, ...]:
        """The directory, indexed: the company as the switch has it now (every account's
        position under its display name), then the shared contacts (indexed once, kept)."""
        if self._shared is None:
            self._shared = index(decode(Contact, b) for b in self.store.contacts())
        return (*index(company_contacts(self.switch)), *self._shared)

    @staticmethod
    def _shared_contact(contact_id: str, body: bodies.NewContactBody) -> Contact:
        if not body.name.strip() or not body.numbers:
            raise InvalidDestination(N_("A contact needs a name and at least one number"))
        return Contact(
            id=contact_id,
            source="shared",
            name=body.name.strip(),
            numbers=body.numbers,
            company=body.company,
            department=body.department,
            email=body.email,
            details=body.details,
        )

    def shared_contacts(self) -> tuple[Contact, ...]:
        """Every contact of the public directory (what users added), in the order added."""
        if self._shared is None:
            self.directory()
        assert self._shared is not None
        return tuple(entry.contact for entry in self._shared)

    def add_contact(self, account: Account, body: bodies.NewContactBody) -> Contact:
        contact = self._shared_contact(f"shared-{secrets.token_hex(6)}", body)
        if self.store.contacts_added_by(account.username) >= self.contacts_quota:
            raise InvalidState(
                N_("You already have {most} shared contacts: delete one first"),
                most=self.contacts_quota,
            )
        self.store.add_contact(contact.id, encode(contact), account.username)
        self._shared = None
        return contact

    def update_contact(self, contact_id: str, body: bodies.NewContactBody) -> Contact:
        """The shared contact ``contact_id`` replaced by ``body`` (its author stays)."""
        contact = self._shared_contact(contact_id, body)
        if not self.store.update_contact(contact_id, encode(contact)):
            raise NotFound(N_("No shared contact {contact_id}"), contact_id=contact_id)
        self._shared = None
        return contact

    def delete_contact(self, contact_id: str) -> None:
        if not self.store.delete_contact(contact_id):
            raise NotFound(N_("No shared contact {contact_id}"), contact_id=contact_id)
        self._shared = None

    # ---- chat -------------------------------------------------------------------------------

    def _groups(self) -> dict[str, ChatGroup]:
        return {
            gid: ChatGroup(gid, name, tuple(members), by)
            for gid, name, members, by in self.store.chat_groups()
        }

    def groups_of(self, account: Account) -> list[ChatGroup]:
        return [g for g in self._groups().values() if account.user_id in g.members]

    def create_group(self, account: Account, body: bodies.ChatGroupBody) -> ChatGroup:
        """A new group (TWS-4.2.1): I am its administrator; every member is told."""
        for member in body.members:
            self._user_endpoint(member)
        group = chat_groups.new_group(
            f"{GROUP_PREFIX}{secrets.token_hex(6)}", body.name, account.user_id, body.members
        )
        self.store.add_chat_group(group.id, group.name, list(group.members), group.created_by)
        self._group_changed(None, group)
        return group

    def _group_of(self, account: Account, group_id: str) -> ChatGroup:
        group = self._groups().get(group_id)
        if group is None or account.user_id not in group.members:
            raise NotFound(N_("Unknown chat group: {group}"), group=group_id)
        return group

    def rename_group(self, account: Account, group_id: str, name: str) -> ChatGroup:
        group = self._group_of(account, group_id)
        changed = chat_groups.renamed(group, account.user_id, name)
        return self._group_changed(group, changed, account.user_id)

    def add_group_members(
        self, account: Account, group_id: str, members: tuple[str, ...]
    ) -> ChatGroup:
        group = self._group_of(account, group_id)
        for member in members:
            self._user_endpoint(member)
        changed = chat_groups.with_members(group, account.user_id, members)
        return self._group_changed(group, changed, account.user_id)

    def remove_group_member(self, account: Account, group_id: str, member: str) -> ChatGroup:
        """``member`` out of the group (``account`` leaves when it is theirs); the last one
        out deletes it with its conversation. The group as it is now (as it was, deleted)."""
        group = self._group_of(account, group_id)
        changed = chat_groups.without_member(group, account.user_id, member)
        return self._group_changed(group, changed, account.user_id)

    def delete_group(self, account: Account, group_id: str) -> None:
        """Its administrator deletes the group with its conversation; every member is told."""
        group = self._group_of(account, group_id)
        chat_groups.deletable(group, account.user_id)
        self._group_changed(group, None, account.user_id)

    def _group_changed(
        self, before: ChatGroup | None, after: ChatGroup | None, actor: str = ""
    ) -> ChatGroup:
        """Keep the change (``after`` None: deleted) and tell every member, old and new, with
        ``gone`` for those out of it; then what ``actor`` changed, as notices in the group's
        thread (kept like messages, ``chat_groups.notices``)."""
        group = after or before
        assert group is not None
        if after is None:
            self.store.delete_chat_group(group.id)
        elif before is not None:
            self.store.update_chat_group(
                after.id, after.name, list(after.members), after.created_by
            )
        now = set(after.members) if after is not None else set()
        at = self.pbx.clock.now()
        for member in dict.fromkeys([*(before.members if before else ()), *group.members]):
            target = self.accounts.by_user_id(member)
            if target is not None:
                event = ChatGroupEvent(at=at, group=group, gone=member not in now)
                self.hub.publish(target.username, event)
        if before is not None and after is not None:
            for notice in chat_groups.notices(before, after, actor):
                self._post_notice(after, notice, at)
        return group

    def _post_notice(self, group: ChatGroup, notice: GroupNotice, at: datetime) -> None:
        message_id = f"m-{secrets.token_hex(8)}"
        sender = UserId(notice.who)
        notice_json = json.dumps(encode(notice), ensure_ascii=False)
        self.store.add_chat_message(
            message_id, group.id, sender, "", format_time(at), notice=notice_json
        )
        message = ChatMessage(message_id, UserId(group.id), sender, "", at, notice=notice)
        for member in group.members:
            target = self.accounts.by_user_id(member)
            if target is not None:
                self.hub.publish(target.username, ChatEvent(at=at, message=message))

    def conversation_of(self, account: Account, peer: str) -> tuple[str, list[str]]:
        """The conversation key with ``peer`` and the user ids who take part
        (``PermissionDenied`` for a group ``account`` is not in)."""
        return self._conversation(account, peer)

    def takes_part(self, account: Account, key: str) -> bool:
        """Whether ``account`` is in the conversation ``key`` (now: a group's members)."""
        if key.startswith("dm:"):
            return account.user_id in key.removeprefix("dm:").split("|")
        group = self._groups().get(key)
        return group is not None and account.user_id in group.members

    def _conversation(self, account: Account, peer: str) -> tuple[str, list[str]]:
        """The conversation key with ``peer`` and the user ids who take part."""
        if peer.startswith(GROUP_PREFIX):
            group = self._groups().get(peer)
            if group is None:
                raise NotFound(N_("Unknown chat group: {group}"), group=peer)
            if account.user_id not in group.members:
                raise PermissionDenied(
                    N_("You are not a member of the chat group {group}"), group=group.name
                )
            return peer, list(group.members)
        if peer == account.user_id:
            raise InvalidDestination(N_("A chat message needs another recipient than yourself"))
        self._user_endpoint(peer)
        return "dm:" + "|".join(sorted((account.user_id, peer))), [account.user_id, peer]

    def send_chat(
        self,
        account: Account,
        to: str,
        text: str,
        at: datetime,
        *,
        slip: MessageSlip | None = None,
        reply_to: str | None = None,
        attachment: ChatAttachment | None = None,
        files: tuple[ChatAttachment, ...] = (),
    ) -> ChatMessage:
        """Store and deliver one message; a slip (a message taken for ``to``) may have an
        empty text; ``reply_to`` (a message of the same conversation) is quoted; with
        ``attachment`` (its bytes kept by ``api_chat_files``), the text is the file's name;
        with ``files`` (``api_chat_file_messages``), the text may be empty."""
        if (not text.strip() and slip is None and not files) or len(text) > MAX_CHAT_TEXT:
            raise InvalidDestination(
                N_("A chat message has 1 to {most} characters"), most=MAX_CHAT_TEXT
            )
        if slip is not None:
            _check_slip(slip)
        key, members = self._conversation(account, to)
        quote = ""
        if reply_to is not None:
            answered = self.store.chat_message(reply_to)
            if answered is None or answered[1] != key:
                raise NotFound(N_("No message {message_id} here"), message_id=reply_to)
            quote = quote_of(str(answered[3]))
        message_id = f"m-{secrets.token_hex(8)}"
        slip_json = None if slip is None else json.dumps(encode(slip), ensure_ascii=False)
        file_json = None
        if attachment is not None:
            file_json = json.dumps(encode(attachment), ensure_ascii=False)
        self.store.add_chat_message(
            message_id,
            key,
            account.user_id,
            text,
            format_time(at),
            slip_json,
            reply_to,
            quote,
            file_json,
            files=json.dumps(encode(files), ensure_ascii=False) if files else None,
        )
        sent = ChatMessage(
            message_id,
            UserId(to),
            UserId(account.user_id),
            text,
            at,
            slip,
            reply_to=reply_to,
            quote=quote,
            attachment=attachment,
            files=files,
        )
        self._publish_chat(account, to, members, sent)
        return sent

    def _publish_chat(
        self, account: Account, to: str, members: list[str], message: ChatMessage
    ) -> None:
        """``message`` (new or changed) to every member, each with their own peer."""
        group = to if to.startswith(GROUP_PREFIX) else None
        for member in members:
            target = self.accounts.by_user_id(member)
            if target is None:
                continue
            peer = group or (to if member == account.user_id else account.user_id)
            mine = replace(message, peer=UserId(peer))
            self.hub.publish(target.username, ChatEvent(at=message.at, message=mine))

    def change_chat(
        self, account: Account, message_id: str, text: str | None, at: datetime
    ) -> ChatMessage:
        """Edit (``text``) or delete (None) one of ``account``'s messages; everyone in the
        conversation gets it again, changed."""
        if text is not None and (not text.strip() or len(text) > MAX_CHAT_TEXT):
            raise InvalidDestination(
                N_("A chat message has 1 to {most} characters"), most=MAX_CHAT_TEXT
            )
        row = self.store.chat_message(message_id)
        if row is None or row[2] != account.user_id or row[11]:  # a notice is no one's
            raise NotFound(N_("No message of yours {message_id}"), message_id=message_id)
        key = str(row[1])
        if key.startswith("dm:"):
            users = key.removeprefix("dm:").split("|")
            to = next((u for u in users if u != account.user_id), account.user_id)
        else:
            to = key
        _key, members = self._conversation(account, to)
        self.store.change_chat_message(message_id, text)
        changed = self.store.chat_message(message_id)
        assert changed is not None
        message = _chat_message(to, *changed[0:1], *changed[2:])
        self._publish_chat(account, to, members, message)
        return message

    def recent_chat(self, account: Account, limit: int) -> list[ChatMessage]:
        """``account``'s last 1:1 messages, oldest first, each with the other user as peer."""
        me = account.user_id
        out = []
        for row in self.store.chat_recent_direct(me, limit):
            users = str(row[1]).removeprefix("dm:").split("|")
            peer = next((u for u in users if u != me), me)
            out.append(_chat_message(peer, row[0], *row[2:]))
        return out

    def mark_chat_read(self, account: Account, peer: str, message_id: str) -> None:
        """``account`` read the conversation with ``peer`` up to ``message_id``: every member
        (and ``account``'s other consoles) gets a ``chat.read`` event, each with their peer."""
        key, members = self._conversation(account, peer)
        row = self.store.chat_message(message_id)
        if row is None or row[1] != key:
            raise NotFound(N_("No message {message_id} here"), message_id=message_id)
        if not self.store.mark_chat_read(key, account.user_id, message_id):
            return
        read_to = datetime.fromisoformat(str(row[4]))
        group = peer if peer.startswith(GROUP_PREFIX) else None
        for member in members:
            target = self.accounts.by_user_id(member)
            if target is None:
                continue
            seen_as = group or (peer if member == account.user_id else account.user_id)
            event = ChatReadEvent(
                at=self.pbx.clock.now(),
                peer=UserId(seen_as),
                reader=UserId(account.user_id),
                message_id=message_id,
                read_to=read_to,
            )
            self.hub.publish(target.username, event)

    def chat_reads(self, account: Account, peer: str) -> list[bodies.ChatRead]:
        """How far each of the others read the conversation with ``peer``."""
        key, _members = self._conversation(account, peer)
        return [
            bodies.ChatRead(UserId(user), datetime.fromisoformat(at))
            for user, at in self.store.chat_reads(key)
            if user != account.user_id
        ]

    def conversation(self, account: Account, peer: str, limit: int) -> list[ChatMessage]:
        key, _members = self._conversation(account, peer)
        return [
            _chat_message(peer, row[0], *row[2:]) for row in self.store.chat_messages(key, limit)
        ]

    # ---- voicemail --------------------------------------------------------------------------

    def _on_voicemail(self, device_id: DeviceId, caller: Party, at: datetime) -> None:
        # The run number keeps ids of this start apart from every earlier start's.
        message_id = f"vm-{self.switch.id_run}{next(self._voicemail_ids)}"
        self.store.add_voicemail(
            message_id,
            device_id,
            {"caller": encode(caller), "at": format_time(at), "duration_s": length_of(message_id)},
            format_time(at),
        )
        self._voicemail_changed(device_id, at)

    def _on_step(self, call_id: str, step: CallStep) -> None:
        """A step a user's forward took with a call (an announcement, then the forward),
        kept in their history: ``GET /v1/history/{conversation_id}/steps`` reads it back."""
        detail = step.detail
        if step.what == "announcement" and detail == DEFAULT_NAME:
            detail = DEFAULT_ANNOUNCEMENT
        for account in self.accounts.all():
            if account.device_id == step.by:
                at = format_time(step.at)
                self.store.add_call_step(
                    account.username, call_id, at, step.what, detail, step.length_s
                )

    def _voicemail_changed(self, device_id: str, at: datetime) -> None:
        """Tell the box's owner (every session of theirs) its new counts."""
        for account in self.accounts.all():
            if account.device_id == device_id:
                box = self.voicemail(account)
                event = VoicemailEvent(at=at, new=box.new, total=box.new + box.old)
                self.hub.publish(account.username, event)

    def voicemail(self, account: Account) -> bodies.Voicemail:
        items = [
            _voicemail_message(message_id, body, heard)
            for message_id, body, heard in self.store.voicemail(account.device_id)
        ]
        new = sum(1 for m in items if m.new)
        return bodies.Voicemail(new, len(items) - new, tuple(items))

    def mark_voicemail(self, account: Account, message_id: str, heard: bool) -> None:
        if not self.store.mark_voicemail(account.device_id, message_id, heard):
            raise _voicemail_gone(message_id)
        self._voicemail_changed(account.device_id, self.pbx.clock.now())

    def delete_voicemail(self, account: Account, message_id: str) -> None:
        if not self.store.delete_voicemail(account.device_id, message_id):
            raise _voicemail_gone(message_id)
        self._voicemail_changed(account.device_id, self.pbx.clock.now())

    def voicemail_audio(self, account: Account, message_id: str) -> bytes:
        body = self.store.voicemail_message(account.device_id, message_id)
        if body is None:
            raise _voicemail_gone(message_id)
        return recording(message_id, int(body.get("duration_s") or length_of(message_id)))


def _voicemail_message(message_id: str, body: dict[str, Any], heard: bool) -> VoicemailMessage:
    return VoicemailMessage(
        message_id,
        decode(Party, body.get("caller", {})),
        decode(datetime, body.get("at")),
        int(body.get("duration_s") or length_of(message_id)),
        not heard,
    )


def _voicemail_gone(message_id: str) -> NotFound:
    return NotFound(N_("This voicemail message is gone: {message_id}"), message_id=message_id)


def _check_slip(slip: MessageSlip) -> None:
    """A slip's names and numbers are short texts (a client's own checks are stricter)."""
    for value in (slip.caller_name, slip.company, slip.number, slip.call_back_on, slip.taken_by):
        if len(value) > MAX_SLIP_FIELD:
            raise InvalidDestination(
                N_("A message slip's fields are at most {most} characters"), most=MAX_SLIP_FIELD
            )


def _chat_message(
    peer: str,
    mid: Any,
    sender: Any,
    text: Any,
    at: Any,
    slip: Any,
    edited: Any = 0,
    deleted: Any = 0,
    reply_to: Any = None,
    quote: Any = "",
    attachment: Any = None,
    notice: Any = None,
    files: Any = None,
) -> ChatMessage:
    """A stored message (the store's ``CHAT_COLUMNS`` but the conversation) as the wire
    gives it, with ``peer`` as the other side."""
    return ChatMessage(
        str(mid),
        UserId(peer),
        UserId(str(sender)),
        str(text),
        datetime.fromisoformat(str(at)),
        decode(MessageSlip, json.loads(str(slip))) if slip else None,
        edited=bool(edited),
        deleted=bool(deleted),
        reply_to=str(reply_to) if reply_to else None,
        quote=str(quote or ""),
        attachment=decode(ChatAttachment, json.loads(str(attachment))) if attachment else None,
        notice=decode(GroupNotice, json.loads(str(notice))) if notice else None,
        files=decode(tuple[ChatAttachment, ...], json.loads(str(files))) if files else (),
    )


def _missed(entry: HistoryEntry) -> bool:
    return entry.outcome.value == "missed"
