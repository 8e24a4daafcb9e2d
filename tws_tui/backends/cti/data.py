"""The data services of the ``cti`` backend, kept by the server: directory, public lists,
history, chat, voicemail and the public directory.

Owns thin adapters over :class:`~.session.HttpSession` implementing the ``Directory``,
``SharedLists``, ``SharedContacts``, ``History``, ``Chat``, ``Voicemail``, ``VoicemailPrefs``
and ``CallComments`` protocols of :mod:`tws_tui.core.protocols`.
"""

from __future__ import annotations

import base64
import contextlib
import mimetypes
from collections.abc import Sequence
from datetime import datetime

from tws_tui.backends.cti.session import HttpSession
from tws_tui.backends.gating import check
from tws_tui.core.errors import N_, NotFound, PermissionDenied
from tws_tui.core.model import (
    AssistRequest,
    Broadcast,
    CallComment,
    Capability,
    ChatFeature,
    ChatGroup,
    ChatMessage,
    Contact,
    HistoryEntry,
    MessageSlip,
    OutgoingFile,
    SharedList,
    UserId,
    VoicemailGreeting,
    VoicemailMessage,
    VoicemailSettings,
)
from tws_tui.domain.sms import is_sms_peer, sms_number
from tws_tui.wire import bodies, routes
from tws_tui.wire.codec import decode, encode


class CtiDirectory:
    def __init__(self, session: HttpSession) -> None:
        self.session = session

    async def search(self, term: str, *, limit: int = 20) -> list[Contact]:
        params: dict[str, str | int] = {"q": term[:200], "limit": max(1, min(limit, 500))}
        raw = await self.session.request(routes.SEARCH_DIRECTORY, params=params)
        return list(decode(bodies.ContactList, raw).items)

    async def reverse(self, number: str) -> Contact | None:
        try:
            raw = await self.session.request(routes.REVERSE_LOOKUP, params={"number": number[:40]})
        except NotFound:
            return None
        contact: Contact = decode(Contact, raw)
        return contact


class CtiProfiles:
    """My profiles kept by the server (``/v1/me/profiles``)."""

    def __init__(self, session: HttpSession) -> None:
        self.session = session

    async def load(self) -> str:
        raw = await self.session.request(routes.GET_PROFILES)
        document: str = decode(bodies.ProfilesBody, raw).document
        return document

    async def save(self, document: str) -> None:
        body = encode(bodies.ProfilesBody(document))
        await self.session.request(routes.PUT_PROFILES, body=body)


class CtiSharedLists:
    """Every user's public lists (``/v1/directory/lists``); mine are under my own ids.

    ``withdraw`` of a list that is not public is done (the server answers 404 for it). A
    list id may be given as the server gives it (``<owner>/<own id>``) when it is mine;
    another user's is refused here, before any request (only its owner changes it).
    """

    def __init__(self, session: HttpSession) -> None:
        self.session = session

    def _path(self, list_id: str) -> dict[str, str]:
        me = str(self.session.user.get("username") or self.session.options.username)
        owner, slash, own = list_id.rpartition("/")
        if slash and owner != me:
            raise PermissionDenied(
                N_("Only {owner} can change or withdraw the list {list_id}"),
                owner=owner,
                list_id=list_id,
            )
        return {"list_id": own}

    async def lists(self) -> list[SharedList]:
        raw = await self.session.request(routes.SHARED_LISTS)
        return list(decode(bodies.SharedListList, raw).items)

    async def publish(self, list_id: str, name: str, contacts: list[Contact]) -> SharedList:
        body = encode(bodies.SharedListBody(name, tuple(contacts)))
        shared: SharedList = decode(
            SharedList,
            await self.session.request(routes.PUBLISH_SHARED_LIST, self._path(list_id), body=body),
        )
        return shared

    async def withdraw(self, list_id: str) -> None:
        """Done also when the list was not public (the server's 404 for it)."""
        with contextlib.suppress(NotFound):
            await self.session.request(routes.WITHDRAW_SHARED_LIST, self._path(list_id))


class CtiSharedContacts:
    """The server's public directory (``/v1/directory/contacts``): what a user adds there
    every user finds by search and reverse lookup."""

    def __init__(self, session: HttpSession) -> None:
        self.session = session

    @staticmethod
    def _body(contact: Contact) -> object:
        return encode(
            bodies.NewContactBody(
                contact.name,
                contact.numbers,
                contact.company,
                contact.department,
                contact.email,
                contact.details,
            )
        )

    async def contacts(self) -> list[Contact]:
        raw = await self.session.request(routes.SHARED_CONTACTS)
        return list(decode(bodies.ContactList, raw).items)

    async def add(self, contact: Contact) -> Contact:
        raw = await self.session.request(routes.ADD_CONTACT, body=self._body(contact))
        added: Contact = decode(Contact, raw)
        return added

    async def update(self, contact: Contact) -> Contact:
        path = {"contact_id": contact.id}
        raw = await self.session.request(routes.UPDATE_CONTACT, path, body=self._body(contact))
        updated: Contact = decode(Contact, raw)
        return updated

    async def delete(self, contact_id: str) -> None:
        await self.session.request(routes.DELETE_CONTACT, {"contact_id": contact_id})


