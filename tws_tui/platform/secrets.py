"""Secrets (SIP password, CTI refresh token): the OS keyring, else a private file.

A secret is keyed by ``(service, account)``, e.g. ``("sip", "alice@pbx.example")``; the keyring
entry is named ``tws-tui:<service>``. The OS keyring (via the ``keyring`` package) is used when
it has a usable backend. Headless machines and SSH sessions usually have none (``keyring``
then selects its *fail* or *null* backend, or a chainer with nothing in it): there the secrets
go to ``secrets.json`` in the data directory, written atomically with mode 0600 inside a 0700
directory. That file is plain text protected only by file permissions; if it is found readable
by group or others its mode is fixed back to 0600 and a warning is logged.
``TWS_TUI_KEYRING=off`` forces the file (tests use it so they never touch a real keyring).

Secrets are never logged: log lines name the service and account only.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from pathlib import Path
from typing import Any

from tws_tui.platform import paths

log = logging.getLogger(__name__)

KEYRING_PREFIX = "tws-tui"
ENV_KEYRING = "TWS_TUI_KEYRING"
SERVICE_SIP = "sip"
SERVICE_CTI = "cti"

_UNUSABLE_KEYRING_MODULES = ("keyring.backends.fail", "keyring.backends.null")
_AUTO: Any = object()


def usable_keyring() -> Any | None:
    """The OS keyring backend, or None when there is no real one (or ``TWS_TUI_KEYRING=off``)."""
    if os.environ.get(ENV_KEYRING, "").strip().lower() in {"off", "0", "no", "false", "file"}:
        return None
    try:
        import keyring
        from keyring.backends.chainer import ChainerBackend
    except Exception:  # keyring missing or broken at import
        log.debug("keyring cannot be imported", exc_info=True)
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:
        log.debug("no keyring backend", exc_info=True)
        return None
    if type(backend).__module__ in _UNUSABLE_KEYRING_MODULES:
        return None
    try:
        if isinstance(backend, ChainerBackend) and not backend.backends:
            return None
        if float(backend.priority) <= 0:  # keyring's own "not a real store" marker
            return None
    except Exception:
        log.debug("keyring backend %s is not usable", type(backend).__name__, exc_info=True)
        return None
    return backend


class SecretStore:
    """Secrets by ``(service, account)`` in a keyring backend, falling back to a 0600 file.

    ``keyring_backend`` is a ``keyring.backend.KeyringBackend`` or None for the file only;
    by default :func:`usable_keyring` decides. ``path`` defaults to
    :func:`tws_tui.platform.paths.secrets_file`.
    """

    def __init__(self, keyring_backend: Any = _AUTO, path: Path | None = None) -> None:
        self.keyring: Any | None = usable_keyring() if keyring_backend is _AUTO else keyring_backend
        self._path = path

    @property
    def path(self) -> Path:
        return self._path if self._path is not None else paths.secrets_file()

    def where(self) -> str:
        """Where new secrets go, for messages: the keyring's name or the file path."""
        if self.keyring is not None:
            return f"keyring ({type(self.keyring).__name__})"
        return str(self.path)

    def store(self, service: str, account: str, secret: str) -> str:
        """Store ``secret``; return ``"keyring"`` or ``"file"`` (where it went)."""
        if self.keyring is not None:
            try:
                self.keyring.set_password(_keyring_service(service), account, secret)
            except Exception as exc:
                log.warning(
                    "keyring refused the %s secret for %s (%s); using %s",
                    service,
                    account,
                    type(exc).__name__,
                    self.path,
                )
            else:
                self._file_delete(service, account)  # do not leave an older copy behind
                log.info("stored the %s secret for %s in the keyring", service, account)
                return "keyring"
        data = self._file_read()
        data.setdefault(service, {})[account] = secret
        self._file_write(data)
        log.info("stored the %s secret for %s in %s", service, account, self.path)
        return "file"

    def get(self, service: str, account: str) -> str | None:
        """The stored secret, or None."""
        if self.keyring is not None:
            try:
                secret = self.keyring.get_password(_keyring_service(service), account)
            except Exception as exc:
                log.warning(
                    "keyring lookup of the %s secret for %s failed (%s)",
                    service,
                    account,
                    type(exc).__name__,
                )
                secret = None
            if secret is not None:
                return str(secret)
        value = self._file_read().get(service, {}).get(account)
        return value if isinstance(value, str) else None

    def delete(self, service: str, account: str) -> bool:
        """Forget the secret everywhere; True if there was one."""
        found = False
        if self.keyring is not None:
            try:
                self.keyring.delete_password(_keyring_service(service), account)
                found = True
            except Exception:  # PasswordDeleteError when absent, or a keyring failure
                log.debug("no %s secret for %s in the keyring", service, account)
        found = self._file_delete(service, account) or found
        if found:
            log.info("deleted the %s secret for %s", service, account)
        return found

    # --- the fallback file ---------------------------------------------------------------

    def _file_read(self) -> dict[str, dict[str, str]]:
        path = self.path
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            return {}
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            log.warning(
                "%s was readable by other users (mode %o); restricting it to 0600",
                path,
                stat.S_IMODE(mode),
            )
            path.chmod(0o600)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            # The message of a JSON error can quote the file's content: log the type only.
            log.warning("cannot read %s (%s); treating it as empty", path, type(exc).__name__)
            return {}
        if not isinstance(data, dict):
            log.warning("%s does not hold a table; treating it as empty", path)
            return {}
        return {
            str(service): {str(k): v for k, v in accounts.items() if isinstance(v, str)}
            for service, accounts in data.items()
            if isinstance(accounts, dict)
        }

    def _file_write(self, data: dict[str, dict[str, str]]) -> None:
        paths.ensure_dir(self.path.parent, mode=0o700)
        text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        paths.atomic_write_bytes(self.path, text.encode("utf-8"), mode=0o600)

    def _file_delete(self, service: str, account: str) -> bool:
        data = self._file_read()
        if account not in data.get(service, {}):
            return False
        del data[service][account]
        if not data[service]:
            del data[service]
        self._file_write(data)
        return True


def _keyring_service(service: str) -> str:
    return f"{KEYRING_PREFIX}:{service}"


def store_secret(service: str, account: str, secret: str) -> str:
    """Store a secret with the default store; return ``"keyring"`` or ``"file"``."""
    return SecretStore().store(service, account, secret)


def get_secret(service: str, account: str) -> str | None:
    """The secret stored for ``(service, account)``, or None."""
    return SecretStore().get(service, account)


def delete_secret(service: str, account: str) -> bool:
    """Forget the secret for ``(service, account)``; True if there was one."""
    return SecretStore().delete(service, account)
