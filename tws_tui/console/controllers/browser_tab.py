"""Browser mode in the console: what closing the tab does to live calls, said on screen.

The console runs in a browser when textual-serve started it (``tws-tui web``): Textual's web
driver is then in use (``App.is_web``). There, :class:`BrowserTab` shows, once per backend
connected, a notice saying what closing the tab does to the calls of that backend
(:func:`~tws_tui.domain.browser_tab.closing_tab_text`), and gives the same line to the quit
confirmation. In a terminal it says nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from tws_tui.console.api import ConsoleApi
from tws_tui.domain.browser_tab import closing_tab_text
from tws_tui.platform.i18n import _

NOTICE_S = 20.0


class BrowserTab:
    def __init__(
        self, api: ConsoleApi, *, in_browser: Callable[[], bool], backend: Callable[[], str]
    ) -> None:
        self._api = api
        self._in_browser = in_browser
        self._backend = backend
        self._said_for: str | None = None

    def connected(self) -> None:
        """A backend is connected: in a browser, say what closing the tab does (once for it)."""
        name = self._backend()
        if not self._in_browser() or name == self._said_for:
            return
        self._said_for = name
        self._api.notify(
            closing_tab_text(name), title=_("Browser mode"), timeout=NOTICE_S, markup=False
        )

    def quit_note(self) -> str | None:
        """The quit confirmation's line in a browser; None in a terminal."""
        return closing_tab_text(self._backend()) if self._in_browser() else None
