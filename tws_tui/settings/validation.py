"""Validation of one settings file's table against the declarations, problem by problem.

Owns the judgement, table-driven: each value is checked against the :class:`~tws_tui.core.
options.Rule` declared next to its field (:mod:`.schema`) or by its backend
(:mod:`tws_tui.backends.declared`), one handler per :class:`~tws_tui.core.options.Kind`. A
bad value gives one :class:`~.problems.ConfigProblem` naming the file, the dotted key, the value
and what was expected, and is left out, so the default (or the other file's value) applies. A
list of numbers or of phone keys drops its bad entries only. Secrets are refused everywhere;
a ``[backend.NAME]`` table of a third-party backend is passed through unchecked.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

from tws_tui.backends.declared import declared_options
from tws_tui.core.options import Fault, Kind, Option, check, rule_for_default
from tws_tui.domain.keymap import validate_keymap
from tws_tui.domain.numbers import clean_number, is_dialable, is_number_pattern
from tws_tui.domain.phone_keys import FIELDS, KINDS, LABEL_MAX, SHORTCUT, PhoneKey
from tws_tui.settings import problems as msg
from tws_tui.settings.problems import ConfigProblem
from tws_tui.settings.schema import (
    BUILTIN_BACKENDS,
    SECRET_KEYS,
    SECTION_CLASSES,
    SECTIONS,
    BackendSettings,
)

log = logging.getLogger(__name__)

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")

#: The message of a value of the wrong type, by kind (basic kinds).
_WRONG_TYPE = {
    Kind.BOOL: msg.BAD_BOOL,
    Kind.INT: msg.BAD_INT,
    Kind.NUMBER: msg.BAD_NUMBER,
    Kind.TEXT: msg.BAD_TEXT,
    Kind.WORDS: msg.BAD_WORDS,
}
_OTHER_FAULTS = {Fault.EMPTY: msg.BAD_NONEMPTY, Fault.NOT_A_URL: msg.BAD_URL}


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


def dotted(*parts: str) -> str:
    """A TOML dotted key, quoting the parts that need it (``keymap."call.answer"``)."""
    return ".".join(part if _BARE_KEY.fullmatch(part) else f'"{part}"' for part in parts)


def show(value: Any) -> str:
    """A value the way it was (roughly) written in TOML, cut to a readable length."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, dict):  # e.g. a key of [contacts] keys: {kind = 'queue', …}
        text = "{" + ", ".join(f"{k} = {show(v)}" for k, v in value.items()) + "}"
    else:
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def section_options(cls: type[Any]) -> tuple[Option, ...]:
    """A section's fields as declarations: name, default and the rule of the field's metadata."""
    return tuple(_as_option(spec) for spec in dataclasses.fields(cls))


def _as_option(spec: dataclasses.Field[Any]) -> Option:
    default = spec.default
    if default is dataclasses.MISSING and spec.default_factory is not dataclasses.MISSING:
        default = spec.default_factory()
    return Option(spec.name, default, spec.metadata.get("rule") or rule_for_default(default), "")


def _choices_text(choices: tuple[str | int, ...]) -> str:
    return ", ".join(str(choice) if choice != "" else repr(choice) for choice in choices)


def _bound_text(kind: Kind, bound: float | None) -> str:
    return str(int(bound or 0)) if kind is Kind.INT else f"{bound:g}"


class _Rejected:
    """The marker of a value left out (its default applies)."""


REJECTED = _Rejected()
Handler = Callable[["Validator", str, Any, Option], Any]


