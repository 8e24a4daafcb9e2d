"""``StatisticsScreen``: my call statistics (TWS §3.15, TWP §5.3.1, Selfcare §7), opened from
History (Ctrl+G, ``history.statistics``), Esc back.

* The period: ``d`` today's day, ``w`` the week, ``m`` the month, ``y`` the year (the local
  calendar; a week starts on Monday in French, on Sunday in English), ``c`` from one day to
  another (:class:`~tws_tui.console.screens.history.period_dialog.PeriodDialog`); ``←``/``→``
  (or ``[``/``]``) the period before or after. It opens on today (TWS-3.15.2-1).
* The filters, combined: Ctrl+T all / incoming / outgoing calls, ``i`` all / internal /
  external correspondents, ``o`` one correspondent (of the period's top ones) or all again.
* The figures, in a compact table: calls, received, placed, missed with the lost share (a
  gauge), answered, talk time in total and per answered call, the wait before answer, the
  distinct correspondents; by queue; the top 5 correspondents.
* The chart, drawn by plotext (``textual-plotext``'s ``PlotextPlot``): ``g`` chooses the figure
  (calls stacked received / placed / missed, answered, missed, talk time, average duration),
  ``b`` the sub-periods (the period's own: hours of a day, days, months of a year; hours of
  the day; days of the week); each series has its own marker (``█ ▒ ░``), so it reads without
  colour (``NO_COLOR``). ``t`` shows the same series as a table instead (over the whole width).
* Ctrl+S writes the figures to a CSV file (``journal.export.export_statistics_csv``).

The figures are SQL aggregates on the journal, computed in its thread
(``LocalJournal.statistics``), again when the journal changes.
"""

from __future__ import annotations

import enum
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import ClassVar, TypeVar

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static
from textual_plotext import PlotextPlot

from tws_tui.console.bindings import bindings_for
from tws_tui.console.screens.base import ModeScreen, show_text
from tws_tui.core.topics import Topic, Topics
from tws_tui.domain.format import MONTH_ABBR, WEEKDAY_ABBR, duration
from tws_tui.journal.statistics import (
    Breakdown,
    CallType,
    Correspondents,
    Figures,
    Period,
    Span,
    StatsQuery,
    Tally,
    period_of,
    shifted,
    week_starts,
)
from tws_tui.platform.i18n import N_, _, language, ngettext


class Indicator(enum.StrEnum):
    """What the chart shows (TWS-3.15.2-3's indicator, TWP-5.3.1-7's data type)."""

    CALLS = "calls"
    ANSWERED = "answered"
    MISSED = "missed"
    TALK = "talk"
    AVERAGE = "average"


INDICATOR_WORD = {
    Indicator.CALLS: N_("Calls"),
    Indicator.ANSWERED: N_("Answered calls"),
    Indicator.MISSED: N_("Missed calls"),
    Indicator.TALK: N_("Talk time (minutes)"),
    Indicator.AVERAGE: N_("Average duration (seconds)"),
}
SPAN_WORD = {
    Span.DAY: N_("Day"),
    Span.WEEK: N_("Week"),
    Span.MONTH: N_("Month"),
    Span.YEAR: N_("Year"),
    Span.CUSTOM: N_("Period"),
}
CALL_TYPE_WORD = {
    CallType.ALL: N_("all calls"),
    CallType.INCOMING: N_("incoming"),
    CallType.OUTGOING: N_("outgoing"),
}
CORRESPONDENTS_WORD = {
    Correspondents.ALL: N_("all correspondents"),
    Correspondents.INTERNAL: N_("internal"),
    Correspondents.EXTERNAL: N_("external"),
}
BREAKDOWN_WORD = {
    Breakdown.PERIOD: N_("by sub-period"),
    Breakdown.HOUR: N_("by hour of the day"),
    Breakdown.WEEKDAY: N_("by day of the week"),
}
#: The markers of the stacked series: received (answered), placed, missed.
MARKERS = ("█", "▒", "░")
GAUGE_CELLS = 10


T = TypeVar("T")


def _next(values: list[T], current: T) -> T:
    return values[(values.index(current) + 1) % len(values)]


def day_text(day: date, *, year: bool = True) -> str:
    """ "Mon 16 Nov 2026" in the language shown."""
    text = f"{_(WEEKDAY_ABBR[day.weekday()])} {day.day} {_(MONTH_ABBR[day.month - 1])}"
    return f"{text} {day.year}" if year else text


