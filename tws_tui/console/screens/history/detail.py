"""``HistoryDetail``: one call of the journal — its timeline as far as the journal knows it, and
its comments, which can be added to or edited after the call (TWS-3.13).

The timeline is what the journal keeps of the call: when it rang (or was dialled), through
which queue, when it was answered and after how long, whether it was transferred and to whom,
when it ended and the talk time. Holds are not journaled, so they are not shown. F3 calls the
caller back as from the list (the selection is this call). Comments are read and written in
the journal's thread; a comment deleted meanwhile is said, not lost silently.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tws_tui.console.api import DialTarget, console_api
from tws_tui.console.bindings import bindings_for
from tws_tui.console.screens.history.rows import outcome_text
from tws_tui.core.model import HistoryEntry
from tws_tui.domain.format import clock_time, day_and_time, duration, party_label
from tws_tui.platform.i18n import _


def timeline(entry: HistoryEntry, now: datetime, *, clock_24h: bool) -> list[str]:
    """The call's story, one line per step the journal knows."""

    def when(moment: datetime) -> str:
        return day_and_time(moment, now, clock_24h=clock_24h)

    placed = entry.outcome.value in ("outgoing", "failed") or entry.direction.value == "outbound"
    start = _("Dialled {when}") if placed else _("Rang {when}")
    lines = [start.format(when=when(entry.start))]
    if entry.queue is not None:
        lines.append(_("Through the queue {queue}").format(queue=entry.queue.name))
    if entry.called is not None and not placed:
        lines.append(_("Called: {who}").format(who=party_label(entry.called)))
    if entry.answered_at is not None:
        wait = duration((entry.answered_at - entry.start).total_seconds())
        lines.append(
            _("Answered {time}, after {wait}").format(
                time=clock_time(entry.answered_at, clock_24h=clock_24h), wait=wait
            )
        )
    elif not placed:
        lines.append(_("Not answered"))
    if entry.transferred_to:
        lines.append(_("Transferred to {who}").format(who=entry.transferred_to))
    if entry.end is not None:
        lines.append(_("Ended {time}").format(time=clock_time(entry.end, clock_24h=clock_24h)))
    if entry.duration_s is not None:
        lines.append(_("Talk time {duration}").format(duration=duration(entry.duration_s)))
    return lines


class HistoryDetail(ModalScreen[None]):
    """The detail of the journal entry ``call_id``; C adds a comment, E edits one."""

    MODE = "history_detail"  # its keys' scope in the keymap (help, palette)
    DEFAULT_CSS = """
    HistoryDetail #detail-body { height: auto; max-height: 16; }
    HistoryDetail #detail-comments { margin-top: 1; }
    """
    BINDINGS: ClassVar = bindings_for("history_detail")

    def __init__(self, call_id: str) -> None:
        super().__init__()
        self.call_id = call_id
        self.entry: HistoryEntry | None = None
        self.comments: list[tuple[int, datetime, str]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="history-detail", classes="modal-box"):
            yield Static(_("Call"), id="detail-title", classes="modal-title", markup=False)
            with VerticalScroll(id="detail-body"):
                yield Static(id="detail-timeline", markup=False)
                yield Static(id="detail-comments", markup=False)
            yield Static(
                _("F3 calls back · C adds a comment · E edits one · Esc closes"),
                classes="modal-note",
            )

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True, group="history-detail")
    async def load(self) -> None:
        found = await console_api(self).local_journal.detail(self.call_id)
        if found is None:
            self.entry, self.comments = None, []
            self.query_one("#detail-timeline", Static).update(
                _("This call is no longer in the history.")
            )
            self.query_one("#detail-comments", Static).update("")
            return
        self.entry, self.comments = found
        self._show()

    def _show(self) -> None:
        entry = self.entry
        if entry is None:
            return
        api = console_api(self)
        clock_24h = api.prefs.ui.clock_24h
        now = api.clock.now()
        self.query_one("#detail-title", Static).update(
            f"{outcome_text(entry.outcome)} — {party_label(entry.remote)}"
        )
        self.query_one("#detail-timeline", Static).update(
            "\n".join(timeline(entry, now, clock_24h=clock_24h))
        )
        if self.comments:
            notes = [_("Comments:")] + [
                f"  {day_and_time(at, now, clock_24h=clock_24h)}  {text}"
                for _id, at, text in self.comments
            ]
        else:
            notes = [_("No comment yet.")]
        self.query_one("#detail-comments", Static).update("\n".join(notes))

    # ---- keys ------------------------------------------------------------------------------

    def selected_target(self) -> DialTarget | None:
        """F3 here calls this call's party back."""
        entry = self.entry
        if entry is None or entry.remote.number is None:
            return None
        return DialTarget(entry.remote.number, party_label(entry.remote))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_add_comment(self) -> None:
        self._ask(None, "")

    def action_edit_comment(self) -> None:
        """E: edit the comment (the one chosen when there are several, the last first)."""
        from tws_tui.console.screens.modals.choice import ChoiceScreen

        if not self.comments:
            self._ask(None, "")
            return
        if len(self.comments) == 1:
            comment_id, _at, text = self.comments[0]
            self._ask(comment_id, text)
            return
        api = console_api(self)
        now, clock_24h = api.clock.now(), api.prefs.ui.clock_24h
        texts = {str(comment_id): text for comment_id, _at, text in self.comments}
        options = [
            (str(comment_id), f"{day_and_time(at, now, clock_24h=clock_24h)}  {text}")
            for comment_id, at, text in self.comments
        ]

        def chosen(key: str | None) -> None:
            if key is not None:
                self._ask(int(key), texts[key])

        self.app.push_screen(
            ChoiceScreen(_("Which comment?"), options, current=options[-1][0]), chosen
        )

    def _ask(self, comment_id: int | None, text: str) -> None:
        from tws_tui.console.screens.modals.comment import CommentScreen

        if self.entry is None:
            return
        who = party_label(self.entry.remote)

        def typed(new: str | None) -> None:
            if new is not None:
                self._save(comment_id, new)

        self.app.push_screen(CommentScreen(who, text=text), typed)

    @work(group="history-comment")
    async def _save(self, comment_id: int | None, text: str) -> None:
        api = console_api(self)
        if await api.local_journal.save_comment(self.call_id, comment_id, text):
            api.notify(_("Comment saved."))
        self.load()
