"""TWS-6.3-4, issue 17: the queue waiting-time thresholds set in Preferences — checked (whole
or decimal seconds, 1 to 3600, red after orange), saved together, refused in words with the
saved ones kept; labels in French and English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import build_console
from textual.widgets import Input, Label

from tws_tui.domain.queue_board import wait_thresholds, wait_tone
from tws_tui.platform.i18n import set_language
from tws_tui.settings.load import load_settings

SIZE = (80, 24)


async def settle(pilot: Any, rounds: int = 6) -> None:
    for _ in range(rounds):
        await pilot.pause()


@pytest.mark.parametrize(
    ("orange", "red", "expected"),
    [("15", "30", (15.0, 30.0)), (" 10 s", "45S", (10.0, 45.0)), ("7,5", "12.5", (7.5, 12.5))],
)
def test_thresholds_as_typed_are_read(orange: str, red: str, expected: tuple[float, float]) -> None:
    assert wait_thresholds(orange, red) == expected


@pytest.mark.parametrize(
    ("orange", "red", "reason"),
    [
        ("ten", "30", "'ten' is not a number of seconds."),
        ("", "30", "'' is not a number of seconds."),
        ("0", "30", "0 s: a threshold is from 1 to 3600 seconds."),
        ("15", "5000", "5000 s: a threshold is from 1 to 3600 seconds."),
        ("30", "30", "Red (30 s) must come after orange (30 s)."),
        ("40", "20", "Red (20 s) must come after orange (40 s)."),
    ],
)
def test_wrong_thresholds_are_refused_in_words(orange: str, red: str, reason: str) -> None:
    set_language("en")
    with pytest.raises(ValueError) as refused:
        wait_thresholds(orange, red)
    assert str(refused.value) == reason


def test_red_before_orange_in_config_toml_is_reported_and_the_defaults_used(
    tmp_path: Path,
) -> None:
    set_language("en")
    config = tmp_path / "config.toml"
    config.write_text("[queues]\nwarn_after_s = 40\nalert_after_s = 20\n", encoding="utf-8")
    settings, problems = load_settings(config, tmp_path / "prefs.toml", backend_names=["sim"])
    assert [str(problem) for problem in problems] == [
        "config.toml: queues.alert_after_s = 20 — the red threshold must come after"
        " queues.warn_after_s = 40; using 15 and 30 seconds"
    ]
    assert (settings.queues.warn_after_s, settings.queues.alert_after_s) == (15.0, 30.0)
    config.write_text("[queues]\nwarn_after_s = 40\nalert_after_s = 90\n", encoding="utf-8")
    settings, problems = load_settings(config, tmp_path / "prefs.toml", backend_names=["sim"])
    assert problems == []
    assert (settings.queues.warn_after_s, settings.queues.alert_after_s) == (40.0, 90.0)


async def test_thresholds_set_in_preferences_refused_or_saved_in_both_languages() -> None:
    set_language("en")
    saved: list[dict[str, Any]] = []
    console = build_console(save_prefs=saved.append)
    try:
        async with console.app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(pilot)
            await pilot.press("alt+6")
            await settle(pilot)
            screen = console.app.screen
            orange = screen.query_one("#pref-warn_after_s", Input)
            red = screen.query_one("#pref-alert_after_s", Input)
            assert (orange.value, red.value) == ("15", "30")  # the defaults, TWS-6.3-4
            assert str(screen.query_one("#label-warn_after_s", Label).render()) == (
                "▲ Orange after (s)"
            )
            red.value = "10"  # before orange: refused, nothing saved
            red.focus()
            await pilot.press("enter")
            await settle(pilot)
            queues = console.app.prefs.queues
            assert (queues.warn_after_s, queues.alert_after_s) == (15.0, 30.0)
            assert not [change for change in saved if "queues" in change]
            messages = [notice.message for notice in console.app._notifications]
            assert "Red (10 s) must come after orange (15 s). The thresholds are unchanged." in (
                messages
            )
            orange.value, red.value = "20", "45"
            await pilot.press("enter")
            await settle(pilot)
            queues = console.app.prefs.queues
            assert (queues.warn_after_s, queues.alert_after_s) == (20.0, 45.0)
            assert {"queues": {"warn_after_s": 20.0, "alert_after_s": 45.0}} in saved
            assert wait_tone(30, queues.warn_after_s, queues.alert_after_s) == "warning"
            await pilot.press("alt+l")  # French, live
            await settle(pilot)
            assert str(screen.query_one("#label-alert_after_s", Label).render()) == (
                "■ Rouge après (s)"
            )
        with pytest.raises(ValueError) as refused:
            wait_thresholds("dix", "30")
        assert str(refused.value) == "'dix' n’est pas un nombre de secondes."
    finally:
        set_language("en")
