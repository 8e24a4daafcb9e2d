"""The settings' shape: one dataclass per section of config.toml / prefs.toml, with defaults.

Owns what each setting is: its name, type, default and, next to it in the field's metadata
(:func:`rule`), what values it accepts (a :class:`~tws_tui.core.options.Rule`: kind, range,
choices). A field without a rule accepts its default's type. :mod:`.validation` reads these
declarations and nothing else, so adding a setting is adding a field here and a line to
``config.example.toml``. The options of ``[backend.NAME]`` are declared by each backend
(:mod:`tws_tui.backends.declared`), not here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import Any

from tws_tui.backends.declared import BUILTIN_OPTIONS, declared_options
from tws_tui.core.options import Kind, Rule, defaults
from tws_tui.core.values import value_class
from tws_tui.domain.phone_keys import PhoneKey
from tws_tui.platform.i18n import N_

#: TWS-6.11-3, the most said first (``platform/logs.py``: TRACE is 5, OFF writes nothing).
LOG_LEVELS = ("trace", "debug", "info", "warning", "error", "critical", "off")
LANGUAGE_CHOICES = ("", "fr", "en")
BUILTIN_BACKENDS = ("cti", "sim", "sip")
BELL_MODES = ("none", "once", "repeat")
#: Issue 17: the screen the console opens on (``console/start_up.py`` maps them to modes).
START_SCREENS = ("contacts", "calls", "queues", "chat", "history")
EMAIL = N_('an e-mail address, such as "support@example.com"')
PRESENCE_STATES = ("available", "away", "busy", "offline")  # TWS-6.6-8, as PresenceState
#: TWS-6.3-2/-3: a colleague's line in supervision; "theme": the theme's warning/error colour.
SUPERVISION_COLOURS = ("theme", "yellow", "orange", "red", "magenta", "blue", "cyan", "green")
SECRET_KEYS = frozenset(
    {"password", "passwd", "secret", "token", "access_token", "refresh_token", "api_key"}
)


def rule(kind: Kind, **bounds: Any) -> dict[str, Rule]:
    """A field's metadata: the values it accepts (``rule(Kind.INT, low=0, high=240)``)."""
    return {"rule": Rule(kind, **bounds)}


def builtin_backend_defaults() -> dict[str, dict[str, Any]]:
    """Every built-in backend's declared options with their defaults."""
    tables: dict[str, dict[str, Any]] = {}
    for name in BUILTIN_OPTIONS:
        declared = declared_options(name)
        tables[name] = defaults(declared) if declared is not None else {}
    return tables


@value_class(slots=False)
class GeneralSettings:
    """``[general]``."""

    language: str = field(default="", metadata=rule(Kind.TEXT, choices=LANGUAGE_CHOICES))
    log_level: str = field(default="info", metadata=rule(Kind.TEXT, choices=LOG_LEVELS))
    auto_connect: bool = False  # TWS-1.1-7, unchecked in the first-install screenshot
    remember_login: bool = True  # TWS-1.1-6
    confirm_quit: bool = True
    start_screen: str = field(default="contacts", metadata=rule(Kind.TEXT, choices=START_SCREENS))
    voicemail_number: str = field(default="", metadata=rule(Kind.DIALABLE))  # TWS-3.9.1-1
    #: TWS-6.11-6: where Tools' "E-mail support" writes to ("": the user types it).
    support_email: str = field(
        default="", metadata=rule(Kind.TEXT, pattern=r"([^@\s]+@[^@\s]+\.[^@\s]+)?", what=EMAIL)
    )
    #: TWS-6.10.6.1-6: a caller's number of at most this many digits is a colleague's
    #: (a profile rule's "internal callers"); the dial plan's length of an extension.
    internal_digits: int = field(default=4, metadata=rule(Kind.INT, low=1, high=10))
    #: TWS-6.10.6.1-8: the site has the *TWS Rules* option (a profile rule's announcement,
    #: days, hours, dates and caller filters) where the phone system offers it; false: simple
    #: rules only, whatever the phone system says.
    tws_rules: bool = True


