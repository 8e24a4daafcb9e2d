"""``PeriodDialog``: the statistics' own period, from one day to another (TWS-3.15.2-2).

Two dates typed as ``YYYY-MM-DD``; Enter in the second (or in the first, once both are filled)
checks them: the end not after today, the start not after the end, at most a year and a day.
A date that is no date or a period refused is said under the fields and the dialog stays.
Dismisses with the :class:`~tws_tui.journal.statistics.Period`, or None (Esc).
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tws_tui.console.screens.base import form_row, show_text
from tws_tui.journal.statistics import Period, PeriodProblem, custom_period, parse_day
from tws_tui.platform.i18n import _


class PeriodDialog(ModalScreen[Period | None]):
    BINDINGS: ClassVar = [Binding("escape", "dismiss(None)", show=False)]

    def __init__(self, current: Period, today: date) -> None:
        super().__init__()
        self.current = current
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(id="period-box", classes="modal-box"):
            yield Static(_("Statistics from one day to another"), classes="modal-title")
            yield form_row(
                _("From"),
                Input(
                    self.current.first.isoformat(),
                    id="period-from",
                    placeholder=_("YYYY-MM-DD"),
                    compact=True,
                ),
            )
            yield form_row(
                _("To"),
                Input(
                    self.current.last.isoformat(),
                    id="period-to",
                    placeholder=_("YYYY-MM-DD"),
                    compact=True,
                ),
            )
            yield Static(id="period-problem", classes="modal-note", markup=False)
            yield Static(
                _("Dates as YYYY-MM-DD, the end not after today. Enter goes on, Esc cancels."),
                classes="modal-note",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one("#period-from", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "period-from":
            self.query_one("#period-to", Input).focus()
        try:
            first = parse_day(self.query_one("#period-from", Input).value)
            last = parse_day(self.query_one("#period-to", Input).value)
            period = custom_period(first, last, self.today)
        except PeriodProblem as problem:
            show_text(
                self.query_one("#period-problem", Static),
                _(problem.template).format(**problem.fields),
            )
            return
        self.dismiss(period)
