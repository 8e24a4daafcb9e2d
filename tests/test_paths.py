"""Locations: env overrides, platformdirs defaults, nothing created until asked, atomic writes."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tws_tui.platform import paths

ENV_VARS = (
    paths.ENV_CONFIG_DIR,
    paths.ENV_CONFIG_FILE,
    paths.ENV_DATA_DIR,
    paths.ENV_STATE_DIR,
)


@pytest.fixture(autouse=True)
def xdg_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No override set, and the platform directories pointed into tmp_path."""
    for variable in ENV_VARS:
        monkeypatch.delenv(variable, raising=False)
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    for variable, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        monkeypatch.setenv(variable, str(home / sub))
    return home


def test_platform_defaults_use_the_app_name_without_author(xdg_home: Path) -> None:
    assert paths.config_dir() == xdg_home / ".config" / "tws-tui"
    assert paths.data_dir() == xdg_home / ".local/share" / "tws-tui"
    assert paths.state_dir() == xdg_home / ".local/state" / "tws-tui"
    assert paths.log_dir() == paths.state_dir() / "log"
    assert paths.config_file() == paths.config_dir() / "config.toml"
    assert paths.prefs_file() == paths.config_dir() / "prefs.toml"
    assert paths.secrets_file().parent == paths.data_dir()


def test_env_overrides_move_every_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.ENV_CONFIG_DIR, str(tmp_path / "c"))
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(tmp_path / "d"))
    monkeypatch.setenv(paths.ENV_STATE_DIR, str(tmp_path / "s"))
    assert paths.config_file() == tmp_path / "c" / "config.toml"
    assert paths.prefs_file() == tmp_path / "c" / "prefs.toml"
    assert paths.data_dir() == tmp_path / "d"
    assert paths.log_file() == tmp_path / "s" / "log" / "tws-tui.log"


def test_config_file_override_points_at_one_file_and_keeps_prefs_in_the_config_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.ENV_CONFIG_DIR, str(tmp_path / "c"))
    monkeypatch.setenv(paths.ENV_CONFIG_FILE, str(tmp_path / "elsewhere.toml"))
    assert paths.config_file() == tmp_path / "elsewhere.toml"
    assert paths.prefs_file() == tmp_path / "c" / "prefs.toml"


def test_empty_override_is_ignored_and_tilde_is_expanded(
    xdg_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.ENV_DATA_DIR, "")
    assert paths.data_dir() == xdg_home / ".local/share" / "tws-tui"
    monkeypatch.setenv(paths.ENV_DATA_DIR, "~/tws")
    assert paths.data_dir() == xdg_home / "tws"


def test_asking_for_paths_creates_nothing(xdg_home: Path) -> None:
    paths.locations()
    paths.log_dir()
    paths.secrets_file()
    assert not xdg_home.exists()


def test_locations_lists_what_locate_prints() -> None:
    assert list(paths.locations()) == ["config", "prefs", "data", "state", "log"]


def test_ensure_dir_creates_a_private_directory_once(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b"
    assert paths.ensure_dir(target) == target
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    assert paths.ensure_dir(target) == target  # idempotent


def test_atomic_write_replaces_the_file_whole_with_the_requested_mode(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "prefs.toml"
    paths.atomic_write_bytes(target, b"one")
    assert target.read_bytes() == b"one"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    paths.atomic_write_bytes(target, b"two", mode=0o644)
    assert target.read_bytes() == b"two"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert sorted(os.listdir(target.parent)) == ["prefs.toml"]  # no temp file left


def test_atomic_write_failure_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "prefs.toml"
    target.write_bytes(b"old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(paths.os, "replace", broken_replace)
    with pytest.raises(OSError):
        paths.atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["prefs.toml"]


def test_temp_files_left_by_a_writer_killed_mid_save_are_removed_later(tmp_path: Path) -> None:
    target = tmp_path / "prefs.toml"
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, signal, sys; from pathlib import Path; from tws_tui.platform import paths;"
            " os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL);"
            " paths.atomic_write_bytes(Path(sys.argv[1]), b'half')",
            str(target),
        ],
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL
    [left] = tmp_path.glob(".prefs.toml.*.tmp")
    in_flight = tmp_path / ".prefs.toml.other.tmp"  # another process writing right now
    in_flight.write_bytes(b"")
    other_file = tmp_path / ".journal.sqlite3.x.tmp"
    other_file.write_bytes(b"")
    old = time.time() - paths.STALE_TEMP_S - 5
    os.utime(left, (old, old))
    os.utime(other_file, (old, old))
    paths.atomic_write_bytes(target, b"whole")
    assert target.read_bytes() == b"whole"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".journal.sqlite3.x.tmp",
        ".prefs.toml.other.tmp",
        "prefs.toml",
    ]
