"""Backend registry: backends are entry points of the group ``tws_tui.backends``.

Owns discovery and loading only. ``names()`` lists the registered backends without importing
any of them; ``load(name, options)`` imports that one backend and calls its factory with the
options mapping. A factory is ``Callable[[Mapping[str, Any]], CallControl]``; it must ignore
options it does not know (one configuration can serve several backends) and raise
:class:`BackendConfigError` for a bad value, naming the option and what was expected. The
small ``option_*`` helpers here give every backend the same wording for those errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tws_tui.core.protocols import CallControl

GROUP = "tws_tui.backends"


class BackendConfigError(ValueError):
    """Unknown backend, or a backend option with a bad value."""


def _entry_points() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def names() -> list[str]:
    """The registered backend names, sorted (nothing is imported)."""
    return sorted(_entry_points())


def load(name: str, options: Mapping[str, Any] | None = None) -> CallControl:
    """Import backend ``name`` and build it from ``options``."""
    found = _entry_points()
    entry = found.get(name)
    if entry is None:
        available = ", ".join(sorted(found)) or "(none installed)"
        raise BackendConfigError(f"Unknown backend {name!r}; available backends: {available}")
    factory = entry.load()
    backend: CallControl = factory(dict(options or {}))
    return backend


# ---- option helpers for backends ------------------------------------------------------------


def option_int(options: Mapping[str, Any], key: str, default: int, backend: str) -> int:
    value = options.get(key, default)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise BackendConfigError(
            f"{backend} backend: option {key!r} must be an integer, got {value!r}"
        )
    return value


def option_bool(options: Mapping[str, Any], key: str, default: bool, backend: str) -> bool:
    value = options.get(key, default)
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "on", "1"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "no", "off", "0"):
        return False
    if not isinstance(value, bool):
        raise BackendConfigError(
            f"{backend} backend: option {key!r} must be true or false, got {value!r}"
        )
    return value


def option_str(options: Mapping[str, Any], key: str, default: str, backend: str) -> str:
    value = options.get(key, default)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value:
        raise BackendConfigError(
            f"{backend} backend: option {key!r} must be a non-empty string, got {value!r}"
        )
    return value
