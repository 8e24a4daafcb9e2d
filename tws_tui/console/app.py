"""``TwsApp``: the console shell — modes, event pump, command runner, alerts, keymap, language.

What it owns:

* one **event pump** worker that connects the backend, applies every event to
  :class:`~tws_tui.core.state.ConsoleState` and publishes the changed topics on
  ``state_signal`` (coalesced: a burst of events costs one refresh);
* one **command runner** (:meth:`TwsApp.run_command`) that awaits a backend call in a worker
  and turns typed errors into a notification — never a traceback;
* the **ringing-call alert** on every screen: banner, terminal bell, desktop notification, and
  Enter answers from anywhere;
* the keymap (stable ids from :mod:`tws_tui.domain.keymap`, user overrides), language switching, the
  presence picker, quitting with confirmation, and the first-run setup screen.

Widgets never talk to the backend: they read ``app.state`` and call ``app`` methods.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import field, replace
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.message import Message
from textual.signal import Signal

from tws_tui.backends import BackendConfigError
from tws_tui.backends import load as load_backend
from tws_tui.console import terminal_keys
from tws_tui.console.bindings import bindings_for
from tws_tui.console.commands import TwsCommands
from tws_tui.console.controllers.call_actions import CallActions
from tws_tui.console.controllers.idle_away import IdleAway
from tws_tui.console.controllers.incoming import IncomingCalls
from tws_tui.console.controllers.interception import Interceptions
from tws_tui.console.screens.contacts.contacts import ContactsScreen
from tws_tui.console.stylesheet import ReusingStylesheet
from tws_tui.console.textual_private import ResilientApp
from tws_tui.core.clock import Clock, SystemClock
from tws_tui.core.errors import BackendTimeout, CallControlError
from tws_tui.core.events import (
    Event,
    HistoryEvent,
    LinkEvent,
    LinkStatus,
    SnapshotEvent,
)
from tws_tui.core.model import (
    AgentState,
    Call,
    Contact,
    HistoryEntry,
    PresenceState,
    QueuedCall,
)
from tws_tui.core.protocols import CallControl
from tws_tui.core.state import RECENT_HISTORY, ConsoleState
from tws_tui.core.topics import ALL_TOPICS, Topic, Topics
from tws_tui.core.values import value_class
from tws_tui.domain.alerting import became_available
from tws_tui.domain.caller_id import CallerIds
from tws_tui.domain.format import describe_error
from tws_tui.domain.keymap import effective_keys, validate_keymap
from tws_tui.domain.notifications import notices_allowed
from tws_tui.domain.phone_keys import PhoneKey, keys_of
from tws_tui.domain.presence_since import PresenceSince
from tws_tui.journal import CallJournal, JournalRecorder, JournalUnavailable
from tws_tui.platform.i18n import _, language, on_language_change, set_language
from tws_tui.settings.backend_choice import backend_choice
from tws_tui.settings.config import AlertSettings, ContactSettings, QueueSettings

if TYPE_CHECKING:
    from textual.screen import Screen

    from tws_tui.console.screens.setup import SetupChoice
    from tws_tui.contacts.directories import Directories
    from tws_tui.contacts.sharing import ListSharing
    from tws_tui.contacts.store import ContactList
    from tws_tui.settings.config import ConfigProblem, Settings

    ListsWithContacts = tuple[tuple[ContactList, tuple[Contact, ...]], ...]

log = logging.getLogger(__name__)

COMMAND_TIMEOUT_S = 10.0
TOAST_POSITIONS = ("bottom-right", "top-right", "bottom-left", "top-left")
MAX_RECONNECT_DELAY_S = 30.0
WARM_CONTACTS_AFTER_S = 0.5  # after the first frames, not competing with them

PrefsWriter = Callable[[Mapping[str, Any]], None]
BackendLoader = Callable[[str, Mapping[str, Any]], CallControl]


def _lazy_screen(module: str, name: str) -> Callable[[], Screen[Any]]:
    """A mode factory that imports its screen on first use: start-up pays only for the first."""

    def make() -> Screen[Any]:
        from importlib import import_module

        screen: Screen[Any] = getattr(import_module(f"tws_tui.console.screens.{module}"), name)()
        return screen

    return make


@value_class(slots=False)
class UiOptions:
    """What the UI needs from the settings (built by :func:`run_app` from config + prefs)."""

    theme: str = "textual-dark"
    bell: bool = True
    desktop_notifications: bool = True
    clock_24h: bool = True
    cursor_blink: bool = True
    animations: bool = True
    confirm_quit: bool = True
    keymap: Mapping[str, str] = field(default_factory=dict)
    toast_position: str = "bottom-right"  # TWS-6.6-5


class StateChanged(Message):
    """Some topics of ``app.state`` changed; the newest replaces an unhandled older one."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, StateChanged)


