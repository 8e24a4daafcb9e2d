"""Snapshots of the Tools page (issue 17, TWS-6.11, TWS-1.8) at 80x24 and 120x40, in English
and in French, opened from Preferences on ``sim``: the support warning, the two buttons (the
diagnostics bundle, reconnect now) and the About panel. The data paths are fixed ones so the
picture does not depend on the test's temporary folder."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import build_console, settle

from tws_tui.console.screens.tools.page import ToolsScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = [pytest.param("en", id="en"), pytest.param("fr", id="fr")]


@pytest.fixture
def fixed_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CONFIG", "DATA", "STATE"):
        monkeypatch.setenv(f"TWS_TUI_{name}_DIR", f"/home/op/.{name.lower()}/tws-tui")
    monkeypatch.setattr("platform.python_version", lambda: "3.11.7")
    monkeypatch.setattr("textual.__version__", "0.0.0")


@pytest.mark.usefixtures("fixed_paths")
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_tools_page(snap_compare, size, language) -> None:
    console = build_console()

    async def run(pilot: Any) -> None:
        if language == "fr":
            await pilot.press("alt+l")
        await pilot.press("alt+6")
        await settle(pilot)
        pilot.app.screen.query_one("#pref-tools").press()
        await settle(pilot)
        assert isinstance(pilot.app.screen, ToolsScreen)

    assert snap_compare(console.app, terminal_size=size, run_before=run)
