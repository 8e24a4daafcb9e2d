"""Chat on the simulated switch: colleagues' 1:1 messages, kept by the switch, and colleagues
who answer the operator now and then.

``SwitchChat`` stores every conversation (by the two user ids, or the group's id: the company
has the discussion groups of :data:`GROUPS`, the same under every seed) and tells each
listener of the user a message is for or from; a colleague (or a group member) the operator
writes to answers after a few seconds (the first message always, then with a seeded
probability, ``ANSWER_CHANCE``), and ``colleague_writes`` is the traffic generator's "a
colleague writes to the operator". Every draw comes from one seeded ``random.Random`` and
every delay from the switch's clock, so tests replay exactly.
"""

from __future__ import annotations

import random
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import replace

from tws_tui.core.errors import N_, InvalidDestination, NotFound
from tws_tui.core.model import (
    ChatAttachment,
    ChatGroup,
    ChatMessage,
    GroupNotice,
    MessageSlip,
    UserId,
)
from tws_tui.domain import chat_groups
from tws_tui.domain.text import quote_of
from tws_tui.simulator.switch import Switch

#: How likely a colleague is to answer a message of the operator's (the first one of a
#: conversation is always answered).
ANSWER_CHANCE = 0.7
#: Seconds before a colleague answers (uniform between the two).
ANSWER_DELAY_S = (4.0, 20.0)
#: Longest message the simulated switch takes (the CTI server's limit).
MAX_TEXT = 4000
#: What simulated colleagues write (the company is French).
ANSWERS = (
    "D'accord, merci !",
    "Je le rappelle dans 5 minutes.",
    "Je suis en réunion, je te rappelle.",
    "Tu peux me le passer ?",
    "OK, c'est noté.",
)
OPENERS = (
    "Tu peux prendre mes appels jusqu'à 14 h ?",
    "Quelqu'un a demandé à me joindre ?",
    "Je suis absent cet après-midi, merci de prendre les messages.",
    "Le coursier est arrivé ?",
)

#: The company's discussion groups (id, name), each of the operator and GROUP_SIZE colleagues.
GROUPS = (("grp-accueil", "Accueil"), ("grp-direction", "Direction"))
GROUP_SIZE = 3

Listener = Callable[[ChatMessage], None]
#: Told of a group made or changed; the flag: the user is no longer in it.
GroupListener = Callable[[ChatGroup, bool], None]
#: Told that someone read a conversation: (peer as the listener sees it, reader, message).
ReadListener = Callable[[UserId, UserId, ChatMessage], None]


