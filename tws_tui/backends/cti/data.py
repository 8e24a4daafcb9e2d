"""The data services of the ``cti`` backend, kept by the server: directory, history, chat.

Owns three thin adapters over :class:`~.session.HttpSession` implementing the ``Directory``,
``History`` and ``Chat`` protocols of :mod:`tws_tui.core.protocols`.
"""

from __future__ import annotations

from urllib.parse import quote

from tws_tui.backends.cti.session import HttpSession
from tws_tui.core.errors import NotFound
from tws_tui.core.model import ChatMessage, Contact, HistoryEntry, UserId
from tws_tui.cti import bodies
from tws_tui.cti.wire import decode, encode


class CtiDirectory:
    def __init__(self, session: HttpSession) -> None:
        self.session = session

    async def search(self, term: str, *, limit: int = 20) -> list[Contact]:
        params = {"q": term[:200], "limit": max(1, min(limit, 500))}
        raw = await self.session.request("GET", "/v1/directory/search", params=params)
        return list(decode(bodies.ContactList, raw).items)

    async def reverse(self, number: str) -> Contact | None:
        try:
            raw = await self.session.request(
                "GET", "/v1/directory/reverse", params={"number": number[:40]}
            )
        except NotFound:
            return None
        contact: Contact = decode(Contact, raw)
        return contact


class CtiHistory:
    def __init__(self, session: HttpSession) -> None:
        self.session = session

    async def recent(self, *, limit: int = 50, missed_only: bool = False) -> list[HistoryEntry]:
        params = {"limit": max(1, min(limit, 500)), "missed_only": str(missed_only).lower()}
        raw = await self.session.request("GET", "/v1/history", params=params)
        return list(decode(bodies.HistoryList, raw).items)

    async def mark_seen(self) -> None:
        await self.session.request("POST", "/v1/history/seen")


class CtiChat:
    def __init__(self, session: HttpSession) -> None:
        self.session = session

    async def send(self, peer: UserId, text: str) -> ChatMessage:
        body = encode(bodies.ChatSendBody(peer, text))
        message: ChatMessage = decode(
            ChatMessage, await self.session.request("POST", "/v1/chat/messages", body=body)
        )
        return message

    async def conversation(self, peer: UserId, *, limit: int = 100) -> list[ChatMessage]:
        path = f"/v1/chat/conversations/{quote(peer, safe='')}"
        raw = await self.session.request("GET", path, params={"limit": max(1, min(limit, 1000))})
        return list(decode(bodies.ChatMessageList, raw).items)
