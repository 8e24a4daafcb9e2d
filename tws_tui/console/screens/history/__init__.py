"""History mode: every call of the local journal (all sessions), newest first, with dates.

* The journal is read in its own thread (``LocalJournal.lines``) and listed through a
  :class:`~tws_tui.console.screens.history.rows.HistoryRows` source: only the lines on screen
  are formatted. The search texts (name, the company the contacts give the number, the
  number) are made after the first frame, in the journal's thread.
* Filters on keys (``history.*`` in the keymap): which calls (all, received, placed, missed),
  which queue, which period (today, 7 days, 30 days); typing searches by name, number or
  company (digits too: the dial bar stays on F2), or comment — the phone system is asked for
  shared comments older than the journal's copy once typing pauses (``shared_search``).
* Enter or F3 calls the selected entry back through the call keys' own path (the dial target
  is the screen's selection); Ctrl+K opens its detail (timeline, comments, add or edit one);
  Ctrl+N adds the caller to the contacts (the contact form); Delete deletes it (confirmed);
  Ctrl+S writes the entries shown to a CSV file; Ctrl+G opens the statistics
  (:mod:`~tws_tui.console.screens.history.statistics`); Alt+B opens the voicemail
  (:mod:`~tws_tui.console.screens.history.voicemail`, a sub-view of History).
* Opening it marks missed calls as seen (the status bar's count goes to zero).
"""

from __future__ import annotations

import gc
from dataclasses import replace
from pathlib import Path
from typing import ClassVar, TypeVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.timer import Timer
from textual.widgets import Input, Static

from tws_tui.console.api import DialTarget
from tws_tui.console.bindings import bindings_for
from tws_tui.console.screens.base import ModeScreen, show_text
from tws_tui.console.screens.history.rows import COLUMNS, HistoryRows, who
from tws_tui.console.screens.history.shared_search import SharedCommentSearch
from tws_tui.console.widgets.bar_row_list import BarRowList
from tws_tui.console.widgets.lazy_field import LazyField
from tws_tui.console.widgets.row_list import RowList
from tws_tui.core.topics import Topic, Topics
from tws_tui.domain.text import fold, words
from tws_tui.journal.listing import (
    ID,
    NAME,
    NUMBER,
    HistoryFilter,
    Kind,
    Listing,
    Period,
)
from tws_tui.journal.store import Row
from tws_tui.platform.i18n import N_, _, language

#: The newest calls read first, through the index, for the first frame (a tall terminal's worth).
FIRST_PAGE = 100
#: Rows a letter typed shows at once when the whole answer would cost the frame; the rest
#: comes after a pause in typing.
INSTANT_ROWS = 60
FULL_SEARCH_DELAY_S = 0.15

KIND_WORD = {
    Kind.ALL: N_("all calls"),
    Kind.RECEIVED: N_("received"),
    Kind.PLACED: N_("placed"),
    Kind.MISSED: N_("missed"),
}
PERIOD_WORD = {
    Period.ANY: N_("any date"),
    Period.TODAY: N_("today"),
    Period.WEEK: N_("last 7 days"),
    Period.MONTH: N_("last 30 days"),
}


T = TypeVar("T")


def _next(values: list[T], current: T) -> T:
    return values[(values.index(current) + 1) % len(values)]


