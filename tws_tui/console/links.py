"""Opening a link outside the console: a CRM record (WPL-7-5), an e-mail address (TWS-2.5.2-2).

The link is always copied to the terminal's clipboard (OSC 52, which also crosses SSH). On the
desktop it is also handed to the system's opener (``webbrowser``: the browser, or the mail
client for ``mailto:``), in a thread so a slow opener never freezes the screen; over SSH there
is no desktop to open it on, so it is only copied and shown.
"""

from __future__ import annotations

import webbrowser
from typing import Any

from textual.app import App

from tws_tui.platform.file_opener import over_ssh

__all__ = ["open_link", "over_ssh"]


def open_link(app: App[Any], url: str) -> bool:
    """Copy ``url`` and, unless over SSH, open it; whether it was handed to the opener."""
    app.copy_to_clipboard(url)
    if over_ssh():
        return False
    app.run_worker(lambda: webbrowser.open(url), thread=True, group="links", exit_on_error=False)
    return True
