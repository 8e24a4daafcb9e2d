"""The Profiles page's rule table (TWS-6.10.6.1-16, issue 17) at 80×24 and 120×40, in English
and in French (one console: English at 80 then 120 columns, the page opened again in French at
120 then 80): the columns that show at each width (the summary dropped at 80 columns, the
filters at 120), the highlighted rule's whole sentence in the detail line below, the days'
letters with a day off a ``·``, and the columns fitted again when the terminal is resized."""

from __future__ import annotations

from typing import Any

from helpers import build_console, settle
from test_profiles_page import open_page
from test_snap_profiles import away, away_with_rules
from textual.widgets import Button

from tws_tui.console.screens.profiles.page import ProfilesScreen
from tws_tui.console.widgets.rule_table import ORDER, RuleTable, plan_columns
from tws_tui.platform.i18n import set_language

NARROW = ["num", "box", "name", "presence", "status", "days"]
MEDIUM = ["num", "box", "name", "presence", "status", "summary", "days"]


def columns(table: RuleTable) -> list[str]:
    return [str(key.value) for key in table.columns]


def row(table: RuleTable, at: int) -> list[str]:
    return [cell.plain for cell in table.get_row_at(at)]


async def away_page(console: Any, pilot: Any) -> ProfilesScreen:
    await away(console, pilot)  # Away: the rule Morning wins at 09:00
    page = await open_page(console, pilot)
    page.query_one("#profile-list").highlighted = 2  # Away
    await settle(pilot)
    return page


def test_the_widest_table_shows_every_column_and_spaces_the_days() -> None:
    natural = {key: 10 for key in ORDER} | {"num": 1, "box": 1, "summary": 60, "days": 13}
    assert list(plan_columns(200, natural)) == list(ORDER)
    assert plan_columns(200, natural)["days"] == 13 and plan_columns(200, natural)["summary"] == 60
    assert list(plan_columns(52, natural)) == NARROW
    assert plan_columns(52, natural)["days"] == 7


def check_80(page: ProfilesScreen, french: bool) -> None:
    """At 80 columns: # ☐ Name Presence Status Days, the days' letters tight."""
    table = page.query_one("#rule-list", RuleTable)
    assert columns(table) == NARROW
    labels = [str(c.label) for c in table.columns.values()]
    assert labels[2:5] == (
        ["Nom", "Présence", "État"] if french else ["Name", "Presence", "Status"]
    )
    first = ["1", "☑", "Lunch", "Absent", "EN ATTENTE", "LMMJVSD"]
    assert row(table, 0) == (first if french else [*first[:3], "Away", "PENDING", "MTWTFSS"])
    assert row(table, 1)[4] == ("ACTIVE (gagne)" if french else "ACTIVE (wins)")
    assert row(table, 3)[1] == "☐" and row(table, 3)[-1] == ("LMMJV··" if french else "MTWTF··")


def check_120(page: ProfilesScreen, french: bool) -> None:
    """At 120 columns the summary too, cut with … where it is longer than its room."""
    table = page.query_one("#rule-list", RuleTable)
    assert columns(table) == MEDIUM
    assert row(table, 0)[5] == (
        "Tous les appels sont redirigés immédiatem…"  # French is longer: cut
        if french
        else "All calls are forwarded immediately to 5020"
    )
    assert row(table, 2)[5].endswith("…")  # cut: the detail line has it whole


def detail_of(page: ProfilesScreen) -> str:
    return str(page.query_one("#rule-detail").render())


async def test_the_rule_table_at_80_and_120_columns_in_english_and_french() -> None:
    away_with_rules()
    console = build_console()
    async with console.app.run_test(size=(80, 24)) as pilot:
        page = await away_page(console, pilot)
        check_80(page, french=False)
        table = page.query_one("#rule-list", RuleTable)
        table.focus()
        await pilot.press("down", "down")  # VIP: the whole sentence below the table
        await settle(pilot)
        assert detail_of(page).startswith(
            "3. VIP: All calls from 06*, except from 0611* are forwarded when my line is "
            "busy to 104 · Filters: 1 inclusive, 1 exclusive"
        ), detail_of(page)
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        check_120(page, french=False)
        assert table.cursor_row == 2  # the same rule still highlighted
        set_language("fr")
        await pilot.press("escape")  # back to Preferences, the page opened again in French
        await settle(pilot)
        console.app.screen.query_one("#pref-profiles", Button).press()
        await settle(pilot)
        page = console.app.screen
        assert isinstance(page, ProfilesScreen)
        page.query_one("#profile-list").highlighted = 2  # Away
        await settle(pilot)
        check_120(page, french=True)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        check_80(page, french=True)
        page.query_one("#rule-list", RuleTable).move_cursor(row=2)
        await settle(pilot)
        assert detail_of(page).startswith(
            "3. VIP : Tous les appels de 06*, sauf de 0611* sont redirigés si ma ligne est "
            "occupée vers 104 · Filtrages : 1 inclusif, 1 exclusif"
        ), detail_of(page)