class CtiHistory:
    def __init__(self, session: HttpSession) -> None:
        self.session = session

    async def recent(self, *, limit: int = 50, missed_only: bool = False) -> list[HistoryEntry]:
        params: dict[str, str | int] = {
            "limit": max(1, min(limit, 500)),
            "missed_only": str(missed_only).lower(),
        }
        raw = await self.session.request(routes.HISTORY, params=params)
        return list(decode(bodies.HistoryList, raw).items)

    async def mark_seen(self) -> None:
        await self.session.request(routes.HISTORY_SEEN)

    async def clear(self) -> None:
        """Every call of my history on the server deleted (``core.protocols.HistoryClearing``)."""
        await self.session.request(routes.HISTORY_CLEAR)


class CtiChat:
    kept = True  # the server's store
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

    def __init__(self, session: HttpSession) -> None:
        self.session = session

    async def send_file(self, peer: UserId, name: str, data: bytes) -> ChatMessage:
        """``FileSender``: the server keeps the file (``/v1/chat/files``, base64 in JSON);
        over its limit, its 413 says the limit."""
        encoded = base64.b64encode(data).decode("ascii")
        content_type = mimetypes.guess_type(name, strict=False)[0] or ""
        body = encode(bodies.ChatFileBody(peer, name, encoded, content_type))
        message: ChatMessage = decode(
            ChatMessage, await self.session.request(routes.CHAT_SEND_FILE, body=body)
        )
        return message

    async def send_files(
        self, peer: UserId, text: str, files: Sequence[OutgoingFile]
    ) -> ChatMessage:
        """``FileMessageSender``: the text and the files with their tags in one request
        (``/v1/chat/file-messages``); a refusal (a file too large, a bad tag) keeps none."""
        items = tuple(
            bodies.ChatFileItem(
                file.name,
                base64.b64encode(file.data).decode("ascii"),
                mimetypes.guess_type(file.name, strict=False)[0] or "",
                file.tags,
            )
            for file in files
        )
        body = encode(bodies.ChatFilesBody(peer, text, items))
        message: ChatMessage = decode(
            ChatMessage, await self.session.request(routes.CHAT_SEND_FILES, body=body)
        )
        return message

    async def file(self, attachment_id: str) -> bytes:
        data = await self.session.request(routes.CHAT_FILE, {"file_id": attachment_id}, raw=True)
        return bytes(data or b"")

    # ---- ChatAssist (``/v1/assist/requests``) ----------------------------------------------

    async def ask_assist(self, to: str, text: str) -> AssistRequest:
        body = encode(bodies.AssistAskBody(to, text))
        request: AssistRequest = decode(
            AssistRequest, await self.session.request(routes.ASSIST_ASK, body=body)
        )
        return request

    async def take_assist(self, request_id: str) -> AssistRequest:
        raw = await self.session.request(routes.ASSIST_TAKE, {"request_id": request_id})
        request: AssistRequest = decode(AssistRequest, raw)
        return request

    async def cancel_assist(self, request_id: str) -> AssistRequest:
        raw = await self.session.request(routes.ASSIST_CANCEL, {"request_id": request_id})
        request: AssistRequest = decode(AssistRequest, raw)
        return request

    async def assist_requests(self) -> list[AssistRequest]:
        raw = await self.session.request(routes.ASSIST_LIST)
        return list(decode(bodies.AssistList, raw).items)

    # ---- ChatBroadcast (``/v1/broadcasts``) -------------------------------------------------

    async def send_broadcast(self, to: tuple[str, ...], text: str) -> Broadcast:
        body = encode(bodies.BroadcastBody(to, text))
        sent: Broadcast = decode(
            Broadcast, await self.session.request(routes.BROADCAST_SEND, body=body)
        )
        return sent

    async def broadcasts(self) -> list[Broadcast]:
        raw = await self.session.request(routes.BROADCASTS)
        return list(decode(bodies.BroadcastList, raw).items)

    async def send_sms(self, number: str, text: str) -> ChatMessage:
        """``SmsSender``: through the server's simulated gateway (``/v1/sms/messages``)."""
        body = encode(bodies.SmsSendBody(number, text))
        message: ChatMessage = decode(
            ChatMessage, await self.session.request(routes.SMS_SEND, body=body)
        )
        return message

    async def send(
        self,
        peer: UserId,
        text: str,
        *,
        slip: MessageSlip | None = None,
        reply_to: ChatMessage | None = None,
    ) -> ChatMessage:
        answered = reply_to.id if reply_to is not None else None
        body = encode(bodies.ChatSendBody(peer, text, slip, answered))
        message: ChatMessage = decode(
            ChatMessage, await self.session.request(routes.CHAT_SEND, body=body)
        )
        return message

    async def recent(self, *, limit: int = 100) -> list[ChatMessage]:
        raw = await self.session.request(routes.CHAT_RECENT, params={"limit": limit})
        chats = decode(bodies.ChatMessageList, raw).items
        raw = await self.session.request(routes.SMS_RECENT, params={"limit": limit})
        both = [*chats, *decode(bodies.ChatMessageList, raw).items]
        return sorted(both, key=lambda m: m.at)[-limit:]

    async def conversation(self, peer: UserId, *, limit: int = 100) -> list[ChatMessage]:
        limit = max(1, min(limit, 1000))
        if is_sms_peer(peer):
            params: dict[str, str | int] = {"limit": limit, "number": sms_number(peer)}
            raw = await self.session.request(routes.SMS_RECENT, params=params)
            return list(decode(bodies.ChatMessageList, raw).items)
        raw = await self.session.request(
            routes.CHAT_CONVERSATION, {"peer": peer}, params={"limit": limit}
        )
        return list(decode(bodies.ChatMessageList, raw).items)

    async def groups(self) -> list[ChatGroup]:
        raw = await self.session.request(routes.CHAT_GROUPS)
        return list(decode(bodies.ChatGroupList, raw).items)

    async def edit(self, peer: UserId, message_id: str, text: str) -> ChatMessage:
        raw = await self.session.request(
            routes.CHAT_EDIT, {"message_id": message_id}, body=encode(bodies.ChatEditBody(text))
        )
        message: ChatMessage = decode(ChatMessage, raw)
        return message

    async def delete(self, peer: UserId, message_id: str) -> None:
        await self.session.request(routes.CHAT_DELETE, {"message_id": message_id})

    # ---- ChatGroupAdmin ---------------------------------------------------------------------

    async def create_group(self, name: str, members: tuple[UserId, ...]) -> ChatGroup:
        body = encode(bodies.ChatGroupBody(name, tuple(members)))
        group: ChatGroup = decode(
            ChatGroup, await self.session.request(routes.CHAT_CREATE_GROUP, body=body)
        )
        return group

    async def rename_group(self, group_id: UserId, name: str) -> ChatGroup:
        body = encode(bodies.ChatGroupNameBody(name))
        raw = await self.session.request(
            routes.CHAT_RENAME_GROUP, {"group_id": group_id}, body=body
        )
        group: ChatGroup = decode(ChatGroup, raw)
        return group

    async def add_members(self, group_id: UserId, members: tuple[UserId, ...]) -> ChatGroup:
        body = encode(bodies.ChatMembersBody(tuple(members)))
        raw = await self.session.request(routes.CHAT_ADD_MEMBERS, {"group_id": group_id}, body=body)
        group: ChatGroup = decode(ChatGroup, raw)
        return group

    async def remove_member(self, group_id: UserId, member: UserId) -> ChatGroup:
        raw = await self.session.request(
            routes.CHAT_REMOVE_MEMBER, {"group_id": group_id, "user_id": member}
        )
        group: ChatGroup = decode(ChatGroup, raw)
        return group

    async def leave_group(self, group_id: UserId) -> None:
        await self.session.request(routes.CHAT_LEAVE_GROUP, {"group_id": group_id})

    async def delete_group(self, group_id: UserId) -> None:
        await self.session.request(routes.CHAT_DELETE_GROUP, {"group_id": group_id})

    # ---- ChatReceipts -----------------------------------------------------------------------

    async def mark_read(self, peer: UserId, message_id: str) -> None:
        body = encode(bodies.ChatReadBody(message_id))
        await self.session.request(routes.CHAT_MARK_READ, {"peer": peer}, body=body)

    async def reads(self, peer: UserId) -> dict[UserId, datetime]:
        raw = await self.session.request(routes.CHAT_READS, {"peer": peer})
        return {read.reader: read.read_to for read in decode(bodies.ChatReadList, raw).items}


