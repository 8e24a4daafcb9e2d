"""The server's own settings file, ``server.toml`` in its data directory (or ``--server-config``).

Owns :class:`ServerFile` and :func:`read_server_file`. Two tables: ``[database]``: ``url``
(``postgresql://user:password@host:5432/name``: the scaled mode, several instances on one
PostgreSQL; absent or "" = the embedded SQLite file) and ``pool_size`` (connections per
instance, 1 to 100); ``[chat]``: ``max_file_kb``, the largest file sent in a conversation (1 to
5120 KiB, the console's own limit; 413 above it). Unlike the console's config (where a wrong
value falls back to its default), a wrong server setting stops the command: a server started on
the wrong database would be worse than none. Every problem is a :class:`ServerFileError` with
one sentence naming the file, the key and what is expected; a missing file is no problem
(defaults).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tws_tui.core.values import value_class
from tws_tui.domain.attachments import MAX_ATTACHMENT_BYTES
from tws_tui.platform.i18n import _

FILE_NAME = "server.toml"
POOL_SIZES = (1, 100)
FILE_KB = (1, MAX_ATTACHMENT_BYTES // 1024)


class ServerFileError(ValueError):
    """A problem in the server's settings file (the message says what to change)."""


@value_class
class ServerFile:
    database: str = ""
    pool_size: int = 4
    chat_file_max_bytes: int = MAX_ATTACHMENT_BYTES  # [chat] max_file_kb, in bytes


def read_server_file(path: Path, *, required: bool = False) -> ServerFile:
    """The settings of ``path``; defaults when it does not exist (unless ``required``)."""
    import tomllib

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if required:
            raise ServerFileError(_("{path}: no such file").format(path=path)) from None
        return ServerFile()
    except (OSError, UnicodeDecodeError) as error:
        raise ServerFileError(
            _("{path}: cannot read it ({error})").format(path=path, error=error)
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ServerFileError(
            _("{path}: not valid TOML ({error})").format(path=path, error=error)
        ) from None
    unknown = sorted(set(data) - {"database", "chat"})
    if unknown:
        raise ServerFileError(
            _("{path}: unknown table or key {key} (known: [database], [chat])").format(
                path=path, key=unknown[0]
            )
        )
    table = data.get("database", {})
    if not isinstance(table, dict):
        raise ServerFileError(_("{path}: database must be a table, [database]").format(path=path))
    chat = data.get("chat", {})
    if not isinstance(chat, dict):
        raise ServerFileError(_("{path}: chat must be a table, [chat]").format(path=path))
    return ServerFile(_url(path, table), _pool_size(path, table), _file_bytes(path, chat))


def _url(path: Path, table: dict[str, Any]) -> str:
    unknown = sorted(set(table) - {"url", "pool_size"})
    if unknown:
        raise ServerFileError(
            _("{path}: unknown key [database] {key} (known: url, pool_size)").format(
                path=path, key=unknown[0]
            )
        )
    url = table.get("url", "")
    if not isinstance(url, str):
        raise ServerFileError(
            _("{path}: [database] url must be a text in quotes").format(path=path)
        )
    if not url:
        return ""
    from tws_tui.server.pg_store import check_url

    try:
        check_url(url)
    except ValueError as error:
        raise ServerFileError(
            _("{path}: [database] url: {problem}").format(path=path, problem=error)
        ) from None
    return url


def _pool_size(path: Path, table: dict[str, Any]) -> int:
    size = table.get("pool_size", ServerFile().pool_size)
    low, high = POOL_SIZES
    if isinstance(size, bool) or not isinstance(size, int) or not low <= size <= high:
        raise ServerFileError(
            _(
                "{path}: [database] pool_size = {value!r}: expected a whole number from"
                " {low} to {high}"
            ).format(path=path, value=size, low=low, high=high)
        )
    return size


def _file_bytes(path: Path, table: dict[str, Any]) -> int:
    unknown = sorted(set(table) - {"max_file_kb"})
    if unknown:
        raise ServerFileError(
            _("{path}: unknown key [chat] {key} (known: max_file_kb)").format(
                path=path, key=unknown[0]
            )
        )
    kb = table.get("max_file_kb", MAX_ATTACHMENT_BYTES // 1024)
    low, high = FILE_KB
    if isinstance(kb, bool) or not isinstance(kb, int) or not low <= kb <= high:
        raise ServerFileError(
            _(
                "{path}: [chat] max_file_kb = {value!r}: expected a whole number of KiB from"
                " {low} to {high}"
            ).format(path=path, value=kb, low=low, high=high)
        )
    return kb * 1024
