"""``MeLogScreen``: my ME log (issue 15, TWS-4.1.1), opened by Alt+Shift+L (``assist.log``).

One list of what concerned me (``domain.me_log``, read by ``screens/me_log_sources.py``): the
missed calls, the voice messages left for me, the messages written to me (chat, slips), the
help requests and broadcasts — oldest first, opened on the newest (TWS-4.1.1-2); each line
its time, its kind as a symbol and a word, who, the first words shown literally, "●" unread or
"○" read; the title (and the key's line in F1: ``modals/help.py``) says how many are unread
(TWP-4.1.1-1). Below the list, the highlighted entry's details (TWS-4.1.1-3). Enter opens its
place: a message's conversation on the Chat screen, a missed call's detail in History
(``history/detail.py``), Voicemail for a voice message. The log follows the chat, the history
and the voicemail as they change. Esc closes.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tws_tui.console.api import console_api
from tws_tui.console.screens.me_log_sources import my_entries
from tws_tui.core.model import UserId
from tws_tui.core.topics import Topic, Topics
from tws_tui.domain.me_log import MeEntry, MeKind, details, entry_line, heading, merged
from tws_tui.platform.i18n import _

#: The topics the log follows.
FOLLOWED = frozenset({Topic.CHAT, Topic.HISTORY, Topic.VOICEMAIL, Topic.ASSIST})


class MeLogScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    MeLogScreen #me-log { width: 96%; height: 90%; }
    MeLogScreen #me-log-entries { height: 1fr; }
    MeLogScreen #me-log-details { height: auto; max-height: 6; }
    """
    BINDINGS: ClassVar = [Binding("escape", "dismiss(None)", show=False)]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[MeEntry] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="me-log", classes="modal-box"):
            yield Static(_("My log (ME)"), id="me-log-title", classes="modal-title")
            yield OptionList(id="me-log-entries")
            yield Static("", id="me-log-details", markup=False)
            yield Static(_("↑↓ an entry · Enter opens it · Esc closes"), id="me-log-keys")

    def on_mount(self) -> None:
        console_api(self).state_signal.subscribe(self, self._on_state)
        self.query_one("#me-log-entries", OptionList).focus()
        self.load()

    def _on_state(self, topics: Topics) -> None:
        if FOLLOWED & topics:
            self.load()

    @work(exclusive=True, group="me-log")
    async def load(self) -> None:
        self.entries = merged(await my_entries(console_api(self)))
        self._show()

    def _show(self) -> None:
        api = console_api(self)
        now, clock_24h = api.clock.now(), api.prefs.ui.clock_24h
        self.query_one("#me-log-title", Static).update(Text(heading(self.entries)))
        listing = self.query_one("#me-log-entries", OptionList)
        highlighted = listing.highlighted
        chosen = listing.get_option_at_index(highlighted).id if highlighted is not None else None
        listing.clear_options()
        if not self.entries:
            listing.add_option(Option(_("Nothing yet."), disabled=True))
            self._say_details()
            return
        ids = [f"{n}" for n in range(len(self.entries))]
        listing.add_options(
            Option(Text(entry_line(e, now, clock_24h=clock_24h)), id=option_id)
            for e, option_id in zip(self.entries, ids, strict=True)
        )
        listing.highlighted = ids.index(chosen) if chosen in ids else len(ids) - 1  # the newest
        listing.scroll_to_highlight()
        self._say_details()

    def selected_entry(self) -> MeEntry | None:
        listing = self.query_one("#me-log-entries", OptionList)
        if listing.highlighted is None or not self.entries:
            return None
        return self.entries[listing.highlighted]

    def _say_details(self) -> None:
        entry = self.selected_entry()
        api = console_api(self)
        text = (
            ""
            if entry is None
            else details(entry, api.clock.now(), clock_24h=api.prefs.ui.clock_24h)
        )
        self.query_one("#me-log-details", Static).update(text)

    def on_option_list_option_highlighted(self, _event: OptionList.OptionHighlighted) -> None:
        self._say_details()

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter: the entry's place — conversation, call detail, Voicemail."""
        entry = self.selected_entry()
        if entry is None:
            return
        api = console_api(self)
        if entry.kind in (MeKind.MESSAGE, MeKind.SLIP):
            from tws_tui.console.screens.chat import ChatScreen

            self.dismiss(None)
            await api.switch_mode("chat")
            screen = api.screen
            if isinstance(screen, ChatScreen):
                screen.open_conversation(UserId(entry.peer))
        elif entry.kind is MeKind.MISSED_CALL:
            from tws_tui.console.screens.history.detail import HistoryDetail

            self.app.push_screen(HistoryDetail(entry.key))
        elif entry.kind is MeKind.VOICEMAIL:
            self.dismiss(None)
            await self.app.run_action("open_voicemail")
        else:
            api.notify(_("Nothing to open: the details are below the list."))
