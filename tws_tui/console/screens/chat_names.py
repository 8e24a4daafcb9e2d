"""Finding a conversation by name on the Chat screen (issue 15, TWS-4.3.11, TWS-4.1.2-2):
Ctrl+S (``chat.find_conversation``) shows a field above the conversation list; what is typed
there narrows the list, as it is typed, to the colleagues, groups and SMS numbers whose name
holds it (case and accents aside, ``domain.chat_filters.named``), or says that none does;
Enter opens the first one left, Esc (``chat_names.clear``) empties the field, hides it and
lists every conversation again. Distinct from Ctrl+F, which searches the messages. A mixin of
:class:`~tws_tui.console.screens.chat.ChatScreen`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from tws_tui.console.bindings import bindings_for
from tws_tui.console.widgets.lazy_field import FIELD_MAX_CHARS, TypingField
from tws_tui.core.model import UserId
from tws_tui.domain.chat_filters import named
from tws_tui.platform.i18n import _

if TYPE_CHECKING:
    from tws_tui.console.screens.base import ModeScreen

    class _ChatScreen(ModeScreen):
        """What the mixin uses of ChatScreen."""

        peer: UserId | None
        _peers_drawn: list[tuple[str | None, str]]

        def _who(self, user: UserId) -> str: ...
        def _conversations(self) -> list[UserId]: ...
        def _show_peers(self, peers: list[UserId]) -> None: ...
        def open_conversation(self, peer: UserId) -> None: ...
else:
    _ChatScreen = object


class NamesField(TypingField):
    """The name typed to find a conversation; hidden until Ctrl+S."""

    DEFAULT_CSS = """
    NamesField { display: none; }
    """
    BINDINGS: ClassVar = bindings_for("chat_names")

    def __init__(self) -> None:
        super().__init__(
            id="chat-names", compact=True, select_on_focus=False, max_length=FIELD_MAX_CHARS
        )
        self.can_focus = False  # hidden: never the screen's first focus nor on Tab's way

    def show(self, shown: bool) -> None:
        self.display = self.can_focus = shown

    def action_clear_names(self) -> None:
        """Esc (``chat_names.clear``): every conversation listed again."""
        screen = self.screen
        if isinstance(screen, ChatNames):
            screen.clear_names()


class ChatNames(_ChatScreen):
    """The conversation list narrowed to a name typed."""

    def _names_field(self) -> NamesField:
        return self.query_one("#chat-names", NamesField)

    def named_peers(self, peers: list[UserId]) -> list[UserId]:
        """``peers`` narrowed to the name typed (all of them when nothing is)."""
        return named(peers, self._who, self._names_field().value)

    def action_find_conversation(self) -> None:
        """Ctrl+S: the name field, shown and focused."""
        field = self._names_field()
        field.placeholder = _("Part of a name")
        field.show(True)
        field.focus()

    def clear_names(self) -> None:
        field = self._names_field()
        field.value = ""
        field.show(False)
        self.show_named(self._conversations())
        self.query_one("#chat-peers", OptionList).focus()

    def show_named(self, peers: list[UserId]) -> None:
        """The conversation list: ``peers`` (already narrowed), else that none matches."""
        if peers or not self._names_field().value.strip():
            self._show_peers(peers)
            return
        note = _("No conversation matches this name.")
        listed = self.query_one("#chat-peers", OptionList)
        self._peers_drawn = [(None, note)]
        listed.clear_options()
        listed.add_option(Option(Text(note, style="italic"), disabled=True))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "chat-names":
            self.show_named(self.named_peers(self._conversations()))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the name field: the first conversation left opens."""
        if event.input.id != "chat-names":
            return
        event.stop()
        peers = self.named_peers(self._conversations())
        if peers:
            self.open_conversation(peers[0])