@value_class(slots=False)
class BackendSettings:
    """``[backend]``: which backend to use, and the options of each (``[backend.NAME]``).

    The options of the built-in backends are declared by the backends themselves
    (:mod:`tws_tui.backends.declared`), not restated here.
    """

    name: str = "sim"
    #: backend name -> its options: every declared option of a built-in backend (default or
    #: set), the table as written for a third-party one (unchecked).
    options: dict[str, dict[str, Any]] = field(default_factory=builtin_backend_defaults)


@value_class(slots=False)
class UiSettings:
    """``[ui]``."""

    theme: str = field(default="textual-dark", metadata=rule(Kind.TEXT, nonempty=True))
    cursor_blink: bool = True
    animations: bool = True
    bell: bool = True
    desktop_notifications: bool = False
    clock_24h: bool = True
    #: TWS-6.6-5: where notices appear.
    toast_position: str = field(
        default="bottom-right",
        metadata=rule(Kind.TEXT, choices=("bottom-right", "top-right", "bottom-left", "top-left")),
    )


@value_class(slots=False)
class AlertSettings:
    """``[alerts]``: how an incoming call is signalled and handled (TWS §6.4, §3.1.1, §3.8).

    Read by :func:`tws_tui.domain.alerting.plan_alert`, which turns them into the plan for one
    ringing call. ``deflect_to`` is kept without its separators (``"01 23"`` → ``"0123"``), and
    so are the entries of ``auto_answer_numbers``.
    """

    popup: bool = True  # TWS-6.4-8: the alerter for direct incoming calls
    popup_queue_calls: bool = False  # TWS-6.4-11
    only_when_unfocused: bool = True  # TWS-6.4-12 (queue calls)
    keep_open_during_call: bool = False  # TWS-6.4-9
    bell: str = field(
        default="repeat", metadata=rule(Kind.TEXT, choices=BELL_MODES)
    )  # TWS-6.4-3/-6
    bell_interval_s: float = field(default=4.0, metadata=rule(Kind.NUMBER, low=1.0, high=60.0))
    desktop_notification: bool = False  # TWS-6.4-12 TUI note, TWS-3.1-1
    deflect_to: str = field(default="", metadata=rule(Kind.DIALABLE))  # TWS-6.4-13, TWS-3.8-1
    auto_answer: bool = False  # TWS-6.4-14
    auto_answer_delay_s: float = field(default=0.0, metadata=rule(Kind.NUMBER, low=0.0, high=60.0))
    auto_answer_ring: bool = True  # TWS-6.4-16
    auto_answer_numbers: tuple[str, ...] = field(default=(), metadata=rule(Kind.NUMBER_PATTERNS))
    callback_offer: bool = True  # TWS-6.4-21
    #: TWS-2.4.2-5: how long the notice "incoming call for a colleague of a supervised list"
    #: stays on screen.
    interception_notice_s: float = field(
        default=10.0, metadata=rule(Kind.NUMBER, low=2.0, high=120.0)
    )


@value_class(slots=False)
class QueueSettings:
    """``[queues]``: the Queues screen (TWS §6.5, TWS-3.1.3-2).

    A waiting call's time turns orange (▲) from ``warn_after_s`` and red (■) from
    ``alert_after_s``. ``hidden``, ``order``, ``pinned`` and ``extra_info`` hold queue ids: the
    queues not shown (TWS-6.5.1-2), the order of those listed first, the others following in
    the backend's order (TWS-6.5.2-1), the queues pinned to the strip under the status bar on
    every screen (TWS-6.5.1-3, TWS-1.5.3-3), and those whose waiting callers show the extra
    information the directory has on them (TWS-6.5.1-4).
    """

    warn_after_s: float = field(default=15.0, metadata=rule(Kind.NUMBER, low=1.0, high=3600.0))
    alert_after_s: float = field(default=30.0, metadata=rule(Kind.NUMBER, low=1.0, high=3600.0))
    hidden: tuple[str, ...] = field(default=(), metadata=rule(Kind.NAMES))
    order: tuple[str, ...] = field(default=(), metadata=rule(Kind.NAMES))
    pinned: tuple[str, ...] = field(default=(), metadata=rule(Kind.NAMES))
    extra_info: tuple[str, ...] = field(default=(), metadata=rule(Kind.NAMES))


