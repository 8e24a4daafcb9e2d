"""``RuleTable``: a profile's forwarding rules as a table (TWS-6.10.6.1-16) — # | ☐ (on/off)
| Name | Presence | Status | Summary | Filters | Days — one row a rule, in the order they are
tried, the cursor on a row being the rule the page's keys act on.

The columns fit the width the table is given (:func:`plan_columns`): the rule's number, its
box, its name (cut with … past 14 characters when space is short), its status and its days
always show; the summary sentence comes next (given 40 characters or none, cut with …),
then the presence, then the filters; what is left widens the name, lengthens the summary and
spaces the day letters (``L M M J V S D`` rather than ``LMMJVSD``). So at 80×24 the table
shows # ☐ Name Presence Status Days, at 120×40 the summary too, and all of them from about
150 columns; the page's detail line gives the highlighted rule's whole sentence, filters and
why. A day the rule does not run on
is a dimmed ``·``: readable without colour. A click on a row's box (☐/☑) posts
:class:`RuleTable.BoxClicked` — the page switches that rule on or off (TWS-6.10.6.3-1) — rather
than selecting the row (which edits it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import DataTable

from tws_tui.domain.profiles import Outcome, Status
from tws_tui.domain.rule_summary import (
    day_marks,
    filter_counts,
    presence_word,
    status_word,
    summary,
)
from tws_tui.platform.i18n import _

#: The columns, in the order shown (the spec's ☐ | Name | Presence | Status | Summary |
#: Filters | Days, numbered first: the page's "rule n" names them so).
ORDER = ("num", "box", "name", "presence", "status", "summary", "filters", "days")
#: Shown whatever the width, then the optional ones in the order they are given room.
ALWAYS = ("num", "box", "name", "status", "days")
OPTIONAL = ("summary", "presence", "filters")
#: Each column's padding (a cell either side, DataTable's default).
PAD = 2
NAME_SHORT, NAME_LONG = 14, 24
PRESENCE_LONG = 16
SUMMARY_LEAST = 40
DAYS_TIGHT, DAYS_SPACED = 7, 13
STATUS_STYLE = {Status.ACTIVE: "bold", Status.PENDING: "", Status.OFF: "dim"}


def plan_columns(width: int, natural: Mapping[str, int]) -> dict[str, int]:
    """Which columns show in ``width`` cells and how wide each is, given each one's natural
    width (its widest cell or its header)."""
    shown = {key: natural[key] for key in ("num", "box", "status")}
    shown["name"] = min(natural["name"], NAME_SHORT)
    shown["days"] = DAYS_TIGHT
    left = width - sum(w + PAD for w in shown.values())
    wanted = {
        "summary": min(natural["summary"], SUMMARY_LEAST),
        "presence": min(natural["presence"], PRESENCE_LONG),
        "filters": natural["filters"],
    }
    for key in OPTIONAL:
        if wanted[key] + PAD <= left:
            shown[key] = wanted[key]
            left -= wanted[key] + PAD
    grow_name = min(min(natural["name"], NAME_LONG) - shown["name"], max(left, 0))
    shown["name"] += grow_name
    left -= grow_name
    if "summary" in shown and left > 0:
        grow_summary = min(left, natural["summary"] - shown["summary"])
        shown["summary"] += grow_summary
        left -= grow_summary
    if left >= DAYS_SPACED - DAYS_TIGHT:
        shown["days"] = DAYS_SPACED
    return {key: shown[key] for key in ORDER if key in shown}


@dataclass(frozen=True)
class RuleRow:
    """One rule's cells, before they are fitted to their columns."""

    number: int
    outcome: Outcome
    sentence: str

    def cells(self) -> dict[str, Text]:
        rule = self.outcome.rule
        return {
            "num": Text(str(self.number)),
            "box": Text("☑" if rule.enabled else "☐"),
            "name": Text(rule.name, style="bold"),
            "presence": Text(presence_word(rule)),
            "status": Text(status_word(self.outcome), style=STATUS_STYLE[self.outcome.status]),
            "summary": Text(self.sentence),
            "filters": Text(filter_counts(rule)),
        }


def days_cell(days: frozenset[int], spaced: bool) -> Text:
    """The day letters, a day off a dimmed ``·``."""
    text = Text()
    for n, (letter, on) in enumerate(day_marks(days)):
        if n and spaced:
            text.append(" ")
        text.append(letter, style="" if on else "dim")
    return text


def _fit(cell: Text, width: int) -> Text:
    if cell.cell_len <= width:
        return cell
    cut = cell.copy()
    cut.truncate(width, overflow="ellipsis")
    return cut


class RuleTable(DataTable[Text]):
    """The rules of one profile, one row each, columns fitted to the table's width."""

    class BoxClicked(Message):
        """A row's box was clicked: its rule is the one under the cursor now."""

        def __init__(self, table: RuleTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> RuleTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self._rows: list[RuleRow] = []
        self._planned_for = -1

    def labels(self) -> dict[str, str]:
        return {
            "num": "#",
            "box": "☐",
            "name": _("Name"),
            "presence": _("Presence"),
            "status": _("Status"),
            "summary": _("Summary"),
            "filters": _("Filters"),
            "days": _("Days"),
        }

    def show_rules(
        self, outcomes: Sequence[Outcome], voicemail: str, extension: str, row: int | None
    ) -> None:
        """Show ``outcomes`` (a profile's rules judged now), the cursor on ``row``."""
        self._rows = [
            RuleRow(n, outcome, summary(outcome.rule, voicemail, extension))
            for n, outcome in enumerate(outcomes, 1)
        ]
        self._fill(row)

    def _width(self) -> int:
        return max(self.size.width - 1, 0)  # a cell kept for the vertical scrollbar's edge

    def _fill(self, row: int | None) -> None:
        labels = self.labels()
        cells = [r.cells() for r in self._rows]
        natural = {key: cell_len(label) for key, label in labels.items()}
        for one in cells:
            for key, cell in one.items():
                natural[key] = max(natural[key], cell.cell_len)
        natural["days"] = DAYS_SPACED
        self._planned_for = self._width()
        plan = plan_columns(self._planned_for, natural)
        with self.app.batch_update():
            self.clear(columns=True)
            for key, width in plan.items():
                self.add_column(Text(_fit(Text(labels[key]), width).plain), width=width, key=key)
            for rule_row, one in zip(self._rows, cells, strict=True):
                one["days"] = days_cell(rule_row.outcome.rule.days, plan["days"] == DAYS_SPACED)
                self.add_row(
                    *(_fit(one[key], width) for key, width in plan.items()),
                    key=str(rule_row.number - 1),
                )
            if self._rows:
                self.move_cursor(row=min(row or 0, len(self._rows) - 1), animate=False)

    async def on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        row, column = meta.get("row", -1), meta.get("column", -1)
        columns = [c.key.value for c in self.ordered_columns]
        if row >= 0 and 0 <= column < len(columns) and columns[column] == "box":
            event.stop()
            event.prevent_default()  # not DataTable's own: that would select (edit) the row
            self.move_cursor(row=row, animate=False)
            self.post_message(self.BoxClicked(self))
        # elsewhere DataTable's own handler follows (Textual calls each class's in turn, this
        # one first: its name is the public on_click, not DataTable's _on_click)

    def on_resize(self, event: events.Resize) -> None:
        if self._rows and self._width() != self._planned_for:
            self._fill(self.cursor_row)
