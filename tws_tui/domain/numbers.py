"""Phone numbers: the one place that cleans, checks and normalises them.

Textual-free and I/O-free. Used by the dial bar (what the operator types), the alert
preferences (deflection target, auto-answer patterns) and number matching. French numbering
is the only plan known so far (``default_country="FR"``): national ``0123456789`` and E.164
``+33123456789`` are the same number.

:func:`match_key` gives the one key two spellings of a number share (reverse lookup, search by
number). French numbers take a string-only fast path; any other number goes through the
``phonenumbers`` library, imported on first use only: nothing on the console's start-up path
pays for it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

_SEPARATORS = re.compile(r"[\s.\-()/]")
_DIALABLE = re.compile(r"\+?[0-9*#]+")
_PATTERN = re.compile(r"\+?[0-9*]+")
#: A phone number written in a text (TWS-4.3.3-4): an optional ``+``, then digits, single
#: spaces, dots or dashes between groups allowed ("06 12 34 56 78", "01.23.45.67.89").
_IN_TEXT = re.compile(r"(?<![\w+])\+?\d(?:[ .\-]?\d)*(?!\w)")
_IN_TEXT_MIN_DIGITS = 4  # a run of at least 4 digits is a number, as TWS reads messages
_SHORT_MAX_DIGITS = 6  # internal numbers (extensions, short codes) have at most this many

#: country -> (calling code, trunk prefix, digits of a national significant number)
_COUNTRIES: Mapping[str, tuple[str, str, int]] = {"FR": ("33", "0", 9)}


def clean_number(number: str) -> str:
    """``number`` without its separators (spaces, dots, dashes, parentheses, slashes as in
    ``0611/123456``), ``00`` → ``+``."""
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


def numbers_in(text: str) -> list[str]:
    """The phone numbers written in ``text`` (a chat message), cleaned, in their order: any
    run of at least 4 digits, grouped or not (TWS-4.3.3-4); a time (``14:05``) is not one."""
    found = []
    for match in _IN_TEXT.finditer(text):
        number = clean_number(match.group())
        if sum(ch.isdigit() for ch in number) >= _IN_TEXT_MIN_DIGITS:
            found.append(number)
    return found


def is_number_pattern(pattern: str) -> bool:
    """True for an auto-answer pattern (TWS-6.4-17): a number where ``*`` stands for any digits."""
    return _PATTERN.fullmatch(clean_number(pattern)) is not None


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
    from tws_tui.platform.i18n import _

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


def match_key(number: str, country: str = "FR") -> str | None:
    """The key two spellings of one number share, for matching; None for what is not a number.

    * A public number gives its E.164 form: ``"+33 1 23 45 67 89"``, ``"0123456789"``,
      ``"01.23.45.67.89"``, ``"0033123456789"`` and ``"+33 (0)1 23 45 67 89"`` all give
      ``"+33123456789"``; national numbers are read in ``country`` (ISO 3166 alpha-2).
    * An internal short number (an extension of up to 6 digits, ``"201"``) and a feature code
      with ``*`` or ``#`` keep their cleaned text as their key.
    * Anything else the switch could dial but no numbering plan knows keeps its cleaned text.
    * Letters, or nothing at all, give None (``is_dialable`` is false).
    """
    quick = _quick_key(number, country)
    if quick is not None:
        return quick
    cleaned = clean_number(number.strip())
    if not cleaned or _DIALABLE.fullmatch(cleaned) is None:
        return None
    if "*" in cleaned or "#" in cleaned:
        return cleaned
    if not cleaned.startswith("+") and len(cleaned) <= _SHORT_MAX_DIGITS:
        return cleaned
    plan = _COUNTRIES.get(country.upper())
    if plan is not None:  # the fast path: no parsing library for the known plan
        code, _trunk, length = plan
        e164 = normalise_number(cleaned, country)
        if e164.startswith(f"+{code}") and len(e164) == len(code) + 1 + length:
            return e164
    return _parsed_key(cleaned, country.upper())


def match_keys(numbers: Sequence[str], country: str = "FR") -> list[str | None]:
    """:func:`match_key` of each number, with the same results, faster for many (indexing).

    The separators of the whole batch are removed at once; the common spellings (national
    and E.164 numbers of ``country``, short numbers) are then recognised inline, and only the
    others go through :func:`match_key` one by one.
    """
    if not numbers:
        return []
    plan = _COUNTRIES.get(country.upper())
    batch = "\n".join(numbers)
    if plan is None or batch.count("\n") != max(len(numbers) - 1, 0) or not batch.isascii():
        return [match_key(number, country) for number in numbers]
    code, trunk, length = plan
    national_length = len(trunk) + length
    e164_prefix = "+" + code
    e164_length = len(e164_prefix) + length
    cleaned = batch.replace(" ", "").replace(".", "").replace("-", "").split("\n")
    keys: list[str | None] = []
    append = keys.append
    for key, number in zip(cleaned, numbers, strict=True):
        size = len(key)
        if key.isdigit():
            if size == national_length and key.startswith(trunk) and key[len(trunk)] != "0":
                append(e164_prefix + key[len(trunk) :])
                continue
            if size <= _SHORT_MAX_DIGITS and not key.startswith("00"):
                append(key)
                continue
        elif size == e164_length and key.startswith(e164_prefix) and key[1:].isdigit():
            append(key)
            continue
        append(match_key(number, country))
    return keys


def _quick_key(number: str, country: str) -> str | None:
    """:func:`match_key` of the common spellings (ASCII digits with spaces, dots or dashes:
    a national or E.164 number of ``country``, or a short number) without regular expressions;
    None for anything else, which the general path then reads (indexing 100 000 contacts
    calls this for every number)."""
    quick = number.replace(" ", "").replace(".", "").replace("-", "")  # faster than translate
    if not quick.isascii() or quick.startswith("00"):
        return None
    digits = quick[1:] if quick.startswith("+") else quick
    if not digits.isdigit():
        return None
    if digits is quick and len(quick) <= _SHORT_MAX_DIGITS:
        return quick
    plan = _COUNTRIES.get(country.upper())
    if plan is None:
        return None
    code, trunk, length = plan
    if digits is quick:
        if len(quick) == len(trunk) + length and quick.startswith(trunk):
            return f"+{code}{quick[len(trunk) :]}"
    elif len(digits) == len(code) + length and digits.startswith(code):
        return quick
    return None


@lru_cache(maxsize=4096)
def _parsed_key(cleaned: str, country: str) -> str:
    """E.164 from ``phonenumbers`` when the number is possible there, else ``cleaned``."""
    import phonenumbers  # lazy: 40 ms of import that start-up must not pay

    try:
        parsed = phonenumbers.parse(cleaned, country)
    except phonenumbers.NumberParseException:
        return cleaned
    if not phonenumbers.is_possible_number(parsed):
        return cleaned
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def number_query(text: str, country: str = "FR") -> str:
    """What a partly typed number looks like at the start of a :func:`match_key`.

    ``"01 23"`` → ``"+33123"`` (a national prefix becomes E.164), ``"0033 1"`` → ``"+331"``,
    ``"20"`` → ``"20"`` (the start of an extension or of a number in the middle of a key).
    """
    cleaned = clean_number(text.strip())
    plan = _COUNTRIES.get(country.upper())
    if plan is not None:
        code, trunk, _length = plan
        if cleaned.startswith(f"+{code}{trunk}"):  # "+33 (0)1 …"
            cleaned = f"+{code}" + cleaned[len(code) + 1 + len(trunk) :]
        elif cleaned.startswith(trunk):  # "00…" was made "+…" by clean_number
            cleaned = f"+{code}" + cleaned[len(trunk) :]
    return cleaned
