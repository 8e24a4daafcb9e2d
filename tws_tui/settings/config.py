"""Settings: typed defaults, ``config.toml`` (the user's) overlaid by ``prefs.toml`` (the app's).

Two files, two owners:

- ``config.toml`` is hand-edited by the user (``tws-tui init-config`` writes a commented copy
  of ``config.example.toml`` there). It is read with :mod:`tomllib` and **never written**, so
  the user's comments and layout survive.
- ``prefs.toml`` belongs to the app: the Preferences screen calls :func:`save_prefs`, which
  merges the changes and rewrites the whole file atomically with tomli-w. When both files set a
  key, prefs win.

Loading never raises for a user mistake. Each file is validated on its own, so every message
names the file it comes from; a bad value (wrong type, unknown choice, unknown backend, unknown
key) becomes one :class:`ConfigProblem` naming the file, the dotted key and what was expected,
and that key keeps its default. A file that cannot be read or parsed gives one problem and is
skipped as a whole. Problem texts are English msgids translated when they are *shown* (the
language itself comes from the settings being loaded).

Backend options: ``[backend.sim]``, ``[backend.sip]`` and ``[backend.cti]`` are typed here
(:class:`SimOptions`, ...) so typos and wrong types are reported; a backend engineer adding an
option adds a field to its dataclass and a line to ``config.example.toml``. A table for a
third-party backend (``[backend.<name>]`` where ``<name>`` is a registered backend) is passed
through unchecked. Passwords and tokens are refused everywhere: they live in the keyring
(:mod:`tws_tui.platform.secrets`).
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Collection, Mapping
from dataclasses import field
from pathlib import Path
from typing import Any

from tws_tui.core.values import value_class
from tws_tui.domain.phone_keys import FIELDS, KINDS, LABEL_MAX, SHORTCUT, PhoneKey
from tws_tui.platform import paths
from tws_tui.platform.i18n import N_, _

log = logging.getLogger(__name__)

LOG_LEVELS = ("debug", "info", "warning", "error")
LANGUAGE_CHOICES = ("", "fr", "en")
BUILTIN_BACKENDS = ("cti", "sim", "sip")
SIP_TRANSPORTS = ("udp", "tcp", "tls")
BELL_MODES = ("none", "once", "repeat")
PRESENCE_STATES = ("available", "away", "busy", "offline")  # TWS-6.6-8, as PresenceState
SECRET_KEYS = frozenset(
    {"password", "passwd", "secret", "token", "access_token", "refresh_token", "api_key"}
)

# Problem texts: English msgids with str.format fields, translated when shown.
BAD_CHOICE = N_("{key} = {value} — expected one of {choices}; using {default}")
BAD_BOOL = N_("{key} = {value} — expected true or false; using {default}")
BAD_INT = N_("{key} = {value} — expected a whole number; using {default}")
BAD_INT_RANGE = N_(
    "{key} = {value} — expected a whole number from {low} to {high}; using {default}"
)
BAD_NUMBER = N_("{key} = {value} — expected a number; using {default}")
BAD_NUMBER_RANGE = N_("{key} = {value} — expected a number from {low} to {high}; using {default}")
BAD_DIALABLE = N_(
    "{key} = {value} — expected a phone number or an extension (digits, an optional leading +,"
    " * and #; spaces, dots and dashes are allowed), not a name; using {default}"
)
BAD_NAME_LIST = N_(
    '{key} = {value} — expected a list of names in quotes, such as ["accueil", "support"];'
    " using {default}"
)
BAD_NUMBER_LIST = N_(
    '{key} = {value} — expected a list of numbers in quotes, such as ["*"] or ["06*",'
    ' "0123456789"]; using {default}'
)
BAD_NUMBER_PATTERN = N_(
    '{key}: {value} — expected a number, or a pattern with * such as "06*" or "*"; this entry'
    " is ignored"
)
BAD_STATE_LIST = N_(
    "{key} = {value} — expected a list of presence states among {choices}, such as"
    ' ["available", "away"]; using {default}'
)
BAD_KEY_LIST = N_(
    '{key} = {value} — expected a list of keys such as [{{kind = "queue", target = "accueil"}}];'
    " using {default}"
)
BAD_KEY_TABLE = N_(
    '{key}: {value} — expected a table such as {{kind = "queue", target = "accueil"}}; this'
    " key is ignored"
)
BAD_KEY_FIELDS = N_(
    "{key}: {value} — expected texts named kind, target and (optionally) label; this key is ignored"
)
BAD_KEY_KIND = N_(
    "{key}: {value} — kind must be supervision, shortcut or queue; this key is ignored"
)
BAD_KEY_TARGET = N_(
    "{key}: {value} — target must name a colleague (device id or extension), a number or a"
    " queue; this key is ignored"
)
BAD_KEY_NUMBER = N_(
    "{key}: {value} — a shortcut's target must be a phone number; this key is ignored"
)
BAD_TEXT = N_("{key} = {value} — expected text in quotes; using {default}")
BAD_NONEMPTY = N_("{key} = {value} — expected a non-empty text; using {default}")
BAD_URL = N_(
    "{key} = {value} — expected an address starting with http:// or https://; using {default}"
)
BAD_TABLE = N_("{key} = {value} — expected a table [{key}]; using its defaults")
BAD_KEYMAP = N_(
    '{key} = {value} — expected a key name in quotes, such as "f5" or "ctrl+a"; ignored'
)
UNKNOWN_KEY = N_("{key}: unknown setting — expected one of {choices}; ignored")
UNKNOWN_SECTION = N_("[{key}]: unknown section — expected one of {choices}; ignored")
UNKNOWN_BACKEND = N_(
    "{key} = {value} — unknown backend, expected one of {choices}; using {default}"
)
UNKNOWN_BACKEND_TABLE = N_("[{key}]: unknown backend {value} — expected one of {choices}; ignored")
SECRET_KEY = N_(
    "{key}: passwords and tokens do not belong in a settings file"
    " — tws-tui keeps them in the system keyring; ignored"
)
FILE_SYNTAX = N_("not valid TOML at line {line}, column {column}: {reason}; {fallback}")
FILE_SYNTAX_END = N_("not valid TOML at the end of the file: {reason}; {fallback}")
FILE_SYNTAX_OTHER = N_("not valid TOML: {reason}; {fallback}")
FILE_ENCODING = N_("not UTF-8 text (line {line}); save it as UTF-8; {fallback}")
FILE_IS_DIRECTORY = N_("is a directory, not a file; {fallback}")
FILE_PERMISSION = N_("cannot be read: permission denied; {fallback}")
FILE_UNREADABLE = N_("cannot be read: {reason}; {fallback}")
FALLBACK_CONFIG = N_("using the default settings")
FALLBACK_PREFS = N_("ignoring the saved preferences")


@value_class(slots=False)
class ConfigProblem:
    """One thing wrong in a settings file, and what was done about it.

    ``file`` is the file, ``key`` the dotted key (``""`` for the whole file), ``message`` the
    translated explanation (which repeats the key with the value found, what was expected and
    the fallback). ``str(problem)`` is the one line to show: ``config.toml: general.log_level =
    'loud' — expected one of debug, info, warning, error; using 'info'``.
    """

    file: Path
    key: str
    template: str
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The explanation in the current language (without the file name)."""
        values = {
            name: _(value) if name == "fallback" else value for name, value in self.params.items()
        }
        return _(self.template).format(key=self.key, **values)

    def __str__(self) -> str:
        return f"{self.file.name}: {self.message}"