class CtiVoicemail:
    """My voicemail box on the server (``/v1/me/voicemail``); each request is gated here on
    its route's capability (what the server said it offers me)."""

    def __init__(self, session: HttpSession, capabilities: frozenset[Capability]) -> None:
        self.session = session
        self.capabilities = capabilities

    async def messages(self) -> list[VoicemailMessage]:
        raw = await self.session.request(routes.VOICEMAIL)
        return list(decode(bodies.Voicemail, raw).items)

    async def mark(self, message_id: str, *, heard: bool) -> None:
        check(self, Capability.VOICEMAIL_MANAGE)
        body = encode(bodies.HeardBody(heard))
        await self.session.request(routes.VOICEMAIL_MARK, {"message_id": message_id}, body=body)

    async def delete(self, message_id: str) -> None:
        check(self, Capability.VOICEMAIL_MANAGE)
        await self.session.request(routes.VOICEMAIL_DELETE, {"message_id": message_id})

    async def audio(self, message_id: str) -> bytes:
        check(self, Capability.VOICEMAIL_AUDIO)
        data = await self.session.request(
            routes.VOICEMAIL_AUDIO, {"message_id": message_id}, raw=True
        )
        return bytes(data or b"")


class CtiVoicemailPrefs:
    """My voicemail's settings on the server (``/v1/me/voicemail/settings``, greetings, PIN,
    e-mail copy); the greeting's WAV travels base64 in JSON. The server's refusals come back
    as the typed errors it sent (``InvalidValue`` for a bad WAV or PIN…)."""

    def __init__(self, session: HttpSession, capabilities: frozenset[Capability]) -> None:
        self.session = session
        self.capabilities = capabilities

    async def settings(self) -> VoicemailSettings:
        settings: VoicemailSettings = decode(
            VoicemailSettings, await self.session.request(routes.VOICEMAIL_SETTINGS)
        )
        return settings

    async def add_greeting(self, name: str, wav: bytes) -> VoicemailGreeting:
        body = encode(bodies.GreetingBody(name, base64.b64encode(wav).decode("ascii")))
        raw = await self.session.request(routes.ADD_GREETING, body=body)
        greeting: VoicemailGreeting = decode(VoicemailGreeting, raw)
        return greeting

    async def activate_greeting(self, greeting_id: str) -> None:
        await self.session.request(routes.ACTIVATE_GREETING, {"greeting_id": greeting_id})

    async def delete_greeting(self, greeting_id: str) -> None:
        await self.session.request(routes.DELETE_GREETING, {"greeting_id": greeting_id})

    async def greeting_audio(self, greeting_id: str) -> bytes:
        data = await self.session.request(
            routes.GREETING_AUDIO, {"greeting_id": greeting_id}, raw=True
        )
        return bytes(data or b"")

    async def change_pin(self, old: str, new: str) -> None:
        await self.session.request(routes.VOICEMAIL_PIN, body=encode(bodies.PinBody(old, new)))

    async def set_email_copy(self, enabled: bool, address: str) -> None:
        body = encode(bodies.EmailCopyBody(enabled, address))
        await self.session.request(routes.VOICEMAIL_EMAIL, body=body)


