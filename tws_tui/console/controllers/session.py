"""The operator's session at both ends: what the first-run setup screen's choice leaves for the
next run (TWS-1.1-6: the backend and its options in prefs.toml, the password in the OS keyring,
never in prefs.toml), and quitting — asked first, saying what becomes of each call (mine are
ended, parked ones stay parked), and logging out of the queues I am in."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from tws_tui.console.api import ConsoleApi
from tws_tui.core.model import AgentState, CallId, ConnectionState
from tws_tui.core.protocols import CallControl
from tws_tui.core.state import ConsoleState
from tws_tui.domain.format import party_label
from tws_tui.platform.i18n import N_, _

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


def request_quit(api: ConsoleApi, quit_now: Callable[[], None], note: str | None = None) -> None:
    """Quit, asking first (``general.confirm_quit``); always asking while I have calls — each
    listed with what quitting does to it (:func:`calls_at_quit`) — or am logged in to queues,
    which quitting logs me out of (Webpilot §16, end of day). ``note``: a last line of the
    question (in a browser: what closing the tab does to calls)."""
    from tws_tui.console.screens.modals.confirm import ConfirmScreen

    queues = [q.name for q in api.state.queues.values() if q.member]
    lines, to_end = calls_at_quit(api.state)
    if not queues and not lines and not api.prefs.general.confirm_quit:
        quit_now()
        return
    if not queues and not lines:
        question = "\n".join([_("Quit tws-tui? You will be logged out."), *filter(None, [note])])
        api.push_screen(ConfirmScreen(question), lambda yes: quit_now() if yes else None)
        return

    async def end_calls_log_out_then_quit(backend: CallControl) -> None:
        try:
            for call_id in to_end:  # best effort: one that cannot be ended stops nothing
                try:
                    await backend.hangup(call_id)
                except Exception as error:
                    log.warning("could not end call %s on quitting: %s", call_id, error)
            if queues:
                await backend.set_agent_state(AgentState.LOGGED_OFF)
        finally:
            quit_now()

    parts = [_("Quit tws-tui?")] if lines else []
    parts += lines
    if queues:
        parts.append(
            _("You are still logged in to {queues}. Quit and log out of these queues?").format(
                queues=", ".join(queues)
            )
        )
    if note:
        parts.append(note)
    api.push_screen(
        ConfirmScreen("\n".join(parts)),
        lambda yes: api.run_command(end_calls_log_out_then_quit) if yes else None,
    )


def calls_at_quit(state: ConsoleState) -> tuple[list[str], list[CallId]]:
    """One line per call I have or that is parked, saying what quitting does to it, and the
    calls quitting ends. My calls are ended by the console itself, whatever the backend: a
    CTI server would otherwise keep the caller connected on my phone with nobody at the
    console. Parked calls stay on the switch for a colleague to retrieve."""
    fate = {
        ConnectionState.CONNECTED: N_("On the line: {who} — will be hung up."),
        ConnectionState.HOLD: N_("On hold: {who} — will be hung up."),
        ConnectionState.INITIATED: N_("Dialling: {who} — will be hung up."),
        ConnectionState.FAIL: N_("Dialling: {who} — will be hung up."),
        ConnectionState.ALERTING: N_("Ringing: {who} — will be refused."),
    }
    lines: list[str] = []
    to_end: list[CallId] = []
    for call in sorted(state.calls.values(), key=lambda c: c.created_at):
        msgid = fate.get(call.state)
        if msgid is not None:
            lines.append(_(msgid).format(who=party_label(call.remote)))
            to_end.append(call.call_id)
    for lot in state.parking.values():
        for parked in lot.calls:
            lines.append(
                _("Parked in {lot}: {who} — stays parked; a colleague can retrieve it.").format(
                    lot=lot.name, who=party_label(parked.caller)
                )
            )
    return lines, to_end