class Validator:
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
            if section in SECTION_CLASSES:
                table = self.table(value, (section,))
                options = section_options(SECTION_CLASSES[section])
                clean[section] = self.fields(table, options, (section,))
            elif section == "backend":
                clean[section] = self.backend(self.table(value, (section,)))
            elif section == "keymap":
                keymap: dict[str, str] = {}
                self.keymap(self.table(value, (section,)), (), keymap)
                applied, refused = validate_keymap(keymap)
                for problem in refused:
                    where = dotted("keymap", problem.action_id)
                    self.report(where, problem.template, **problem.params)
                clean[section] = applied
            else:
                self.report(dotted(section), msg.UNKNOWN_SECTION, choices=", ".join(SECTIONS))
        return clean

    def table(self, value: Any, where: tuple[str, ...]) -> Mapping[str, Any]:
        if isinstance(value, dict):
            return value
        self.report(dotted(*where), msg.BAD_TABLE, value=show(value))
        return {}

    def fields(
        self, table: Mapping[str, Any], options: tuple[Option, ...], where: tuple[str, ...]
    ) -> dict[str, Any]:
        known = {option.name: option for option in options}
        clean: dict[str, Any] = {}
        for name, value in table.items():
            key = dotted(*where, name)
            if name.lower() in SECRET_KEYS:
                self.report(key, msg.SECRET_KEY)
            elif name not in known:
                self.report(key, msg.UNKNOWN_KEY, choices=", ".join(known))
            else:
                option = known[name]
                accepted = _HANDLERS[option.rule.kind](self, key, value, option)
                if accepted is not REJECTED:
                    clean[name] = accepted
        return clean

    # --- one handler per kind ----------------------------------------------------------------

    def basic(self, key: str, value: Any, option: Option) -> Any:
        """BOOL, INT, NUMBER, TEXT, WORDS: :func:`~tws_tui.core.options.check`, then wording."""
        accepted, fault = check(option.rule, value)
        if fault is None:
            return accepted
        rule, shown, default = option.rule, show(value), show(option.default)
        if fault is Fault.NOT_A_CHOICE:
            template = msg.BAD_CHOICE_WHY if rule.why else msg.BAD_CHOICE
            choices = _choices_text(rule.choices)
            extra = {"why": rule.why} if rule.why else {}
            self.report(key, template, value=shown, choices=choices, default=default, **extra)
        elif fault is Fault.OUT_OF_RANGE:
            template = msg.BAD_INT_RANGE if rule.kind is Kind.INT else msg.BAD_NUMBER_RANGE
            low, high = _bound_text(rule.kind, rule.low), _bound_text(rule.kind, rule.high)
            self.report(key, template, value=shown, low=low, high=high, default=default)
        elif fault is Fault.NO_MATCH:
            self.report(key, msg.BAD_SHAPE, value=shown, what=rule.what, default=default)
        else:
            template = _OTHER_FAULTS.get(fault) or _WRONG_TYPE[rule.kind]
            self.report(key, template, value=shown, default=default)
        return REJECTED

    def dialable(self, key: str, value: Any, option: Option) -> Any:
        """A phone number or an extension, kept without its separators; ``""``: none."""
        shown, default = show(value), show(option.default)
        if not isinstance(value, str):
            self.report(key, msg.BAD_TEXT, value=shown, default=default)
        elif not value.strip():
            return ""
        elif is_dialable(value):
            return clean_number(value)
        else:
            self.report(key, msg.BAD_DIALABLE, value=shown, default=default)
        return REJECTED

    def names(self, key: str, value: Any, option: Option) -> Any:
        """A list of names (queue ids, device ids); blank entries are dropped."""
        if isinstance(value, list) and all(isinstance(entry, str) for entry in value):
            return tuple(entry.strip() for entry in value if entry.strip())
        self.report(key, msg.BAD_NAME_LIST, value=show(value), default="[]")
        return REJECTED

    def states(self, key: str, value: Any, option: Option) -> Any:
        """A list of choices (presence states), each once, in the order given."""
        states = option.rule.choices
        if isinstance(value, list) and all(
            isinstance(entry, str) and entry.strip().lower() in states for entry in value
        ):
            return tuple(dict.fromkeys(entry.strip().lower() for entry in value))
        self.report(
            key,
            msg.BAD_STATE_LIST,
            value=show(value),
            choices=_choices_text(states),
            default=show(list(option.default)),
        )
        return REJECTED

    def patterns(self, key: str, value: Any, option: Option) -> Any:
        """A list of number patterns (TWS-6.4-17): a bad entry is dropped, the others kept."""
        if not isinstance(value, list):
            self.report(key, msg.BAD_NUMBER_LIST, value=show(value), default="[]")
            return REJECTED
        accepted: list[str] = []
        for entry in value:
            if isinstance(entry, str) and is_number_pattern(entry):
                accepted.append(clean_number(entry))
            else:
                self.report(key, msg.BAD_NUMBER_PATTERN, value=show(entry))
        return tuple(accepted)

    def phone_keys(self, key: str, value: Any, option: Option) -> Any:
        """The key list (Webpilot §13): a bad key is dropped, saying why; the others kept."""
        if not isinstance(value, list):
            self.report(key, msg.BAD_KEY_LIST, value=show(value), default="[]")
            return REJECTED
        accepted: list[PhoneKey] = []
        for number, entry in enumerate(value, start=1):
            where, shown = f"{key}[{number}]", show(entry)
            if not isinstance(entry, dict):
                self.report(where, msg.BAD_KEY_TABLE, value=shown)
                continue
            kind, target, label = (entry.get(name, "") for name in FIELDS)
            texts = all(isinstance(v, str) for v in (kind, target, label))
            if not texts or set(entry) - set(FIELDS):
                self.report(where, msg.BAD_KEY_FIELDS, value=shown)
            elif kind.strip().lower() not in KINDS:
                self.report(where, msg.BAD_KEY_KIND, value=shown)
            elif not target.strip():
                self.report(where, msg.BAD_KEY_TARGET, value=shown)
            elif kind.strip().lower() == SHORTCUT and not is_dialable(target):
                self.report(where, msg.BAD_KEY_NUMBER, value=shown)
            else:
                kind = kind.strip().lower()
                target = clean_number(target) if kind == SHORTCUT else target.strip()
                accepted.append(PhoneKey(kind, target, label.strip()[:LABEL_MAX]))
        return tuple(accepted)

    # --- [backend] and [keymap] ----------------------------------------------------------------

    def backend(self, table: Mapping[str, Any]) -> dict[str, Any]:
        """``name``, and one table per backend: declared options checked, others passed on."""
        clean: dict[str, Any] = {}
        for name, value in table.items():
            key = dotted("backend", name)
            if name == "name":
                if isinstance(value, str) and value.strip().lower() in self.backend_names:
                    clean["name"] = value.strip().lower()
                else:
                    self.report(
                        key,
                        msg.UNKNOWN_BACKEND,
                        value=show(value),
                        choices=", ".join(sorted(self.backend_names)),
                        default=show(BackendSettings.name),
                    )
            elif (declared := declared_options(name)) is not None:
                options = self.table(value, ("backend", name))
                clean[name] = self.fields(options, declared, ("backend", name))
            elif isinstance(value, dict) and name in self.backend_names:
                clean[name] = self.passthrough(value, ("backend", name))
            elif isinstance(value, dict):
                self.report(
                    key,
                    msg.UNKNOWN_BACKEND_TABLE,
                    value=show(name),
                    choices=", ".join(sorted(self.backend_names)),
                )
            elif name.lower() in SECRET_KEYS:
                self.report(key, msg.SECRET_KEY)
            else:
                choices = ", ".join(["name", *sorted(self.backend_names)])
                self.report(key, msg.UNKNOWN_KEY, choices=choices)
        return clean

    def passthrough(self, table: Mapping[str, Any], where: tuple[str, ...]) -> dict[str, Any]:
        clean: dict[str, Any] = {}
        for name, value in table.items():
            if name.lower() in SECRET_KEYS:
                self.report(dotted(*where, name), msg.SECRET_KEY)
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
                self.report(dotted("keymap", ".".join(parts)), msg.BAD_KEYMAP, value=show(value))


_HANDLERS: Mapping[Kind, Handler] = {
    Kind.BOOL: Validator.basic,
    Kind.INT: Validator.basic,
    Kind.NUMBER: Validator.basic,
    Kind.TEXT: Validator.basic,
    Kind.WORDS: Validator.basic,
    Kind.DIALABLE: Validator.dialable,
    Kind.NAMES: Validator.names,
    Kind.NUMBER_PATTERNS: Validator.patterns,
    Kind.STATES: Validator.states,
    Kind.PHONE_KEYS: Validator.phone_keys,
}


def validate(
    raw: Mapping[str, Any], file: Path, backend_names: Collection[str] | None = None
) -> tuple[dict[str, Any], list[ConfigProblem]]:
    """The accepted part of one file's table (sparse), and the problems with the rest."""
    validator = Validator(file, available_backends() if backend_names is None else backend_names)
    return validator.document(raw), validator.problems
