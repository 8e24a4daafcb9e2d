"""``TwsApp``: the console shell — modes, bindings, lifecycle and the wiring of the controllers.

What it owns:

* the modes (screens imported on first use), the app-wide key bindings (stable ids from
  :mod:`tws_tui.domain.keymap`, user overrides) and the command palette;
* the wiring: the :class:`~tws_tui.console.controllers.event_pump.EventPump` feeding
  ``ConsoleState``, the controllers (call keys, incoming calls, interceptions, idle Away,
  presence, forwarding, queue actions, list supervision, the local journal, the browser tab's
  notice, the desk), and its reactions to the :class:`~tws_tui.settings.prefs.PrefsStore` (theme,
  notices' corner, language, idle time);
* the **command runner** (:meth:`TwsApp.run_command`): a backend call awaited in a worker,
  typed errors turned into a notification — never a traceback;
* coalescing state changes into one ``state_signal`` publication per burst;
* start and stop: first-run setup, connecting, quitting with confirmation.

It is the :class:`~tws_tui.console.api.ConsoleApi` of the screens, widgets and controllers; none of
them imports this module.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Awaitable, Callable, Collection, Coroutine, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App
from textual.filter import LineFilter, Monochrome
from textual.message import Message
from textual.signal import Signal
from textual.widget import AwaitMount
from textual.worker import WorkType

from tws_tui.backends import BackendConfigError
from tws_tui.backends import load as load_backend
from tws_tui.console import terminal_keys
from tws_tui.console.api import ConsoleApi, DialContext
from tws_tui.console.backend_setup import BackendSetup
from tws_tui.console.bindings import bindings_for
from tws_tui.console.call_keys import CallKeyActions
from tws_tui.console.commands import TwsCommands
from tws_tui.console.controllers.answering import Answering
from tws_tui.console.controllers.browser_tab import BrowserTab
from tws_tui.console.controllers.call_actions import CallController
from tws_tui.console.controllers.carddav_sync import CardDavSync
from tws_tui.console.controllers.chat_outbox import ChatOutbox
from tws_tui.console.controllers.desk import DeskServer
from tws_tui.console.controllers.directory_access import DirectoryAccess
from tws_tui.console.controllers.event_pump import EventPump
from tws_tui.console.controllers.forwarding import ForwardingController
from tws_tui.console.controllers.idle_away import IdleAway
from tws_tui.console.controllers.incoming import IncomingCalls
from tws_tui.console.controllers.interception import Interceptions
from tws_tui.console.controllers.list_supervision import ListSupervision
from tws_tui.console.controllers.local_journal import LocalJournal
from tws_tui.console.controllers.presence import PresenceController
from tws_tui.console.controllers.profiles import ProfilesController
from tws_tui.console.controllers.public_contacts import PublicContacts
from tws_tui.console.controllers.queue_actions import QueueActions
from tws_tui.console.controllers.session import remember_login, request_quit
from tws_tui.console.controllers.slips import SlipController
from tws_tui.console.controllers.sms import SmsController
from tws_tui.console.no_color import ReadableMonochrome
from tws_tui.console.screens.audio.volumes import apply_volumes, choose_devices
from tws_tui.console.screens.contacts.contacts import ContactsScreen
from tws_tui.console.shell_keys import ShellKeyActions
from tws_tui.console.start_up import open_start_screen, with_access_themes
from tws_tui.console.stylesheet import ReusingStylesheet
from tws_tui.console.textual_private import (
    ResilientApp,
    keep_latest_notifications,
    write_to_terminal,
)
from tws_tui.core.clock import Clock, SystemClock
from tws_tui.core.errors import BackendTimeout, CallControlError
from tws_tui.core.model import Capability, Contact
from tws_tui.core.protocols import CallControl
from tws_tui.core.state import ConsoleState
from tws_tui.core.topics import Topic, Topics
from tws_tui.domain.caller_id import CallerIds
from tws_tui.domain.format import describe_error, error_text
from tws_tui.domain.keymap import effective_keys, keymap_problem_text, validate_keymap
from tws_tui.domain.keys_help import key_label
from tws_tui.domain.notifications import NOTICES_SHOWN, notice_text, notices_allowed
from tws_tui.domain.presence_since import PresenceSince
from tws_tui.journal import CallJournal
from tws_tui.platform.i18n import _, labelled, language, on_language_change, set_language
from tws_tui.platform.voice_player import AudioOutput, open_output
from tws_tui.settings.backend_choice import backend_choice
from tws_tui.settings.prefs import PrefsChange, PrefsStore

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel
    from textual.screen import Screen

    from tws_tui.console.screens.setup import SetupChoice
    from tws_tui.contacts.directories import Directories
    from tws_tui.contacts.search import SearchIndex
    from tws_tui.settings.problems import ConfigProblem
    from tws_tui.settings.schema import Settings

log = logging.getLogger(__name__)

COMMAND_TIMEOUT_S = 10.0
TOAST_POSITIONS = ("bottom-right", "top-right", "bottom-left", "top-left")
WARM_CONTACTS_AFTER_S = 0.5  # after the first frames, not competing with them


def _lazy_screen(module: str, name: str) -> Callable[[], Screen[Any]]:
    """A mode factory that imports its screen on first use: start-up pays only for the first."""

    def make() -> Screen[Any]:
        from importlib import import_module

        screen: Screen[Any] = getattr(import_module(f"tws_tui.console.screens.{module}"), name)()
        return screen

    return make


class StateChanged(Message):
    """Some topics of ``app.state`` changed; the newest replaces an unhandled older one."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, StateChanged)


