"""The keys of assistance requests (issue 15, TWS-4.4) and broadcasts (TWP-4.1): ``action_*``
methods of the console app.

A mixin of ``TwsApp`` (through :class:`~tws_tui.console.shell_keys.ShellKeyActions`), like the
other console-wide keys, so the app module does not grow; the
:class:`~tws_tui.console.controllers.assist.AssistController` is made on the first key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from tws_tui.console.controllers.assist import AssistController

if TYPE_CHECKING:
    from tws_tui.console.api import ConsoleApi


class AssistKeyActions:
    """Ask for help (Alt+Shift+H), "I'm on it" (Alt+Shift+O), cancel mine (Alt+Shift+C),
    broadcast (Alt+Shift+B)."""

    _assist_keys: AssistController | None = None

    def _assist(self) -> AssistController:
        if self._assist_keys is None:
            self._assist_keys = AssistController(cast("ConsoleApi", self))
        return self._assist_keys

    def action_ask_assist(self) -> None:
        self._assist().ask()

    def action_take_assist(self) -> None:
        self._assist().take()

    def action_cancel_assist(self) -> None:
        self._assist().cancel()

    def action_send_broadcast(self) -> None:
        self._assist().broadcast()

    def action_open_assist_log(self) -> None:
        self._assist().open_log()
