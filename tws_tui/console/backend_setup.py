"""``BackendSetup``: which backend the console connects to when none is given ready-made, with
which options, and how it is loaded (the registered entry points, or a test's loader). The app
keeps one; *reconnect now* builds from it again, and a profile's phone line replaces it with
the other backend's (TWS-6.10.1-4)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import field
from typing import Any

from tws_tui.core.protocols import CallControl
from tws_tui.core.values import value_class

BackendLoader = Callable[[str, Mapping[str, Any]], CallControl]


@value_class(slots=False)
class BackendSetup:
    """Which backend to connect to when none is given ready-made, and how to load it."""

    name: str = "sim"
    options: Mapping[str, Any] = field(default_factory=dict)
    loader: BackendLoader | None = None  # None: the registered entry points
