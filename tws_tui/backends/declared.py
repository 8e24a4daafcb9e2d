"""The declared options of each backend, found by name, and their parsing by a backend.

Owns the link between a backend name and its ``OPTIONS`` declaration (a module path, like the
registry's entry points, so nothing heavy is imported), and :func:`parse_declared`, which a
backend calls to turn its options mapping into checked values with the same rules the
settings layer applies to ``[backend.NAME]``. A third-party backend has no declaration here:
its table is passed through unchecked.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import Any

from tws_tui.backends import bad_option
from tws_tui.core.options import Option, check, describe

#: Built-in backend name -> ``module:attribute`` of its ``OPTIONS``.
BUILTIN_OPTIONS: Mapping[str, str] = {
    "sim": "tws_tui.backends.sim_options:OPTIONS",
    "sip": "tws_tui.backends.sip_options:OPTIONS",
    "cti": "tws_tui.backends.cti_options:OPTIONS",
}


def declared_options(name: str) -> tuple[Option, ...] | None:
    """The options backend ``name`` declares, or None (a third-party backend)."""
    target = BUILTIN_OPTIONS.get(name)
    if target is None:
        return None
    module, _, attribute = target.partition(":")
    options: tuple[Option, ...] = getattr(import_module(module), attribute)
    return options


def parse_declared(
    declared: tuple[Option, ...], options: Mapping[str, Any], backend: str
) -> dict[str, Any]:
    """Every declared option, checked (values typed by a person accepted), default if absent.

    A bad value raises :class:`BackendConfigError` naming the option, what it must be and why.
    Options not declared are left to the backend (programmatic ones) or ignored.
    """
    values: dict[str, Any] = {}
    for option in declared:
        raw = options.get(option.name)
        if raw is None:
            values[option.name] = option.default
            continue
        value, fault = check(option.rule, raw, from_text=True)
        if fault is not None:
            expected, params = describe(option.rule)
            raise bad_option(
                backend, option.name, expected, raw, doc=option.doc, why=option.rule.why, **params
            )
        values[option.name] = value
    return values
