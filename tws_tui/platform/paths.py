"""Where tws-tui keeps its files: the one seam for every location on disk.

Everything that needs a path asks this module, so tests (and users) can move all of it with
environment variables instead of patching:

=========================  ===========================================================
``TWS_TUI_CONFIG_DIR``     directory of ``config.toml`` (hand-edited) and ``prefs.toml``
``TWS_TUI_CONFIG_FILE``    one config file, anywhere (``--config`` does the same)
``TWS_TUI_DATA_DIR``       local data: SQLite databases, the fallback secrets file
``TWS_TUI_STATE_DIR``      state: logs (``<state>/log``)
=========================  ===========================================================

Without overrides the platform's directories come from platformdirs (``appname="tws-tui"``,
no author), e.g. ``~/.config/tws-tui`` and ``~/.local/state/tws-tui`` on Linux.

Functions only *compute* paths; nothing is created at import or by asking. Writers call
:func:`ensure_dir` on the directory right before they write, and app-owned files (prefs, the
secrets file) are replaced whole with :func:`atomic_write_bytes` so a crash or a full disk never
leaves a half-written file behind.
"""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
import time
from pathlib import Path

import platformdirs

APP_NAME = "tws-tui"

ENV_CONFIG_DIR = "TWS_TUI_CONFIG_DIR"
ENV_CONFIG_FILE = "TWS_TUI_CONFIG_FILE"
ENV_DATA_DIR = "TWS_TUI_DATA_DIR"
ENV_DOWNLOADS_DIR = "TWS_TUI_DOWNLOADS_DIR"
ENV_STATE_DIR = "TWS_TUI_STATE_DIR"

CONFIG_FILE_NAME = "config.toml"
PREFS_FILE_NAME = "prefs.toml"
LOG_FILE_NAME = "tws-tui.log"
SECRETS_FILE_NAME = "secrets.json"


def _override(variable: str) -> Path | None:
    """The path in environment ``variable`` (``~`` expanded), or None when unset or empty."""
    value = os.environ.get(variable, "").strip()
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    """Directory of ``config.toml`` and ``prefs.toml``."""
    return _override(ENV_CONFIG_DIR) or platformdirs.user_config_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    """Directory of local data (databases, the fallback secrets file)."""
    return _override(ENV_DATA_DIR) or platformdirs.user_data_path(APP_NAME, appauthor=False)


def downloads_dir() -> Path:
    """Where received files are saved (the user's downloads folder; ``TWS_TUI_DOWNLOADS_DIR``
    overrides it)."""
    return _override(ENV_DOWNLOADS_DIR) or platformdirs.user_downloads_path()


def state_dir() -> Path:
    """Directory of state that may be lost without harm (logs)."""
    return _override(ENV_STATE_DIR) or platformdirs.user_state_path(APP_NAME, appauthor=False)


def log_dir() -> Path:
    """Directory of the rotating log files (under :func:`state_dir`)."""
    return state_dir() / "log"


def log_file() -> Path:
    """The current log file; rotated copies sit beside it as ``tws-tui.log.1`` and so on."""
    return log_dir() / LOG_FILE_NAME


def config_file() -> Path:
    """The user's hand-edited ``config.toml`` (read, never written, by the app)."""
    return _override(ENV_CONFIG_FILE) or config_dir() / CONFIG_FILE_NAME


def prefs_file() -> Path:
    """The app-owned ``prefs.toml`` written by the Preferences screen, overlaid on the config."""
    return config_dir() / PREFS_FILE_NAME


def secrets_file() -> Path:
    """The 0600 secrets file used when no OS keyring is available."""
    return data_dir() / SECRETS_FILE_NAME


def locations() -> dict[str, Path]:
    """Every location by the name ``tws-tui locate`` uses for it, in display order."""
    return {
        "config": config_file(),
        "prefs": prefs_file(),
        "data": data_dir(),
        "state": state_dir(),
        "log": log_file(),
    }


def ensure_dir(path: Path, mode: int = 0o700) -> Path:
    """Create directory ``path`` (and parents) if missing, private to the user; return it.

    The mode applies only to directories created now; an existing directory is left as it is.
    """
    path.mkdir(mode=mode, parents=True, exist_ok=True)
    return path


def atomic_write_bytes(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace ``path`` with ``data`` atomically: temp file in the same directory, fsync, rename.

    The file has ``mode`` from the moment it exists (the temp file is created 0600), so a secret
    is never readable by others even briefly. Readers see the old content or the new one, never
    a mix; on any error the temp file is removed and the old file is untouched. Temp files of
    ``path`` left by a process killed while writing (``kill -9``, power cut) are removed once
    older than :data:`STALE_TEMP_S` (a younger one may be another process's write in flight).
    """
    directory = ensure_dir(path.parent)
    remove_stale_temps(path)
    fd, temp_name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _fsync_directory(directory)


#: A temp file of :func:`atomic_write_bytes` older than this was left by a killed writer.
STALE_TEMP_S = 60.0


def remove_stale_temps(path: Path, older_than_s: float = STALE_TEMP_S) -> None:
    """Remove the ``.<name>.*.tmp`` files of ``path`` left behind by a killed writer."""
    limit = time.time() - older_than_s
    for temp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            if temp.is_file() and temp.stat().st_mtime < limit:
                temp.unlink()


def _fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable (POSIX); no-op where directories cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
