"""Loading the settings: defaults, overlaid by ``config.toml``, overlaid by ``prefs.toml``.

Two files, two owners: ``config.toml`` is hand-edited by the user (``tws-tui init-config``
writes a commented copy of ``config.example.toml`` there), read with :mod:`tomllib` and never
written; ``prefs.toml`` belongs to the app (:mod:`.prefs_file` writes it). When both set a key,
prefs win. Owns reading a file (:func:`read_toml`), merging the layers and building
:class:`~.schema.Settings`.

Loading never raises for a user mistake. Each file is validated on its own
(:func:`~.validation.validate`), so every problem names the file it comes from; a file that
cannot be read or parsed gives one problem and is skipped as a whole.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from tws_tui.platform import paths
from tws_tui.settings import validation
from tws_tui.settings.one_number import check_one_number
from tws_tui.settings.problems import (
    FALLBACK_CONFIG,
    FALLBACK_PREFS,
    FILE_ENCODING,
    FILE_IS_DIRECTORY,
    FILE_PERMISSION,
    FILE_SYNTAX,
    FILE_SYNTAX_END,
    FILE_SYNTAX_OTHER,
    FILE_UNREADABLE,
    ConfigProblem,
)
from tws_tui.settings.queue_thresholds import check_wait_thresholds
from tws_tui.settings.schema import (
    AlertSettings,
    AudioSettings,
    BackendSettings,
    CardDavSettings,
    ContactSettings,
    GeneralSettings,
    ProfileSettings,
    QueueSettings,
    Settings,
    UiSettings,
    builtin_backend_defaults,
)

_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_AT_END = re.compile(r"\s*\(at end of document\)$")


def read_toml(
    path: Path, fallback: str = FALLBACK_CONFIG
) -> tuple[dict[str, Any], list[ConfigProblem]]:
    """The table in ``path``; a missing file is an empty table, an unusable one a problem."""

    def problem(template: str, **params: str) -> tuple[dict[str, Any], list[ConfigProblem]]:
        return {}, [ConfigProblem(path, "", template, {"fallback": fallback, **params})]

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, []
    except IsADirectoryError:
        return problem(FILE_IS_DIRECTORY)
    except PermissionError:
        return problem(FILE_PERMISSION)
    except OSError as exc:
        return problem(FILE_UNREADABLE, reason=exc.strerror or str(exc))
    try:
        text = raw.decode("utf-8-sig")  # tolerate the BOM some Windows editors add
    except UnicodeDecodeError as exc:
        return problem(FILE_ENCODING, line=str(raw[: exc.start].count(b"\n") + 1))
    import tomllib  # here, not at the top: a first start has no file to parse

    try:
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as exc:
        reason = str(exc)
        if match := _POSITION.search(reason):
            return problem(
                FILE_SYNTAX,
                line=match.group(1),
                column=match.group(2),
                reason=reason[: match.start()],
            )
        if match := _AT_END.search(reason):
            return problem(FILE_SYNTAX_END, reason=reason[: match.start()])
        return problem(FILE_SYNTAX_OTHER, reason=reason)


def merge(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``overlay`` on top, table by table; a None in ``overlay`` removes the key."""
    merged = dict(base)
    for key, value in overlay.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge(merged[key], value)
        elif isinstance(value, Mapping):
            merged[key] = merge({}, value)
        else:
            merged[key] = value
    return merged


def _backend(clean: Mapping[str, Any]) -> BackendSettings:
    options = builtin_backend_defaults()
    for name, table in clean.items():
        if name != "name":
            options[name] = {**options.get(name, {}), **table}
    return BackendSettings(name=clean.get("name", BackendSettings.name), options=options)


def build(clean: Mapping[str, Any]) -> Settings:
    """The settings from a validated (sparse) table: the defaults where it says nothing."""
    return Settings(
        general=GeneralSettings(**clean.get("general", {})),
        backend=_backend(clean.get("backend", {})),
        ui=UiSettings(**clean.get("ui", {})),
        alerts=AlertSettings(**clean.get("alerts", {})),
        queues=QueueSettings(**clean.get("queues", {})),
        contacts=ContactSettings(**clean.get("contacts", {})),
        carddav=CardDavSettings(**clean.get("carddav", {})),
        audio=AudioSettings(**clean.get("audio", {})),
        profiles=ProfileSettings(**clean.get("profiles", {})),
        keymap=dict(clean.get("keymap", {})),
    )


def load_settings(
    config_path: Path | str | None = None,
    prefs_path: Path | str | None = None,
    *,
    backend_names: Collection[str] | None = None,
) -> tuple[Settings, list[ConfigProblem]]:
    """Defaults, overlaid by ``config.toml``, overlaid by ``prefs.toml``; never raises for a user
    mistake. Paths default to :func:`tws_tui.platform.paths.config_file` and ``prefs_file``.

    Nothing is logged or printed here (logging is usually not set up yet): the caller shows the
    problems and logs them.
    """
    config = Path(config_path) if config_path is not None else paths.config_file()
    prefs = Path(prefs_path) if prefs_path is not None else paths.prefs_file()
    names = validation.available_backends() if backend_names is None else backend_names
    problems: list[ConfigProblem] = []
    layers: list[dict[str, Any]] = []
    for path, fallback in ((config, FALLBACK_CONFIG), (prefs, FALLBACK_PREFS)):
        raw, read_problems = read_toml(path, fallback)
        clean, value_problems = validation.validate(raw, path, names)
        problems += read_problems + value_problems
        layers.append(clean)
    settings, unusable = check_one_number(build(merge(layers[0], layers[1])), config)
    settings, disordered = check_wait_thresholds(settings, config)
    return settings, problems + unusable + disordered
