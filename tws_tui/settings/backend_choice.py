"""Which backend a run connects to, with which options (config, ``--demo``, ``--backend``).

Shared by the console and ``tws-tui wallboard``; Textual-free.
"""

from __future__ import annotations

from typing import Any

from tws_tui.settings.schema import Settings


def backend_choice(
    settings: Settings, *, demo: bool, backend: str | None, seed: int | None
) -> tuple[str, dict[str, Any], bool]:
    """Which backend to start, with which options, and whether to show the setup screen first.

    ``--demo`` and ``--backend`` connect at once; otherwise the setup screen (the TWS login
    window) is shown unless automatic connection is on (TWS-1.1-7).
    """
    name = "sim" if demo else (backend or settings.backend.name)
    options = {k: v for k, v in settings.backend_options(name).items() if v != ""}
    if seed is not None:
        options["seed"] = seed
    if name != "sim" and options.get("username"):
        from tws_tui.platform.secrets import get_secret

        password = get_secret(name, str(options["username"]))
        if password:
            options["password"] = password
    setup = not (demo or backend or settings.general.auto_connect)
    return name, options, setup
