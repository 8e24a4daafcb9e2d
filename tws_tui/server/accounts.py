"""Operator accounts: password hashing (stdlib scrypt), roles, look-up and the admin commands.

Owns :class:`Account` and :class:`Accounts`. Passwords are stored as
``scrypt$<n>$<r>$<p>$<salt>$<hash>`` (base64, 16-byte salt, 32-byte key) with the OWASP cost
(N=2^17, r=8, p=1: 128 MiB and ~0.8 s per hash here) and compared in constant time; a hash of
a lower cost (written by an older version) is redone at the next successful sign-in. An
unknown user name costs the same hashing as a wrong password, so timing does not tell which
accounts exist. Roles (what each may do: :mod:`tws_tui.server.roles`): ``operator`` and
``supervisor``.
"""

from __future__ import annotations

import base64
import enum
import functools
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import replace

from tws_tui.core.values import value_class
from tws_tui.platform.i18n import _
from tws_tui.server.storage import ServerStorage
from tws_tui.simulator.company import device_id_of, user_id_of

SCRYPT_N = 2**17  # OWASP Password Storage Cheat Sheet: N=2^17, r=8, p=1
SCRYPT_R = 8
SCRYPT_P = 1


def _maxmem(n: int, r: int, p: int) -> int:
    """The memory scrypt needs (128·r·(n+p) bytes), with room: OpenSSL's default is 32 MiB."""
    return 128 * r * (n + p) + 2**20


_USERNAME = re.compile(r"[A-Za-z0-9._@-]{1,64}")
_EXTENSION = re.compile(r"[0-9]{2,8}")


class Role(enum.StrEnum):
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"


class AccountError(ValueError):
    """A bad account request (admin command): the message says what to change."""


@value_class
class Account:
    username: str
    extension: str
    role: Role
    name: str
    password_hash: str

    @property
    def user_id(self) -> str:
        return user_id_of(self.extension)

    @property
    def device_id(self) -> str:
        return device_id_of(self.extension)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, *, n: int = SCRYPT_N) -> str:
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(
        password.encode(),
        salt=salt,
        n=n,
        r=SCRYPT_R,
        p=SCRYPT_P,
        dklen=32,
        maxmem=_maxmem(n, SCRYPT_R, SCRYPT_P),
    )
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(key)
        got = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
            maxmem=_maxmem(int(n), int(r), int(p)),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def cost_of(stored: str) -> int:
    """The scrypt N of a stored hash (0 when unreadable)."""
    parts = stored.split("$")
    return int(parts[1]) if len(parts) == 6 and parts[1].isascii() and parts[1].isdigit() else 0


@functools.cache
def _dummy_hash(n: int) -> str:
    return hash_password("not a password", n=n)


class Accounts:
    """The accounts of one server (cached from the store; the admin commands write through)."""

    def __init__(self, store: ServerStorage, *, scrypt_n: int = SCRYPT_N) -> None:
        self.store = store
        self.scrypt_n = scrypt_n  # tests lower it; production keeps the OWASP cost
        self._by_name: dict[str, Account] = {}
        self.reload()

    def reload(self) -> None:
        self._by_name = {
            name: Account(name, ext, Role(role), full, hashed)
            for name, hashed, ext, role, full in self.store.accounts()
        }

    def all(self) -> list[Account]:
        return list(self._by_name.values())

    def get(self, username: str) -> Account | None:
        return self._by_name.get(username)

    def by_user_id(self, user_id: str) -> Account | None:
        return next((a for a in self._by_name.values() if a.user_id == user_id), None)

    def authenticate(self, username: str, password: str) -> Account | None:
        """The account if the password is right; None otherwise (same cost either way)."""
        account = self._by_name.get(username)
        stored = account.password_hash if account else _dummy_hash(self.scrypt_n)
        if not verify_password(password, stored) or account is None:
            return None
        if cost_of(stored) < self.scrypt_n:  # an older, cheaper hash: redo it now
            hashed = hash_password(password, n=self.scrypt_n)
            self.store.set_password(username, hashed, keep_sessions=True)
            account = replace(account, password_hash=hashed)
            self._by_name = {**self._by_name, username: account}
        return account

    def add(
        self, username: str, password: str, extension: str, role: Role | str, name: str = ""
    ) -> Account:
        if not _USERNAME.fullmatch(username):
            raise AccountError(
                _("user name {username!r}: use 1 to 64 letters, digits or . _ @ -").format(
                    username=username
                )
            )
        if not _EXTENSION.fullmatch(extension):
            raise AccountError(
                _("extension {extension!r}: use 2 to 8 digits, e.g. 100").format(
                    extension=extension
                )
            )
        try:
            role = Role(role)
        except ValueError:
            raise AccountError(
                _("role {role!r}: use operator or supervisor").format(role=role)
            ) from None
        if len(password) < 8:
            raise AccountError(_("the password needs at least 8 characters"))
        if username in self._by_name:
            raise AccountError(_("user {username!r} already exists").format(username=username))
        if any(a.extension == extension for a in self._by_name.values()):
            raise AccountError(
                _("extension {extension} already belongs to another account").format(
                    extension=extension
                )
            )
        hashed = hash_password(password, n=self.scrypt_n)
        self.store.add_account(
            username, hashed, extension, role.value, name or username, time.time()
        )
        self.reload()
        account = self._by_name[username]
        return account

    def set_password(self, username: str, password: str) -> None:
        if len(password) < 8:
            raise AccountError(_("the password needs at least 8 characters"))
        if not self.store.set_password(username, hash_password(password, n=self.scrypt_n)):
            raise AccountError(_("no user {username!r}").format(username=username))
        self.reload()

    def remove(self, username: str) -> None:
        if not self.store.delete_account(username):
            raise AccountError(_("no user {username!r}").format(username=username))
        self.reload()