class TwsApp(CallActions, ResilientApp[int]):
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
        ui: UiOptions | None = None,
        clock: Clock | None = None,
        backend: CallControl | None = None,
        backend_name: str = "sim",
        backend_options: Mapping[str, Any] | None = None,
        backend_loader: BackendLoader | None = None,
        problems: list[str] | None = None,
        setup: bool = False,
        setup_defaults: SetupChoice | None = None,
        alerts: AlertSettings | None = None,
        queues: QueueSettings | None = None,
        contacts: ContactSettings | None = None,
        journal: CallJournal | None = None,
        voicemail_number: str = "",
        save_prefs: PrefsWriter | None = None,
        files: Mapping[str, str] | None = None,
    ) -> None:
        terminal_keys.install()
        super().__init__()
        self.ui = ui or UiOptions()
        self.clock: Clock = clock or SystemClock()
        self.backend = backend
        self.backend_name = backend_name
        self.backend_options = dict(backend_options or {})
        self._load_backend = backend_loader
        self.problems = list(problems or [])
        self._needs_setup = setup
        self._setup_defaults = setup_defaults
        self._save_prefs = save_prefs
        self._files = dict(files or {})
        self.state = ConsoleState()
        self.state_signal: Signal[Topics] = Signal(self, "state")
        self.language_signal: Signal[str] = Signal(self, "language")
        self._pending_topics: set[Topic] = set()
        alerts = alerts or AlertSettings()
        self.voicemail_number = voicemail_number  # what Alt+V dials
        self.queue_settings = queues or QueueSettings()  # thresholds, hidden and ordered queues
        self.contact_settings = contacts or ContactSettings()  # the supervised colleagues
        self.incoming = IncomingCalls(self, alerts)
        self.interceptions = Interceptions(self)  # TWS-2.4.2-5
        self.presence_since = PresenceSince(self.clock.now)  # the business card's "since"
        self.list_sharing: ListSharing | None = None  # my public lists on the phone system
        self.idle_away = IdleAway(self)  # TWS-6.6-7
        self._presence: PresenceState | None = None  # to notice Busy → Available
        self._directories: Directories | None = None  # made on first use (SQLite, index)
        # The colleagues of the supervised contact lists (TWS-2.4.2-5), read off the UI loop.
        self.supervised_from_lists: tuple[str, ...] = ()
        # The lists shown on the home screen (TWS-2.4.2-3) with their contacts, read likewise.
        self.home_lists: tuple[tuple[ContactList, tuple[Contact, ...]], ...] = ()
        # Names from the directories; a queue caller's arrives later and redraws the board.
        # Names from the directories; a queue caller's arrives later and redraws the board.
        self.callers = CallerIds(self.directories, on_found=lambda: self._changed({Topic.QUEUES}))
        # The local call journal (SQLite in the data dir): every call, with its comments.
        self.journal: CallJournal | None = journal if journal is not None else CallJournal()
        self.recorder: JournalRecorder | None = JournalRecorder(self.journal, self.clock)
        self._ringing = False  # whether Enter (answer) is live
        self.keymap_keys = effective_keys({})
        self._unsubscribe_language: Callable[[], None] = lambda: None  # set on mount
        if not self.ui.animations:
            self.animation_level = "none"
        # Seeded without watchers: the stylesheet is parsed once, with this theme (R8).
        if self.ui.theme in self.available_themes:
            self.set_reactive(App.theme, self.ui.theme)
        else:
            self.problems.append(
                _("ui.theme: unknown theme {theme!r}; using {default!r}").format(
                    theme=self.ui.theme, default=self.theme
                )
            )
        # Built again now that the theme is known; nothing has been read into it yet.
        self.stylesheet = ReusingStylesheet(variables=self.get_css_variables())

    # ---- start and stop ----------------------------------------------------------------

    def app_key_display(self, action_id: str) -> str:
        """The first key of an action, as shown to the user ("alt+1" → "Alt+1")."""
        first = self.keymap_keys.get(action_id, "").split(",")[0]
        return "+".join(
            part.upper() if len(part) == 1 else part.capitalize() for part in first.split("+")
        )

    @property
    def deflect_target(self) -> str:
        """Where Alt+D and the alerter's Deflect send a ringing call: ``alerts.deflect_to``,
        else my voicemail (the default choice, TWS-3.8-1), else nowhere (``""``)."""
        return self.incoming.alerts.deflect_to or self.voicemail_number

    @property
    def clock_24h(self) -> bool:
        return self.ui.clock_24h

    def on_load(self) -> None:
        """Start connecting before the first frame is composed."""
        if not self._needs_setup:
            self.start_backend()

    async def on_event(self, event: events.Event) -> None:
        """Every key and click counts as activity (TWS-6.6-7: back from the idle Away)."""
        if isinstance(event, events.Key | events.MouseDown):
            self.idle_away.activity()
        await super().on_event(event)

    def _apply_toast_position(self) -> None:
        """TWS-6.6-5: the notices' corner, a class of the app the stylesheet follows."""
        for position in TOAST_POSITIONS[1:]:  # the first is Textual's own
            self.set_class(position == self.ui.toast_position, f"-toasts-{position}")

    def on_mount(self) -> None:
        self._apply_toast_position()
        valid, keymap_problems = validate_keymap(self.ui.keymap)
        self.problems.extend(keymap_problems)
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
        if self._needs_setup:
            from tws_tui.console.screens.setup import SetupScreen

            self.push_screen(SetupScreen(previous=self._setup_defaults), self._on_setup_done)

    async def on_unmount(self) -> None:
        self.incoming.close()
        self.idle_away.close()
        self._unsubscribe_language()
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

    # ---- backend and events ------------------------------------------------------------

    def start_backend(self) -> None:
        """Connect (or reconnect) and pump events; a restart replaces the running pump."""
        self.run_worker(
            self._run_pump(), group="backend-events", exclusive=True, exit_on_error=False
        )

    def _make_backend(self) -> CallControl:
        """Build the configured backend; a bad name or option raises ``BackendConfigError``."""
        if self._load_backend is not None:
            return self._load_backend(self.backend_name, self.backend_options)
        return load_backend(self.backend_name, self.backend_options)

    @property
    def directories_made(self) -> Directories | None:
        """The directories if already made (asking opens nothing)."""
        return self._directories

    def directories(self) -> Directories | None:
        """Every directory as one: the backend's and the local contacts (``Directories``),
        made on first use, as the local SQLite file and its index are no start-up work.
        None before a backend is connected."""
        if self.backend is None:
            return None
        if self._directories is None:
            from tws_tui.contacts.directories import Directories
            from tws_tui.contacts.store import ContactStore

            # The index of 100 000 contacts is a million long-lived objects: frozen once
            # built, so that no full garbage collection walks them again (a 30-150 ms pause
            # in the middle of typing otherwise). The one it replaces is freed by its
            # reference counts (no cycles).
            self._directories = Directories(
                ContactStore(), self.backend.directory, on_index_built=gc.freeze
            )
        self._directories.backend = self.backend.directory  # it may have reconnected
        return self._directories

    def _warm_contacts(self) -> None:
        """Load the local contacts and build their index in the background, soon after
        start, so that the first letter typed is answered at once (100 000 contacts take
        about a second to load); read the contact lists (supervised, on the home screen)."""
        directories = self.directories()
        if directories is not None:
            # The coroutine functions, not coroutines: one never started (the console quit
            # first) is then not left un-awaited.
            self.run_worker(directories.local_index, group="contacts-index", exit_on_error=False)
            self.refresh_list_supervision()  # the lists' tiles and home-screen lists

    def refresh_list_supervision(self) -> None:
        """Read the contact lists again, in a thread: which colleagues the supervised ones
        hold (the supervision tiles show them beside ``[contacts] supervised``) and the lists
        shown on the home screen with their contacts (``home_lists``)."""
        self.run_worker(
            self._read_list_supervision,
            group="list-supervision",
            exclusive=True,
            exit_on_error=False,
        )

    async def _read_list_supervision(self) -> None:
        from tws_tui.contacts.store import ContactStoreError

        directories = self.directories()
        store = directories.store if directories is not None else None
        if store is None:
            return

        backend = self.backend
        sharing = backend is not None and backend.shared_lists is not None

        def read() -> tuple[tuple[str, ...], ListsWithContacts, ListsWithContacts]:
            devices: list[str] = []
            home: list[tuple[ContactList, tuple[Contact, ...]]] = []
            public: list[tuple[ContactList, tuple[Contact, ...]]] = []
            for contact_list in store.lists():
                shared = contact_list.public and sharing  # only read when it is published
                if not (contact_list.supervised or contact_list.visible or shared):
                    continue
                contacts = tuple(store.list_contacts(contact_list.id))
                if contact_list.supervised:
                    devices += [c.device_id for c in contacts if c.device_id]
                if contact_list.visible:
                    home.append((contact_list, contacts))
                if shared:
                    public.append((contact_list, contacts))
            return tuple(dict.fromkeys(devices)), tuple(home), tuple(public)

        try:
            supervised, home, public = await asyncio.to_thread(read)
        except ContactStoreError as error:
            log.warning("supervised contact lists left out: %s", error)
            return
        if (supervised, home) != (self.supervised_from_lists, self.home_lists):
            self.supervised_from_lists, self.home_lists = supervised, home
            self._changed({Topic.DEVICES})
        await self._share_public_lists(public)

    async def _share_public_lists(self, public: ListsWithContacts) -> None:
        """My public lists, on the phone system for the other users (TWS-2.4.5-1)."""
        from tws_tui.contacts.sharing import ListSharing

        backend = self.backend
        shared_lists = backend.shared_lists if backend is not None else None
        if shared_lists is None:
            return
        if self.list_sharing is None:
            self.list_sharing = ListSharing()
        try:
            await self.list_sharing.sync(shared_lists, public)
        except CallControlError as error:
            log.warning("public lists not shared: %s", error)
            self.notify(
                _("Your public lists could not be shared: {error}").format(
                    error=describe_error(error)
                ),
                severity="warning",
                markup=False,
            )

    def _changed(self, topics: Collection[Topic]) -> None:
        self._pending_topics.update(topics)
        self.post_message(StateChanged())

    def _set_link(self, status: LinkStatus, detail: str = "") -> None:
        self._changed(
            self.state.apply(LinkEvent(at=self.clock.now(), status=status, detail=detail))
        )

    async def _run_pump(self) -> None:
        delay = 1.0
        while True:
            try:
                if self.backend is None:
                    self.backend = self._make_backend()
                self._set_link(LinkStatus.CONNECTING)
                snapshot = await self.backend.connect()
                self.state.load(snapshot)
                self._journal(SnapshotEvent(at=self.clock.now(), snapshot=snapshot))
                self._load_journal_history()
                self._changed(ALL_TOPICS)
                self.list_sharing = None  # the (maybe new) system is asked what it holds
                self.call_after_refresh(self.refresh_list_supervision)  # not before the frame
                self.set_timer(WARM_CONTACTS_AFTER_S, self._warm_contacts)
                self.idle_away.arm()
                delay = 1.0
                async for event in self.backend.events():
                    event = await self.callers.identify(event)
                    topics = self.state.apply(event)
                    for entry in self._journal(event):
                        if self.backend.history is None:  # the journal is the history then
                            topics |= self.state.apply(HistoryEvent(at=event.at, entry=entry))
                    self.incoming.observe(event)
                    if topics:
                        self._changed(topics)
                return
            except BackendConfigError as error:  # a bad backend name or option: back to setup
                from tws_tui.console.screens.setup import SetupScreen

                log.warning("backend %s refused its options: %s", self.backend_name, error)
                self._set_link(LinkStatus.OFFLINE, str(error))
                self.push_screen(SetupScreen(error=str(error)), self._on_setup_done)
                return
            except (CallControlError, OSError) as error:
                log.warning("backend link lost: %s", error)
                self._set_link(LinkStatus.RECONNECTING, str(error))
            except Exception as error:
                log.exception("backend failed")
                self._set_link(LinkStatus.RECONNECTING, str(error) or type(error).__name__)
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_RECONNECT_DELAY_S)

    # ---- the local call journal ---------------------------------------------------------

    def _journal(self, event: Event) -> list[HistoryEntry]:
        """Journal what ``event`` completes; an unusable journal is reported once, then dropped."""
        if self.recorder is None:
            return []
        try:
            return self.recorder.observe_all(event)
        except JournalUnavailable as error:
            self._drop_journal(error)
            return []

    def _drop_journal(self, error: JournalUnavailable) -> None:
        log.warning("%s", error)
        self.notify(str(error), severity="warning", timeout=15, markup=False)
        self.recorder = self.journal = None

    def _load_journal_history(self) -> None:
        """When the backend keeps no history, the journal's recent calls are the history."""
        if self.backend is None or self.backend.history is not None or self.journal is None:
            return
        try:
            for entry in reversed(self.journal.entries(limit=RECENT_HISTORY)):
                self.state.apply(HistoryEvent(at=entry.start, entry=entry))
            self.state.missed_calls = self.journal.missed_unseen()
        except JournalUnavailable as error:
            self._drop_journal(error)

    def comment_on(self, call: Call, text: str) -> bool:
        """Store a comment typed during ``call`` with its journal entry; False if refused."""
        if self.recorder is None:
            self.notify(_("No call journal: the comment was not saved."), severity="warning")
            return False
        try:
            self.recorder.comment(call, text)
        except ValueError as error:
            self.notify(str(error), severity="warning", markup=False)
            return False
        except JournalUnavailable as error:
            self._drop_journal(error)
            return False
        self.notify(_("Comment saved."))
        return True

    def on_state_changed(self, _message: StateChanged) -> None:
        topics = frozenset(self._pending_topics)
        self._pending_topics.clear()
        if not topics:
            return
        if Topic.ME in topics and self.state.me is not None:
            presence, self._presence = self._presence, self.state.me.presence
            if became_available(presence, self._presence):
                self.incoming.presence_became_available()
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

    # ---- commands ----------------------------------------------------------------------

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

        self.run_worker(job, group="commands", exit_on_error=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer_ringing":
            return True if self.backend and self.state.ringing_calls() else None
        if action == "focus_dial":  # "/" stays a character where there is no dial bar
            bar = self.dial_bar()
            typing = bar is not None and any(field.has_focus for field in bar.query("Input"))
            return True if bar is not None and not typing else None
        return True

    def action_answer_ringing(self) -> None:
        ringing = self.state.ringing_calls()
        if ringing:
            call_id = ringing[0].call_id
            self.run_command(lambda backend: backend.answer(call_id))

    def switch_mode(self, mode: str) -> AwaitComplete:
        """Leaving the screen closes the incoming-call pop-up (ignore): the banner keeps ringing."""
        from tws_tui.console.screens.modals.alerter import AlerterScreen

        if isinstance(self.screen, AlerterScreen):
            self.screen.dismiss()
        return super().switch_mode(mode)

    def action_configure_keys(self) -> None:
        """Alt+K: the keys of the supervision grid (Webpilot §13), from any screen."""
        from tws_tui.console.screens.keys.key_config import KeyConfigScreen
        from tws_tui.console.screens.keys.key_form import KeyForm

        if not isinstance(self.screen, KeyConfigScreen | KeyForm):
            self.push_screen(KeyConfigScreen())

    def action_help(self) -> None:
        from tws_tui.console.screens.modals.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_request_quit(self) -> None:
        """Quit, asking first (``general.confirm_quit``); always asking while I am logged in to
        queues, which quitting logs me out of (Webpilot §16, end of day)."""
        from tws_tui.console.screens.modals.confirm import ConfirmScreen

        queues = [q.name for q in self.state.queues.values() if q.member]
        if not queues and not self.ui.confirm_quit:
            self.exit(0)
            return
        if not queues:
            question = _("Quit tws-tui? You will be logged out.")
            self.push_screen(ConfirmScreen(question), lambda yes: self.exit(0) if yes else None)
            return

        async def log_out_then_quit(backend: CallControl) -> None:
            try:
                await backend.set_agent_state(AgentState.LOGGED_OFF)
            finally:
                self.exit(0)

        question = _(
            "You are still logged in to {queues}. Quit and log out of these queues?"
        ).format(queues=", ".join(queues))
        self.push_screen(
            ConfirmScreen(question),
            lambda yes: self.run_command(log_out_then_quit) if yes else None,
        )

    # ---- queues ------------------------------------------------------------------------

    def pick_up_queued(self, call: QueuedCall) -> None:
        """Take a waiting call (TWS-3.1.3-3); a call already taken says so (AlreadyTaken)."""
        queue_id, call_id = call.queue.id, call.call_id
        self.run_command(lambda backend: backend.answer_queued(queue_id, call_id))

    def action_take_oldest(self) -> None:
        """Alt+O: pick up the call that has waited longest in the queues I show."""
        hidden = self.queue_settings.hidden
        waiting = [
            call
            for queue in self.state.queues.values()
            if queue.id not in hidden
            for call in queue.waiting
        ]
        if not waiting:
            self.notify(_("Nobody is waiting."), severity="warning")
            return
        self.pick_up_queued(min(waiting, key=lambda call: call.queued_at))

    def toggle_agent_pause(self) -> None:
        """Pause (with one of the backend's reasons, when it has some) or resume (WPL-14.1-2)."""
        from tws_tui.console.screens.modals.choice import ChoiceScreen

        me = self.state.me
        if me is None or me.agent is AgentState.LOGGED_OFF:
            self.notify(_("Log in to a queue first (l)."), severity="warning")
            return
        if me.agent is AgentState.NOT_READY:
            self.run_command(lambda backend: backend.set_agent_state(AgentState.READY))
            return
        reasons = self.state.pause_reasons

        def pause(reason: str | None) -> None:
            if reason is not None or not reasons:
                self.run_command(
                    lambda backend: backend.set_agent_state(AgentState.NOT_READY, reason)
                )

        if not reasons:
            pause(None)
            return
        options = [(reason, reason) for reason in reasons]
        self.push_screen(ChoiceScreen(_("Pause: why?"), options), pause)

    def action_pick_presence(self) -> None:
        from tws_tui.console.screens.modals.presence import PresenceChoice, PresencePicker

        if isinstance(self.screen, PresencePicker):
            return
        me = self.state.me
        current = PresenceChoice.AVAILABLE
        if me is not None:
            current = PresenceChoice.DND if me.dnd else PresenceChoice(me.presence.value)
        self.push_screen(PresencePicker(current), self._set_presence)

    def _set_presence(self, picked: str | None) -> None:
        from tws_tui.console.screens.modals.presence import PresenceChoice

        if picked is None:
            return
        choice = PresenceChoice(picked)
        if choice is PresenceChoice.DND:
            self.run_command(lambda backend: backend.set_dnd(True))
            return
        state = PresenceState(choice.value)
        dnd_on = self.state.me is not None and self.state.me.dnd

        async def apply(backend: CallControl) -> None:
            if dnd_on:
                await backend.set_dnd(False)
            await backend.set_presence(state)

        self.run_command(apply)

    def action_toggle_language(self) -> None:
        self.change_language("en" if language() == "fr" else "fr")

    # ---- preferences -------------------------------------------------------------------

    def change_language(self, code: str) -> None:
        set_language(code)
        self._persist({"general": {"language": code}})

    def change_ui(self, **changes: Any) -> None:
        self.ui = replace(self.ui, **changes)
        if "theme" in changes:
            self._apply_theme(self.ui.theme)
        if "toast_position" in changes:
            self._apply_toast_position()
        self._persist({"ui": changes})

    def change_queues(self, **changes: Any) -> None:
        """Apply new ``[queues]`` values now and keep them in prefs.toml."""
        self.queue_settings = replace(self.queue_settings, **changes)
        self._persist_section("queues", changes)
        self._changed({Topic.QUEUES})

    def change_contacts(self, **changes: Any) -> None:
        """Apply new ``[contacts]`` values now and keep them in prefs.toml."""
        self.contact_settings = replace(self.contact_settings, **changes)
        saved = dict(changes)
        if "keys" in saved:
            saved["keys"] = [key.to_toml() for key in changes["keys"]]
        self._persist_section("contacts", saved)
        if "away_after_min" in changes:
            self.idle_away.arm()
        self._changed({Topic.DEVICES})

    @property
    def phone_keys(self) -> tuple[PhoneKey, ...]:
        """The keys of the supervision grid (Webpilot §13), the older ``supervised`` included."""
        return keys_of(self.contact_settings)

    def set_phone_keys(self, keys: tuple[PhoneKey, ...]) -> None:
        """Keep this key list; the older ``supervised`` list, now part of it, is emptied."""
        self.change_contacts(keys=tuple(keys), supervised=())

    def notice(self, message: str, **kwargs: Any) -> None:
        """A notice the console raises on its own (not the answer to a key): shown only while
        my presence is one of ``[contacts] show_notices_when`` (TWS-6.6-8). Incoming-call
        alerts (banner, pop-up, bell) never come here: they always ring."""
        me = self.state.me
        if me is not None and not notices_allowed(
            me.presence, self.contact_settings.show_notices_when
        ):
            log.info("notice held back while %s: %s", me.presence, message)
            return
        self.notify(message, **kwargs)

    def _persist_section(self, section: str, changes: Mapping[str, Any]) -> None:
        """Keep ``changes`` of one section in prefs.toml (TOML has lists, not tuples)."""
        self._persist(
            {section: {k: list(v) if isinstance(v, tuple) else v for k, v in changes.items()}}
        )

    def change_alerts(self, **changes: Any) -> None:
        """Apply new ``[alerts]`` values now and keep them in prefs.toml."""
        alerts = replace(self.incoming.alerts, **changes)
        self.incoming.alerts = alerts
        self.incoming.callback.enabled = alerts.callback_offer
        self._persist({"alerts": changes})

    def _apply_theme(self, theme: str) -> None:
        try:
            self.theme = theme
        except Exception:
            self.problems.append(
                _("ui.theme: unknown theme {theme!r}; using {default!r}").format(
                    theme=theme, default=self.theme
                )
            )

    def _persist(self, changes: Mapping[str, Any]) -> None:
        if self._save_prefs is None:
            return
        try:
            self._save_prefs(changes)
        except OSError as error:
            self.notify(
                _("Could not save preferences: {error}").format(error=error),
                severity="error",
                markup=False,
            )

    def describe_files(self) -> str:
        return "\n".join(f"{label}: {path}" for label, path in self._files.items())

    def mark_history_seen(self) -> None:
        if not self.state.missed_calls:
            return
        self.state.mark_history_seen()
        self._changed({Topic.HISTORY})
        backend = self.backend
        history = backend.history if backend is not None else None
        history = history if history is not None else self.journal
        if history is not None:
            source = history
            self.run_command(lambda _backend: source.mark_seen())

    # ---- first run ---------------------------------------------------------------------

    def _on_setup_done(self, choice: SetupChoice | None) -> None:
        if choice is None:
            return
        if choice.language != language():
            self.change_language(choice.language)
        self.backend_name = choice.backend
        self.backend_options = {**self.backend_options, **choice.options}
        if choice.secret:
            self.backend_options["password"] = choice.secret
        if choice.remember:
            self._remember(choice)
        self.backend = None
        self.start_backend()

    def _remember(self, choice: SetupChoice) -> None:
        self._persist(
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
                self.notify(
                    _("Could not remember the password: {error}").format(error=error),
                    severity="warning",
                    markup=False,
                )


def ui_options(settings: Settings) -> UiOptions:
    """The UI part of the settings."""
    ui = settings.ui
    return UiOptions(
        theme=ui.theme,
        bell=ui.bell,
        desktop_notifications=ui.desktop_notifications,
        clock_24h=ui.clock_24h,
        cursor_blink=ui.cursor_blink,
        animations=ui.animations,
        confirm_quit=settings.general.confirm_quit,
        keymap=dict(settings.keymap),
        toast_position=ui.toast_position,
    )


def setup_defaults(settings: Settings, name: str, options: Mapping[str, Any]) -> SetupChoice:
    """What the setup screen shows pre-filled (TWS-1.1-6: remembered login)."""
    from tws_tui.console.screens.setup import SetupChoice

    return SetupChoice(
        backend=name,
        options={k: str(v) for k, v in options.items() if k != "password"},
        remember=settings.general.remember_login,
        auto_connect=settings.general.auto_connect,
        language=language(),
    )


def run_app(
    settings: Settings,
    problems: list[ConfigProblem],
    *,
    demo: bool = False,
    backend: str | None = None,
    seed: int | None = None,
) -> int:
    """Start the console; returns the process exit code."""
    from tws_tui.platform import paths
    from tws_tui.platform.i18n import detect_language
    from tws_tui.settings.config import save_prefs

    set_language(detect_language(settings.general.language))
    name, options, setup = backend_choice(settings, demo=demo, backend=backend, seed=seed)
    app = TwsApp(
        ui=ui_options(settings),
        backend_name=name,
        backend_options=options,
        problems=[str(problem) for problem in problems],
        setup=setup,
        setup_defaults=setup_defaults(settings, name, options) if setup else None,
        alerts=settings.alerts,
        queues=settings.queues,
        contacts=settings.contacts,
        voicemail_number=settings.general.voicemail_number,
        save_prefs=save_prefs,
        files={"config.toml": str(paths.config_file()), "prefs.toml": str(paths.prefs_file())},
    )
    # Everything alive now (modules, classes, settings, the app) lives as long as the process.
    # Frozen, the garbage collector stops walking it on every full collection: about 11 ms
    # off the first frame on a small machine (bench/startup.py), and shorter pauses later.
    gc.freeze()
    app.run()
    return int(app.return_code or 0)
