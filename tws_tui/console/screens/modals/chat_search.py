"""``ChatSearchScreen``: search in my chat messages (TWS-4.3.9, issue 15).

Results come as you type (each change asks the local journal, in its thread; a newer query
replaces the older one), newest first, a line each in three columns: when, who wrote (and in
which conversation), and the text, with what was typed marked in green; at most 50, then a line
asks to refine. They are a ``RowList`` (line API: a key draws the lines on screen that changed,
where a list of options measured and laid out all fifty at each key). ↓/↑ move, Enter or a
click opens the conversation at the message found, Esc closes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tws_tui.console.api import console_api
from tws_tui.console.widgets.lazy_field import TypingField
from tws_tui.console.widgets.row_list import RowList
from tws_tui.core.model import ChatMessage, UserId
from tws_tui.domain.format import day_and_time
from tws_tui.domain.text import fold, shown_literally
from tws_tui.journal.chat_search import RESULTS_MAX, SHORT_SCAN, TRIGRAM
from tws_tui.platform.i18n import N_, _

#: How a user id (or a group's) is named.
Who = Callable[[UserId], str]
#: The results' columns (translated when drawn).
COLUMNS = (N_("When"), N_("Who"), N_("Text"))
#: A result's text is cut to this many characters before it is made literal (a line shows a
#: screen's width of it; a message may hold 2 000).
TEXT_SHOWN = 300


class ChatSearchScreen(ModalScreen[ChatMessage | None]):
    DEFAULT_CSS = """
    ChatSearchScreen #chat-search-box { width: 90%; max-width: 110; height: 80%; }
    ChatSearchScreen #chat-search-input { background: $boost; margin-bottom: 1; }
    ChatSearchScreen #chat-search-results { height: 1fr; }
    ChatSearchScreen #chat-search-note { color: $text-muted; }
    """
    BINDINGS: ClassVar = [Binding("escape", "dismiss(None)", show=False)]

    def __init__(self, who: Who) -> None:
        super().__init__()
        self._who = who
        self.found: list[ChatMessage] = []
        #: The query whose results are shown (a slower, older answer is dropped).
        self.shown_for: str | None = None
        self._note_shown: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="chat-search-box", classes="modal-box"):
            yield Static(_("Search in messages"), classes="modal-title", markup=False)
            # A letter repaints the field alone (an Input lays out the whole screen at each one).
            yield TypingField(
                id="chat-search-input", placeholder=_("words of a message"), compact=True
            )
            results = RowList(id="chat-search-results")
            results.can_focus = False  # the field keeps the focus; ↓/↑ move in the results
            yield results
            yield Static(id="chat-search-note", markup=False)

    def on_mount(self) -> None:
        self.query_one("#chat-search-input", Input).focus()
        self._note(_("Type part of a message: the results come as you type."))

    def _note(self, text: str) -> None:
        """The line under the results; only a new text is drawn (a Static's update lays out
        the whole screen)."""
        if text != self._note_shown:
            self._note_shown = text
            self.query_one("#chat-search-note", Static).update(text)

    @on(Input.Changed, "#chat-search-input")
    def _typed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @work(exclusive=True, group="chat-search", exit_on_error=False)
    async def _search(self, typed: str) -> None:
        found = await console_api(self).local_journal.search_chat(typed) if typed.strip() else []
        if found is None or self.query_one("#chat-search-input", Input).value != typed:
            return
        self._show(typed, found)

    def _show(self, typed: str, found: list[ChatMessage]) -> None:
        self.found, self.shown_for = found[:RESULTS_MAX], typed
        api = console_api(self)
        clock_24h = api.prefs.ui.clock_24h
        now = api.clock.now()
        rows: dict[str, tuple[str, str, str]] = {}
        for index, message in enumerate(self.found):
            where = self._who(message.peer)
            sender = self._who(message.sender)
            rows[str(index)] = (
                day_and_time(message.at, now, clock_24h=clock_24h),
                f"{sender} → {where}" if sender != where else sender,
                shown_literally(message.text[:TEXT_SHOWN]),
            )
        listed = self.query_one("#chat-search-results", RowList)
        if listed.cursor != 0:
            listed.cursor = 0  # on the newest result again
        phrase = fold(" ".join(typed.split()))
        listed.set_rows([_(c) for c in COLUMNS], rows, marked=[phrase] if phrase else [])
        if not typed.strip():
            self._note(_("Type part of a message: the results come as you type."))
        elif not found:
            self._note(_("No message holds that."))
        elif len(found) > RESULTS_MAX:
            self._note(_("The first {most} shown: refine your search.").format(most=RESULTS_MAX))
        elif len(fold(typed.strip())) < TRIGRAM:
            self._note(
                _("Among the latest {count} messages: a third character searches them all.").format(
                    count=SHORT_SCAN
                )
            )
        else:
            self._note(_("Enter opens the conversation at the message."))

    def on_key(self, event: events.Key) -> None:
        """↓/↑ in the field move in the results (the field keeps the focus)."""
        listed = self.query_one("#chat-search-results", RowList)
        if event.key in ("down", "up") and listed.row_count:
            listed.action_move(1 if event.key == "down" else -1)
            event.stop()

    @on(Input.Submitted, "#chat-search-input")
    def _open_highlighted(self, event: Input.Submitted) -> None:
        event.stop()
        self._open()

    @on(events.Click, "#chat-search-results")
    def _open_clicked(self, event: events.Click) -> None:
        """A click on a result (the list moved its cursor there first) opens it."""
        if event.y >= 1:  # not the header
            self._open()

    def _open(self) -> None:
        key = self.query_one("#chat-search-results", RowList).selected_key
        if key is not None and self.found:
            self.dismiss(self.found[int(key)])
