"""Queues mode: the receptionist's waiting board (TWS-1.5.3, TWS-3.1.3, TWS §6.5, Webpilot §14).

Top: each shown queue with its number, waiting count, longest wait, agents (a busy gauge) and
whether I am in it; under it, the selected queue's settings and members. Below: every waiting
call of the shown queues, oldest first, with a live waiting time that turns orange (▲) then red
(■) at ``[queues]`` thresholds — the symbol says it too, not colour alone. Then my agent state,
and the call flows (day/night switches) the backend exposes, with whether each is open now, its
mode, hours and where callers go when closed.

Keys: Enter picks up the selected waiting call (the oldest at first; if another operator took
it first, a message says so and the list moves on). On the queue list: ``l`` logs me in to or
out of the selected queue, ``a`` of all my queues, ``p`` pauses (with a reason when the backend
has some) or resumes, ``h`` hides or shows the queue, ``s`` shows the hidden queues too,
``[``/``]`` (or Ctrl+↑/↓) move it, ``c`` calls its number, ``d`` pins it to the strip under
the status bar on every screen, ``i`` shows its callers' company and department, ``f`` opens
its forwarding rules (:mod:`tws_tui.console.screens.queues.queue_rules`). Hidden, ordered, pinned
and
detailed queues are kept in prefs.toml. ``n`` changes the selected call flow's mode (schedule,
forced day, forced night), after a confirmation. Tab moves between the lists. Letters are keys
here: F2 dials by name.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from operator import attrgetter

from textual.app import ComposeResult
from textual.timer import Timer
from textual.widgets import Static

from tws_tui.console.bindings import bindings_for
from tws_tui.console.screens.base import ModeScreen, show_text
from tws_tui.console.widgets.row_list import RowList
from tws_tui.core.model import (
    AgentState,
    FlowId,
    FlowMode,
    Party,
    Queue,
    QueuedCall,
    QueueId,
)
from tws_tui.core.topics import Topic, Topics
from tws_tui.domain.format import agent_word, elapsed, party_label
from tws_tui.domain.queue_board import (
    WAIT_SYMBOL,
    busy_gauge,
    ordered_queues,
    queue_details,
    wait_tone,
)
from tws_tui.platform.i18n import N_, _
from tws_tui.settings.schema import QueueSettings

#: Column widths of the waiting list: the time, the caller, the queue, what was called.
WAITING_WIDTHS = (8, 30, 16, 12)  # with the gaps, 72 columns: the list fits 80
#: The queue list grows with the queues up to this many lines, then scrolls.
QUEUE_LIST_MAX_ROWS = 12
#: At most this often (seconds) the board is rebuilt when queue events pour in.
REDRAW_INTERVAL_S = 0.5


#: How each call-flow mode is said.
FLOW_MODE_WORD = {
    FlowMode.AUTO: N_("by schedule"),
    FlowMode.DAY: N_("forced day (open)"),
    FlowMode.NIGHT: N_("forced night (closed)"),
}


def toggled(ids: tuple[str, ...], item: str) -> tuple[str, ...]:
    """``ids`` without ``item`` if it is there, else with it at the end (hide, pin, extra info)."""
    return tuple(i for i in ids if i != item) if item in ids else (*ids, item)


class WaitingRows:
    """The waiting calls, oldest first, as rows formatted only when drawn (a ``RowSource``):
    their waiting time is read from the clock at that moment, so a tick only repaints."""

    def __init__(
        self,
        calls: list[QueuedCall],
        now: Callable[[], datetime],
        settings: QueueSettings,
        extra: Callable[[str | None], str],
        named: Callable[[Party], Party],
    ) -> None:
        self.calls = calls
        self.now = now
        self.settings = settings
        self.extra = extra  # what the directory adds about a caller's number
        self.named = named  # the caller with the name the directory gave their number

    def __len__(self) -> int:
        return len(self.calls)

    def key(self, index: int) -> str:
        return self.calls[index].call_id

    def index_of(self, key: str) -> int | None:
        """A scan from the top: the row looked for is the cursor's, usually near the top."""
        for index, call in enumerate(self.calls):
            if call.call_id == key:
                return index
        return None

    def tone(self, index: int) -> str:
        waited = (self.now() - self.calls[index].queued_at).total_seconds()
        return wait_tone(waited, self.settings.warn_after_s, self.settings.alert_after_s)

    def cells(self, index: int) -> tuple[str, ...]:
        call = self.calls[index]
        called = (call.called.number or call.called.name or "") if call.called else ""
        caller = party_label(self.named(call.caller))
        if call.queue.id in self.settings.extra_info and (extra := self.extra(call.caller.number)):
            caller += " · " + extra  # TWS-6.5.1-4
        return (
            f"{WAIT_SYMBOL[self.tone(index)]} {elapsed(call.queued_at, self.now())}",
            caller,
            call.queue.name,
            called,
        )


