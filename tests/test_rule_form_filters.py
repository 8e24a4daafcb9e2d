"""A profile rule's caller filters as typed lines (issue 17, TWS-6.10.6.1-13/-14), by pilot at
80×24: the lines a rule kept are shown (numbers, an expression), a line is added, removed, and
its value completed by Enter — a contact of the directories by part of the name, a directory
by part of its name, a home-screen contact list —, and what cannot be kept is refused naming
the side and the line, in English and in French."""

from __future__ import annotations

import pytest
from helpers import build_console, local_store, settle, until
from textual.widgets import Button, Input, Static

from tws_tui.console.screens.profiles.caller_filters import CallerFilters, FilterLine
from tws_tui.console.screens.profiles.rule_form import RuleForm
from tws_tui.domain.profiles import Rule
from tws_tui.platform.i18n import set_language

SIZE = (80, 24)


def hint(line: FilterLine) -> str:
    return str(line.query_one(".f-match", Static).render())


async def typed(pilot: object, line: FilterLine, value: str) -> Input:
    field = line.query_one(".f-value", Input)
    field.focus()
    field.value = value
    await settle(pilot)  # type: ignore[arg-type]
    return field


async def test_lines_are_shown_added_completed_removed_and_refused() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        found = await console.app.directory("boulangerie", 5)
        contact = next(c for c in found if c.source != "colleagues")
        local_store(console).create_list("Key accounts", visible=True)  # a home-screen list
        console.app.lists.refresh()
        await until(pilot, lambda: bool(console.app.lists.home_lists), "the list loaded")
        lists = [shown.name for shown, _contacts in console.app.lists.home_lists]
        rule = Rule("R", "104", numbers=("06*", "07*"), exclude_pattern="0800.*")
        form = RuleForm(rule, lambda kept: kept)
        console.app.push_screen(form)
        await settle(pilot)
        included = form.query_one("#r-included", CallerFilters)
        excluded = form.query_one("#r-excluded", CallerFilters)
        assert [line.typed() for line in included.lines()] == [("number", "06*"), ("number", "07*")]
        assert [line.typed() for line in excluded.lines()] == [("number", "0800.*")]
        line = await included.add_line("contact")
        field = await typed(pilot, line, "boulang")
        await until(pilot, lambda: contact.name in hint(line), "the contact offered")
        await pilot.press("enter")  # takes the contact's name, does not save
        await settle(pilot)
        assert field.value == contact.name and console.app.screen is form
        line = await included.add_line("directory")
        field = await typed(pilot, line, "known")
        assert "Known callers" in hint(line)
        await pilot.press("enter")
        assert field.value == "Known callers"
        line = await excluded.add_line("list")
        field = await typed(pilot, line, "key acc")
        assert "Key accounts" in hint(line)
        await pilot.press("enter")
        assert field.value in lists
        chosen = field.value
        line = await excluded.add_line()
        await typed(pilot, line, "0[67][0-9]{8}")
        assert "regular expression" in hint(line)
        included.lines()[0].query_one(".f-remove", Button).press()  # 06* removed
        await settle(pilot)
        with pytest.raises(ValueError, match="Callers excluded, line 3: the rule keeps one"):
            form.read()  # a second expression
        excluded.lines()[2].query_one(".f-remove", Button).press()
        await settle(pilot)
        kept = form.read()
        assert kept.numbers == ("07*",) and kept.contact == contact.name
        assert kept.directory == "external" and kept.exclude_list == chosen
        assert kept.exclude_pattern == "0800.*"
        await typed(pilot, included.lines()[-1], "Nowhere")
        with pytest.raises(ValueError, match="Callers included, line 3: no directory is named"):
            form.read()
        set_language("fr")
        try:
            with pytest.raises(ValueError, match="Appelants inclus, ligne 3 : aucun annuaire"):
                form.read()
        finally:
            set_language("en")
