"""Translation: gettext catalogs (English source strings, French catalog), switchable at run time.

``_("Answer")`` looks the string up in the *current* catalog each time it is called, so text
built at render time follows :func:`set_language` at once. Strings defined at import time
(binding descriptions, class attributes) are marked with :func:`N_` and translated where they
are shown. Catalogs live in ``tws_tui/locale/<lang>/LC_MESSAGES/tws_tui.po`` (source) and the
compiled ``.mo`` beside it; after adding or changing strings, run
``.venv/bin/python tools/update_catalogs.py`` (extract, merge, compile, list what is missing).
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Callable, Mapping
from pathlib import Path

DOMAIN = "tws_tui"
LOCALE_DIR = Path(__file__).parent.parent / "locale"
LANGUAGES: Mapping[str, str] = {"fr": "Français", "en": "English"}
DEFAULT_LANGUAGE = "fr"  # TWS-1.1-5: French unless told otherwise

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"
_listeners: list[Callable[[str], None]] = []


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _translations.gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def labelled(label: str, value: str) -> str:
    """``label: value`` as the current language writes it: French puts a space before the
    colon ("Poste : 267"), English none. Every "label: value" shown is built here."""
    return _("{label}: {value}").format(label=label, value=value)


def language() -> str:
    return _language


def detect_language(configured: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The language to use: the configured one, else the environment, else French.

    The environment is read the way gettext does: ``LANGUAGE`` (a colon-separated list of
    preferences, the first one we have wins), then ``LC_ALL``, ``LC_MESSAGES``, ``LANG``; a
    value such as ``fr_CH.UTF-8`` counts as ``fr``. ``C``/``POSIX`` and languages we do not
    have are skipped.
    """
    if configured is not None and configured in LANGUAGES:
        return configured
    env = os.environ if environ is None else environ
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for entry in env.get(variable, "").split(":"):
            code = entry.split("_")[0].split(".")[0].split("@")[0].strip().lower()
            if code in LANGUAGES:
                return code
    return DEFAULT_LANGUAGE


def set_language(code: str) -> None:
    """Switch every later ``_()`` to ``code`` and tell the listeners (the app re-renders)."""
    global _translations, _language
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; expected one of {', '.join(LANGUAGES)}")
    if code == "en":
        _translations = gettext.NullTranslations()
    else:
        _translations = gettext.translation(
            DOMAIN, localedir=LOCALE_DIR, languages=[code], fallback=True
        )
    _language = code
    for listener in list(_listeners):
        listener(code)


def on_language_change(listener: Callable[[str], None]) -> Callable[[], None]:
    """Call ``listener(code)`` after each switch; returns a function that unsubscribes."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener)
