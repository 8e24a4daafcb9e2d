"""Snapshots of a profile rule's form (issue 17, TWS-6.10.6.1-4/-8/-10, -13/-14), at 80×24 in
French and at 120×40 in English (the form's pilot tests run at 80×24 in English): *Forward to*
by name with *Other number* and the line saying whom Enter takes for a part of a name typed;
at 120×40 scrolled down to the hours, ticked (08:00–18:00), and the caller filters as typed
lines (a number included, a directory excluded). Seeded simulator without traffic, frozen
clock."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import build_console
from textual.widgets import Input, Switch

from tws_tui.console.screens.profiles.rule_form import RuleForm
from tws_tui.domain.profiles import Rule
from tws_tui.platform.i18n import set_language

SHOTS = [
    pytest.param((80, 24), "fr", id="80x24-fr"),
    pytest.param((120, 40), "en", id="120x40-en"),  # scrolled to the hours, ticked
]


async def settle(pilot: Any, rounds: int = 8) -> None:
    for _ in range(rounds):
        await pilot.pause()


@pytest.mark.parametrize(("size", "language"), SHOTS)
def test_rule_form(snap_compare, size, language: str) -> None:
    set_language(language)
    console = build_console()

    async def form(pilot: Any) -> None:
        await settle(pilot)
        app = console.app
        rule_form = RuleForm(
            Rule("Lunch", "", enabled=False, numbers=("06*",), exclude_directory="external"),
            lambda rule: rule,
            colleagues=app.state.devices.values(),
            own="100",
            extension="2004",
            sounds=[("Ring", "ring")],
        )
        app.push_screen(rule_form)
        await settle(pilot)
        rule_form.query_one("#r-hours", Switch).value = True
        field = rule_form.query_one("#r-to", Input)
        field.focus()
        field.value = "boulangerie"
        await settle(pilot, 20)
        if size == (120, 40):
            excluded = rule_form.query_one("#r-excluded")
            excluded.query_one(".f-value", Input).focus()  # scrolled down to the filters
            await settle(pilot)
        app.clear_notifications()
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=form)
