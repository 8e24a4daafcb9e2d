"""Phone numbers: the one place that cleans, checks and normalises them.

Textual-free and I/O-free. Used by the dial bar (what the operator types), the alert
preferences (deflection target, auto-answer patterns) and number matching. French numbering
is the only plan known so far (``default_country="FR"``): national ``0123456789`` and E.164
``+33123456789`` are the same number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_SEPARATORS = re.compile(r"[\s.\-()]")
_DIALABLE = re.compile(r"\+?[0-9*#]+")

#: country -> (calling code, trunk prefix, digits of a national significant number)
_COUNTRIES: Mapping[str, tuple[str, str, int]] = {"FR": ("33", "0", 9)}


def clean_number(number: str) -> str:
    """``number`` without its separators (spaces, dots, dashes, parentheses), ``00`` → ``+``."""
    cleaned = _SEPARATORS.sub("", number)
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    return cleaned


def is_dialable(number: str) -> bool:
    """True for a destination the switch can dial (TWS-6.4-13 "other number").

    Digits with an optional leading ``+``, ``*`` and ``#`` (feature codes), separators allowed;
    letters (a contact name) are refused: the settings file takes numbers only.
    """
    return _DIALABLE.fullmatch(clean_number(number)) is not None


def normalise_number(number: str, default_country: str = "FR") -> str:
    """The E.164 form of a French number, or the cleaned number when it is not one.

    ``"+33 1 23 45 67 89"``, ``"0033123456789"`` and ``"01.23.45.67.89"`` all give
    ``"+33123456789"``; ``"+33 (0)1 23 45 67 89"`` too. Extensions (``"201"``), feature codes
    and foreign numbers in international form come back cleaned but otherwise unchanged.
    Only ``default_country="FR"`` is known (:class:`ValueError` otherwise).
    """
    try:
        code, trunk, length = _COUNTRIES[default_country.upper()]
    except KeyError:
        raise ValueError(f"unknown country {default_country!r}; expected one of FR") from None
    cleaned = clean_number(number)
    if cleaned.startswith(f"+{code}{trunk}") and len(cleaned) == len(code) + 2 + length:
        cleaned = f"+{code}" + cleaned[len(code) + 2 :]  # "+33 (0)1 23…"
    national = cleaned[len(trunk) :]
    if cleaned.startswith(trunk) and len(national) == length and national.isdigit():
        return f"+{code}{national}"
    return cleaned


def national_number(number: str, default_country: str = "FR") -> str:
    """The national form of a French number (``"+33123456789"`` → ``"0123456789"``)."""
    e164 = normalise_number(number, default_country)
    code, trunk, length = _COUNTRIES[default_country.upper()]
    rest = e164[len(code) + 1 :]
    if e164.startswith(f"+{code}") and len(rest) == length and rest.isdigit():
        return trunk + rest
    return e164


def parse_typed_number(text: str) -> str | None:
    """What the operator typed, as a number to dial; None when it is not a number (a name).

    Raises ValueError with the sentence to show for a number that contains letters
    ("01 23 ab"): it is never dialled, nor searched as a name.
    """
    from tws_tui.i18n import _

    text = text.strip()
    if not text:
        return None
    if is_dialable(text):
        return clean_number(text)
    has_digit = any(ch.isdigit() for ch in text)
    has_letter = any(ch.isalpha() for ch in text)
    if has_digit and has_letter and text.lstrip("+")[:1].isdigit():
        message = _("{text!r} is not a phone number: it contains letters.")
        raise ValueError(message.format(text=text))
    return None
