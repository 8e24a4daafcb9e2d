"""``python -m tws_tui``: the same as the ``tws-tui`` command."""

from __future__ import annotations

from tws_tui.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