class CtiCallComments:
    """Comments on calls shared through the server (``/v1/conversations/{id}/comments``)."""

    def __init__(self, session: HttpSession, capabilities: frozenset[Capability]) -> None:
        self.session = session
        self.capabilities = capabilities

    async def comments(self, conversation_id: str) -> list[CallComment]:
        raw = await self.session.request(routes.CALL_COMMENTS, {"conversation_id": conversation_id})
        return list(decode(bodies.CommentList, raw).items)

    async def add(self, conversation_id: str, text: str) -> CallComment:
        raw = await self.session.request(
            routes.ADD_CALL_COMMENT,
            {"conversation_id": conversation_id},
            body=encode(bodies.CommentBody(text)),
        )
        comment: CallComment = decode(CallComment, raw)
        return comment

    async def edit(self, comment_id: str, text: str) -> CallComment:
        raw = await self.session.request(
            routes.EDIT_CALL_COMMENT,
            {"comment_id": comment_id},
            body=encode(bodies.CommentBody(text)),
        )
        comment: CallComment = decode(CallComment, raw)
        return comment

    async def delete(self, comment_id: str) -> None:
        await self.session.request(routes.DELETE_CALL_COMMENT, {"comment_id": comment_id})

    async def recent(self, *, limit: int = 500, text: str = "") -> list[CallComment]:
        params: dict[str, str | int] = {"limit": limit}
        if text.strip():
            params["q"] = text.strip()[:64]
        raw = await self.session.request(routes.RECENT_CALL_COMMENTS, params=params)
        return list(decode(bodies.CommentList, raw).items)
