"""The active profile in the status bar (issue 17, TWS-6.10-2): always named, the default
profile too, in English and French; at 80 columns a long name is cut with "…" while the facts
after it (my forwarding, the missed calls) stay."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from helpers import build_console, settle

from tws_tui.console.widgets.status_bar import StatusBar
from tws_tui.core.model import Forward, ForwardKind
from tws_tui.platform.i18n import set_language
from tws_tui.settings.profiles_file import ProfileBook, profiles_file, save_profiles

SIZE = (80, 24)


def bar(console: Any) -> str:
    return console.app.screen.query_one(StatusBar).render().plain


@pytest.mark.parametrize(("language", "name"), [("en", "Office"), ("fr", "Bureau")])
async def test_the_default_profile_is_named_at_80_columns(language: str, name: str) -> None:
    set_language(language)
    try:
        console = build_console()
        async with console.app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert f"◆ {name}" in bar(console)
    finally:
        set_language("en")


async def test_a_long_profile_name_is_cut_before_other_facts_go() -> None:
    office, *others = ProfileBook().profiles
    long_name = "Permanence du comité de direction"
    save_profiles(profiles_file(), ProfileBook((replace(office, name=long_name), *others)))
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await console.backend.set_forward(ForwardKind.UNCONDITIONAL, Forward(True, "3990"))
        console.app.state.missed_calls = 3
        await settle(pilot)
        console.app.screen.query_one(StatusBar).refresh()
        line = bar(console)
        assert len(line) == 80
        assert "◆ Permanence" in line and "…" in line
        assert long_name not in line
        assert "↪ my voicemail" in line and "3 missed calls" in line
        assert line.rstrip().endswith("09:00")
