"""Problems found in a settings file: :class:`ConfigProblem` and the message ids it is built from.

Owns the wording. Every text is an English msgid with ``str.format`` fields (``{key}``,
``{value}``, ``{default}``...), translated when a problem is *shown*
(:attr:`ConfigProblem.message`), so the language can come from the very settings being loaded.
The messages name the key with the value found, what was expected, and what is used instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from pathlib import Path

from tws_tui.core.values import value_class
from tws_tui.domain.keymap import NO_KEY
from tws_tui.platform.i18n import N_, _, labelled

# Problem texts: English msgids with str.format fields, translated when shown.
BAD_CHOICE = N_("{key} = {value} — expected one of {choices}; using {default}")
BAD_CHOICE_WHY = N_("{key} = {value} — expected one of {choices} ({why}); using {default}")
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
BAD_SHAPE = N_("{key} = {value} — expected {what}; using {default}")
BAD_WORDS = N_(
    '{key} = {value} — expected text in quotes or a list of texts, such as "PCMU,PCMA" or'
    ' ["PCMU", "PCMA"]; using {default}'
)
BAD_NONEMPTY = N_("{key} = {value} — expected a non-empty text; using {default}")
BAD_URL = N_(
    "{key} = {value} — expected an address starting with http:// or https://; using {default}"
)
BAD_TABLE = N_("{key} = {value} — expected a table [{key}]; using its defaults")
BAD_KEYMAP = NO_KEY  # the keymap's own wording (domain.keymap)
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


#: ``[profiles] one_number`` without both backends it switches between.
ONE_NUMBER_UNUSABLE = N_(
    "{key} = true — a phone line per profile needs both the softphone ([backend.sip]) and the"
    " desk phone ([backend.cti]) set up; missing: {missing}; using false"
)

#: TWS-6.3-4: the red threshold of a caller's waiting time not after the orange one.
WAIT_RED_NOT_AFTER_ORANGE = N_(
    "{key} = {value} — the red threshold must come after queues.warn_after_s = {warn};"
    " using {default_warn} and {default_alert} seconds"
)


#: Parameters of a problem that are msgids themselves, translated when shown.
TRANSLATED_PARAMS = frozenset({"fallback", "why", "what"})


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
            name: _(value) if name in TRANSLATED_PARAMS and value else value
            for name, value in self.params.items()
        }
        return _(self.template).format(key=self.key, **values)

    def __str__(self) -> str:
        return labelled(self.file.name, self.message)
