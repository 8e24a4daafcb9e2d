"""Snapshots of the Tools page (issue 17, TWS-6.11) and of the About page it opens (TWS-1.8) at
80x24 and 120x40, in English and in French, on ``sim``: the support warning, the buttons
(diagnostics bundle, reconnect now, about), the traces (trace level, the log file and its
rotation, export the log, copy its folder), maintenance (delete all my history); About's lines
and its copy key. The paths, the installation date, this machine's address and the libraries'
versions are fixed ones so the picture does not depend on the test's machine or folder."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from helpers import build_console, settle

from tws_tui.console.screens.tools.about_page import AboutScreen
from tws_tui.console.screens.tools.page import ToolsScreen
from tws_tui.platform import install_info, paths

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = [pytest.param("en", id="en"), pytest.param("fr", id="fr")]


@pytest.fixture
def fixed_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """The paths shown are fixed ones; the files stay in the test's own folders (a fixed
    folder on this machine would be shared by every run: a journal made by one version of
    the code, opened by another)."""
    shown = {name: Path(f"/home/op/.{name}/tws-tui") for name in ("config", "data", "state")}
    locations = {
        "config": shown["config"] / "config.toml",
        "prefs": shown["config"] / "prefs.toml",
        "data": shown["data"],
        "state": shown["state"],
        "log": shown["state"] / "log" / "tws-tui.log",
    }
    monkeypatch.setattr(paths, "locations", lambda: dict(locations))
    monkeypatch.setattr(paths, "log_file", lambda: locations["log"])
    monkeypatch.setattr("platform.python_version", lambda: "3.11.7")
    monkeypatch.setattr("textual.__version__", "0.0.0")
    monkeypatch.setattr(
        install_info, "installed_on", lambda: datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
    )
    monkeypatch.setattr(install_info, "local_address", lambda: "192.0.2.10")
    versions = [("textual", "8.2.8"), ("rich", "15.0.0"), ("httpx", "0.28.1"), ("pyVoIP", None)]
    monkeypatch.setattr(install_info, "library_versions", lambda: versions)


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


@pytest.mark.usefixtures("fixed_paths")
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_about_page(snap_compare, size, language) -> None:
    console = build_console()

    async def run(pilot: Any) -> None:
        if language == "fr":
            await pilot.press("alt+l")
        await pilot.press("alt+6")
        await settle(pilot)
        pilot.app.screen.query_one("#pref-tools").press()
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(pilot.app.screen, AboutScreen)

    assert snap_compare(console.app, terminal_size=size, run_before=run)