class HistoryScreen(ModeScreen):
    MODE = "history"
    TITLE_MSGID = N_("History")
    AUTO_FOCUS = "#history-list"
    TOPICS = frozenset({Topic.HISTORY})
    BINDINGS: ClassVar = bindings_for("history")

    def __init__(self) -> None:
        super().__init__()
        self._listing: Listing | None = None
        self._searchable = False  # the search texts are made (after the first frame)
        self._filter = HistoryFilter()
        self._unavailable = False
        self._full_timer: Timer | None = None  # the whole answer to the letters typed
        self._loading = False  # a read of the journal is under way
        self._again = False  # and another is wanted after it
        self._revision: object = None  # the journal's and contacts' revisions last read
        # the columns' widths, with what they were measured for (see _column_widths)
        self._widths: tuple[object, list[int]] | None = None
        # the rows formatted, with what for (the same: see HistoryRows.formatted)
        self._formatted: tuple[object, dict[int, tuple[str, ...]]] | None = None
        self._shared = SharedCommentSearch(self, lambda: self.tws.local_journal, self.reload)

    def compose_body(self) -> ComposeResult:
        yield Static(id="history-filters", markup=False)
        yield LazyField(
            self._search_hint,
            field_id="history-search",
            id="history-search-bar",
            on_made=self._watch,
        )
        yield Static(id="history-empty", classes="empty-note", markup=False)
        yield BarRowList(id="history-list")  # its scrollbar in its lines

    # ---- loading -------------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.tws.local_journal.mark_history_seen()

    def refresh_from_state(self, topics: Topics) -> None:
        if Topic.HISTORY in topics:
            self.reload()

    def reload(self) -> None:
        """Read the journal again, or once more after the read under way (never cancelled:
        opening History again while 100 000 calls load must not start them over)."""
        if self._loading:
            self._again = True
            self._show()
            return
        self._loading = True
        self._load()

    @work(group="history-load")
    async def _load(self) -> None:
        try:
            await self._read()
        finally:
            self._loading = False
        if self._again:
            self._again = False
            self.reload()

    async def _read(self) -> None:
        """Show the journal: at once what was read when the journal has not changed since;
        else its newest calls first (one screenful, through the index), then all of them
        with the search texts, read and made in the journal's thread."""
        journal = self.tws.local_journal
        revision = (await journal.changes(), await self._contacts_revision())
        if self._searchable and self._listing is not None and revision == self._revision:
            self._show()
            return
        first = await journal.lines(FIRST_PAGE)
        if first is None:
            self._unavailable, self._listing = True, None
            self._show()
            return
        country = self._country()
        if self._listing is None or not self._searchable or len(first) < FIRST_PAGE:
            self._listing, self._searchable = Listing(first, country=country), False
            self._show()
        if len(first) < FIRST_PAGE:  # that was all of them: the search texts only
            lines: list[Row] | None = first
        else:
            lines = await journal.lines()
        if lines is None:
            return
        companies = await self._companies()
        self._listing = await journal.listing(lines, companies, country)
        # The listing of 100 000 calls and their search texts is long-lived: frozen, the
        # garbage collector stops walking it (bench/history.py: collections of 8-47 ms in
        # about one search key in twenty before). The listing it replaces is freed by its
        # reference counts (no cycles), as the contacts' index is (directory_access).
        gc.freeze()
        self._searchable, self._revision = True, revision
        self._show()

    def _country(self) -> str:
        directories = self.tws.directories_made
        return directories.country if directories is not None else "FR"

    async def _contacts_revision(self) -> object:
        """What moves when the local contacts change (their companies are searched)."""
        from tws_tui.console.screens.contacts.store_work import STORE_ERRORS, in_store_thread

        directories = self.tws.directories_made
        store = directories.store if directories is not None else None
        if store is None:
            return None
        try:
            return await in_store_thread(store.revision)
        except STORE_ERRORS:
            return None

    async def _companies(self) -> dict[str, str]:
        """The local contacts' companies by number key (empty without a contact store)."""
        from tws_tui.console.screens.contacts.store_work import STORE_ERRORS, in_store_thread

        directories = self.tws.directories()
        store = directories.store if directories is not None else None
        if store is None:
            return {}
        try:
            return await in_store_thread(store.companies)
        except STORE_ERRORS:
            return {}  # the contacts say why elsewhere; the search goes on without companies

    # ---- showing -------------------------------------------------------------------------

    def _show(self, *, instant: bool = False) -> None:
        """The list for the current filter; ``instant`` (a letter typed): the first rows at
        once when finding all of them would cost the frame, the rest after a pause."""
        listing = self._listing
        rows = self.query_one("#history-list", RowList)
        columns = [_(c) for c in COLUMNS]
        now = self.tws.clock.now()
        clock_24h = self.tws.prefs.ui.clock_24h
        if listing is None:
            empty = HistoryRows(Listing([]), [], now, clock_24h=clock_24h)
            rows.set_source(columns, empty, [0] * len(columns))
            self._render_notes(0, None)
            return
        if self._filter.needs_texts and not self._searchable:
            self._render_notes(len(listing), None)  # the search waits for the full listing
            return
        if self._full_timer is not None:
            self._full_timer.stop()
            self._full_timer = None
        complete = True
        if instant:
            indices, complete = listing.select_first(self._filter, now, INSTANT_ROWS)
        else:
            indices = listing.select(self._filter, now)
        source = HistoryRows(listing, indices, now, clock_24h=clock_24h)
        source.formatted = self._formatted_rows(source)
        widths = self._column_widths(source)
        marked = words(fold(self._filter.text))
        rows.set_source(columns, source, widths, marked=marked)
        self._render_notes(len(listing), len(indices), complete=complete)
        if not complete:  # the rest once typing pauses (the next letter cancels it)
            self._full_timer = self.set_timer(FULL_SEARCH_DELAY_S, self._show)

    def _column_widths(self, source: HistoryRows) -> list[int]:
        """Measured once per listing, language, clock and day (not at each letter typed)."""
        measured_for = self._made_for(source)
        if self._widths is None or self._widths[0] != measured_for:
            self._widths = (measured_for, source.widths())
        return self._widths[1]

    def _formatted_rows(self, source: HistoryRows) -> dict[int, tuple[str, ...]]:
        """The rows formatted so far for the same listing, language, clock and day."""
        made_for = self._made_for(source)
        if self._formatted is None or self._formatted[0] != made_for:
            self._formatted = (made_for, {})
        return self._formatted[1]

    @staticmethod
    def _made_for(source: HistoryRows) -> object:
        return (source.listing, language(), source.clock_24h, source.now.date())

    def _render_notes(self, total: int, shown: int | None, *, complete: bool = True) -> None:
        wanted = self._filter
        parts = [_(KIND_WORD[wanted.kind]), _(PERIOD_WORD[wanted.period])]
        queue = self._queue_name(wanted.queue_id)
        parts.append(_("queue {name}").format(name=queue) if queue else _("every queue"))
        if wanted.contact_keys:
            with_contact = _("calls with {name} (Esc: every call)")
            parts.append(with_contact.format(name=wanted.contact_name))
        count = "" if shown is None or not total else _("{shown} of {total}")
        count = count.format(shown=f"{shown}{'' if complete else '+'}", total=total)
        show_text(
            self.query_one("#history-filters", Static),
            " · ".join(parts) + (f" — {count}" if count else ""),
            layout=False,
        )
        if self._unavailable:
            empty = _("No call journal: see the message about its file.")
        elif total == 0:
            empty = _("No call yet.")
        elif shown == 0 and complete:  # not while the scan is still going
            empty = _("No call matches.")
        else:
            empty = ""
        note = self.query_one("#history-empty", Static)
        note.display = bool(empty)  # a layout only when it comes or goes
        show_text(note, empty)

    def _queue_name(self, queue_id: str | None) -> str:
        if queue_id is None or self._listing is None:
            return ""
        return self._listing.queue_name(queue_id)

    # ---- filters and search -------------------------------------------------------------

    def _refilter(self, wanted: HistoryFilter) -> None:
        self._filter = wanted
        self._show()

    def action_cycle_kind(self) -> None:
        """All calls → received → placed → missed → all."""
        self._refilter(replace(self._filter, kind=_next(list(Kind), self._filter.kind)))

    def action_cycle_period(self) -> None:
        """Any date → today → the last 7 days → the last 30 days → any date."""
        self._refilter(replace(self._filter, period=_next(list(Period), self._filter.period)))

    def action_cycle_queue(self) -> None:
        """Every queue → each queue the journal's calls came through, by name → every queue."""
        queues: list[str | None] = [None]
        if self._listing is not None:
            queues += [queue_id for queue_id, _name in self._listing.queues()]
        current = self._filter.queue_id if self._filter.queue_id in queues else None
        self._refilter(replace(self._filter, queue_id=_next(queues, current)))

    def show_contact(self, name: str, keys: frozenset[str]) -> None:
        """Only the calls with one contact's numbers (``keys``: their match keys), from
        Contacts (Ctrl+Y); Esc shows every call again."""
        self._refilter(replace(self._filter, contact_keys=keys, contact_name=name))

    def action_every_contact(self) -> None:
        self._refilter(replace(self._filter, contact_keys=frozenset(), contact_name=""))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "every_contact":
            return bool(self._filter.contact_keys)
        return super().check_action(action, parameters)

    def _search_hint(self) -> str:
        return _("Type to search by name, number, company or comment")

    def _watch(self, field: Input) -> None:
        # A watcher, not Input.Changed: the list changes in the frame that shows the letter.
        self.watch(field, "value", self._typed, init=False)

    def _typed(self, value: str) -> None:
        self._filter = replace(self._filter, text=value)
        self._show(instant=True)
        self._shared.typed(value)  # the phone system's comments the copy lacks, after a pause

    @on(Input.Submitted, "#history-search")
    def _search_done(self) -> None:
        self.query_one("#history-list", RowList).focus()

    def on_key(self, event: events.Key) -> None:
        """What is typed outside a field searches here (digits too: F2 is the dial bar)."""
        if (
            event.is_printable
            and event.character is not None
            and not isinstance(self.focused, Input)
            and not self.key_is_bound(event.key)
        ):
            field = self.query_one("#history-search-bar", LazyField).input
            field.focus()
            field.insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()

    # ---- what the keys act on -------------------------------------------------------------

    def selected_line(self) -> Row | None:
        rows = self.query_one("#history-list", RowList)
        key, listing = rows.selected_key, self._listing
        source = rows.source if isinstance(rows.source, HistoryRows) else None
        if key is None or listing is None or source is None:
            return None
        index = source.index_of(key)
        return None if index is None else source.line(index)

    def selected_target(self) -> DialTarget | None:
        """F3 (and Enter) call the selected entry back."""
        line = self.selected_line()
        if line is None or line[NUMBER] is None:
            return None
        return DialTarget(str(line[NUMBER]), who(line))

    def enter_has_meaning(self) -> bool:
        """Enter on a listed entry calls it back (a call ringing meanwhile is F12's)."""
        listed = self.query_one("#history-list", RowList)
        return listed.has_focus and self.selected_line() is not None

    async def action_call_back(self) -> None:
        line = self.selected_line()
        if line is None:
            return
        if line[NUMBER] is None:
            self.tws.notify(_("Nothing to call: the number was withheld."), severity="warning")
            return
        await self.app.run_action("call_target")

    def action_open_detail(self) -> None:
        from tws_tui.console.screens.history.detail import HistoryDetail

        line = self.selected_line()
        if line is not None:
            self.tws.push_screen(HistoryDetail(str(line[ID])))

    def action_open_statistics(self) -> None:
        from tws_tui.console.screens.history.statistics import StatisticsScreen

        self.tws.push_screen(StatisticsScreen())

    def action_add_contact(self) -> None:
        from tws_tui.console.screens.history.contact import offer_contact

        line = self.selected_line()
        if line is not None:
            offer_contact(self.tws, str(line[NAME] or ""), str(line[NUMBER] or ""), self.reload)

    def action_delete_entry(self) -> None:
        from tws_tui.console.screens.modals.confirm import ConfirmScreen

        line = self.selected_line()
        if line is None:
            return
        call_id = str(line[ID])

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete([call_id])

        self.tws.push_screen(
            ConfirmScreen(_("Delete the call with {who} from the history?").format(who=who(line))),
            answered,
        )

    @work(group="history-delete")
    async def _delete(self, call_ids: list[str]) -> None:
        deleted = await self.tws.local_journal.delete(call_ids)
        if deleted is not None:
            self.tws.notify(_("Deleted from the history."))
            self.reload()

    def shown_lines(self) -> list[Row]:
        rows = self.query_one("#history-list", RowList)
        source = rows.source
        if not isinstance(source, HistoryRows):
            return []
        return [source.line(i) for i in range(len(source))]

    def action_export(self) -> None:
        from tws_tui.console.screens.contacts.exchange import FileDialog

        self.tws.push_screen(
            FileDialog(
                _("Export the calls shown"),
                importing=False,
                suggestion=str(Path("~/calls.csv")),
                note=_("The calls shown, as CSV. Enter goes on, Esc cancels."),
            ),
            self._export,
        )

    @work(group="history-export")
    async def _export(self, answer: tuple[Path, str] | None) -> None:
        from tws_tui.console.screens.modals.save_text import save_text
        from tws_tui.journal.export import export_csv

        if answer is None:
            return
        path, _visibility = answer
        lines = self.shown_lines()
        written = _("{count} calls written to {path}.").format(count=len(lines), path=path)
        await save_text(self.tws, path, export_csv(lines), written)