def _choices(*values: str) -> dict[str, Any]:
    return {"choices": values}


@value_class(slots=False)
class GeneralSettings:
    """``[general]``."""

    language: str = field(default="", metadata=_choices(*LANGUAGE_CHOICES))
    log_level: str = field(default="info", metadata=_choices(*LOG_LEVELS))
    auto_connect: bool = False  # TWS-1.1-7, unchecked in the first-install screenshot
    remember_login: bool = True  # TWS-1.1-6
    confirm_quit: bool = True
    voicemail_number: str = field(default="", metadata={"dialable": True})  # TWS-3.9.1-1


@value_class(slots=False)
class SimOptions:
    """``[backend.sim]``: the embedded simulator."""

    seed: int = field(default=1, metadata={"low": 0, "high": 2**63 - 1})
    traffic: bool = True
    extension: str = ""


@value_class(slots=False)
class SipOptions:
    """``[backend.sip]``: the SIP softphone (the password is in the keyring)."""

    server: str = ""
    port: int = field(default=5060, metadata={"low": 1, "high": 65535})
    username: str = ""
    display_name: str = ""
    transport: str = field(default="udp", metadata=_choices(*SIP_TRANSPORTS))
    auth_user: str = ""  # "" = username
    local_ip: str = ""  # "" = the address that routes to the server
    local_port: int = field(default=0, metadata={"low": 0, "high": 65535})  # 0 = any
    rtp_ports: str = ""  # "30000-30100"; "" = any
    codecs: str = "PCMU,PCMA"
    audio_device: str = ""  # "" none, "auto", "default", a device name, "wav:IN[,OUT]"
    register_expires: int = field(default=600, metadata={"low": 10, "high": 86400})
    reject_code: int = field(default=486, metadata={"low": 486, "high": 603})
    recordings_dir: str = ""  # "" = the data directory's recordings/