class QueuesScreen(ModeScreen):
    DEFAULT_CSS = """
    QueuesScreen RowList {
        overflow-x: hidden;
    }
    /* The waiting calls keep three rows whatever the terminal; what does not fit below
       (the call flows) scrolls into view (Tab to it, or the mouse wheel). */
    QueuesScreen #body {
        overflow-y: auto;
    }
    QueuesScreen #waiting {
        min-height: 4;
    }
    QueuesScreen.-short #queue-detail, QueuesScreen.-short #agent-line {
        max-height: 1;
    }
    """
    MODE = "queues"
    TITLE_MSGID = N_("Queues")
    AUTO_FOCUS = "#waiting"
    TOPICS = frozenset({Topic.QUEUES, Topic.ME, Topic.FLOWS})
    BINDINGS = bindings_for("queues")

    show_hidden = False
    _drawn_at = 0.0  # time.monotonic() of the last rebuild of the board
    _redraw_timer: Timer | None = None

    def compose_body(self) -> ComposeResult:
        yield RowList(id="queues")
        yield Static(id="queue-detail", classes="keypad", markup=False)
        yield Static(id="waiting-title", classes="section-title")
        yield RowList(id="waiting")
        yield Static(id="agent-line", classes="keypad")
        yield Static(id="flows-title", classes="section-title")
        yield RowList(id="flows")

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        """Waiting times move every second; only the visible screen redraws them (the
        waiting list just repaints its lines: their times are read as they are drawn)."""
        if self.is_current:
            self._refresh_queues()
            self.query_one("#waiting", RowList).refresh()

    # ---- what is shown -----------------------------------------------------------------

    def shown_queues(self) -> list[Queue]:
        settings = self.tws.prefs.queues
        queues = ordered_queues(list(self.tws.state.queues.values()), settings.order)
        if self.show_hidden:
            return queues
        return [queue for queue in queues if queue.id not in settings.hidden]

    def selected_queue(self) -> Queue | None:
        key = self.query_one("#queues", RowList).selected_key
        return self.tws.state.queues.get(QueueId(key)) if key is not None else None

    def enter_has_meaning(self) -> bool:
        """Enter takes the selected waiting caller (not the call ringing at my line)."""
        return self.selected_waiting_call() is not None

    def selected_waiting_call(self) -> QueuedCall | None:
        key = self.query_one("#waiting", RowList).selected_key
        for queue in self.tws.state.queues.values():
            for call in queue.waiting:
                if call.call_id == key:
                    return call
        return None

    # ---- rendering ---------------------------------------------------------------------

    def refresh_from_state(self, topics: Topics) -> None:
        """Queue changes are drawn at once, then at most every ``REDRAW_INTERVAL_S`` while
        events keep coming (a busy switch sends hundreds a second)."""
        if Topic.QUEUES in topics:
            waited = time.monotonic() - self._drawn_at
            if waited >= REDRAW_INTERVAL_S:
                self._redraw_board()
            elif self._redraw_timer is None:
                self._redraw_timer = self.set_timer(REDRAW_INTERVAL_S - waited, self._redraw_board)
        if Topic.FLOWS in topics:
            self._refresh_flows()
        self._refresh_agent_line()

    def _redraw_board(self) -> None:
        self._redraw_timer = None
        self._drawn_at = time.monotonic()
        self._refresh_queues()
        self._refresh_queue_detail()
        self._refresh_waiting()

    def _refresh_queues(self) -> None:
        now = self.tws.clock.now()
        hidden = self.tws.prefs.queues.hidden
        rows: dict[str, tuple[str, ...]] = {}
        for queue in self.shown_queues():
            longest = elapsed(queue.waiting[0].queued_at, now) if queue.waiting else "–"
            me = "✓ " + _("in") if queue.member else ""
            name = queue.name + (" (" + _("hidden") + ")" if queue.id in hidden else "")
            rows[queue.id] = (
                name,
                queue.number or "",
                str(len(queue.waiting)),
                longest,
                busy_gauge(queue.agents_busy, queue.agents_logged_in),
                f"{queue.agents_ready}/{queue.agents_paused}",
                me,
            )
        table = self.query_one("#queues", RowList)
        height = min(len(rows), QUEUE_LIST_MAX_ROWS) + 1
        if table.styles.height is None or table.styles.height.value != height:
            table.styles.height = height
        table.set_rows(
            (
                _("Queue"),
                _("Number"),
                _("Waiting"),
                _("Longest"),
                _("Busy agents"),
                _("Ready/Paused"),
                _("Me"),
            ),
            rows,
        )

    def on_row_list_highlighted(self, _event: RowList.Highlighted) -> None:
        self._refresh_queue_detail()

    def _refresh_queue_detail(self) -> None:
        """The selected queue's settings and members (WPL-14.2-2: who is on a call)."""
        queue = self.selected_queue()
        show_text(self.query_one("#queue-detail", Static), queue_details(queue) if queue else "")

    def _refresh_waiting(self) -> None:
        shown = self.shown_queues()
        calls = sorted(
            (call for queue in shown for call in queue.waiting), key=attrgetter("queued_at")
        )
        hidden = len(self.tws.state.queues) - len(shown)
        title = (
            _("Waiting calls, oldest first (Enter picks up)") if calls else _("Nobody is waiting.")
        )
        if hidden:
            title += "  " + _("{n} hidden queue(s): s shows them").format(n=hidden)
        show_text(self.query_one("#waiting-title", Static), title)
        self.query_one("#waiting", RowList).set_source(
            (_("Waited"), _("Caller"), _("Queue"), _("Called")),
            WaitingRows(
                calls,
                self.tws.clock.now,
                self.tws.prefs.queues,
                self.tws.callers.extra,
                self.tws.callers.named,
            ),
            WAITING_WIDTHS,
        )

    def _refresh_flows(self) -> None:
        """The day/night switches the backend exposes (Webpilot §5, §16), n changes one."""
        flows = list(self.tws.state.call_flows.values())
        table = self.query_one("#flows", RowList)
        table.display = bool(flows)
        show_text(
            self.query_one("#flows-title", Static),
            _("Call flows, day/night (n changes the selected one)") if flows else "",
        )
        rows: dict[str, tuple[str, ...]] = {
            flow.id: (
                flow.name,
                ("☀ " + _("open")) if flow.open_now else ("☾ " + _("closed")),
                _(FLOW_MODE_WORD[flow.mode]),
                flow.schedule or "–",
                flow.closed_destination or "–",
            )
            for flow in flows
        }
        table.styles.height = len(rows) + 1
        table.set_rows((_("Call flow"), _("Now"), _("Mode"), _("Hours"), _("When closed")), rows)

    def _refresh_agent_line(self) -> None:
        me = self.tws.state.me
        line = self.query_one("#agent-line", Static)
        if me is None:
            show_text(line, "")
            return
        member_of = [q.name for q in self.tws.state.queues.values() if q.member]
        state = agent_word(me.agent, me.agent_reason)
        where = ", ".join(member_of) if member_of else _("no queue")
        show_text(
            line,
            _("Agent: {state} — {where} · l/a log in/out · p pause/resume").format(
                state=state, where=where
            ),
        )

    # ---- keys --------------------------------------------------------------------------

    def action_pickup_selected(self) -> None:
        call = self.selected_waiting_call()
        if call is None:
            self.tws.notify(_("Nobody is waiting."), severity="warning")
            return
        self.tws.queue_actions.pick_up_queued(call)

    def action_toggle_login(self, everywhere: bool = False) -> None:
        queue = None if everywhere else self.selected_queue()
        if not everywhere and queue is None:
            self.tws.notify(_("No queue selected."), severity="warning")
            return
        logged_in = (
            queue.member
            if queue is not None
            else any(q.member for q in self.tws.state.queues.values())
        )
        state = AgentState.LOGGED_OFF if logged_in else AgentState.READY
        queue_id = queue.id if queue is not None else None
        self.tws.run_command(lambda backend: backend.set_agent_state(state, queue_id=queue_id))

    def action_pause_toggle(self) -> None:
        self.tws.queue_actions.toggle_agent_pause()

    def action_open_rules(self) -> None:
        """f: the selected queue's forwarding rules (TWS-6.5.3)."""
        from tws_tui.console.screens.queues.queue_rules import QueueRulesScreen
        from tws_tui.core.model import Capability

        queue = self.selected_queue()
        if queue is None:
            self.tws.notify(_("No queue selected."), severity="warning")
            return
        if not self.tws.can(Capability.QUEUE_RULES):
            self.tws.notify(
                _("This phone system does not let the console manage queue forwarding."),
                severity="warning",
            )
            return
        self.tws.push_screen(QueueRulesScreen(queue.id))

    def action_call_queue(self) -> None:
        """c: call the selected queue's number (TWS-1.5.3-2), e.g. to test it or hear its
        announcement."""
        queue = self.selected_queue()
        if queue is None or not queue.number:
            self.tws.notify(_("This queue has no number to call."), severity="warning")
            return
        number = queue.number
        self.tws.run_command(lambda backend: backend.make_call(number))

    def action_change_flow(self) -> None:
        """n: choose the selected call flow's mode, then confirm: it changes where every caller
        goes (Webpilot §5: day/night switching)."""
        from tws_tui.console.screens.modals.choice import ChoiceScreen
        from tws_tui.console.screens.modals.confirm import ConfirmScreen

        key = self.query_one("#flows", RowList).selected_key
        flow = self.tws.state.call_flows.get(FlowId(key)) if key is not None else None
        if flow is None:
            self.tws.notify(_("This phone system exposes no call flow."), severity="warning")
            return
        options = [(mode.value, _(FLOW_MODE_WORD[mode])) for mode in FlowMode]

        def chosen(picked: str | None) -> None:
            if picked is None or picked == flow.mode.value:
                return
            mode = FlowMode(picked)
            question = _("{flow}: {mode}? It changes where every caller goes.").format(
                flow=flow.name, mode=_(FLOW_MODE_WORD[mode])
            )

            def confirmed(yes: bool | None) -> None:
                if yes:
                    flow_id = flow.id
                    self.tws.run_command(lambda backend: backend.set_call_flow(flow_id, mode))

            self.tws.push_screen(ConfirmScreen(question), confirmed)

        self.tws.push_screen(ChoiceScreen(flow.name, options, current=flow.mode.value), chosen)

    def action_hide_toggle(self) -> None:
        queue = self.selected_queue()
        if queue is None:
            return
        hidden = toggled(self.tws.prefs.queues.hidden, queue.id)
        self.tws.prefs.change("queues", hidden=hidden)
        if queue.id in hidden and not self.show_hidden:
            self.tws.notify(_("{name} hidden; s shows hidden queues.").format(name=queue.name))

    def action_extra_info_toggle(self) -> None:
        """i: show (or stop showing) what the directory knows of this queue's callers."""
        queue = self.selected_queue()
        if queue is None:
            return
        shown = self.tws.prefs.queues.extra_info
        self.tws.prefs.change("queues", extra_info=toggled(shown, queue.id))

    def action_pin_toggle(self) -> None:
        """d: pin the selected queue to the strip under the status bar, or unpin it."""
        queue = self.selected_queue()
        if queue is None:
            return
        pinned = self.tws.prefs.queues.pinned
        self.tws.prefs.change("queues", pinned=toggled(pinned, queue.id))

    def action_show_hidden_toggle(self) -> None:
        self.show_hidden = not self.show_hidden
        self._redraw_board()

    def action_move_queue(self, step: int) -> None:
        queue = self.selected_queue()
        if queue is None:
            return
        ids = [
            q.id
            for q in ordered_queues(
                list(self.tws.state.queues.values()), self.tws.prefs.queues.order
            )
        ]
        index = ids.index(queue.id)
        target = max(0, min(len(ids) - 1, index + step))
        ids.insert(target, ids.pop(index))
        self.tws.prefs.change("queues", order=tuple(ids))
        self._redraw_board()  # the cursor follows the queue's key
