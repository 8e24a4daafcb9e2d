"""The data services of the ``cti`` backend, kept by the server: directory, public lists,
the public directory, history, chat.

Owns five thin adapters over :class:`~.session.HttpSession` implementing the ``Directory``,
``SharedLists``, ``SharedContacts``, ``History`` and ``Chat`` protocols of
:mod:`tws_tui.core.protocols`.
"""

from __future__ import annotations

import contextlib

from tws_tui.backends.cti.session import HttpSession
from tws_tui.core.errors import N_, NotFound, PermissionDenied
from tws_tui.core.model import ChatMessage, Contact, HistoryEntry, SharedList, UserId
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


class CtiChat:
    kept = True  # the server's store

    def __init__(self, session: HttpSession) -> None:
        self.session = session

    async def send(self, peer: UserId, text: str) -> ChatMessage:
        body = encode(bodies.ChatSendBody(peer, text))
        message: ChatMessage = decode(
            ChatMessage, await self.session.request(routes.CHAT_SEND, body=body)
        )
        return message

    async def recent(self, *, limit: int = 100) -> list[ChatMessage]:
        raw = await self.session.request(routes.CHAT_RECENT, params={"limit": limit})
        return list(decode(bodies.ChatMessageList, raw).items)

    async def conversation(self, peer: UserId, *, limit: int = 100) -> list[ChatMessage]:
        limit = max(1, min(limit, 1000))
        raw = await self.session.request(
            routes.CHAT_CONVERSATION, {"peer": peer}, params={"limit": limit}
        )
        return list(decode(bodies.ChatMessageList, raw).items)
