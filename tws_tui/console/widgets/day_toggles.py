"""``DayToggles``: the days of the week as seven boxes, Monday first (TWS-6.10.6.1-9: the
rule form's periodicity, *L M M J V S D*) — each an :class:`OnOffSwitch` (``[x]`` / ``[ ]``,
readable without colour) followed by the day's letter, Tab going from day to day and Space
or Enter ticking one, as every switch of the forms. No day ticked means every day.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

from tws_tui.console.widgets.toggles import OnOffSwitch
from tws_tui.domain.rule_summary import DAY_LETTERS
from tws_tui.platform.i18n import _


class DayToggles(Horizontal):
    """Seven day boxes; :attr:`value` the days ticked (0 = Monday)."""

    DEFAULT_CSS = """
    DayToggles { height: 1; width: auto; }
    DayToggles OnOffSwitch { height: 1; border: none; padding: 0; }
    DayToggles Label.day { width: 3; padding: 0 1; }
    """

    def __init__(self, days: frozenset[int], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._days = days

    def compose(self) -> ComposeResult:
        for n, letter in enumerate(_(DAY_LETTERS)):
            yield OnOffSwitch(n in self._days, id=f"{self.id or 'days'}-{n}")
            yield Label(letter, classes="day")

    @property
    def value(self) -> frozenset[int]:
        return frozenset(n for n, box in enumerate(self.query(OnOffSwitch)) if box.value)

    @value.setter
    def value(self, days: frozenset[int]) -> None:
        for n, box in enumerate(self.query(OnOffSwitch)):
            box.value = n in days
