"""Writing the app-owned ``prefs.toml``: :func:`save_prefs` and its helpers.

Owns the one write path of the settings. The Preferences screen (and the sign-in screen's
"remember me") call :func:`save_prefs`, which checks the changes with the rules used at load,
merges them into the file and replaces it atomically (temp file, fsync, rename; mode 0600)
with tomli-w. ``config.toml`` is never written. Secrets are refused: they live in the keyring
(:mod:`tws_tui.platform.secrets`).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from tws_tui.platform import paths
from tws_tui.settings.load import merge, read_toml
from tws_tui.settings.problems import FALLBACK_PREFS
from tws_tui.settings.schema import SECRET_KEYS
from tws_tui.settings.validation import validate

log = logging.getLogger(__name__)


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
    merged = _without_empty_tables(merge(current, nested))
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
