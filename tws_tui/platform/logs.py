"""Logging to a rotating file in the state directory, never to the terminal.

While the TUI runs, anything written to stdout or stderr corrupts the screen, so
:func:`setup_logging` sends the root logger to ``<state>/log/tws-tui.log`` (1 MiB, 3 old
copies), routes :mod:`warnings` there too, and removes any handler writing to stdout or
stderr. It may be called again (``--log-level`` after the config is read, a log-level change in
Preferences): it replaces its own handler instead of adding one. ``tws-tui locate log`` prints
the file's path.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from tws_tui.platform import paths

LEVELS: dict[str, int] = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
}
MAX_BYTES = 1024 * 1024
BACKUP_COUNT = 3
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


def _writes_to_terminal(handler: logging.Handler) -> bool:
    terminal = {sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__}
    return isinstance(handler, logging.StreamHandler) and handler.stream in terminal


def current_log_file() -> Path | None:
    """The file :func:`setup_logging` last opened, or None before it ran."""
    if isinstance(_handler, logging.FileHandler):
        return Path(_handler.baseFilename)
    return None
