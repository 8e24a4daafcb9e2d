"""Issue 14, "notices that never cover the status bar or banner": a notice is at most three
short lines, and only the three newest stay on screen, in every corner, at 80×24."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import ACME, build_console
from textual.widgets._toast import Toast

from tws_tui.domain.notifications import NOTICE_MAX_CHARS, NOTICES_SHOWN, notice_text
from tws_tui.settings.schema import UiSettings

SIZE = (80, 24)
TOP_ROWS = 3  # status bar, ringing banner, call strip


def test_a_short_notice_is_kept_as_it_is() -> None:
    assert notice_text("Transferred to 201.") == "Transferred to 201."


def test_a_long_notice_keeps_its_start_and_its_reason() -> None:
    message = "Contacts file /" + "very/long/" * 40 + "contacts.sqlite3 unavailable: read only"
    text = notice_text(message)
    assert len(text) <= NOTICE_MAX_CHARS and "…" in text
    assert text.startswith("Contacts file /") and text.endswith("unavailable: read only")


def test_a_notice_keeps_three_lines_at_most() -> None:
    text = notice_text("one\ntwo\nthree\nfour\nfive")
    assert text.splitlines() == ["one", "two", "three…"]


async def settle(pilot: Any, rounds: int = 4) -> None:
    for _ in range(rounds):
        await pilot.pause()


@pytest.mark.parametrize("corner", ["bottom-right", "top-right", "bottom-left", "top-left"])
async def test_a_flood_of_long_notices_leaves_the_top_rows_visible(corner: str) -> None:
    console = build_console(ui=UiSettings(animations=False, toast_position=corner))
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        console.ring(ACME)
        await settle(pilot)
        for n in range(10):
            console.app.notify(f"notice {n} " + "a 5 KB paste " * 400, severity="error")
        await settle(pilot, 8)
        toasts = list(console.app.screen.query(Toast))
        assert len(toasts) == NOTICES_SHOWN
        assert "notice 9" in str(toasts[-1].render()) or any(
            "notice 9" in str(t.render()) for t in toasts
        )
        for toast in toasts:
            assert toast.region.y >= TOP_ROWS, (corner, toast.region)
        assert console.app.screen.query_one("#ringing-banner").region.height == 1
