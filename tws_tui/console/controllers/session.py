"""The operator's session at both ends: what the first-run setup screen's choice leaves for the
next run (TWS-1.1-6: the backend and its options in prefs.toml, the password in the OS keyring,
never in prefs.toml), and quitting — asked first, and logging out of the queues I am in."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from tws_tui.console.api import ConsoleApi
from tws_tui.core.model import AgentState
from tws_tui.core.protocols import CallControl
from tws_tui.platform.i18n import _

if TYPE_CHECKING:
    from tws_tui.console.screens.setup import SetupChoice

log = logging.getLogger(__name__)


def remember_login(api: ConsoleApi, choice: SetupChoice) -> None:
    """Keep the backend choice for the next start; a password that cannot be kept is said."""
    api.prefs.remember(
        {
            "backend": {"name": choice.backend, choice.backend: dict(choice.options)},
            "general": {"auto_connect": choice.auto_connect},
        }
    )
    if choice.secret:
        try:
            from tws_tui.platform.secrets import store_secret

            store_secret(choice.backend, choice.options.get("username", ""), choice.secret)
        except Exception as error:
            log.warning("could not store the secret: %s", error)
            api.notify(
                _("Could not remember the password: {error}").format(error=error),
                severity="warning",
                markup=False,
            )


def request_quit(api: ConsoleApi, quit_now: Callable[[], None]) -> None:
    """Quit, asking first (``general.confirm_quit``); always asking while I am logged in to
    queues, which quitting logs me out of (Webpilot §16, end of day)."""
    from tws_tui.console.screens.modals.confirm import ConfirmScreen

    queues = [q.name for q in api.state.queues.values() if q.member]
    if not queues and not api.prefs.general.confirm_quit:
        quit_now()
        return
    if not queues:
        question = _("Quit tws-tui? You will be logged out.")
        api.push_screen(ConfirmScreen(question), lambda yes: quit_now() if yes else None)
        return

    async def log_out_then_quit(backend: CallControl) -> None:
        try:
            await backend.set_agent_state(AgentState.LOGGED_OFF)
        finally:
            quit_now()

    question = _("You are still logged in to {queues}. Quit and log out of these queues?").format(
        queues=", ".join(queues)
    )
    api.push_screen(
        ConfirmScreen(question),
        lambda yes: api.run_command(log_out_then_quit) if yes else None,
    )