def period_text(period: Period) -> str:
    """The period in words: its kind and its days."""
    span = _(SPAN_WORD[period.span])
    if period.span is Span.DAY:
        return f"{span} {day_text(period.first)}"
    if period.span is Span.MONTH:
        return f"{span} {_(MONTH_ABBR[period.first.month - 1])} {period.first.year}"
    if period.span is Span.YEAR:
        return f"{span} {period.first.year}"
    same_year = period.first.year == period.last.year
    return f"{span} {day_text(period.first, year=not same_year)} – {day_text(period.last)}"


def bucket_label(key: str) -> str:
    """A bar's label: "07" (an hour), "16" (a day), "Mon" (a weekday), "Nov" (a month)."""
    if len(key) == 1:  # %w: 0 is Sunday
        return _(WEEKDAY_ABBR[(int(key) + 6) % 7])
    if len(key) == 7:
        return _(MONTH_ABBR[int(key[5:]) - 1])
    if len(key) == 10:
        return str(int(key[8:]))
    return key


def gauge(share: float | None) -> str:
    """The lost share as a gauge of ten cells and a percentage (TWS-3.15.1-2)."""
    if share is None:
        return "–"
    full = round(share * GAUGE_CELLS)
    return "▰" * full + "▱" * (GAUGE_CELLS - full) + f" {share * 100:.0f} %"


def seconds_text(seconds: float | None) -> str:
    return "–" if seconds is None else duration(round(seconds))


