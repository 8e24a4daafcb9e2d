"""Logging to a rotating file in the state directory, never to the terminal.

While the TUI runs, anything written to stdout or stderr corrupts the screen, so
:func:`setup_logging` sends the root logger to ``<state>/log/tws-tui.log`` (TWS-6.11-2: 15
files of 10 MB, the current one and 14 old copies, rotating), routes :mod:`warnings` there
too, and removes any handler writing to stdout or stderr. It may be called again
(``--log-level`` after the config is read): it replaces its own handler instead of adding
one. ``tws-tui locate log`` prints the file's path.

The levels are TWS-6.11-3's, from the least to the most said: ``off`` (nothing written),
``critical`` (FATAL), ``error``, ``warning`` (WARN), ``info``, ``debug`` and ``trace`` (a
level of its own, 5, below DEBUG). :func:`set_level` changes the level of the running console
(Preferences → Tools), the file kept.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from tws_tui.platform import paths

TRACE = 5  # TWS-6.11-3: finer than DEBUG
OFF = logging.CRITICAL + 10  # above every record: nothing written
logging.addLevelName(TRACE, "TRACE")
#: By name, as config.toml, prefs.toml and ``--log-level`` give them, the most said first.
LEVELS: dict[str, int] = {
    "trace": TRACE,
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
    "critical": logging.CRITICAL,
    "off": OFF,
}
MAX_BYTES = 10 * 1024 * 1024  # TWS-6.11-2: 10 MB a file…
BACKUP_COUNT = 14  # … and 15 files in all, rotating
FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"

_handler: logging.Handler | None = None


def parse_level(level: str | int) -> int:
    """A logging level from ``"debug"``/``"info"``/``"warning"``/``"error"`` or a number."""
    if isinstance(level, int):
        return level
    try:
        return LEVELS[level.strip().lower()]
    except KeyError:
        raise ValueError(
            f"unknown log level {level!r}; expected one of {', '.join(LEVELS)}"
        ) from None


def setup_logging(level: str | int = "info", log_file: Path | None = None) -> Path:
    """Send all logging at ``level`` and above to a rotating file; return the file's path.

    Creates the log directory if needed (an :class:`OSError` if it cannot be).
    """
    global _handler
    numeric = parse_level(level)
    target = log_file if log_file is not None else paths.log_file()
    paths.ensure_dir(target.parent)
    handler = logging.handlers.RotatingFileHandler(
        target, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    for existing in list(root.handlers):
        if existing is _handler:
            root.removeHandler(existing)
            existing.close()
        elif _writes_to_terminal(existing):
            root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(numeric)
    logging.captureWarnings(True)
    _handler = handler
    return target


def set_level(level: str | int) -> None:
    """Write from ``level`` on, now (``"off"``: nothing); :class:`ValueError` for an unknown
    name."""
    logging.getLogger().setLevel(parse_level(level))


def _writes_to_terminal(handler: logging.Handler) -> bool:
    terminal = {sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__}
    return isinstance(handler, logging.StreamHandler) and handler.stream in terminal


def current_log_file() -> Path | None:
    """The file :func:`setup_logging` last opened, or None before it ran."""
    if isinstance(_handler, logging.FileHandler):
        return Path(_handler.baseFilename)
    return None
