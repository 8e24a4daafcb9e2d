"""``[queues] warn_after_s`` and ``alert_after_s`` checked together (TWS-6.3-4): a caller's
waiting time turns orange, then red, so the red threshold must come after the orange one.
Each is checked alone by the schema (1 to 3600 seconds); when red does not come after orange,
one problem says so and both defaults are used (Preferences checks them before saving, so this
is a config.toml written by hand)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tws_tui.settings.problems import WAIT_RED_NOT_AFTER_ORANGE, ConfigProblem
from tws_tui.settings.schema import QueueSettings, Settings


def check_wait_thresholds(settings: Settings, file: Path) -> tuple[Settings, list[ConfigProblem]]:
    """``settings`` as usable, and the problem when the thresholds had to be reset."""
    queues = settings.queues
    if queues.alert_after_s > queues.warn_after_s:
        return settings, []
    default = QueueSettings()
    problem = ConfigProblem(
        file,
        "queues.alert_after_s",
        WAIT_RED_NOT_AFTER_ORANGE,
        {
            "value": f"{queues.alert_after_s:g}",
            "warn": f"{queues.warn_after_s:g}",
            "default_warn": f"{default.warn_after_s:g}",
            "default_alert": f"{default.alert_after_s:g}",
        },
    )
    reset = replace(queues, warn_after_s=default.warn_after_s, alert_after_s=default.alert_after_s)
    return replace(settings, queues=reset), [problem]