class TwsApp(CallKeyActions, ShellKeyActions, ResilientApp[int]):
    CSS_PATH = "app.tcss"
    TITLE = "tws-tui"
    MODES: ClassVar = {
        "contacts": ContactsScreen,
        "call": _lazy_screen("call_remote", "CallRemoteScreen"),
        "queues": _lazy_screen("queues.queues", "QueuesScreen"),
        "chat": _lazy_screen("chat", "ChatScreen"),
        "history": _lazy_screen("history", "HistoryScreen"),
        "prefs": _lazy_screen("preferences", "PreferencesScreen"),
    }
    DEFAULT_MODE = "contacts"
    BINDINGS: ClassVar = bindings_for("app")
    COMMANDS: ClassVar = App.COMMANDS | {TwsCommands}

    def __init__(
        self,
        *,
        prefs: PrefsStore | None = None,
        clock: Clock | None = None,
        backend: CallControl | None = None,
        connect: BackendSetup | None = None,
        journal: CallJournal | None = None,
        files: Mapping[str, str] | None = None,
        problems: list[str] | None = None,
        setup: bool | SetupChoice = False,
    ) -> None:
        """``backend`` ready-made, else ``connect`` says which to load; ``setup`` shows the
        first-run screen first (pre-filled with a ``SetupChoice``)."""
        terminal_keys.install()
        super().__init__()
        self.prefs = prefs if prefs is not None else PrefsStore()
        self.clock: Clock = clock or SystemClock()
        self.backend = backend
        self.backend_setup = connect if connect is not None else BackendSetup()
        self._files = dict(files or {})
        self.problems = list(problems or [])
        self._setup = setup
        self.state = ConsoleState()
        self.state_signal: Signal[Topics] = Signal(self, "state")
        self.language_signal: Signal[str] = Signal(self, "language")
        self._pending_topics: set[Topic] = set()
        self.keymap_keys: Mapping[str, str] = effective_keys({})
        self._ringing = False  # whether Enter (answer) is live
        self.answering = Answering(self)
        self._directories = DirectoryAccess(self)
        self.carddav = CardDavSync(self, self._directories.carddav_book)
        self.presence_since = PresenceSince(self.clock.now)  # the business card's "since"
        self.audio_output: Callable[[], AudioOutput] = open_output  # tests: a recording double
        #: Where ringtones and sound previews play: Preferences → Audio's ringer.
        self.ring_output: Callable[[], AudioOutput] = lambda: open_output(
            self.prefs.audio.ring_device or None
        )
        # Names from the directories; a queue caller's arrives later and redraws the board.
        self.callers = CallerIds(
            self.directories, on_found=lambda: self.topics_changed({Topic.QUEUES})
        )
        api: ConsoleApi = self
        self.incoming = IncomingCalls(api)
        self.interceptions = Interceptions(api)  # TWS-2.4.2-5
        self.idle_away = IdleAway(api)  # TWS-6.6-7
        self.profiles = ProfilesController(api)  # issue 17: applied once I am known
        self.presence = PresenceController(
            api, self.incoming.presence_became_available, self.profiles
        )
        self.forwarding = ForwardingController(api)
        self.queue_actions = QueueActions(api)
        self.lists = ListSupervision(api)
        self.public_contacts = PublicContacts(api)  # local ones offered to the phone system
        self.local_journal = LocalJournal(api, journal if journal is not None else CallJournal())
        self.chat_outbox = ChatOutbox(  # messages typed while the link is down
            api, lambda: self.local_journal.journal, self.local_journal.search_account
        )
        self.calls = CallController(api, self.interceptions)
        self.slips = SlipController(api, self.calls)  # "take a message" (Alt+T)
        self.sms = SmsController(api)  # a new SMS (Alt+Y)
        self.desk = DeskServer(api, self.calls)  # tws-tui dial, events, status
        self.browser_tab = BrowserTab(
            api, in_browser=lambda: self.is_web, backend=lambda: self.backend_setup.name
        )
        self.pump = EventPump(
            api,
            make_backend=self._make_backend,
            journal=self.local_journal,
            incoming=self.incoming,
            on_connected=self._connected,
            on_config_error=self._backend_refused,
            observers=(self.desk.observe, self.chat_outbox.observe),
        )
        self._unsubscribe_language: Callable[[], None] = lambda: None  # set on mount
        self._unsubscribe_prefs = self.prefs.subscribe(self._prefs_changed)
        ui = self.prefs.ui
        if not ui.animations:
            self.animation_level = "none"
        # Seeded without watchers: the stylesheet is parsed once, with this theme (R8).
        if ui.theme in with_access_themes(self):  # + high contrast, monochrome (issue 17)
            self.set_reactive(App.theme, ui.theme)
        else:
            self._theme_problem(ui.theme)
        # Built again now that the theme is known; nothing has been read into it yet.
        self.stylesheet = ReusingStylesheet(variables=self.get_css_variables())

    # ---- the console API ---------------------------------------------------------------

    def app_key_display(self, action_id: str) -> str:
        """The first key of an action, as the keyboard shows it in the user's language
        ("alt+1" → "Alt+1", "enter" → "Entrée" in French)."""
        return key_label(self.keymap_keys.get(action_id, "").split(",")[0])

    def can(self, capability: Capability) -> bool:
        """Whether the connected backend offers ``capability`` at all."""
        return self.backend is not None and capability in self.backend.capabilities

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notice, short (``notice_text``), and only the newest few on screen: notices
        never cover the status bar or the ringing banner. A cut message is shown as plain text
        (a cut could fall inside a markup tag)."""
        text = notice_text(message)
        super().notify(
            text, title=title, severity=severity, timeout=timeout, markup=markup and text == message
        )
        # After the notice is added (a message, as ``notify`` is): both go through the queue.
        self.call_later(keep_latest_notifications, self, NOTICES_SHOWN)

    def notice(self, message: str, **kwargs: Any) -> None:
        """A notice the console raises on its own (not the answer to a key): shown only while
        my presence is one of ``[contacts] show_notices_when`` (TWS-6.6-8). Incoming-call
        alerts (banner, pop-up, bell) never come here: they always ring."""
        me = self.state.me
        if me is not None and not notices_allowed(
            me.presence, self.prefs.contacts.show_notices_when
        ):
            log.info("notice held back while %s: %s", me.presence, message)
            return
        self.notify(message, **kwargs)

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, with ``NO_COLOR``'s greys made readable (console/no_color.py)."""
        return [
            self._readable_monochrome if isinstance(f, Monochrome) else f
            for f in super().get_line_filters()
        ]

    _readable_monochrome = ReadableMonochrome()

    def is_focused(self) -> bool:
        return self.app_focus

    def ring_bell(self) -> None:
        self.bell()

    def write_to_terminal(self, sequence: str) -> None:
        """Escape sequences of our own (a desktop notification) straight to the terminal."""
        write_to_terminal(self, sequence)

    def run_background(
        self, work: Callable[[], Coroutine[None, None, None]], *, group: str
    ) -> None:
        """Run ``work`` in a worker of ``group``, replacing one still running; errors logged."""
        job: WorkType[None] = work
        self.run_worker(job, group=group, exclusive=True, exit_on_error=False)

    def describe_files(self) -> str:
        return "\n".join(labelled(label, str(path)) for label, path in self._files.items())

    @property
    def directories_made(self) -> Directories | None:
        """The directories if already made (asking opens nothing)."""
        return self._directories.made

    def directories(self) -> Directories | None:
        """Every directory as one (``Directories``), made on first use; None before a backend
        is connected."""
        return self._directories.get()

    async def directory(self, term: str, limit: int) -> list[Contact]:
        """Matches in every directory, for the dial bar and the Contacts screen."""
        return await self._directories.search(term, limit)

    def run_command(self, command: Callable[[CallControl], Awaitable[object]]) -> None:
        """Run ``command(backend)`` in a worker; errors become a notification."""
        backend = self.backend
        if backend is None:
            self.notify(_("Not connected to a phone system."), severity="warning")
            return

        async def job() -> None:
            try:
                await asyncio.wait_for(command(backend), COMMAND_TIMEOUT_S)
            except TimeoutError:
                self.notify(describe_error(BackendTimeout()), severity="error")
            except CallControlError as error:
                self.notify(describe_error(error), severity="error", markup=False)
            except Exception as error:
                log.exception("command failed")
                self.notify(
                    _("Unexpected error: {error}. Details are in the log file.").format(
                        error=error
                    ),
                    severity="error",
                    markup=False,
                )

        work: WorkType[None] = job
        self.run_worker(work, group="commands", exit_on_error=False)

    # ---- start and stop ----------------------------------------------------------------

    def on_load(self) -> None:
        """Start connecting before the first frame is composed."""
        if self._setup is False:
            self.start_backend()

    async def on_event(self, event: events.Event) -> None:
        """Every key and click counts as activity (TWS-6.6-7: back from the idle Away)."""
        if isinstance(event, events.Key | events.MouseDown):
            self.idle_away.activity()
        await super().on_event(event)

    def on_mount(self) -> None:
        self._apply_toast_position()
        open_start_screen(self, self.prefs.general.start_screen)  # before the sign-in screen
        self.desk.start()
        valid, keymap_problems = validate_keymap(self.prefs.keymap)
        self.problems.extend(keymap_problem_text(problem) for problem in keymap_problems)
        self.set_keymap(valid)
        self.keymap_keys = effective_keys(valid)
        self._unsubscribe_language = on_language_change(self.language_signal.publish)
        if self.problems:
            self.notify(
                "\n".join(self.problems),
                title=_("Configuration problems (defaults used)"),
                severity="warning",
                timeout=30,
                markup=False,
            )
        if self._setup is not False:
            from tws_tui.console.screens.setup import SetupScreen

            previous = None if self._setup is True else self._setup
            self.push_screen(SetupScreen(previous=previous), self._on_setup_done)

    async def on_unmount(self) -> None:
        self.incoming.close()
        self.idle_away.close()
        self.desk.close()
        self.carddav.close()
        self.profiles.close()
        self._unsubscribe_language()
        self._unsubscribe_prefs()
        if self.backend is not None:
            try:
                await asyncio.wait_for(self.backend.close(), 5)
            except Exception:
                log.exception("closing the backend failed")

    def report_handler_error(self, error: Exception) -> None:
        """A bug in a handler is logged and shown as one line; the console keeps running."""
        log.error("unhandled error", exc_info=error)
        self.notify(
            _("Internal error: {error}. Details are in the log file.").format(error=error),
            severity="error",
            markup=False,
        )

    def start_backend(self) -> None:
        """Connect (or reconnect) and pump events; a restart replaces the running pump."""
        self.run_worker(
            self.pump.run(), group="backend-events", exclusive=True, exit_on_error=False
        )

    @property
    def backend_name(self) -> str:
        return self.backend_setup.name

    def _make_backend(self) -> CallControl:
        """Build the configured backend; a bad name or option raises ``BackendConfigError``."""
        loader = self.backend_setup.loader or load_backend
        backend = loader(self.backend_setup.name, self.backend_setup.options)
        choose_devices(backend, self.prefs.audio)  # sip: Preferences → Audio's devices
        return backend

    def _connected(self) -> None:
        apply_volumes(self)  # sip: the operator's speaker and microphone volumes
        self.lists.reconnected()
        self.call_after_refresh(self.lists.refresh)  # not before the frame
        self.set_timer(WARM_CONTACTS_AFTER_S, self._warm_contacts)
        self.idle_away.arm()
        self.carddav.arm()
        self.browser_tab.connected()  # in a browser: what closing the tab does to calls
        self.public_contacts.connected()
        self.chat_outbox.connected()

    def _backend_refused(self, error: BackendConfigError) -> None:
        """Back to the sign-in screen with the reason, the backend and what was given kept
        (a wrong password is typed again, not the server's address and the user name)."""
        from tws_tui.console.screens.setup import SetupScreen, setup_defaults

        tried = setup_defaults(
            self.prefs.settings, self.backend_setup.name, self.backend_setup.options
        )
        self.push_screen(SetupScreen(error=error_text(error), previous=tried), self._on_setup_done)

    def _warm_contacts(self) -> None:
        """Load the local contacts and build their index in the background, soon after
        start, so that the first letter typed is answered at once (100 000 contacts take
        about a second to load); read the contact lists (supervised, on the home screen)."""
        directories = self.directories()
        if directories is not None:
            # The coroutine functions, not coroutines: one never started (the console quit
            # first) is then not left un-awaited.
            index: WorkType[SearchIndex | None] = directories.local_index
            self.run_worker(index, group="contacts-index", exit_on_error=False)
            self.lists.refresh()  # the lists' tiles and home-screen lists

    def _on_setup_done(self, choice: SetupChoice | None) -> None:
        if choice is None:
            return
        if choice.language != language():
            self.prefs.change("general", language=choice.language)
        options = {**self.backend_setup.options, **choice.options}
        if choice.secret:
            options["password"] = choice.secret
        self.backend_setup = BackendSetup(choice.backend, options, self.backend_setup.loader)
        if choice.remember:
            remember_login(self, choice)
        self.backend = None
        self.start_backend()

    # ---- state changes and preference changes ------------------------------------------

    def topics_changed(self, topics: Collection[Topic]) -> None:
        """Some topics changed: one refresh for a burst of them."""
        self._pending_topics.update(topics)
        self.post_message(StateChanged())

    def on_state_changed(self, _message: StateChanged) -> None:
        topics = frozenset(self._pending_topics)
        self._pending_topics.clear()
        if not topics:
            return
        if Topic.ME in topics:
            self.presence.me_changed()
        self.profiles.state_changed(topics)
        if Topic.DEVICES in topics:
            self.presence_since.devices_changed(self.state.devices)
            self.interceptions.devices_changed()
        if Topic.CALLS in topics:
            self.incoming.calls_changed()
            ringing = bool(self.state.ringing_calls())
            if ringing != self._ringing:  # the key bar is redrawn only when Enter turns on/off
                self._ringing = ringing
                self.refresh_bindings()
        self.state_signal.publish(topics)

    def _prefs_changed(self, change: PrefsChange) -> None:
        if change.problem is not None:
            self.notify(
                _("Could not save preferences: {error}").format(error=change.problem),
                severity="error",
                markup=False,
            )
        changes = change.changes
        if "language" in changes.get("general", {}):
            set_language(self.prefs.general.language)
        if "theme" in changes.get("ui", {}):
            try:
                self.theme = self.prefs.ui.theme
            except Exception:
                self._theme_problem(self.prefs.ui.theme)
        if "toast_position" in changes.get("ui", {}):
            self._apply_toast_position()
        if "queues" in change.sections:
            self.topics_changed({Topic.QUEUES})
        if "contacts" in change.sections:
            if "away_after_min" in changes["contacts"]:
                self.idle_away.arm()
            self.topics_changed({Topic.DEVICES})

    def _theme_problem(self, theme: str) -> None:
        self.problems.append(
            _("ui.theme: unknown theme {theme!r}; using {default!r}").format(
                theme=theme, default=self.theme
            )
        )

    def _apply_toast_position(self) -> None:
        """TWS-6.6-5: the notices' corner, a class of the app the stylesheet follows."""
        for position in TOAST_POSITIONS[1:]:  # the first is Textual's own
            self.set_class(position == self.prefs.ui.toast_position, f"-toasts-{position}")

    # ---- keys --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer_ringing":  # Enter: only where Enter means nothing else
            if not self.answering.something_rings():
                return None  # dimmed in the key bar, Enter left to the screen
            return not self.answering.enter_has_meaning()  # hidden when Enter is taken
        if action == "answer_any":  # F12: live (and shown) only while something rings
            return self.answering.something_rings()
        if action == "focus_dial":  # "/" stays a character where there is no dial bar
            screen = self.screen
            bar = screen.dial if isinstance(screen, DialContext) else None
            return True if bar is not None and not bar.is_typing else None
        return True

    def switch_mode(self, mode: str) -> AwaitMount:
        """Leaving the screen closes the incoming-call pop-up (ignore): the banner keeps ringing."""
        from tws_tui.console.screens.modals.alerter import AlerterScreen

        if isinstance(self.screen, AlerterScreen):
            self.screen.dismiss()
        return super().switch_mode(mode)

    def action_request_quit(self) -> None:
        request_quit(self, lambda: self.exit(0), self.browser_tab.quit_note())


