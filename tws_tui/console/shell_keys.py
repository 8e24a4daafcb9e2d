"""The console-wide keys that hand their work to one controller (answer, take the oldest
waiting call, presence, forwarding, profiles, language) or open one screen over any other
(the supervision grid's keys, voicemail, help, About), and reconnecting now (Tools) — ``action_*``
methods of the console app.

A mixin of ``TwsApp``, like :mod:`tws_tui.console.call_keys`, kept apart so the app module
stays about the app's lifecycle and wiring; the keymap's action names stay stable for user
keymaps.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from textual.screen import Screen

from tws_tui.console.api import KeyScope
from tws_tui.console.assist_keys import AssistKeyActions
from tws_tui.console.backend_setup import BackendSetup
from tws_tui.console.contact_log_keys import ContactLogKeyActions
from tws_tui.console.sign_in_keys import SignInKeyActions
from tws_tui.platform.i18n import language

if TYPE_CHECKING:
    from tws_tui.console.controllers.answering import Answering
    from tws_tui.console.controllers.event_pump import EventPump
    from tws_tui.console.controllers.forwarding import ForwardingController
    from tws_tui.console.controllers.presence import PresenceController
    from tws_tui.console.controllers.profiles import ProfilesController
    from tws_tui.console.controllers.queue_actions import QueueActions
    from tws_tui.console.controllers.sms import SmsController
    from tws_tui.core.protocols import CallControl
    from tws_tui.settings.prefs import PrefsStore


class _ScreenHost(Protocol):
    """What the screen-opening keys need of the app (Textual's own ``App`` members)."""

    @property
    def screen(self) -> Screen[Any]: ...
    def push_screen(self, screen: Screen[Any]) -> Any: ...
    @property
    def backend(self) -> CallControl | None: ...


log = logging.getLogger(__name__)


class _Restartable(Protocol):
    """What reconnecting needs of the app."""

    backend: CallControl | None

    @property
    def workers(self) -> Any: ...  # Textual's WorkerManager
    def start_backend(self) -> None: ...
    def run_worker(self, work: Any, *, group: str, exit_on_error: bool) -> Any: ...


class _Switchable(Protocol):
    """What switching the backend needs of the app."""

    backend_setup: BackendSetup
    prefs: PrefsStore

    def reconnect(self) -> None: ...


class ShellKeyActions(AssistKeyActions, ContactLogKeyActions, SignInKeyActions):
    """``action_*`` methods of the console-wide keys; the app sets the controllers."""

    answering: Answering
    queue_actions: QueueActions
    presence: PresenceController
    forwarding: ForwardingController
    profiles: ProfilesController
    prefs: PrefsStore
    backend: CallControl | None
    sms: SmsController
    pump: EventPump

    async def action_open_chat_notice(self) -> None:
        """Alt+Shift+M (``chat.open_notice``): the conversation of the last message noticed."""
        await self.pump.chat_notices.open_last()

    async def action_new_sms(self) -> None:
        """Alt+Y: an SMS to the number typed, the selected contact's mobile, or one asked."""
        await self.sms.start()

    def action_answer_ringing(self) -> None:
        self.answering.answer()

    def action_answer_any(self) -> None:
        """F12: answer whatever rings, whatever has the focus."""
        self.answering.answer()

    def action_take_oldest(self) -> None:
        """Alt+O: pick up the call that has waited longest in the queues I show."""
        self.queue_actions.take_oldest()

    def action_pick_presence(self) -> None:
        self.presence.pick()

    def action_toggle_dnd(self) -> None:
        """Alt+Shift+D: do not disturb on/off (Selfcare §4.5-2)."""
        self.presence.toggle_dnd()

    def action_presence_note(self) -> None:
        self.presence.edit_note()

    def action_set_forwarding(self) -> None:
        self.forwarding.open()

    def action_toggle_forwarding(self) -> None:
        """Alt+Shift+F: my forwards off, or the last one back on (never a call's key)."""
        self.forwarding.toggle()

    def action_switch_profile(self) -> None:
        """Alt+U: the profile picker (a digit or first letter picks: two keys in all)."""
        self.profiles.pick()

    def action_toggle_language(self) -> None:
        self.prefs.change("general", language="en" if language() == "fr" else "fr")

    def action_configure_keys(self: _ScreenHost) -> None:
        """Alt+K: the keys of the supervision grid (Webpilot §13), from any screen."""
        from tws_tui.console.screens.keys.key_config import KeyConfigScreen
        from tws_tui.console.screens.keys.key_form import KeyForm

        if not isinstance(self.screen, KeyConfigScreen | KeyForm):
            self.push_screen(KeyConfigScreen())

    def action_open_voicemail(self: _ScreenHost) -> None:
        """Alt+B: my voicemail messages (a sub-view of History), from any screen; when the
        phone system lists none but has a menu to call (``sip``), the view that calls it."""
        from tws_tui.console.screens.history.voicemail import VoicemailScreen
        from tws_tui.console.screens.history.voicemail_phone import VoicemailPhoneScreen

        if isinstance(self.screen, VoicemailScreen | VoicemailPhoneScreen):
            return
        backend = self.backend
        if backend is not None and backend.voicemail is None and backend.voicemail_menu:
            self.push_screen(VoicemailPhoneScreen())
        else:
            self.push_screen(VoicemailScreen())

    def reconnect(self: _Restartable) -> None:
        """Reconnect now (Tools, TWS-6.11-7): the event pump stopped, the backend closed, a
        new one built from the same setup and connected (a fresh snapshot of calls and
        queues; a SIP backend registers again, a CTI one signs in and subscribes again)."""
        self.workers.cancel_group(self, "backend-events")
        old, self.backend = self.backend, None

        async def restart() -> None:
            if old is not None:
                try:
                    await asyncio.wait_for(old.close(), 5)
                except Exception:
                    log.exception("closing the backend failed")
            self.start_backend()

        self.run_worker(restart(), group="backend-restart", exit_on_error=False)

    def switch_backend(self: _Switchable, name: str) -> None:
        """A profile's phone line (TWS-6.10.1-4): backend ``name`` built from its own
        settings (``[backend.NAME]``, its password from the keyring) and connected in place of
        the one in use, as *reconnect now* does (the caller has checked no call is up)."""
        from tws_tui.settings.backend_choice import backend_choice

        _name, options, _setup = backend_choice(
            self.prefs.settings, demo=False, backend=name, seed=None
        )
        self.backend_setup = replace(self.backend_setup, name=name, options=options)
        self.reconnect()

    def action_about(self: _ScreenHost) -> None:
        """Shift+F1: the About page (TWS-1.8-1), from any screen."""
        from tws_tui.console.screens.tools.about_page import AboutScreen

        if not isinstance(self.screen, AboutScreen):
            self.push_screen(AboutScreen())

    def action_help(self: _ScreenHost) -> None:
        from tws_tui.console.screens.modals.help import HelpScreen

        screen = self.screen
        if not isinstance(screen, HelpScreen):
            self.push_screen(HelpScreen(screen.MODE if isinstance(screen, KeyScope) else ""))