@value_class(slots=False)
class ContactSettings:
    """``[contacts]``: the keys of the supervision grid (Webpilot §13) and how contacts show
    (TWS §6.6).

    ``keys`` is the ordered key list of :mod:`tws_tui.domain.phone_keys` (the key configuration
    screen, Alt+K, and Ctrl+B on Contacts change it); ``supervised`` is its older form, device
    ids still read (as supervision keys after the others) and emptied in prefs.toml once the
    app writes ``keys``. The first ten tiles get the digits 1…9, 0.
    """

    supervised: tuple[str, ...] = field(default=(), metadata=rule(Kind.NAMES))
    #: WPL-13.1-3: the keys of the console's virtual phone (supervision, shortcut, queue).
    keys: tuple[PhoneKey, ...] = field(default=(), metadata=rule(Kind.PHONE_KEYS))
    #: WPL-7-5: the CRM record of a contact, ``{number}``, ``{name}``, ``{email}`` and
    #: ``{id}`` filled in (see :mod:`tws_tui.contacts.crm`); empty: no CRM.
    crm_url: str = field(default="", metadata=rule(Kind.TEXT, url=True))
    #: TWS-6.6-3: lists of contacts sorted by first name (as written) or by last name.
    name_sort: str = field(default="first", metadata=rule(Kind.TEXT, choices=("first", "last")))
    #: TWS-6.6-7: Away after this many minutes without a key or a click; 0: never.
    away_after_min: int = field(default=0, metadata=rule(Kind.INT, low=0, high=240))
    #: TWP-3.3 calendar presence: an iCalendar file or http(s) URL; empty: none.
    calendar: str = field(default="", metadata=rule(Kind.TEXT))
    #: TWS-6.6-2: the contact's card beside the list, following the cursor ("external"), or
    #: opened under its row by Enter/Space ("internal").
    infocard: str = field(
        default="external", metadata=rule(Kind.TEXT, choices=("external", "internal"))
    )
    #: TWS-6.6-4: Enter on a contact calls at once ("single") or opens it, a second Enter
    #: calling ("double").
    call_gesture: str = field(
        default="double", metadata=rule(Kind.TEXT, choices=("double", "single"))
    )
    #: TWS-6.6-6: the contact lists of the home screen, each as its properties say ("free"),
    #: or all "classic" (two lines: initials, name, company) or all "reduced" (one line).
    list_display: str = field(
        default="free", metadata=rule(Kind.TEXT, choices=("free", "classic", "reduced"))
    )
    #: TWS-6.6-8: notices are shown only while my presence is one of these (incoming calls
    #: always ring).
    show_notices_when: tuple[str, ...] = field(
        default=PRESENCE_STATES, metadata=rule(Kind.STATES, choices=PRESENCE_STATES)
    )
    #: TWS-6.3-2: a colleague ringing, in supervision (Contacts, home lists, tiles).
    ringing_colour: str = field(
        default="theme", metadata=rule(Kind.TEXT, choices=SUPERVISION_COLOURS)
    )
    #: TWS-6.3-3: a colleague on a call (or on hold, or dialling).
    talking_colour: str = field(
        default="theme", metadata=rule(Kind.TEXT, choices=SUPERVISION_COLOURS)
    )


CARDDAV_MODES = ("read-only", "two-way")


