"""What screens, widgets and controllers may ask of the console, and what they may read off a
screen — as typed, runtime-checkable protocols.

* :class:`ConsoleApi` is the app as the rest of ``console/`` sees it: the state and its
  signals, the clock, the prefs store, the command runner, notices, directories, capabilities,
  key display and the controllers screens call. Nothing below the app names ``TwsApp``; a
  widget gets the API with :func:`console_api` (one checked place, no ``type: ignore``).
* The screen contexts (:class:`CallContext`, :class:`DialContext`, :class:`TargetContext`,
  :class:`DeviceContext`, :class:`KeyScope`, :class:`EnterContext`) are what a controller
  reads off the current screen (the selected call, the dial bar, the selected contact or
  colleague, the keymap scope, whether Enter means something there): a screen offers one by
  having the member, a controller asks with ``isinstance``.

This is the lowest layer of ``console/``: it imports no screen, widget, controller or the app.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Coroutine, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, cast, runtime_checkable
from weakref import WeakSet

from tws_tui.core.model import (
    Call,
    CallId,
    Capability,
    ChatMessage,
    Contact,
    DeviceId,
    QueuedCall,
    UserId,
)
from tws_tui.core.values import value_class

if TYPE_CHECKING:
    from datetime import datetime

    from textual.app import App
    from textual.dom import DOMNode
    from textual.notifications import SeverityLevel
    from textual.screen import Screen
    from textual.signal import Signal

    from tws_tui.contacts.carddav import CardDavBook
    from tws_tui.contacts.directories import Directories
    from tws_tui.contacts.store import ContactList
    from tws_tui.core.clock import Clock
    from tws_tui.core.model import HistoryEntry
    from tws_tui.core.protocols import CallControl
    from tws_tui.core.state import ConsoleState
    from tws_tui.core.topics import Topic, Topics
    from tws_tui.domain.caller_id import CallerIds
    from tws_tui.domain.presence_since import PresenceSince
    from tws_tui.domain.profiles import Profile, Rule, Verdict
    from tws_tui.journal.chat_outbox import PendingMessage
    from tws_tui.journal.comments import CommentedCall
    from tws_tui.journal.listing import Listing
    from tws_tui.journal.private_notes import PrivateNote
    from tws_tui.journal.statistics import Figures, StatsQuery
    from tws_tui.journal.store import Row
    from tws_tui.platform.voice_player import AudioOutput
    from tws_tui.settings.prefs import PrefsStore
    from tws_tui.settings.profiles_file import ProfileBook

Command = Callable[["CallControl"], Awaitable[object]]


@value_class(slots=False)
class DialTarget:
    """Where an F-key action goes: a number to dial and how to show it."""

    destination: str
    label: str
    device_id: DeviceId | None = None


# ---- what controllers read off the current screen ------------------------------------------


@runtime_checkable
class DialPad(Protocol):
    """The dial bar as the call keys use it."""

    @property
    def text(self) -> str: ...
    @property
    def is_typing(self) -> bool: ...
    def target(self) -> DialTarget | None: ...
    def clear(self) -> None: ...
    def focus_input(self) -> None: ...


@runtime_checkable
class DialContext(Protocol):
    """A screen with a dial bar (every mode screen; dialogs have none)."""

    @property
    def dial(self) -> DialPad: ...


@runtime_checkable
class CallContext(Protocol):
    """A screen where a call is selected (the Calls screen's cards)."""

    @property
    def selected_call_id(self) -> CallId | None: ...


@runtime_checkable
class EnterContext(Protocol):
    """A screen where Enter may mean something of its own (retrieve the parked call, take the
    selected waiting caller, edit the contact): then Enter does that, not answer."""

    def enter_has_meaning(self) -> bool: ...


@runtime_checkable
class TargetContext(Protocol):
    """A screen where a destination is selected (a contact, a colleague's tile)."""

    def selected_target(self) -> DialTarget | None: ...


@runtime_checkable
class DeviceContext(Protocol):
    """A screen where a colleague's phone is selected."""

    @property
    def selected_device_id(self) -> str | None: ...


@runtime_checkable
class ContactContext(Protocol):
    """A screen where a contact is selected (Contacts: a search result or a colleague)."""

    def selected_contact(self) -> Contact | None: ...


@runtime_checkable
class KeyScope(Protocol):
    """A screen with keys of its own: its scope in the keymap (help, command palette)."""

    MODE: ClassVar[str]


# ---- the controllers screens call ----------------------------------------------------------


class CallKeys(Protocol):
    """The call actions screens and widgets call besides the keys."""

    @property
    def deflect_target(self) -> str: ...
    @property
    def voicemail_number(self) -> str: ...
    def send_dtmf(self, digits: str) -> None: ...
    def voicemail(self) -> None: ...
    def pick_presented_number(self, *, default: bool = False) -> None: ...
    @property
    def presented_next(self) -> str | None:
        """The company number chosen for my next call only, None when none is."""
        ...


class QueueKeys(Protocol):
    """The queue actions of the Queues screen (pick up, pause)."""

    def pick_up_queued(self, call: QueuedCall) -> None: ...
    def toggle_agent_pause(self) -> None: ...


class ListSupervisionView(Protocol):
    """The contact lists as the console shows them: supervised colleagues, home-screen lists."""

    @property
    def supervised(self) -> tuple[str, ...]: ...
    @property
    def home_lists(self) -> tuple[tuple[ContactList, tuple[Contact, ...]], ...]: ...
    def refresh(self) -> None: ...


class JournalKeys(Protocol):
    """The local call journal: comments on a call, missed calls seen, what History reads and
    changes (each in the journal's thread; None or False when it failed, already said)."""

    def comment_on(self, call: Call, text: str) -> None: ...
    def mark_history_seen(self) -> None: ...
    async def changes(self) -> tuple[int, int] | None: ...
    async def lines(self, limit: int | None = None) -> list[Row] | None: ...
    async def listing(
        self, lines: list[Row], companies: Mapping[str, str], country: str
    ) -> Listing: ...
    async def detail(
        self, call_id: str
    ) -> tuple[HistoryEntry, list[tuple[int, datetime, str]]] | None: ...
    async def save_comment(self, call_id: str, comment_id: int | None, text: str) -> bool: ...
    async def delete(self, call_ids: list[str]) -> int | None: ...
    async def delete_comment(self, comment_id: int) -> bool: ...
    async def commented_calls(self) -> list[CommentedCall] | None: ...
    async def find_shared_comments(self, text: str) -> bool: ...
    async def delete_all(self) -> int | None: ...
    async def statistics(self, query: StatsQuery) -> Figures | None: ...
    async def search_chat(self, typed: str) -> list[ChatMessage] | None: ...
    async def chat_around(self, message: ChatMessage) -> list[ChatMessage]: ...
    async def kept_file(self, file_id: str) -> bytes | None: ...
    async def private_notes(self, about: str) -> list[PrivateNote] | None: ...
    async def add_private_note(self, about: str, text: str) -> bool: ...
    async def delete_private_note(self, note_id: int) -> bool: ...


class ChatOutboxView(Protocol):
    """My chat messages not sent yet (the link was down), and sending through it."""

    def waiting_for(self, peer: UserId) -> list[PendingMessage]: ...
    async def send(
        self, backend: CallControl, peer: UserId, text: str, reply_to: ChatMessage | None = None
    ) -> None: ...
    def retry(self, peer: UserId) -> int: ...


class ProfilesView(Protocol):
    """My profiles as the status bar and the Profiles page use them (issue 17)."""

    book: ProfileBook

    @property
    def offered(self) -> bool: ...
    def status_name(self) -> str: ...
    def verdict(self, profile: Profile, caller: str | None = None) -> Verdict: ...
    def check(self, rule: Rule) -> Rule: ...
    def save(self, book: ProfileBook) -> bool: ...
    def activate(self, key: str | None) -> None: ...
    def calendar_changed(self) -> None: ...
    def deflect_extension(self) -> str: ...


class CardDavView(Protocol):
    """The CardDAV address book as the console syncs it (None: no ``[carddav] url``)."""

    def book(self) -> CardDavBook | None: ...
    def sync_now(self) -> None: ...
    @property
    def running(self) -> bool: ...


# ---- the console ---------------------------------------------------------------------------


@runtime_checkable
class ConsoleApi(Protocol):
    """The app as screens, widgets and controllers see it."""

    state: ConsoleState  # what screens render from (the reducer of backend events)
    state_signal: Signal[Topics]  # the topics changed, once per burst of events
    language_signal: Signal[str]  # the new language code
    clock: Clock
    prefs: PrefsStore  # every user-changeable setting, read and changed here
    backend: CallControl | None  # None before the first connection
    keymap_keys: Mapping[str, str]
    callers: CallerIds
    presence_since: PresenceSince
    #: The sound card a voicemail message plays on (``AudioUnavailable`` when there is none).
    audio_output: Callable[[], AudioOutput]
    #: The ringer (Preferences → Audio): ringtones and the Sound library's previews.
    ring_output: Callable[[], AudioOutput]

    @property
    def calls(self) -> CallKeys: ...
    @property
    def queue_actions(self) -> QueueKeys: ...
    @property
    def lists(self) -> ListSupervisionView: ...
    @property
    def local_journal(self) -> JournalKeys: ...
    @property
    def carddav(self) -> CardDavView: ...
    @property
    def chat_outbox(self) -> ChatOutboxView: ...
    @property
    def profiles(self) -> ProfilesView: ...
    @property
    def screen(self) -> Screen[object]: ...
    @property
    def is_headless(self) -> bool: ...
    @property
    def directories_made(self) -> Directories | None: ...
    @property
    def backend_name(self) -> str: ...

    def run_command(self, command: Command) -> None: ...
    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...
    def notice(self, message: str, **kwargs: Any) -> None: ...
    def push_screen(self, screen: Screen[Any], callback: Any = None) -> Any: ...
    def switch_mode(self, mode: str) -> Any: ...
    def can(self, capability: Capability) -> bool: ...
    def app_key_display(self, action_id: str) -> str: ...
    def directories(self) -> Directories | None: ...
    async def directory(self, term: str, limit: int) -> list[Contact]: ...
    def describe_files(self) -> str: ...
    def is_focused(self) -> bool: ...
    def ring_bell(self) -> None: ...
    def copy_to_clipboard(self, text: str) -> None: ...
    def write_to_terminal(self, sequence: str) -> None: ...
    def run_background(
        self, work: Callable[[], Coroutine[None, None, None]], *, group: str
    ) -> None: ...
    def topics_changed(self, topics: Collection[Topic]) -> None: ...
    def reconnect(self) -> None:
        """Reconnect now (TWS-6.11-7): the backend closed, built again and connected."""
        ...

    def switch_backend(self, name: str) -> None:
        """Close the backend in use and connect backend ``name`` with its settings (a
        profile's phone line, TWS-6.10.1-4)."""
        ...


_CHECKED: WeakSet[App[Any]] = WeakSet()


def console_api(node: DOMNode) -> ConsoleApi:
    """The console API of ``node``'s app (checked once per app)."""
    app = node.app
    if app not in _CHECKED:
        if not isinstance(app, ConsoleApi):
            raise TypeError(f"{type(app).__name__} does not offer the console API")
        _CHECKED.add(app)
    return cast(ConsoleApi, app)