class SwitchChat:
    """The switch's chat: conversations between users, listeners per user."""

    def __init__(self, switch: Switch, seed: int = 0) -> None:
        self.switch = switch
        self.rng = random.Random(seed)
        self._conversations: dict[tuple[str, str], deque[ChatMessage]] = {}
        self._listeners: dict[str, list[Listener]] = {}
        self._group_listeners: dict[str, list[GroupListener]] = {}
        self._read_listeners: dict[str, list[ReadListener]] = {}
        #: How far each user read each conversation: (user, conversation key) → message.
        self._read: dict[tuple[str, tuple[str, str]], ChatMessage] = {}
        self.groups: dict[str, ChatGroup] = self._company_groups()

    def _company_groups(self) -> dict[str, ChatGroup]:
        """The company's groups, the same under every seed: the operator with the first
        colleagues (by extension) for each of :data:`GROUPS`."""
        operator = self.switch.operator.user_id
        colleagues = sorted(
            (
                ep
                for ep in self.switch.endpoints.values()
                if ep.internal and ep.user_id is not None and ep.user_id != operator
            ),
            key=lambda ep: ep.extension or "",
        )
        groups = {}
        for index, (gid, name) in enumerate(GROUPS):
            chosen = colleagues[index * GROUP_SIZE : (index + 1) * GROUP_SIZE]
            members = tuple(str(u) for u in (operator, *(ep.user_id for ep in chosen)) if u)
            groups[gid] = ChatGroup(gid, name, members, str(operator or ""))
        return groups

    def groups_of(self, user: UserId) -> list[ChatGroup]:
        return [group for group in self.groups.values() if user in group.members]

    def listen(self, user: UserId, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with each message for or from ``user`` (as ``user`` sees it)."""
        self._listeners.setdefault(user, []).append(listener)
        return lambda: self._listeners.get(user, []).remove(listener)

    # ---- managing groups (TWS-4.2: the rules are domain.chat_groups') ------------------------

    def listen_groups(self, user: UserId, listener: GroupListener) -> Callable[[], None]:
        """Call ``listener`` with each group of ``user``'s made or changed (and gone)."""
        self._group_listeners.setdefault(user, []).append(listener)
        return lambda: self._group_listeners.get(user, []).remove(listener)

    def _group_changed(
        self, before: ChatGroup | None, after: ChatGroup | None, actor: str = ""
    ) -> None:
        """Keep ``after`` (None: deleted) and tell every member, before and after; then what
        ``actor`` changed, as notices in the group's thread (``chat_groups.notices``)."""
        group = after or before
        assert group is not None
        if after is None:
            self.groups.pop(group.id, None)
            self._conversations.pop(("grp", group.id), None)
        else:
            self.groups[after.id] = after
        now = set(after.members) if after is not None else set()
        for member in dict.fromkeys([*(before.members if before else ()), *group.members]):
            for listener in list(self._group_listeners.get(member, ())):
                listener(group, member not in now)
        if before is not None and after is not None:
            for notice in chat_groups.notices(before, after, actor):
                self._post(after, UserId(notice.who), "", notice=notice)

    def _group_of(self, group_id: str) -> ChatGroup:
        group = self.groups.get(group_id)
        if group is None:
            raise NotFound(N_("Unknown chat group: {group}"), group=group_id)
        return group

    def create_group(self, user: UserId, name: str, members: tuple[UserId, ...]) -> ChatGroup:
        for member in members:
            self.switch.endpoint_of_user(member)  # NotFound for an unknown colleague
        group = chat_groups.new_group(f"grp-{uuid.uuid4().hex[:12]}", name, user, members)
        self._group_changed(None, group)
        return group

    def rename_group(self, user: UserId, group_id: str, name: str) -> ChatGroup:
        group = self._group_of(group_id)
        changed = chat_groups.renamed(group, user, name)
        self._group_changed(group, changed, user)
        return changed

    def add_members(self, user: UserId, group_id: str, members: tuple[UserId, ...]) -> ChatGroup:
        group = self._group_of(group_id)
        for member in members:
            self.switch.endpoint_of_user(member)
        changed = chat_groups.with_members(group, user, members)
        self._group_changed(group, changed, user)
        return changed

    def remove_member(self, user: UserId, group_id: str, member: UserId) -> ChatGroup | None:
        """``member`` out (``user`` leaves when it is them); None: the group is deleted."""
        group = self._group_of(group_id)
        changed = chat_groups.without_member(group, user, member)
        self._group_changed(group, changed, user)
        return changed

    def delete_group(self, user: UserId, group_id: str) -> None:
        """The administrator deletes the group and its conversation: every member is told."""
        group = self._group_of(group_id)
        if user not in group.members:
            raise NotFound(N_("Unknown chat group: {group}"), group=group_id)
        chat_groups.deletable(group, user)
        self._group_changed(group, None, user)

    # ---- read state ------------------------------------------------------------------------

    def listen_reads(self, user: UserId, listener: ReadListener) -> Callable[[], None]:
        """Call ``listener`` when someone (``user`` too, elsewhere) reads a conversation of
        ``user``'s."""
        self._read_listeners.setdefault(user, []).append(listener)
        return lambda: self._read_listeners.get(user, []).remove(listener)

    def _conversation_key(self, user: str, peer: str) -> tuple[str, str]:
        return ("grp", peer) if peer in self.groups else self._key(user, peer)

    def mark_read(self, user: UserId, peer: UserId, message_id: str) -> None:
        """``user`` read the conversation with ``peer`` up to ``message_id``: everyone in it
        is told (each with their own peer)."""
        key = self._conversation_key(user, peer)
        found = next((m for m in self._conversations.get(key, ()) if m.id == message_id), None)
        if found is None:
            raise NotFound(N_("No message {message_id} here"), message_id=message_id)
        before = self._read.get((user, key))
        if before is not None and before.at >= found.at:
            return
        self._read[(user, key)] = found
        group = self.groups.get(peer)
        members = group.members if group is not None else (user, peer)
        for member in members:
            seen_as = peer if group is not None or member == user else user
            for listener in list(self._read_listeners.get(member, ())):
                listener(UserId(seen_as), user, found)

    def reads(self, user: UserId, peer: UserId) -> dict[UserId, ChatMessage]:
        """How far each of the others read ``user``'s conversation with ``peer``."""
        key = self._conversation_key(user, peer)
        return {
            UserId(reader): message
            for (reader, kept_key), message in self._read.items()
            if kept_key == key and reader != user
        }

    def _key(self, a: str, b: str) -> tuple[str, str]:
        first, second = sorted((a, b))
        return first, second

    def send(
        self,
        sender: UserId,
        to: UserId,
        text: str,
        *,
        slip: MessageSlip | None = None,
        reply_to: ChatMessage | None = None,
        attachment: ChatAttachment | None = None,
        files: tuple[ChatAttachment, ...] = (),
    ) -> ChatMessage:
        """Store and deliver one message (a slip's text may be empty, and so may be that of a
        message with ``files``; with ``attachment``, a file whose bytes
        simulator.attachments keeps); the sender's copy is returned."""
        if (not text.strip() and slip is None and not files) or len(text) > MAX_TEXT:
            raise InvalidDestination(N_("A chat message has 1 to {most} characters"), most=MAX_TEXT)
        reply_id = reply_to.id if reply_to is not None else None
        quote = quote_of(reply_to.text) if reply_to is not None else ""
        if to in self.groups:
            group = self.groups[to]
            return self._send_to_group(sender, group, text, reply_id, quote, attachment, files)
        if to == sender:
            raise InvalidDestination(N_("A chat message needs another recipient than yourself"))
        self.switch.endpoint_of_user(to)  # NotFound for an unknown colleague
        at = self.switch.clock.now()
        mid = f"sim-chat-{uuid.uuid4().hex}"  # unique across runs: the console keeps them
        kept = self._conversations.setdefault(self._key(sender, to), deque(maxlen=500))
        sent = ChatMessage(
            mid, to, sender, text, at, slip, reply_to=reply_id, quote=quote, attachment=attachment,
            files=files,
        )  # fmt: skip
        kept.append(sent)
        self._deliver(sent, sender, to)
        first = len(kept) == 1
        if sender == self._operator() and (first or self.rng.random() < ANSWER_CHANCE):
            reply = self.rng.choice(ANSWERS)
            delay = self.rng.uniform(*ANSWER_DELAY_S)
            self.switch.clock.call_later(delay, lambda: self._answer(to, sender, reply))
        return sent

    def _deliver(self, message: ChatMessage, a: UserId, b: UserId) -> None:
        """Tell both sides of a 1:1 conversation (each with the other as peer)."""
        for user, peer in ((a, b), (b, a)):
            for listener in list(self._listeners.get(user, ())):
                listener(replace(message, peer=peer))

    def change(
        self, user: UserId, peer: UserId, message_id: str, *, text: str | None = None
    ) -> ChatMessage:
        """Edit (``text``) or delete (None) one of ``user``'s messages with ``peer``, and tell
        everyone in the conversation."""
        if text is not None and (not text.strip() or len(text) > MAX_TEXT):
            raise InvalidDestination(N_("A chat message has 1 to {most} characters"), most=MAX_TEXT)
        group = self.groups.get(peer)
        kept = self._conversations.get(("grp", peer) if group else self._key(user, peer))
        found = next((m for m in kept or () if m.id == message_id), None)
        if kept is None or found is None or found.sender != user or found.notice is not None:
            raise NotFound(N_("No message of yours {message_id}"), message_id=message_id)
        if text is None:
            changed = replace(found, text="", slip=None, deleted=True)
        else:
            changed = replace(found, text=text, edited=True)
        kept[kept.index(found)] = changed
        if group is not None:
            for member in group.members:
                for listener in list(self._listeners.get(member, ())):
                    listener(changed)
        else:
            self._deliver(changed, user, peer)
        return replace(changed, peer=peer)

    def _answer(self, colleague: UserId, operator: UserId, text: str) -> None:
        kept = self._conversations.get(self._key(colleague, operator))
        if kept:  # who answers has read what they answer
            self.mark_read(colleague, operator, kept[-1].id)
        self.send(colleague, operator, text)

    def _group_answer(self, member: UserId, group: ChatGroup, text: str) -> None:
        kept = self._conversations.get(("grp", group.id))
        if kept:
            self.mark_read(member, UserId(group.id), kept[-1].id)
        self._send_to_group(member, group, text)

    def _send_to_group(
        self,
        sender: UserId,
        group: ChatGroup,
        text: str,
        reply_to: str | None = None,
        quote: str = "",
        attachment: ChatAttachment | None = None,
        files: tuple[ChatAttachment, ...] = (),
    ) -> ChatMessage:
        """Store one group message and deliver it to every member (peer: the group); a
        member answers the operator's first message, then now and then."""
        if sender not in group.members:
            raise InvalidDestination(
                N_("You are not a member of the chat group {group}"), group=group.name
            )
        message, kept = self._post(group, sender, text, reply_to, quote, attachment, files=files)
        others = [UserId(m) for m in group.members if m not in (sender, self._operator())]
        first = sum(1 for m in kept if m.notice is None) == 1
        if sender == self._operator() and others and (first or self.rng.random() < ANSWER_CHANCE):
            member, reply = self.rng.choice(others), self.rng.choice(ANSWERS)
            delay = self.rng.uniform(*ANSWER_DELAY_S)
            self.switch.clock.call_later(delay, lambda: self._group_answer(member, group, reply))
        return message

    def _post(
        self,
        group: ChatGroup,
        sender: UserId,
        text: str,
        reply_to: str | None = None,
        quote: str = "",
        attachment: ChatAttachment | None = None,
        *,
        notice: GroupNotice | None = None,
        files: tuple[ChatAttachment, ...] = (),
    ) -> tuple[ChatMessage, deque[ChatMessage]]:
        """Keep one message (or notice) of ``group``'s thread and tell every member."""
        message = ChatMessage(
            f"sim-chat-{uuid.uuid4().hex}",
            UserId(group.id),
            sender,
            text,
            self.switch.clock.now(),
            reply_to=reply_to,
            quote=quote,
            attachment=attachment,
            notice=notice,
            files=files,
        )
        kept = self._conversations.setdefault(("grp", group.id), deque(maxlen=500))
        kept.append(message)
        for member in group.members:
            for listener in list(self._listeners.get(member, ())):
                listener(message)
        return message, kept

    def conversation(self, user: UserId, peer: UserId, limit: int) -> list[ChatMessage]:
        """The conversation between ``user`` and ``peer`` (a colleague or a group of
        ``user``'s) as ``user`` sees it, oldest first."""
        if peer in self.groups:
            if user not in self.groups[peer].members:
                return []
            return list(self._conversations.get(("grp", peer), deque()))[-limit:]
        kept = self._conversations.get(self._key(user, peer), deque())
        return [replace(m, peer=peer) for m in list(kept)[-limit:]]

    def recent(self, user: UserId, limit: int) -> list[ChatMessage]:
        """``user``'s last messages of every conversation, as ``user`` sees them, oldest first."""
        mine = [
            replace(m, peer=UserId(b if a == user else a))
            for (a, b), kept in self._conversations.items()
            if user in (a, b)
            for m in kept
        ]
        mine += [
            m
            for (kind, gid), kept in self._conversations.items()
            if kind == "grp" and user in self.groups[gid].members
            for m in kept
        ]
        return sorted(mine, key=lambda m: m.at)[-limit:]

    def colleague_writes(self) -> ChatMessage | None:
        """A colleague (drawn from the seed) writes to the operator: the demo's chat traffic."""
        operator = self._operator()
        colleagues = [
            ep
            for ep in self.switch.endpoints.values()
            if ep.internal and ep.user_id is not None and ep.user_id != operator
        ]
        if not colleagues:
            return None
        colleague = self.rng.choice(colleagues)
        assert colleague.user_id is not None
        return self.send(colleague.user_id, operator, self.rng.choice(OPENERS))

    def _operator(self) -> UserId:
        user = self.switch.operator.user_id
        assert user is not None
        return user
