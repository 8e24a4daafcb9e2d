"""``HistoryDetail``: one call of the journal — its timeline as far as the journal knows it, and
its comments, which can be added to or edited after the call (TWS-3.13).

Where the phone system shares comments (``backend.call_comments``: sim, cti) and the call has
its conversation id, the comments are the call's shared ones — each with its author and time,
seen by every colleague who saw the same call (answered it, saw it ring in a queue, had it
transferred) — plus any kept on this console only (marked so); C adds a shared one, E edits one
of mine (a colleague's cannot be: said), Delete (or D) deletes one after asking: a shared one
for everyone, which the phone system allows its author or a supervisor only (its refusal is
said). A colleague's comment arriving while the detail is
open (``Topic.COMMENTS``) is shown. Elsewhere (SIP) comments stay in this console's journal,
and the detail says so.

The timeline is what the journal keeps of the call: when it rang (or was dialled), through
which queue, when it was answered and after how long, whether it was transferred and to whom,
when it ended and the talk time; then what my forward did to it once it left me, where the
phone system says (``forward_steps.py``): the announcement the caller heard and for how long,
and where the call went on. Holds are not journaled, so they are not shown. F3 calls the
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
from tws_tui.console.screens.history.forward_steps import step_lines
from tws_tui.console.screens.history.rows import outcome_text
from tws_tui.core.errors import CallControlError, NotFound
from tws_tui.core.model import ForwardStep, HistoryEntry
from tws_tui.core.protocols import CallComments, CallSteps
from tws_tui.core.topics import Topic, Topics
from tws_tui.core.values import value_class
from tws_tui.domain.format import clock_time, day_and_time, duration, error_text, party_label
from tws_tui.platform.i18n import _, labelled


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


@value_class
class Note:
    """One comment as the detail shows it: ``key`` is ``l<id>`` (this console's journal) or
    ``s<id>`` (shared by the phone system)."""

    key: str
    at: datetime
    text: str
    author: str = ""  # who wrote it (shared ones)
    mine: bool = True
    edited: bool = False

    @property
    def shared(self) -> bool:
        return self.key.startswith("s")


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
        self.comments: list[Note] = []
        self.shared_problem = ""  # why the shared comments could not be read
        self.shared_key: str | None = None  # the call's id where its comments are shared
        self.steps: list[ForwardStep] = []  # what my forward did to it after me

    def compose(self) -> ComposeResult:
        with Vertical(id="history-detail", classes="modal-box"):
            yield Static(_("Call"), id="detail-title", classes="modal-title", markup=False)
            with VerticalScroll(id="detail-body"):
                yield Static(id="detail-timeline", markup=False)
                yield Static(id="detail-comments", markup=False)
            yield Static(
                _("F3 calls back · C adds a comment · E edits one · D deletes one · Esc closes"),
                classes="modal-note",
            )

    def on_mount(self) -> None:
        console_api(self).state_signal.subscribe(self, self._on_state)
        self.load()

    def _on_state(self, topics: Topics) -> None:
        if Topic.COMMENTS in topics and self.shared_key is not None:
            self.load()  # a colleague's comment (or mine from another console)

    def _shared(self) -> CallComments | None:
        backend = console_api(self).backend
        return backend.call_comments if backend is not None else None

    def sharing(self) -> tuple[CallComments, str] | None:
        """The phone system's shared comments and this call's id there, when it shares
        the comments of this call (it knows the call: I saw it through it)."""
        shared, key = self._shared(), self.shared_key
        return (shared, key) if shared is not None and key is not None else None

    @work(exclusive=True, group="history-detail")
    async def load(self) -> None:
        api = console_api(self)
        found = await api.local_journal.detail(self.call_id)
        if found is None:
            self.entry, self.comments = None, []
            self.query_one("#detail-timeline", Static).update(
                _("This call is no longer in the history.")
            )
            self.query_one("#detail-comments", Static).update("")
            return
        self.entry, rows = found
        notes = [Note(f"l{comment_id}", at, text) for comment_id, at, text in rows]
        self.shared_problem = ""
        shared = self._shared()
        # The journal keys a call by the phone system's id of the whole call when it has one.
        key = self.entry.conversation_id or self.entry.id
        self.shared_key = None
        self.steps = []
        if isinstance(api.backend, CallSteps):
            try:
                self.steps = await api.backend.call_steps(key)
            except CallControlError:
                self.steps = []  # the timeline's journal lines are still right
        if shared is not None:
            try:
                kept = await shared.comments(key)
                self.shared_key = key
            except NotFound:
                kept = []  # a call the phone system does not know with me: comments stay here
            except CallControlError as error:
                kept, self.shared_problem = [], error_text(error)
            me = api.state.me.user_id if api.state.me is not None else None
            notes += [
                Note(f"s{c.id}", c.at, c.text, c.author_name, c.author == me, c.edited)
                for c in kept
            ]
        self.comments = sorted(notes, key=lambda note: note.at)
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
            "\n".join(
                timeline(entry, now, clock_24h=clock_24h)
                + step_lines(self.steps, clock_24h=clock_24h)
            )
        )
        shared = self.sharing() is not None
        notes = [_("Comments:")] if self.comments else [_("No comment yet.")]
        notes += [f"  {self._line(note, now, clock_24h, shared)}" for note in self.comments]
        if self.shared_problem:
            notes.append(labelled(_("Colleagues' comments not read"), self.shared_problem))
        elif self._shared() is None:
            notes.append(_("Comments stay on this console: this phone system does not share them."))
        elif not shared:
            notes.append(
                _("Comments stay on this console: the phone system does not know this call.")
            )
        else:
            notes.append(_("Shared with the colleagues who saw this call."))
        self.query_one("#detail-comments", Static).update("\n".join(notes))

    @staticmethod
    def _line(note: Note, now: datetime, clock_24h: bool, shared: bool) -> str:
        when = day_and_time(note.at, now, clock_24h=clock_24h)
        text = labelled(note.author, note.text) if note.author else note.text
        if note.edited:
            text += " " + _("(edited)")
        if shared and not note.shared:
            text += " " + _("(this console only)")
        return f"{when}  {text}"

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
        """E: edit one of my comments (the one chosen when there are several, the last
        first); a colleague's is theirs to change."""
        from tws_tui.console.screens.modals.choice import ChoiceScreen

        mine = [note for note in self.comments if note.mine]
        if not mine:
            if self.comments:
                console_api(self).notify(
                    _("Only its author can change a comment."), severity="warning"
                )
                return
            self._ask(None, "")
            return
        if len(mine) == 1:
            self._ask(mine[0], mine[0].text)
            return
        api = console_api(self)
        now, clock_24h = api.clock.now(), api.prefs.ui.clock_24h
        shared = self.sharing() is not None
        by_key = {note.key: note for note in mine}
        options = [(note.key, self._line(note, now, clock_24h, shared)) for note in mine]

        def chosen(key: str | None) -> None:
            if key is not None:
                self._ask(by_key[key], by_key[key].text)

        self.app.push_screen(
            ChoiceScreen(_("Which comment?"), options, current=options[-1][0]), chosen
        )

    def action_delete_comment(self) -> None:
        """Delete (or D): delete a comment, the one chosen when there are several (the last
        first), after asking."""
        from tws_tui.console.screens.modals.choice import ChoiceScreen

        if not self.comments:
            console_api(self).notify(_("No comment to delete."), severity="warning")
            return
        if len(self.comments) == 1:
            self._confirm_delete(self.comments[0])
            return
        api = console_api(self)
        now, clock_24h = api.clock.now(), api.prefs.ui.clock_24h
        shared = self.sharing() is not None
        by_key = {note.key: note for note in self.comments}
        options = [(note.key, self._line(note, now, clock_24h, shared)) for note in self.comments]

        def chosen(key: str | None) -> None:
            if key is not None:
                self._confirm_delete(by_key[key])

        self.app.push_screen(
            ChoiceScreen(_("Delete which comment?"), options, current=options[-1][0]), chosen
        )

    def _confirm_delete(self, note: Note) -> None:
        from tws_tui.console.screens.modals.confirm import ConfirmScreen

        if note.shared:
            question = _("Delete this comment for every colleague who saw the call?")
        else:
            question = _("Delete this comment?")

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(note)

        self.app.push_screen(ConfirmScreen(f"{question}\n{note.text}"), answered)

    @work(group="history-comment")
    async def _delete(self, note: Note) -> None:
        api = console_api(self)
        sharing = self.sharing()
        if note.shared and sharing is not None:
            try:
                await sharing[0].delete(note.key[1:])
            except NotFound:
                api.notify(_("The comment was deleted meanwhile."), severity="warning")
            except CallControlError as error:
                api.notify(error_text(error), severity="warning", markup=False)
                return
            else:
                api.notify(_("Comment deleted for everyone."))
        elif not note.shared and await api.local_journal.delete_comment(int(note.key[1:])):
            api.notify(_("Comment deleted."))
        self.load()

    def _ask(self, note: Note | None, text: str) -> None:
        from tws_tui.console.screens.modals.comment import CommentScreen

        if self.entry is None:
            return
        who = party_label(self.entry.remote)

        def typed(new: str | None) -> None:
            if new is not None:
                self._save(note, new)

        self.app.push_screen(CommentScreen(who, text=text), typed)

    @work(group="history-comment")
    async def _save(self, note: Note | None, text: str) -> None:
        api = console_api(self)
        sharing = self.sharing()
        if sharing is not None and (note is None or note.shared):
            shared, key = sharing
            try:
                if note is None:
                    await shared.add(key, text)
                else:
                    await shared.edit(note.key[1:], text)
            except CallControlError as error:
                api.notify(error_text(error), severity="warning", markup=False)
                return
            api.notify(_("Comment saved and shared with the colleagues who saw this call."))
        else:
            local_id = int(note.key[1:]) if note is not None else None
            if await api.local_journal.save_comment(self.call_id, local_id, text):
                api.notify(_("Comment saved."))
        self.load()
