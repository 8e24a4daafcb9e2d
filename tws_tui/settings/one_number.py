"""``[profiles] one_number`` checked against the backends it switches between (issue 17,
TWS-6.10.1-4): a profile's phone line is the softphone (``sip``) or the desk phone (``cti``), so
both must be set up — ``[backend.sip]`` with its ``server`` and ``username``, ``[backend.cti]``
with its ``url`` and ``username``. Otherwise one problem says what is missing and the setting
is off (no profile then offers a line)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tws_tui.settings.problems import ONE_NUMBER_UNUSABLE, ConfigProblem
from tws_tui.settings.schema import Settings

#: What each backend needs to be usable as a profile's line.
NEEDED = {"sip": ("server", "username"), "cti": ("url", "username")}


def missing_for_one_number(settings: Settings) -> list[str]:
    """The dotted keys left empty that a line switch needs."""
    return [
        f"backend.{name}.{key}"
        for name, keys in NEEDED.items()
        for key in keys
        if not str(settings.backend_options(name).get(key, "")).strip()
    ]


def check_one_number(settings: Settings, file: Path) -> tuple[Settings, list[ConfigProblem]]:
    """``settings`` as usable, and the problem when ``one_number`` had to be turned off."""
    if not settings.profiles.one_number:
        return settings, []
    missing = missing_for_one_number(settings)
    if not missing:
        return settings, []
    problem = ConfigProblem(
        file, "profiles.one_number", ONE_NUMBER_UNUSABLE, {"missing": ", ".join(missing)}
    )
    off = replace(settings, profiles=replace(settings.profiles, one_number=False))
    return off, [problem]
