"""Read state on the Chat screen (issue 15): the conversation shown is read — its unread count
goes, and where the backend's chat has read receipts (``ChatFeature.READ_RECEIPTS``,
``ChatReceipts``: sim and cti; not sip) the backend is told how far, so my other consoles
clear it too and the others see "seen"; my last message shows "✓ seen" (a group: "✓ seen by
N") once the other side read that far. A mixin of
:class:`~tws_tui.console.screens.chat.ChatScreen`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tws_tui.core.errors import CallControlError, NotFound
from tws_tui.core.model import ChatFeature, ChatMessage, UserId
from tws_tui.core.protocols import Chat, ChatReceipts
from tws_tui.platform.i18n import _

if TYPE_CHECKING:
    from tws_tui.console.screens.base import ModeScreen

    class _ChatScreen(ModeScreen):
        """What the mixin uses of ChatScreen."""

        peer: UserId | None

        def _messages(self) -> list[ChatMessage]: ...
else:
    _ChatScreen = object


def receipts(chat: Chat | None) -> ChatReceipts | None:
    """The backend's chat as read receipts, when it has them."""
    if chat is None or ChatFeature.READ_RECEIPTS not in chat.features:
        return None
    return chat if isinstance(chat, ChatReceipts) else None


class ChatReadState(_ChatScreen):
    """What was said read and whose reads were asked (``init_read_state`` makes them)."""

    #: Per conversation, the newest message the backend was told I read.
    _marked: dict[UserId, str]
    #: The conversations whose others' reads were asked.
    _reads_asked: set[UserId]

    def init_read_state(self) -> None:
        self._marked, self._reads_asked = {}, set()

    def read_conversation(self, peer: UserId) -> None:
        """The conversation with ``peer`` is on screen: read here, and told to the backend
        up to its newest message from the others (once per message)."""
        self.tws.topics_changed(self.tws.state.mark_chat_read(peer))
        backend = self.tws.backend
        chat = receipts(backend.chat if backend is not None else None)
        if chat is None:
            return
        marked, asked = self._marked, self._reads_asked
        if peer not in asked:
            asked.add(peer)
            self.tws.run_background(lambda: self._load_reads(chat, peer), group=f"reads-{peer}")
        me = self.tws.state.me
        theirs = [m for m in self._messages() if me is None or m.sender != me.user_id]
        if not theirs or marked.get(peer) == theirs[-1].id:
            return
        newest = marked[peer] = theirs[-1].id

        async def mark() -> None:
            try:
                await chat.mark_read(peer, newest)
            except NotFound:
                pass  # a message the backend no longer has (an earlier sim session): left
            except CallControlError:
                marked.pop(peer, None)  # told again at the next refresh

        self.tws.run_background(mark, group=f"read-{peer}")

    async def _load_reads(self, chat: ChatReceipts, peer: UserId) -> None:
        try:
            reads = await chat.reads(peer)
        except CallControlError:
            self._reads_asked.discard(peer)
            return
        self.tws.topics_changed(self.tws.state.remember_reads(peer, reads))

    def seen_mark(self, messages: list[ChatMessage]) -> tuple[str | None, str]:
        """My last message of ``messages`` and what to show after it ("✓ seen"), if the
        others read it."""
        me, peer = self.tws.state.me, self.peer
        if me is None or peer is None:
            return None, ""
        mine = next(
            (m for m in reversed(messages) if m.sender == me.user_id and m.notice is None), None
        )
        if mine is None or mine.deleted:
            return None, ""
        reads = self.tws.state.chat_reads.get(peer, {})
        readers = [r for r, read_to in reads.items() if r != me.user_id and read_to >= mine.at]
        if not readers:
            return None, ""
        if peer in self.tws.state.chat_groups:
            return mine.id, "✓ " + _("seen by {count}").format(count=len(readers))
        return mine.id, "✓ " + _("seen")
