"""Sign in to another phone system without quitting (Webpilot §12.7, "switch application";
the console's backends are its applications): ``action_sign_in_again`` of the console app.

The key (``app.sign_in``) opens the sign-in screen filled in with the backend in use and its
options (the password typed again); Esc there goes back to the console with nothing changed.
Signing in closes the backend in use and connects the one chosen, the way the sign-in at start
does (remembered, automatic connection and language as ticked); another backend than the one in
use starts from its own ``[backend.NAME]`` options (``config.toml``), as a profile's phone line
does, not from the one left's. Refused in words while a call
is up: closing the line would cut it.

A mixin of ``TwsApp`` (through :class:`~tws_tui.console.shell_keys.ShellKeyActions`), so the
app module does not grow.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from tws_tui.platform.i18n import _
from tws_tui.settings.backend_choice import backend_choice

if TYPE_CHECKING:
    from textual.screen import Screen

    from tws_tui.console.backend_setup import BackendSetup
    from tws_tui.console.screens.setup import SetupChoice
    from tws_tui.core.protocols import CallControl
    from tws_tui.core.state import ConsoleState
    from tws_tui.settings.prefs import PrefsStore

log = logging.getLogger(__name__)


class _SignInHost(Protocol):
    """What signing in again needs of the app."""

    backend: CallControl | None
    backend_setup: BackendSetup
    prefs: PrefsStore

    @property
    def state(self) -> ConsoleState: ...
    @property
    def screen(self) -> Screen[Any]: ...
    @property
    def workers(self) -> Any: ...  # Textual's WorkerManager
    def push_screen(self, screen: Screen[Any], callback: Any = None) -> Any: ...
    def notify(self, message: str, **kwargs: Any) -> None: ...
    def run_worker(self, work: Any, **kwargs: Any) -> Any: ...
    def _on_setup_done(self, choice: SetupChoice | None) -> None: ...


class SignInKeyActions:
    """Alt+Shift+S: the sign-in screen over the console, to another phone system."""

    def action_sign_in_again(self: _SignInHost) -> None:
        from tws_tui.console.screens.setup import SetupScreen, setup_defaults

        if isinstance(self.screen, SetupScreen):
            return
        if self.state.calls:
            self.notify(
                _("Not while a call is up: signing in elsewhere would cut it. Hang up first."),
                severity="warning",
                markup=False,
            )
            return
        name, options = self.backend_setup.name, self.backend_setup.options
        shown = setup_defaults(self.prefs.settings, name, options)
        host = self

        def signed_in(choice: SetupChoice | None) -> None:
            if choice is None:  # Esc: nothing changed
                return
            host.workers.cancel_group(host, "backend-events")
            old, host.backend = host.backend, None

            async def switch() -> None:
                if old is not None:
                    try:
                        await asyncio.wait_for(old.close(), 5)
                    except Exception:
                        log.exception("closing the backend failed")
                if choice.backend != host.backend_setup.name:  # its own configured options
                    settings = host.prefs.settings
                    _name, options, _setup = backend_choice(
                        settings, demo=False, backend=choice.backend, seed=None
                    )
                    host.backend_setup = replace(
                        host.backend_setup, name=choice.backend, options=options
                    )
                host._on_setup_done(choice)

            host.run_worker(switch(), group="backend-restart", exit_on_error=False)

        self.push_screen(SetupScreen(previous=shown, cancellable=True), signed_in)
