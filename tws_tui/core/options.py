"""Declared options: what one setting or one backend option accepts, said once, and its check.

Owns the vocabulary shared by the settings layer and the backends. A :class:`Rule` says the
kind of a value and its bounds or choices; an :class:`Option` is a backend option (name,
default, rule, one-line doc), and each backend declares its ``OPTIONS`` as a tuple of them in a
small module that imports nothing heavy (``tws_tui.backends.sip_options``...). :func:`check`
is the one place a value is judged against a rule: it returns the accepted (normalised) value
or the :class:`Fault` found. Wording is the callers' business: the settings layer turns a fault
into a translated message naming file and key, a backend into a ``BackendConfigError``.

``from_text`` relaxes the types for values typed by a person or passed by code (``"5060"`` for
a whole number, ``"yes"`` for true, a path object for a text); the settings files, which TOML
types already, are checked strictly.
"""

from __future__ import annotations

import os
import re
from enum import Enum
from typing import Any

from tws_tui.core.errors import N_
from tws_tui.core.values import value_class


class Kind(Enum):
    """The type of a value. The last five are settings-only and checked by the settings layer."""

    BOOL = "bool"
    INT = "int"  # a whole number, not a bool
    NUMBER = "number"  # an int or a float, not a bool nor NaN; accepted as a float
    TEXT = "text"
    WORDS = "words"  # "A,B" or ["A", "B"]: kept as given
    DIALABLE = "dialable"  # a phone number or an extension, kept without separators
    NAMES = "names"  # a list of non-empty texts
    NUMBER_PATTERNS = "number_patterns"  # a list of numbers or patterns with *
    STATES = "states"  # a list of choices (presence states)
    PHONE_KEYS = "phone_keys"  # the key list of tws_tui.domain.phone_keys


class Fault(Enum):
    """Why :func:`check` refused a value."""

    WRONG_TYPE = "wrong type"
    OUT_OF_RANGE = "out of range"
    NOT_A_CHOICE = "not a choice"
    EMPTY = "empty"
    NOT_A_URL = "not a url"
    NO_MATCH = "no match"  # a TEXT not of the declared shape


@value_class(slots=False)
class Rule:
    """What a value must be: its kind, and optionally bounds, choices or a shape.

    ``low``/``high`` bound an INT or a NUMBER (inclusive); ``choices`` lists the accepted texts
    (compared without case or surrounding spaces) or whole numbers; ``why`` is an English msgid
    saying why other values are refused (shown after the choices); ``nonempty`` and ``url``
    shape a TEXT (a url may be empty: "not set"); so does ``pattern``, a regular expression the
    whole text must match, with ``what``, an English msgid saying what it expects
    (``'digits, such as "100"'``).
    """

    kind: Kind
    low: float | None = None
    high: float | None = None
    choices: tuple[str | int, ...] = ()
    why: str = ""
    nonempty: bool = False
    url: bool = False
    pattern: str = ""
    what: str = ""


@value_class(slots=False)
class Option:
    """One backend option: ``[backend.NAME] name = default`` in a settings file."""

    name: str
    default: Any
    rule: Rule
    doc: str


#: Texts taken for true and false when ``from_text`` is set.
TRUE_TEXTS = ("true", "yes", "on", "1")
FALSE_TEXTS = ("false", "no", "off", "0")


def rule_for_default(default: object) -> Rule:
    """The plain rule of a value with no declared rule: its default's type."""
    if isinstance(default, bool):
        return Rule(Kind.BOOL)
    if isinstance(default, int):
        return Rule(Kind.INT)
    if isinstance(default, float):
        return Rule(Kind.NUMBER)
    return Rule(Kind.TEXT)


def check(rule: Rule, value: object, *, from_text: bool = False) -> tuple[Any, Fault | None]:
    """``(accepted value, None)``, or ``(None, fault)``. Only BOOL, INT, NUMBER, TEXT, WORDS."""
    checker = _CHECKERS.get(rule.kind)
    if checker is None:
        raise ValueError(f"{rule.kind} values are checked by the settings layer")
    return checker(rule, value, from_text)


