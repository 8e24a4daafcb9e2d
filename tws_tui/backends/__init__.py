"""Backend registry: backends are entry points of the group ``tws_tui.backends``.

Owns discovery and loading only. ``names()`` lists the registered backends without importing
any of them; ``load(name, options)`` imports that one backend and calls its factory with the
options mapping. A factory is ``Callable[[Mapping[str, Any]], CallControl]``; it must ignore
options it does not know (one configuration can serve several backends) and raise
:class:`BackendConfigError` for a bad value, naming the option and what was expected. The
small ``option_*`` helpers here give every backend the same wording for those errors.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from importlib import import_module
from typing import TYPE_CHECKING, Any

from tws_tui.core.errors import N_, MessageError

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from tws_tui.core.protocols import CallControl

GROUP = "tws_tui.backends"

#: Backends shipped in this package, also declared as entry points (a test keeps the two equal).
#: Loading one of these by name skips ``importlib.metadata`` and the scan of every installed
#: distribution, about 30 ms of the console's cold start.
BUILTIN: Mapping[str, str] = {
    "sim": "tws_tui.backends.sim:SimBackend",
    "sip": "tws_tui.backends.sip:SipBackend",
    "cti": "tws_tui.backends.cti:CtiBackend",
}


class BackendConfigError(MessageError, ValueError):
    """Unknown backend, or a backend option with a bad value: an English msgid with its
    parameters, translated where shown (the sign-in screen, the link status, the CLI)."""


def _entry_points() -> dict[str, EntryPoint]:
    from importlib.metadata import entry_points

    return {ep.name: ep for ep in entry_points(group=GROUP)}


class RegisteredNames(Collection[str]):
    """The backend names, scanning entry points only when a question needs more than built-ins."""

    def __init__(self) -> None:
        self._all: list[str] | None = None

    def _names(self) -> list[str]:
        if self._all is None:
            self._all = sorted(set(BUILTIN) | set(_entry_points()))
        return self._all

    def __contains__(self, name: object) -> bool:
        return name in BUILTIN or name in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())


def registered() -> RegisteredNames:
    return RegisteredNames()


def names() -> list[str]:
    """The registered backend names, sorted (nothing is imported)."""
    return list(registered())


def _resolve(target: str) -> Any:
    module, _, attribute = target.partition(":")
    return getattr(import_module(module), attribute)


def load(name: str, options: Mapping[str, Any] | None = None) -> CallControl:
    """Import backend ``name`` and build it from ``options``."""
    try:
        if name in BUILTIN:
            factory = _resolve(BUILTIN[name])
        else:
            found = _entry_points()
            entry = found.get(name)
            if entry is None:
                available = ", ".join(names()) or "(none installed)"
                raise BackendConfigError(
                    N_("Unknown backend '{name}'; available backends: {available}"),
                    name=name,
                    available=available,
                )
            factory = entry.load()
    except ImportError as error:  # an extra not installed (pyVoIP for sip, httpx for cti)
        raise BackendConfigError(
            N_("The {name} backend cannot be loaded: {error}"), name=name, error=str(error)
        ) from error
    backend: CallControl = factory(dict(options or {}))
    return backend


# ---- option helpers for backends ------------------------------------------------------------


def bad_option(
    backend: str,
    key: str,
    expected: str,
    value: object,
    *,
    doc: str = "",
    why: str = "",
    **params: object,
) -> BackendConfigError:
    """``{backend} backend: option '{key}' must be {expected} ({doc}; {why}), got {value}``:
    ``expected``, ``doc`` and ``why`` are msgids (filled with ``params``), translated where the
    error is shown; ``doc`` and ``why`` are left out when empty."""
    return BackendConfigError(
        BAD_OPTION[bool(doc), bool(why)],
        backend=backend,
        option=key,
        expected=expected,
        value=repr(value),
        **({"doc": doc} if doc else {}),
        **({"why": why} if why else {}),
        **params,
    )


#: The sentences of :func:`bad_option`, by (with the option's doc, with the reason).
BAD_OPTION = {
    (False, False): N_("{backend} backend: option '{option}' must be {expected}, got {value}"),
    (False, True): N_(
        "{backend} backend: option '{option}' must be {expected} ({why}), got {value}"
    ),
    (True, False): N_(
        "{backend} backend: option '{option}' must be {expected} ({doc}), got {value}"
    ),
    (True, True): N_(
        "{backend} backend: option '{option}' must be {expected} ({doc}; {why}), got {value}"
    ),
}


def option_int(options: Mapping[str, Any], key: str, default: int, backend: str) -> int:
    value = options.get(key, default)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_option(backend, key, N_("an integer"), value)
    return value


def option_bool(options: Mapping[str, Any], key: str, default: bool, backend: str) -> bool:
    value = options.get(key, default)
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "on", "1"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "no", "off", "0"):
        return False
    if not isinstance(value, bool):
        raise bad_option(backend, key, N_("true or false"), value)
    return value


def option_str(options: Mapping[str, Any], key: str, default: str, backend: str) -> str:
    value = options.get(key, default)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value:
        raise bad_option(backend, key, N_("a non-empty text"), value)
    return value