class StatisticsScreen(ModeScreen):
    MODE = "statistics"
    PARENT_MODE = "history"
    TITLE_MSGID = N_("Statistics")
    TOPICS = frozenset({Topic.HISTORY})
    BINDINGS: ClassVar = bindings_for("statistics")
    DEFAULT_CSS = """
    StatisticsScreen #stats-filters { height: auto; color: $text-muted; padding: 0 1; }
    StatisticsScreen #stats-figures { height: auto; padding: 0 1; }
    StatisticsScreen #stats-main { height: 1fr; }
    StatisticsScreen #stats-chart { width: 1fr; height: 1fr; }
    StatisticsScreen #stats-series { width: 1fr; height: 1fr; display: none; }
    StatisticsScreen.-table #stats-chart { display: none; }
    StatisticsScreen.-table #stats-series { display: block; }
    StatisticsScreen.-table #stats-side { display: none; }
    StatisticsScreen #stats-side { width: 36; height: 1fr; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._indicator = Indicator.CALLS
        self._figures: Figures | None = None
        self._unavailable = False
        self._query: StatsQuery | None = None  # made on mount, from the console's clock

    def compose_body(self) -> ComposeResult:
        yield Static(id="stats-filters", markup=False)
        yield Static(id="stats-figures", markup=False)
        with Horizontal(id="stats-main"):
            yield PlotextPlot(id="stats-chart")
            with VerticalScroll(id="stats-series", can_focus=False):
                yield Static(id="stats-series-table", markup=False)
            with VerticalScroll(id="stats-side", can_focus=False):
                yield Static(id="stats-side-text", markup=False)

    # ---- the query ------------------------------------------------------------------------

    @property
    def today(self) -> date:
        return self.tws.clock.now().astimezone().date()

    @property
    def week_start(self) -> int:
        return week_starts(language())

    @property
    def stats_query(self) -> StatsQuery:
        if self._query is None:
            self._query = StatsQuery(period_of(Span.DAY, self.today))
        return self._query

    def _ask(self, query: StatsQuery) -> None:
        self._query = query
        self.reload()

    def refresh_from_state(self, topics: Topics) -> None:
        if Topic.HISTORY in topics:
            self.reload()
        elif self._figures is not None:
            self._show()  # the language changed: the words again

    def reload(self) -> None:
        self._load(self.stats_query)

    @work(exclusive=True, group="statistics")
    async def _load(self, query: StatsQuery) -> None:
        figures = await self.tws.local_journal.statistics(query)
        if query != self._query:
            return  # another period was asked meanwhile
        self._unavailable = figures is None
        self._figures = figures
        self._show()

    # ---- showing --------------------------------------------------------------------------

    def _show(self) -> None:
        query = self.stats_query
        parts = [
            period_text(query.period),
            _(CALL_TYPE_WORD[query.call_type]),
            _(CORRESPONDENTS_WORD[query.correspondents]),
        ]
        figures = self._figures
        if query.number is not None:
            top = figures.top if figures is not None else ()
            name = next((t.label for t in top if t.key == query.number), query.number)
            parts.append(_("with {who}").format(who=name))
        parts.append(_(BREAKDOWN_WORD[query.breakdown]))
        show_text(self.query_one("#stats-filters", Static), " · ".join(parts))
        if figures is None:
            note = (
                _("No call journal: see the message about its file.") if self._unavailable else ""
            )
            show_text(self.query_one("#stats-figures", Static), note)
            return
        self.query_one("#stats-figures", Static).update(self._figures_table(figures))
        show_text(self.query_one("#stats-side-text", Static), self._side_text(figures))
        self.query_one("#stats-series-table", Static).update(self._series_table(figures))
        self._draw(figures)

    def _figures_table(self, figures: Figures) -> Table:
        """TWS-3.15.1's figures, two per row: what is counted, then the times."""
        total = figures.total
        table = Table.grid(padding=(0, 2))
        for _column in range(4):
            table.add_column(no_wrap=True)
        table.add_row(
            _("Calls"),
            f"{total.calls}  ({_('received')} {total.received}, {_('placed')} {total.placed})",
            _("Talk time"),
            seconds_text(total.talk_s),
        )
        table.add_row(
            _("Missed calls"),
            f"{total.missed}  {gauge(figures.lost_share)}",
            _("Average duration"),
            seconds_text(total.average_s),
        )
        table.add_row(
            _("Answered calls"),
            str(total.answered),
            _("Wait before answer"),
            seconds_text(figures.wait_s),
        )
        table.add_row(_("Correspondents"), str(figures.correspondents), "", "")
        return table

    def _side_text(self, figures: Figures) -> Text:
        """By queue, then the top correspondents: calls and talk time."""
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(_("By queue") + "\n", style="bold")
        if not figures.queues:
            text.append(_("No call through a queue.") + "\n", style="dim")
        for tally in figures.queues:
            missed = ngettext("{n} missed", "{n} missed", tally.missed).format(n=tally.missed)
            text.append(f"{tally.label}  {tally.calls} · {missed}\n")
        text.append("\n" + _("Top correspondents") + "\n", style="bold")
        if not figures.top:
            text.append(_("No call in this period.") + "\n", style="dim")
        for tally in figures.top:
            text.append(f"{tally.calls:>3}  {duration(tally.talk_s):>7}  {tally.label}\n")
        return text

    def _ordered(self, figures: Figures) -> list[Tally]:
        """The series in the order shown: weekdays from the week's first day."""
        series = list(figures.series)
        if self.stats_query.breakdown is Breakdown.WEEKDAY:
            first = (self.week_start + 1) % 7  # %w counts from Sunday
            series = series[first:] + series[:first]
        return series

    def _series_table(self, figures: Figures) -> Table:
        """TWP-5.3.1-7's data table: the chart's series, a row per sub-period."""
        table = Table(box=None, padding=(0, 1), header_style="bold")
        for title in (
            "",
            _("Calls"),
            _("received"),
            _("placed"),
            _("missed"),
            _("answered"),
            _("Talk time"),
            _("average"),
        ):
            table.add_column(title, justify="right", no_wrap=True, min_width=len(title) or 4)
        for tally in self._ordered(figures):
            table.add_row(
                bucket_label(tally.key),
                str(tally.calls),
                str(tally.received),
                str(tally.placed),
                str(tally.missed),
                str(tally.answered),
                duration(tally.talk_s),
                seconds_text(tally.average_s),
            )
        return table

    def _draw(self, figures: Figures) -> None:
        """The chart of the chosen figure, by plotext; every series with its own marker."""
        chart = self.query_one("#stats-chart", PlotextPlot)
        plt = chart.plt
        plt.clear_figure()
        series = self._ordered(figures)
        indicator = self._indicator
        plt.title(_(INDICATOR_WORD[indicator]))
        if indicator is Indicator.CALLS:
            layers: list[tuple[str, list[float]]] = [
                (_("received"), [t.received - t.missed for t in series]),
                (_("placed"), [t.placed for t in series]),
                (_("missed"), [t.missed for t in series]),
            ]
        elif indicator is Indicator.ANSWERED:
            layers = [(_("answered"), [t.answered for t in series])]
        elif indicator is Indicator.MISSED:
            layers = [(_("missed"), [t.missed for t in series])]
        elif indicator is Indicator.TALK:
            layers = [(_("minutes"), [round(t.talk_s / 60, 1) for t in series])]
        else:
            layers = [(_("seconds"), [round(t.average_s or 0) for t in series])]
        self._stack(layers)
        positions: list[float] = list(range(1, len(series) + 1))
        width = max(1, chart.size.width - 8)
        step = max(1, -(-len(series) * 3 // width))  # a label every few bars when crowded
        plt.xticks(positions[::step], [bucket_label(t.key) for t in series][::step])
        plt.xlim(0.5, len(series) + 0.5)
        totals = [sum(values) for values in zip(*(v for _l, v in layers), strict=True)]
        self._ticks(max(totals, default=0))
        chart.refresh()

    def _stack(self, layers: list[tuple[str, list[float]]]) -> None:
        """Bars stacked from the first layer up, each with its marker (``█ ▒ ░``).

        Each layer is drawn where it is not zero only, from the top one down: plotext's own
        ``stacked_bar`` paints a zero-high bar as blanks over the bar below it."""
        plt = self.query_one("#stats-chart", PlotextPlot).plt
        tops: list[list[float]] = []
        running = [0.0] * len(layers[0][1])
        for _label, values in layers:
            running = [r + v for r, v in zip(running, values, strict=True)]
            tops.append(running)
        for index in range(len(layers) - 1, -1, -1):
            label, values = layers[index]
            where = [i for i, value in enumerate(values) if value]
            if not where:
                continue
            span = where[-1] - where[0]
            # plotext widens a bar by the spacing of the positions given: keep 0.8 of one
            width = 0.8 * (len(where) - 1) / span if span else 0.8
            plt.bar(
                [i + 1 for i in where],
                [tops[index][i] for i in where],
                marker=MARKERS[index],
                label=label,
                width=width,
            )

    def _ticks(self, top: float) -> None:
        """Whole-number ticks on the y axis, a few of them."""
        plt = self.query_one("#stats-chart", PlotextPlot).plt
        ceiling = max(1, int(-(-top // 1)))
        step = max(1, -(-ceiling // 4))
        ticks: list[float] = list(range(0, ceiling + step, step))
        plt.yticks(ticks, [str(int(t)) for t in ticks])
        plt.ylim(0, ticks[-1])

    # ---- keys -----------------------------------------------------------------------------

    def action_span(self, span: str) -> None:
        """``d`` ``w`` ``m`` ``y``: the day, week, month or year of the period shown (today's
        when the period shown holds today)."""
        period = self.stats_query.period
        day = self.today if period.contains(self.today) else period.first
        chosen = period_of(Span(span), day, week_starts=self.week_start)
        self._ask(replace(self.stats_query, period=chosen))

    def action_shift_period(self, step: int) -> None:
        period = shifted(self.stats_query.period, step, week_starts=self.week_start)
        if period.first > self.today:
            self.tws.notify(_("No statistics for a period to come."), severity="warning")
            return
        self._ask(replace(self.stats_query, period=period))

    def action_custom_period(self) -> None:
        from tws_tui.console.screens.history.period_dialog import PeriodDialog

        def chosen(period: Period | None) -> None:
            if period is not None:
                self._ask(replace(self.stats_query, period=period))

        self.tws.push_screen(PeriodDialog(self.stats_query.period, self.today), chosen)

    def action_cycle_call_type(self) -> None:
        self._ask(
            replace(self.stats_query, call_type=_next(list(CallType), self.stats_query.call_type))
        )

    def action_cycle_correspondents(self) -> None:
        kinds = list(Correspondents)
        self._ask(
            replace(self.stats_query, correspondents=_next(kinds, self.stats_query.correspondents))
        )

    def action_one_correspondent(self) -> None:
        """``o``: the period's statistics with one of its top correspondents, or all again."""
        from tws_tui.console.screens.modals.choice import ChoiceScreen

        figures = self._figures
        options = [("", _("All correspondents"))]
        if figures is not None:
            options += [(t.key, f"{t.label} ({t.calls})") for t in figures.top]

        def chosen(key: str | None) -> None:
            if key is not None:
                self._ask(replace(self.stats_query, number=key or None))

        self.tws.push_screen(
            ChoiceScreen(_("Whose calls?"), options, current=self.stats_query.number or ""), chosen
        )

    def action_cycle_indicator(self) -> None:
        self._indicator = _next(list(Indicator), self._indicator)
        if self._figures is not None:
            self._draw(self._figures)

    def action_cycle_breakdown(self) -> None:
        self._ask(
            replace(self.stats_query, breakdown=_next(list(Breakdown), self.stats_query.breakdown))
        )

    def action_toggle_table(self) -> None:
        self.toggle_class("-table")

    def action_close(self) -> None:
        self.dismiss()

    def action_export(self) -> None:
        from tws_tui.console.screens.contacts.exchange import FileDialog

        if self._figures is None:
            return
        self.tws.push_screen(
            FileDialog(
                _("Export the statistics"),
                importing=False,
                suggestion=str(Path("~/call-statistics.csv")),
                note=_("The figures shown, as CSV. Enter goes on, Esc cancels."),
            ),
            self._export,
        )

    @work(group="statistics-export")
    async def _export(self, answer: tuple[Path, str] | None) -> None:
        from tws_tui.console.screens.modals.save_text import save_text
        from tws_tui.journal.export import export_statistics_csv

        figures = self._figures
        if answer is None or figures is None:
            return
        path, _visibility = answer
        written = _("Statistics written to {path}.").format(path=path)
        await save_text(self.tws, path, export_statistics_csv(figures), written)