def _bool(rule: Rule, value: object, from_text: bool) -> tuple[Any, Fault | None]:
    if isinstance(value, bool):
        return value, None
    if from_text and isinstance(value, str) and value.strip().lower() in TRUE_TEXTS:
        return True, None
    if from_text and isinstance(value, str) and value.strip().lower() in FALSE_TEXTS:
        return False, None
    return None, Fault.WRONG_TYPE


def _int(rule: Rule, value: object, from_text: bool) -> tuple[Any, Fault | None]:
    if from_text and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        return None, Fault.NOT_A_CHOICE if rule.choices else Fault.WRONG_TYPE
    if rule.choices and value not in rule.choices:
        return None, Fault.NOT_A_CHOICE
    return _bounded(rule, value)


def _number(rule: Rule, value: object, from_text: bool) -> tuple[Any, Fault | None]:
    if from_text and isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None, Fault.WRONG_TYPE
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        return None, Fault.WRONG_TYPE
    return _bounded(rule, float(value))


def _bounded(rule: Rule, value: float) -> tuple[Any, Fault | None]:
    if (rule.low is not None and value < rule.low) or (rule.high is not None and value > rule.high):
        return None, Fault.OUT_OF_RANGE
    return value, None


def _text(rule: Rule, value: object, from_text: bool) -> tuple[Any, Fault | None]:
    if from_text and isinstance(value, int | os.PathLike) and not isinstance(value, bool):
        value = os.fspath(value) if isinstance(value, os.PathLike) else str(value)
    if rule.choices:
        text = value.strip().lower() if isinstance(value, str) else None
        return (text, None) if text in rule.choices else (None, Fault.NOT_A_CHOICE)
    if not isinstance(value, str):
        return None, Fault.WRONG_TYPE
    if rule.nonempty and not value.strip():
        return None, Fault.EMPTY
    if rule.url and value and not value.startswith(("http://", "https://")):
        return None, Fault.NOT_A_URL
    if rule.pattern and re.fullmatch(rule.pattern, value) is None:
        return None, Fault.NO_MATCH
    return value, None


def _words(rule: Rule, value: object, from_text: bool) -> tuple[Any, Fault | None]:
    if isinstance(value, str):
        return value, None
    if isinstance(value, list | tuple) and all(isinstance(word, str) for word in value):
        return list(value), None
    return None, Fault.WRONG_TYPE


_CHECKERS = {
    Kind.BOOL: _bool,
    Kind.INT: _int,
    Kind.NUMBER: _number,
    Kind.TEXT: _text,
    Kind.WORDS: _words,
}


def defaults(options: tuple[Option, ...]) -> dict[str, Any]:
    """Every declared option with its default."""
    return {option.name: option.default for option in options}


def describe(rule: Rule) -> tuple[str, dict[str, str]]:
    """What a rule accepts, for a backend's error: an English msgid and its parameters
    (``("an integer from {low} to {high}", {"low": "1", "high": "9"})``), translated where the
    error is shown."""
    listed = {"choices": " / ".join(repr(choice) for choice in rule.choices)}
    bounds = (
        {"low": f"{rule.low:g}", "high": f"{rule.high:g}"}
        if rule.low is not None and (rule.high is not None)
        else {}
    )
    if rule.kind is Kind.BOOL:
        return N_("true or false"), {}
    if rule.kind in (Kind.INT, Kind.NUMBER) and rule.choices:
        return N_("one of {choices}"), listed
    if rule.kind is Kind.INT:
        return (N_("an integer from {low} to {high}"), bounds) if bounds else (N_("an integer"), {})
    if rule.kind is Kind.NUMBER:
        return (N_("a number from {low} to {high}"), bounds) if bounds else (N_("a number"), {})
    if rule.choices:
        return N_("one of {choices}"), listed
    if rule.url:
        return N_("an address starting with http:// or https://"), {}
    if rule.what:
        return rule.what, {}
    if rule.kind is Kind.WORDS:
        return N_("a text or a list of texts"), {}
    return (N_("a non-empty text"), {}) if rule.nonempty else (N_("a text"), {})