@value_class(slots=False)
class CtiOptions:
    """``[backend.cti]``: client of a CTI HTTP server (the refresh token is in the keyring)."""

    url: str = field(default="", metadata={"url": True})
    username: str = ""
    verify_tls: bool = True


@value_class(slots=False)
class BackendSettings:
    """``[backend]``: which backend to use, and the options of each."""

    name: str = "sim"
    sim: SimOptions = field(default_factory=SimOptions)
    sip: SipOptions = field(default_factory=SipOptions)
    cti: CtiOptions = field(default_factory=CtiOptions)
    other: dict[str, dict[str, Any]] = field(default_factory=dict)  # third-party, unchecked


@value_class(slots=False)
class UiSettings:
    """``[ui]``."""

    theme: str = field(default="textual-dark", metadata={"nonempty": True})
    cursor_blink: bool = True
    animations: bool = True
    bell: bool = True
    desktop_notifications: bool = False
    clock_24h: bool = True
    #: TWS-6.6-5: where notices appear.
    toast_position: str = field(
        default="bottom-right",
        metadata=_choices("bottom-right", "top-right", "bottom-left", "top-left"),
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
    bell: str = field(default="repeat", metadata=_choices(*BELL_MODES))  # TWS-6.4-3/-6
    bell_interval_s: float = field(default=4.0, metadata={"low": 1.0, "high": 60.0})
    desktop_notification: bool = False  # TWS-6.4-12 TUI note, TWS-3.1-1
    deflect_to: str = field(default="", metadata={"dialable": True})  # TWS-6.4-13, TWS-3.8-1
    auto_answer: bool = False  # TWS-6.4-14
    auto_answer_delay_s: float = field(default=0.0, metadata={"low": 0.0, "high": 60.0})
    auto_answer_ring: bool = True  # TWS-6.4-16
    auto_answer_numbers: tuple[str, ...] = field(default=(), metadata={"patterns": True})
    callback_offer: bool = True  # TWS-6.4-21
    #: TWS-2.4.2-5: how long the notice "incoming call for a colleague of a supervised list"
    #: stays on screen.
    interception_notice_s: float = field(default=10.0, metadata={"low": 2.0, "high": 120.0})


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

    warn_after_s: float = field(default=15.0, metadata={"low": 1.0, "high": 3600.0})
    alert_after_s: float = field(default=30.0, metadata={"low": 1.0, "high": 3600.0})
    hidden: tuple[str, ...] = field(default=(), metadata={"names": True})
    order: tuple[str, ...] = field(default=(), metadata={"names": True})
    pinned: tuple[str, ...] = field(default=(), metadata={"names": True})
    extra_info: tuple[str, ...] = field(default=(), metadata={"names": True})


@value_class(slots=False)
class ContactSettings:
    """``[contacts]``: the keys of the supervision grid (Webpilot §13) and how contacts show
    (TWS §6.6).

    ``keys`` is the ordered key list of :mod:`tws_tui.domain.phone_keys` (the key configuration
    screen, Alt+K, and Ctrl+B on Contacts change it); ``supervised`` is its older form, device
    ids still read (as supervision keys after the others) and emptied in prefs.toml once the
    app writes ``keys``. The first ten tiles get the digits 1…9, 0.
    """

    supervised: tuple[str, ...] = field(default=(), metadata={"names": True})
    #: WPL-13.1-3: the keys of the console's virtual phone (supervision, shortcut, queue).
    keys: tuple[PhoneKey, ...] = field(default=(), metadata={"phone_keys": True})
    #: WPL-7-5: the CRM record of a contact, ``{number}``, ``{name}``, ``{email}`` and
    #: ``{id}`` filled in (see :mod:`tws_tui.contacts.crm`); empty: no CRM.
    crm_url: str = field(default="", metadata={"url": True})
    #: TWS-6.6-3: lists of contacts sorted by first name (as written) or by last name.
    name_sort: str = field(default="first", metadata=_choices("first", "last"))
    #: TWS-6.6-7: Away after this many minutes without a key or a click; 0: never.
    away_after_min: int = field(default=0, metadata={"low": 0, "high": 240})
    #: TWS-6.6-2: the contact's card beside the list, following the cursor ("external"), or
    #: opened under its row by Enter/Space ("internal").
    infocard: str = field(default="external", metadata=_choices("external", "internal"))
    #: TWS-6.6-4: Enter on a contact calls at once ("single") or opens it, a second Enter
    #: calling ("double").
    call_gesture: str = field(default="double", metadata=_choices("double", "single"))
    #: TWS-6.6-6: the contact lists of the home screen, each as its properties say ("free"),
    #: or all "classic" (two lines: initials, name, company) or all "reduced" (one line).
    list_display: str = field(default="free", metadata=_choices("free", "classic", "reduced"))
    #: TWS-6.6-8: notices are shown only while my presence is one of these (incoming calls
    #: always ring).
    show_notices_when: tuple[str, ...] = field(
        default=PRESENCE_STATES, metadata={"states": PRESENCE_STATES}
    )


@value_class(slots=False)
class Settings:
    """Everything configurable, after defaults, ``config.toml`` and ``prefs.toml``."""

    general: GeneralSettings = field(default_factory=GeneralSettings)
    backend: BackendSettings = field(default_factory=BackendSettings)
    ui: UiSettings = field(default_factory=UiSettings)
    alerts: AlertSettings = field(default_factory=AlertSettings)
    queues: QueueSettings = field(default_factory=QueueSettings)
    contacts: ContactSettings = field(default_factory=ContactSettings)
    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> keys, checked by the app

    def backend_options(self, name: str | None = None) -> dict[str, Any]:
        """A fresh options dict for backend ``name`` (default: the configured one)."""
        name = self.backend.name if name is None else name
        if name in _OPTION_CLASSES:
            options: Any = getattr(self.backend, name)
            return dataclasses.asdict(options)
        return dict(self.backend.other.get(name, {}))


_SECTION_CLASSES: dict[str, type[Any]] = {
    "general": GeneralSettings,
    "ui": UiSettings,
    "alerts": AlertSettings,
    "queues": QueueSettings,
    "contacts": ContactSettings,
}
_OPTION_CLASSES: dict[str, type[Any]] = {"sim": SimOptions, "sip": SipOptions, "cti": CtiOptions}
SECTIONS = ("general", "backend", "ui", "alerts", "queues", "contacts", "keymap")


def available_backends() -> Collection[str]:
    """Backend names to validate ``backend.name`` against.

    ``tws_tui.backends.registered()``: built-in names answer at once, entry points are scanned
    only when a name is not built-in or the whole list is shown (start-up stays fast).
    """
    try:
        from tws_tui.backends import registered

        return registered()
    except Exception:
        log.warning(
            "cannot list the registered backends; assuming the built-in ones", exc_info=True
        )
        return list(BUILTIN_BACKENDS)


# --- reading -------------------------------------------------------------------------------

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_AT_END = re.compile(r"\s*\(at end of document\)$")


def _dotted(*parts: str) -> str:
    """A TOML dotted key, quoting the parts that need it (``keymap."call.answer"``)."""
    return ".".join(part if _BARE_KEY.fullmatch(part) else f'"{part}"' for part in parts)


def _show(value: Any) -> str:
    """A value the way it was (roughly) written in TOML, cut to a readable length."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, dict):  # e.g. a key of [contacts] keys: {kind = 'queue', …}
        text = "{" + ", ".join(f"{k} = {_show(v)}" for k, v in value.items()) + "}"
    else:
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def read_toml(
    path: Path, fallback: str = FALLBACK_CONFIG
) -> tuple[dict[str, Any], list[ConfigProblem]]:
    """The table in ``path``; a missing file is an empty table, an unusable one a problem."""

    def problem(template: str, **params: str) -> tuple[dict[str, Any], list[ConfigProblem]]:
        return {}, [ConfigProblem(path, "", template, {"fallback": fallback, **params})]

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, []
    except IsADirectoryError:
        return problem(FILE_IS_DIRECTORY)
    except PermissionError:
        return problem(FILE_PERMISSION)
    except OSError as exc:
        return problem(FILE_UNREADABLE, reason=exc.strerror or str(exc))
    try:
        text = raw.decode("utf-8-sig")  # tolerate the BOM some Windows editors add
    except UnicodeDecodeError as exc:
        return problem(FILE_ENCODING, line=str(raw[: exc.start].count(b"\n") + 1))
    import tomllib  # here, not at the top: a first start has no file to parse

    try:
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as exc:
        reason = str(exc)
        if match := _POSITION.search(reason):
            return problem(
                FILE_SYNTAX,
                line=match.group(1),
                column=match.group(2),
                reason=reason[: match.start()],
            )
        if match := _AT_END.search(reason):
            return problem(FILE_SYNTAX_END, reason=reason[: match.start()])
        return problem(FILE_SYNTAX_OTHER, reason=reason)


class _Validator:
    """Turns one file's raw table into a sparse table of accepted values, noting problems."""

    def __init__(self, file: Path, backend_names: Collection[str]) -> None:
        self.file = file
        self.backend_names = backend_names
        self.problems: list[ConfigProblem] = []

    def report(self, key: str, template: str, **params: str) -> None:
        self.problems.append(ConfigProblem(self.file, key, template, params))

    def document(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        clean: dict[str, Any] = {}
        for section, value in raw.items():
            if section in _SECTION_CLASSES:
                table = self.table(value, (section,))
                clean[section] = self.fields(table, _SECTION_CLASSES[section], (section,))
            elif section == "backend":
                clean[section] = self.backend(self.table(value, (section,)))
            elif section == "keymap":
                keymap: dict[str, str] = {}
                self.keymap(self.table(value, (section,)), (), keymap)
                clean[section] = keymap
            else:
                self.report(_dotted(section), UNKNOWN_SECTION, choices=", ".join(SECTIONS))
        return clean

    def table(self, value: Any, where: tuple[str, ...]) -> Mapping[str, Any]:
        if isinstance(value, dict):
            return value
        self.report(_dotted(*where), BAD_TABLE, value=_show(value))
        return {}

    def fields(
        self, table: Mapping[str, Any], cls: type[Any], where: tuple[str, ...]
    ) -> dict[str, Any]:
        known = {spec.name: spec for spec in dataclasses.fields(cls)}
        clean: dict[str, Any] = {}
        for name, value in table.items():
            key = _dotted(*where, name)
            if name.lower() in SECRET_KEYS:
                self.report(key, SECRET_KEY)
            elif name not in known:
                self.report(key, UNKNOWN_KEY, choices=", ".join(known))
            else:
                accepted = self.value(key, value, known[name])
                if accepted is not _REJECTED:
                    clean[name] = accepted
        return clean

    def value(self, key: str, value: Any, spec: dataclasses.Field[Any]) -> Any:
        default = spec.default
        shown, shown_default = _show(value), _show(default)
        choices: tuple[str, ...] | None = spec.metadata.get("choices")
        if isinstance(default, bool):
            if isinstance(value, bool):
                return value
            self.report(key, BAD_BOOL, value=shown, default=shown_default)
        elif isinstance(default, float):
            return self.number(key, value, spec)
        elif spec.metadata.get("patterns"):
            return self.patterns(key, value, spec)
        elif spec.metadata.get("phone_keys"):
            return self.phone_keys(key, value)
        elif states := spec.metadata.get("states"):
            if isinstance(value, list) and all(
                isinstance(entry, str) and entry.strip().lower() in states for entry in value
            ):
                return tuple(dict.fromkeys(entry.strip().lower() for entry in value))
            self.report(
                key,
                BAD_STATE_LIST,
                value=shown,
                choices=", ".join(states),
                default=_show(list(states)),
            )
        elif spec.metadata.get("names"):
            if isinstance(value, list) and all(isinstance(entry, str) for entry in value):
                return tuple(entry.strip() for entry in value if entry.strip())
            self.report(key, BAD_NAME_LIST, value=shown, default="[]")
        elif isinstance(default, int):
            low, high = spec.metadata.get("low"), spec.metadata.get("high")
            if isinstance(value, int) and not isinstance(value, bool):
                if (low is None or value >= low) and (high is None or value <= high):
                    return value
                self.report(
                    key,
                    BAD_INT_RANGE,
                    value=shown,
                    low=str(low),
                    high=str(high),
                    default=shown_default,
                )
            else:
                self.report(key, BAD_INT, value=shown, default=shown_default)
        elif choices is not None:
            if isinstance(value, str) and value.strip().lower() in choices:
                return value.strip().lower()
            listed = ", ".join(choice if choice else repr(choice) for choice in choices)
            self.report(key, BAD_CHOICE, value=shown, choices=listed, default=shown_default)
        elif not isinstance(value, str):
            self.report(key, BAD_TEXT, value=shown, default=shown_default)
        elif spec.metadata.get("nonempty") and not value.strip():
            self.report(key, BAD_NONEMPTY, value=shown, default=shown_default)
        elif spec.metadata.get("url") and value and not value.startswith(("http://", "https://")):
            self.report(key, BAD_URL, value=shown, default=shown_default)
        elif spec.metadata.get("dialable"):
            from tws_tui.domain.numbers import clean_number, is_dialable

            if not value.strip():
                return ""
            if is_dialable(value):
                return clean_number(value)
            self.report(key, BAD_DIALABLE, value=shown, default=shown_default)
        else:
            return value
        return _REJECTED

    def number(self, key: str, value: Any, spec: dataclasses.Field[Any]) -> Any:
        """A float setting: an integer or a float (not a bool) within ``low``..``high``."""
        low: float | None = spec.metadata.get("low")
        high: float | None = spec.metadata.get("high")
        shown, shown_default = _show(value), _show(spec.default)
        if not isinstance(value, int | float) or isinstance(value, bool) or value != value:
            self.report(key, BAD_NUMBER, value=shown, default=shown_default)
        elif (low is not None and value < low) or (high is not None and value > high):
            self.report(
                key,
                BAD_NUMBER_RANGE,
                value=shown,
                low=f"{low:g}",
                high=f"{high:g}",
                default=shown_default,
            )
        else:
            return float(value)
        return _REJECTED

    def patterns(self, key: str, value: Any, spec: dataclasses.Field[Any]) -> Any:
        """A list of number patterns (TWS-6.4-17): a bad entry is dropped, the others kept."""
        from tws_tui.domain.numbers import clean_number, is_number_pattern

        if not isinstance(value, list):
            self.report(key, BAD_NUMBER_LIST, value=_show(value), default="[]")
            return _REJECTED
        accepted: list[str] = []
        for entry in value:
            if isinstance(entry, str) and is_number_pattern(entry):
                accepted.append(clean_number(entry))
            else:
                self.report(key, BAD_NUMBER_PATTERN, value=_show(entry))
        return tuple(accepted)

    def phone_keys(self, key: str, value: Any) -> Any:
        """The key list (Webpilot §13): a bad key is dropped, saying why; the others kept."""
        from tws_tui.domain.numbers import clean_number, is_dialable

        if not isinstance(value, list):
            self.report(key, BAD_KEY_LIST, value=_show(value), default="[]")
            return _REJECTED
        accepted: list[PhoneKey] = []
        for number, entry in enumerate(value, start=1):
            where, shown = f"{key}[{number}]", _show(entry)
            if not isinstance(entry, dict):
                self.report(where, BAD_KEY_TABLE, value=shown)
                continue
            kind, target, label = (entry.get(name, "") for name in FIELDS)
            texts = all(isinstance(v, str) for v in (kind, target, label))
            if not texts or set(entry) - set(FIELDS):
                self.report(where, BAD_KEY_FIELDS, value=shown)
            elif kind.strip().lower() not in KINDS:
                self.report(where, BAD_KEY_KIND, value=shown)
            elif not target.strip():
                self.report(where, BAD_KEY_TARGET, value=shown)
            elif kind.strip().lower() == SHORTCUT and not is_dialable(target):
                self.report(where, BAD_KEY_NUMBER, value=shown)
            else:
                kind = kind.strip().lower()
                target = clean_number(target) if kind == SHORTCUT else target.strip()
                accepted.append(PhoneKey(kind, target, label.strip()[:LABEL_MAX]))
        return tuple(accepted)

    def backend(self, table: Mapping[str, Any]) -> dict[str, Any]:
        clean: dict[str, Any] = {}
        for name, value in table.items():
            key = _dotted("backend", name)
            if name == "name":
                if isinstance(value, str) and value.strip().lower() in self.backend_names:
                    clean["name"] = value.strip().lower()
                else:
                    self.report(
                        key,
                        UNKNOWN_BACKEND,
                        value=_show(value),
                        choices=", ".join(sorted(self.backend_names)),
                        default=_show(BackendSettings.name),
                    )
            elif name in _OPTION_CLASSES:
                options = self.table(value, ("backend", name))
                clean[name] = self.fields(options, _OPTION_CLASSES[name], ("backend", name))
            elif isinstance(value, dict) and name in self.backend_names:
                other = clean.setdefault("other", {})
                other[name] = self.passthrough(value, ("backend", name))
            elif isinstance(value, dict):
                self.report(
                    key,
                    UNKNOWN_BACKEND_TABLE,
                    value=_show(name),
                    choices=", ".join(sorted(self.backend_names)),
                )
            elif name.lower() in SECRET_KEYS:
                self.report(key, SECRET_KEY)
            else:
                choices = ", ".join(["name", *sorted(self.backend_names)])
                self.report(key, UNKNOWN_KEY, choices=choices)
        return clean

    def passthrough(self, table: Mapping[str, Any], where: tuple[str, ...]) -> dict[str, Any]:
        clean: dict[str, Any] = {}
        for name, value in table.items():
            if name.lower() in SECRET_KEYS:
                self.report(_dotted(*where, name), SECRET_KEY)
            else:
                clean[name] = value
        return clean

    def keymap(
        self, table: Mapping[str, Any], prefix: tuple[str, ...], out: dict[str, str]
    ) -> None:
        # ``call.answer = "enter"`` (unquoted) is a nested table in TOML: accept it as the id.
        for name, value in table.items():
            parts = (*prefix, name)
            if isinstance(value, dict):
                self.keymap(value, parts, out)
            elif isinstance(value, str) and value.strip():
                out[".".join(parts)] = value.strip()
            else:
                self.report(_dotted("keymap", ".".join(parts)), BAD_KEYMAP, value=_show(value))


_REJECTED = object()


def _merge(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``overlay`` on top, table by table; a None in ``overlay`` removes the key."""
    merged = dict(base)
    for key, value in overlay.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(merged[key], value)
        elif isinstance(value, Mapping):
            merged[key] = _merge({}, value)
        else:
            merged[key] = value
    return merged


def _build(clean: Mapping[str, Any]) -> Settings:
    backend = clean.get("backend", {})
    return Settings(
        general=GeneralSettings(**clean.get("general", {})),
        backend=BackendSettings(
            name=backend.get("name", BackendSettings.name),
            sim=SimOptions(**backend.get("sim", {})),
            sip=SipOptions(**backend.get("sip", {})),
            cti=CtiOptions(**backend.get("cti", {})),
            other={name: dict(options) for name, options in backend.get("other", {}).items()},
        ),
        ui=UiSettings(**clean.get("ui", {})),
        alerts=AlertSettings(**clean.get("alerts", {})),
        queues=QueueSettings(**clean.get("queues", {})),
        contacts=ContactSettings(**clean.get("contacts", {})),
        keymap=dict(clean.get("keymap", {})),
    )


def validate(
    raw: Mapping[str, Any], file: Path, backend_names: Collection[str] | None = None
) -> tuple[dict[str, Any], list[ConfigProblem]]:
    """The accepted part of one file's table (sparse), and the problems with the rest."""
    validator = _Validator(file, available_backends() if backend_names is None else backend_names)
    return validator.document(raw), validator.problems


def load_settings(
    config_path: Path | str | None = None,
    prefs_path: Path | str | None = None,
    *,
    backend_names: Collection[str] | None = None,
) -> tuple[Settings, list[ConfigProblem]]:
    """Defaults, overlaid by ``config.toml``, overlaid by ``prefs.toml``; never raises for a user
    mistake. Paths default to :func:`tws_tui.platform.paths.config_file` and ``prefs_file``.

    Nothing is logged or printed here (logging is usually not set up yet): the caller shows the
    problems and logs them.
    """
    config = Path(config_path) if config_path is not None else paths.config_file()
    prefs = Path(prefs_path) if prefs_path is not None else paths.prefs_file()
    names = available_backends() if backend_names is None else backend_names
    problems: list[ConfigProblem] = []
    layers: list[dict[str, Any]] = []
    for path, fallback in ((config, FALLBACK_CONFIG), (prefs, FALLBACK_PREFS)):
        raw, read_problems = read_toml(path, fallback)
        clean, value_problems = validate(raw, path, names)
        problems += read_problems + value_problems
        layers.append(clean)
    return _build(_merge(layers[0], layers[1])), problems


# --- writing the app-owned prefs -----------------------------------------------------------


def _nest(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Accept ``{"ui": {"theme": "x"}}`` and ``{"ui.theme": "x"}`` alike.

    A dotted key splits at its first dot (``section.key``); under ``backend`` once more
    (``backend.sip.port``); under ``keymap`` the rest is the binding id (``keymap.call.answer``).
    """
    nested: dict[str, Any] = {}
    for key, value in changes.items():
        section, dot, rest = key.partition(".")
        if not dot:
            parts: tuple[str, ...] = (key,)
        elif section == "backend" and "." in rest:
            table, _dot, name = rest.partition(".")
            parts = (section, table, name)
        else:
            parts = (section, rest)
        _put(nested, parts, value)
    return nested


def _put(table: dict[str, Any], parts: tuple[str, ...], value: Any) -> None:
    """Set ``table[parts[0]][parts[1]]... = value``, merging tables and keeping None markers."""
    *parents, last = parts
    for part in parents:
        table = table.setdefault(part, {})
    if isinstance(value, Mapping):
        inner_table = table.setdefault(last, {})
        if not isinstance(inner_table, dict):
            inner_table = table[last] = {}
        for name, inner in value.items():
            _put(inner_table, (name,), inner)
    else:
        table[last] = value


def _contains_secret(table: Mapping[str, Any]) -> bool:
    return any(
        name.lower() in SECRET_KEYS or (isinstance(value, Mapping) and _contains_secret(value))
        for name, value in table.items()
    )


def _without_none(table: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: _without_none(value) if isinstance(value, Mapping) else value
        for name, value in table.items()
        if value is not None
    }


def _without_empty_tables(table: Mapping[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for name, value in table.items():
        if isinstance(value, Mapping):
            value = _without_empty_tables(value)
            if not value:
                continue
        cleaned[name] = value
    return cleaned


def save_prefs(
    changes: Mapping[str, Any],
    path: Path | str | None = None,
    *,
    backend_names: Collection[str] | None = None,
) -> Path:
    """Merge ``changes`` into ``prefs.toml`` and replace it atomically; return its path.

    ``changes`` is nested (``{"ui": {"theme": "nord"}}``) or dotted (``{"ui.theme": "nord"}``);
    a value of None removes the key, so the config file (or the default) applies again. Invalid
    values and secrets are programming errors here: :class:`ValueError`, nothing written. An
    unreadable existing prefs file is replaced (its problem was reported at load).
    """
    target = Path(path) if path is not None else paths.prefs_file()
    nested = _nest(changes)
    if _contains_secret(nested):
        raise ValueError("secrets are never written to prefs.toml; use tws_tui.platform.secrets")
    _clean, problems = validate(_without_none(nested), target, backend_names)
    if problems:
        raise ValueError("; ".join(str(problem) for problem in problems))
    current, read_problems = read_toml(target, FALLBACK_PREFS)
    if read_problems:
        log.warning("replacing unusable %s: %s", target, read_problems[0])
    merged = _without_empty_tables(_merge(current, nested))
    import tomli_w  # here, not at the top: only saving needs it

    paths.atomic_write_bytes(target, tomli_w.dumps(merged).encode("utf-8"), mode=0o600)
    log.info("saved preferences %s to %s", sorted(_flat_keys(nested)), target)
    return target


def _flat_keys(table: Mapping[str, Any], prefix: str = "") -> list[str]:
    keys: list[str] = []
    for name, value in table.items():
        dotted = f"{prefix}{name}"
        keys += _flat_keys(value, dotted + ".") if isinstance(value, Mapping) else [dotted]
    return keys
