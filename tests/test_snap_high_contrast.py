"""Snapshots of the high-contrast theme (issue 17) on the Contacts screen at 80x24 and 120x40,
in English and in French: black, white and a yellow accent; the presence of each colleague
still told by its symbol and word, not its colour alone."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import build_console, settle

from tws_tui.settings.schema import UiSettings

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = [pytest.param("en", id="en"), pytest.param("fr", id="fr")]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_contacts_in_high_contrast(snap_compare, size, language) -> None:
    console = build_console(ui=UiSettings(animations=False, theme="tws-high-contrast"))

    async def run(pilot: Any) -> None:
        if language == "fr":
            await pilot.press("alt+l")
        await settle(pilot)
        assert pilot.app.theme == "tws-high-contrast"

    assert snap_compare(console.app, terminal_size=size, run_before=run)