def run_app(
    settings: Settings,
    problems: list[ConfigProblem],
    *,
    demo: bool = False,
    backend: str | None = None,
    seed: int | None = None,
) -> int:
    """Start the console; returns the process exit code. The language is the one the CLI
    settled (``--lang`` first, then the settings): not set again here."""
    from tws_tui.platform import paths
    from tws_tui.settings.prefs_file import save_prefs

    name, options, setup = backend_choice(settings, demo=demo, backend=backend, seed=seed)
    first_run: SetupChoice | bool = False
    if setup:  # the first-run screen, pre-filled (TWS-1.1-6: remembered login)
        from tws_tui.console.screens.setup import setup_defaults

        first_run = setup_defaults(settings, name, options)
    app = TwsApp(
        prefs=PrefsStore(settings, save_prefs),
        connect=BackendSetup(name, options),
        problems=[str(problem) for problem in problems],
        setup=first_run,
        files={"config.toml": str(paths.config_file()), "prefs.toml": str(paths.prefs_file())},
    )
    # Everything alive now (modules, classes, settings, the app) lives as long as the process.
    # Frozen, the garbage collector stops walking it on every full collection: about 11 ms
    # off the first frame on a small machine (bench/startup.py), and shorter pauses later.
    gc.freeze()
    app.run()
    return int(app.return_code or 0)