@value_class(slots=False)
class CardDavSettings:
    """``[carddav]``: a directory synchronised from a CardDAV address book (Nextcloud, SOGo,
    Google…), see :mod:`tws_tui.contacts.carddav`. Off while ``url`` is empty.

    The password is never in a settings file: it is read from ``password_file`` when set,
    else from the keyring (``tws-tui carddav-password`` stores it there).
    """

    #: The address book's own URL (a collection), e.g.
    #: ``https://cloud.example.com/remote.php/dav/addressbooks/users/alice/contacts/``.
    url: str = field(default="", metadata=rule(Kind.TEXT, url=True))
    username: str = ""
    #: A file holding the password on its first line (mode 0600 advised); "": the keyring.
    password_file: str = ""
    #: "read-only": the console shows the book and refuses changes; "two-way": changes made
    #: in the console are sent to the server.
    mode: str = field(default="read-only", metadata=rule(Kind.TEXT, choices=CARDDAV_MODES))
    #: Synchronise every so many minutes (and at start); 0: only when asked (the sync key).
    sync_every_min: int = field(default=15, metadata=rule(Kind.INT, low=0, high=1440))


#: A volume in percent (Preferences → Audio, TWS-6.7-2: 80 % by default).
VOLUME = rule(Kind.INT, low=0, high=100)


@value_class(slots=False)
class AudioSettings:
    """``[audio]``: the softphone's sound (TWS-6.7, ``sip`` only: on ``sim`` and ``cti`` the
    desk phone rings and carries the voice) and the sound of each event (TWS-6.8).

    Devices are PortAudio's names as ``sounddevice`` lists them; ``""`` is the system's
    default. A device this machine does not list is kept (a headset unplugged for now). The
    sounds are names in the sound library (``platform/sound_library.py``): a built-in one or
    a WAV file of the user's sounds folder."""

    output_device: str = ""  # the headset / loudspeaker (TWS-6.7-2 "casque")
    input_device: str = ""  # the microphone
    ring_device: str = ""  # where the ringtone plays ("sonnerie")
    ring_volume: int = field(default=80, metadata=VOLUME)
    speaker_volume: int = field(default=80, metadata=VOLUME)
    microphone_volume: int = field(default=80, metadata=VOLUME)
    incoming_call: str = "ring"  # TWS-6.8-2 DefaultIncomingCall
    queue_call: str = "queue"  # DefaultIncomingCallInQueue
    chat_message: str = "chat"  # DefaultSoundChat
    voicemail: str = "notify"  # DefaultNotification: a new voicemail message
    #: The chat message's and new voicemail's sounds silenced (calls still ring).
    mute: bool = False


@value_class(slots=False)
class ProfileSettings:
    """``[profiles]``: what the console's profiles may do beyond presence and forwarding."""

    #: TWS-6.10.1-4 (OneNumber): each profile may choose its phone line, the softphone (the
    #: ``sip`` backend) or the desk phone (``cti``); needs both [backend.sip] and
    #: [backend.cti] set up (checked at load: ``settings/one_number.py``).
    one_number: bool = False


@value_class(slots=False)
class Settings:
    """Everything configurable, after defaults, ``config.toml`` and ``prefs.toml``."""

    general: GeneralSettings = field(default_factory=GeneralSettings)
    backend: BackendSettings = field(default_factory=BackendSettings)
    ui: UiSettings = field(default_factory=UiSettings)
    alerts: AlertSettings = field(default_factory=AlertSettings)
    queues: QueueSettings = field(default_factory=QueueSettings)
    contacts: ContactSettings = field(default_factory=ContactSettings)
    carddav: CardDavSettings = field(default_factory=CardDavSettings)
    audio: AudioSettings = field(default_factory=AudioSettings)
    profiles: ProfileSettings = field(default_factory=ProfileSettings)
    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> keys, checked by the app

    def backend_options(self, name: str | None = None) -> dict[str, Any]:
        """A fresh options dict for backend ``name`` (default: the configured one)."""
        name = self.backend.name if name is None else name
        return dict(self.backend.options.get(name, {}))


SECTION_CLASSES: Mapping[str, type[Any]] = {
    "general": GeneralSettings,
    "ui": UiSettings,
    "alerts": AlertSettings,
    "queues": QueueSettings,
    "contacts": ContactSettings,
    "carddav": CardDavSettings,
    "audio": AudioSettings,
    "profiles": ProfileSettings,
}
SECTIONS = (
    "general",
    "backend",
    "ui",
    "alerts",
    "queues",
    "contacts",
    "carddav",
    "audio",
    "profiles",
    "keymap",
)
