"""Opening the app's SQLite files (the call journal, the local contacts) the same careful way.

:class:`SqliteFile` is the base of both stores: opened on first use, schema version checked
before anything is written, migrations one transaction each, pragmas, close, one-statement
queries. ``open_database(path, prepare, unavailable)`` creates the folder, refuses a path that
is not a file, connects (autocommit, usable from worker threads, 5 s busy wait), then runs
``prepare``. Every failure becomes the store's own error, built by ``unavailable(reason)`` with
a sentence a user can act on (:func:`explain`); the connection is closed when preparing fails.
``sqlite3`` is imported on first open, not when the app starts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from tws_tui.platform.paths import ensure_dir

if TYPE_CHECKING:
    import sqlite3


def explain(error: sqlite3.Error) -> str:
    """What an SQLite error means for the file, in words."""
    text = str(error)
    if "not a database" in text or "malformed" in text:
        return f"the file is not a readable SQLite database ({text}); it was left untouched"
    if "readonly" in text or "unable to open" in text:
        return f"no permission to read and write it ({text})"
    if "disk" in text and "full" in text:
        return f"the disk is full ({text})"
    return text


def open_database(
    path: Path,
    prepare: Callable[[sqlite3.Connection], None],
    unavailable: Callable[[str], Exception],
) -> sqlite3.Connection:
    """The prepared connection to ``path``, or ``unavailable(reason)`` raised."""
    import sqlite3

    try:
        ensure_dir(path.parent)
    except OSError as error:
        raise unavailable(f"cannot create its directory ({error})") from error
    try:
        if path.exists() and not path.is_file():
            raise unavailable("it is not a file")
    except OSError as error:
        raise unavailable(f"cannot reach it ({error})") from error
    try:
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5.0)
    except sqlite3.Error as error:
        raise unavailable(f"cannot open it ({error})") from error
    try:
        prepare(db)
    except sqlite3.Error as error:
        db.close()
        raise unavailable(explain(error)) from error
    except BaseException:
        db.close()
        raise
    return db


BUSY_TIMEOUT_MS = 5000


class SqliteFile:
    """One SQLite file of the app, opened on first use, migrated, shared by worker threads.

    A subclass sets ``MIGRATIONS`` (each a tuple of statements; the schema version is how many
    ran, kept in ``PRAGMA user_version``), ``PRAGMAS`` run on every open (e.g. foreign keys),
    and ``unavailable(reason)`` building its own error. A file written by a newer version is
    refused before anything is written; each migration is one transaction.
    """

    MIGRATIONS: tuple[tuple[str, ...], ...] = ()
    PRAGMAS: tuple[str, ...] = ()

    def __init__(self, path: Path) -> None:
        import threading

        self.path = path
        self._db: sqlite3.Connection | None = None
        self._lock = threading.RLock()
        self._writes = 0  # transactions committed here (a revision for "changed since")

    def unavailable(self, reason: str) -> Exception:
        raise NotImplementedError

    @property
    def schema_version(self) -> int:
        return len(self.MIGRATIONS)

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = open_database(self.path, self._prepare, self.unavailable)
        return self._db

    def _prepare(self, db: sqlite3.Connection) -> None:
        """Check the schema version (before writing anything), then pragmas and migrations."""
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        if version > self.schema_version:
            raise self.unavailable(
                f"it has schema version {version}, newer than this tws-tui knows "
                f"({self.schema_version}); it was written by a newer version and was left"
                " untouched"
            )
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        for pragma in self.PRAGMAS:
            db.execute(pragma)
        if version < self.schema_version:
            self._migrate(db, version)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")

    def _migrate(self, db: sqlite3.Connection, version: int) -> None:
        """Apply the missing migrations, each in its own transaction with its version bump.

        The version is read again inside each transaction: another process (a second console
        starting at the same moment) may have applied the migration since ``version`` was
        read, and running it twice would fail ("table already exists")."""
        for number in range(version, self.schema_version):
            db.execute("BEGIN IMMEDIATE")
            try:
                if int(db.execute("PRAGMA user_version").fetchone()[0]) > number:
                    db.execute("COMMIT")  # done meanwhile by another connection
                    continue
                for statement in self.MIGRATIONS[number]:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number + 1}")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed whole, or rolled back on any error; an SQLite
        error becomes the subclass's own (``unavailable``)."""
        import sqlite3

        with self._lock:
            db = self._connection()
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise self.unavailable(explain(error)) from error
            try:
                yield db
                db.execute("COMMIT")
            except BaseException as error:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                if isinstance(error, sqlite3.Error):
                    raise self.unavailable(explain(error)) from error
                raise
            self._writes += 1

    def open(self) -> None:
        """Open (and migrate) now rather than on first use; the subclass's error if it can't."""
        with self._lock:
            self._connection()

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def _run(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        import sqlite3

        with self._lock:
            db = self._connection()
            try:
                return [tuple(row) for row in db.execute(sql, params).fetchall()]
            except sqlite3.Error as error:
                raise self.unavailable(explain(error)) from error
