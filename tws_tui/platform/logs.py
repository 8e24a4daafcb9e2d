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

TWS-6.11-4's second file: :func:`open_backend_log` also writes the records of the backend in
use (its package's loggers, and the simulated switch's for ``sim``) to a file of its own
beside the console's, ``<backend>_<YYYYMMDD-HHMMSS>.log`` (``sip_20261207-163000.log``), one a
run, rotating like the console's, the newest :data:`BACKEND_LOGS_KEPT` runs kept; the console's
log keeps them too. :func:`current_backend_log` is its path (Tools shows both).
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
from datetime import datetime
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

#: The loggers a backend writes through, by backend name (others: ``tws_tui.backends.NAME``).
BACKEND_LOGGERS: dict[str, tuple[str, ...]] = {
    "sim": ("tws_tui.backends.sim", "tws_tui.simulator"),
    "sip": ("tws_tui.backends.sip",),
    "cti": ("tws_tui.backends.cti",),
}
BACKEND_LOGS_KEPT = 15  # runs whose backend log is kept

_handler: logging.Handler | None = None
_backend: tuple[logging.Handler, tuple[str, ...]] | None = None


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


def open_backend_log(name: str, now: datetime | None = None, folder: Path | None = None) -> Path:
    """Write backend ``name``'s records to a file of their own too, in ``folder`` (the log's
    by default), stamped ``now``; return its path. Replaces the previous backend's file;
    :class:`OSError` when the file cannot be made."""
    global _backend
    close_backend_log()
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", name) or "backend"
    directory = folder if folder is not None else paths.log_file().parent
    paths.ensure_dir(directory)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = directory / f"{safe}_{stamp}.log"
    handler = logging.handlers.RotatingFileHandler(
        target, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(FORMAT))
    loggers = BACKEND_LOGGERS.get(name, (f"tws_tui.backends.{safe}",))
    for logger in loggers:
        logging.getLogger(logger).addHandler(handler)
    _backend = (handler, loggers)
    _prune(directory, safe, keep=target)
    return target


def _prune(directory: Path, name: str, keep: Path) -> None:
    """The oldest runs' backend logs past :data:`BACKEND_LOGS_KEPT` removed."""
    pattern = re.compile(rf"{re.escape(name)}_\d{{8}}-\d{{6}}\.log")
    runs = sorted(p for p in directory.iterdir() if pattern.fullmatch(p.name) and p != keep)
    for old in runs[: max(0, len(runs) - (BACKEND_LOGS_KEPT - 1))]:
        for path in (old, *old.parent.glob(f"{old.name}.*")):
            path.unlink(missing_ok=True)


def close_backend_log() -> None:
    """Stop writing the backend's own file (its records still reach the console's)."""
    global _backend
    if _backend is not None:
        handler, loggers = _backend
        for logger in loggers:
            logging.getLogger(logger).removeHandler(handler)
        handler.close()
        _backend = None


def current_backend_log() -> Path | None:
    """The file :func:`open_backend_log` last opened, or None."""
    if _backend is not None and isinstance(_backend[0], logging.FileHandler):
        return Path(_backend[0].baseFilename)
    return None
