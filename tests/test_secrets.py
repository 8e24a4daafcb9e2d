"""Secrets: keyring when usable, else a 0600 file; never in logs."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import keyring.backends.fail
import keyring.backends.null
import pytest
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend
from keyring.errors import KeyringError, PasswordDeleteError

from tws_tui.platform import paths, secrets
from tws_tui.platform.secrets import SecretStore

SECRET = "s3cr3t-Pa55-do-not-log"


class MemoryKeyring(KeyringBackend):
    """A working keyring that keeps entries in a dict."""

    priority = 1  # type: ignore[assignment]
    viable = False  # keep it out of keyring's own discovery (the chainer) for other tests

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


class LockedKeyring(MemoryKeyring):
    """A keyring that exists but refuses to store (a locked collection, no D-Bus session...)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError("collection is locked")


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(tmp_path / "data"))
    monkeypatch.setenv(paths.ENV_CONFIG_DIR, str(tmp_path / "config"))
    monkeypatch.setenv(paths.ENV_STATE_DIR, str(tmp_path / "state"))
    monkeypatch.setenv(secrets.ENV_KEYRING, "off")  # never the developer's real keyring
    return tmp_path


def file_store() -> SecretStore:
    return SecretStore(keyring_backend=None)


def test_file_fallback_round_trip() -> None:
    store = file_store()
    assert store.get("sip", "alice") is None
    assert store.store("sip", "alice", SECRET) == "file"
    assert store.store("cti", "alice", "token-2") == "file"
    assert store.get("sip", "alice") == SECRET
    assert SecretStore(keyring_backend=None).get("cti", "alice") == "token-2"  # persisted
    assert store.delete("sip", "alice") is True
    assert store.get("sip", "alice") is None
    assert store.delete("sip", "alice") is False
    assert store.get("cti", "alice") == "token-2"


def test_file_is_created_0600_in_a_0700_directory() -> None:
    file_store().store("sip", "alice", SECRET)
    path = paths.secrets_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_world_readable_file_is_fixed_and_warned_about(caplog: pytest.LogCaptureFixture) -> None:
    store = file_store()
    store.store("sip", "alice", SECRET)
    path = paths.secrets_file()
    path.chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="tws_tui.platform.secrets"):
        assert store.get("sip", "alice") == SECRET
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "readable by other users" in caplog.text


def test_secrets_never_reach_the_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    store = file_store()
    store.store("sip", "alice", SECRET)
    store.get("sip", "alice")
    paths.secrets_file().write_text('{"sip": {"alice": "' + SECRET + '"', encoding="utf-8")
    assert store.get("sip", "alice") is None  # corrupt file: treated as empty, not a crash
    store.delete("sip", "alice")
    locked_store = SecretStore(keyring_backend=LockedKeyring())
    locked_store.store("sip", "bob", SECRET)
    assert caplog.records, "the store should say what it did"
    assert SECRET not in caplog.text


def test_usable_keyring_is_preferred_and_replaces_a_file_copy() -> None:
    file_store().store("sip", "alice", "old-file-copy")
    ring = MemoryKeyring()
    store = SecretStore(keyring_backend=ring)
    assert store.store("sip", "alice", SECRET) == "keyring"
    assert ring.entries == {("tws-tui:sip", "alice"): SECRET}
    assert file_store().get("sip", "alice") is None  # no stale clear-text copy left
    assert store.get("sip", "alice") == SECRET
    assert store.delete("sip", "alice") is True
    assert ring.entries == {}
    assert store.delete("sip", "alice") is False


def test_refusing_keyring_falls_back_to_the_file() -> None:
    store = SecretStore(keyring_backend=LockedKeyring())
    assert store.store("cti", "alice", SECRET) == "file"
    assert store.get("cti", "alice") == SECRET
    assert stat.S_IMODE(paths.secrets_file().stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "backend",
    [keyring.backends.fail.Keyring(), keyring.backends.null.Keyring(), ChainerBackend()],
    ids=["fail", "null", "empty-chainer"],
)
def test_fail_null_and_empty_chainer_keyrings_are_not_usable(
    backend: KeyringBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(secrets.ENV_KEYRING)
    monkeypatch.setattr(keyring.backend, "get_all_keyring", lambda: [])  # a chainer of nothing
    monkeypatch.setattr(keyring, "get_keyring", lambda: backend)
    assert secrets.usable_keyring() is None


def test_a_real_keyring_is_usable_unless_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    ring = MemoryKeyring()
    monkeypatch.setattr(keyring, "get_keyring", lambda: ring)
    assert secrets.usable_keyring() is None  # TWS_TUI_KEYRING=off from the fixture
    monkeypatch.delenv(secrets.ENV_KEYRING)
    assert secrets.usable_keyring() is ring


def test_module_functions_use_the_default_store() -> None:
    assert secrets.store_secret("sip", "alice", SECRET) == "file"
    assert secrets.get_secret("sip", "alice") == SECRET
    assert secrets.delete_secret("sip", "alice") is True
    assert secrets.get_secret("sip", "alice") is None


def test_secrets_never_go_to_prefs_or_config(tmp_path: Path) -> None:
    secrets.store_secret("sip", "alice", SECRET)
    for path in tmp_path.rglob("*"):
        if path.is_file() and path != paths.secrets_file():
            assert SECRET not in path.read_text(encoding="utf-8", errors="replace")
