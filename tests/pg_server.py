"""A real PostgreSQL on loopback for the server's scaled-mode tests.

:class:`PgCluster` runs Debian's PostgreSQL (``/usr/lib/postgresql/<version>/bin``, package
``postgresql``, installed by ``make test-deps`` through ``tools/install_postgresql.sh``): a
throw-away cluster (``initdb``, trust authentication on 127.0.0.1 only, no Unix socket, fsync
off: the tests need no durability) in a temporary directory, on a free port, started once per
test session; :meth:`PgCluster.new_database` gives each test a fresh empty database and its
URL. ``initdb`` refuses to run as root: as root the cluster runs as the ``postgres`` user
(``runuser``). A missing PostgreSQL fails the test under ``CI=true`` and skips it elsewhere,
saying why.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from needs import missing

SUPERUSER = "tws"


def bin_dir() -> Path | None:
    """The newest installed PostgreSQL's binaries (Debian's layout), or None."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(path.split("/")[4]) if path.split("/")[4].isdigit() else 0,
    )
    return Path(found[-1]).parent if found else None


class PortTaken(RuntimeError):
    """The server could not bind its port: someone took it since :func:`free_port`."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgCluster:
    def __init__(self, binaries: Path) -> None:
        self.binaries = binaries
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="tws-pg-"))
        self.data = self.dir / "data"
        self._as: list[str] = []
        if os.geteuid() == 0:  # initdb refuses root: the cluster belongs to postgres
            self._as = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.dir, "postgres", "postgres")
        self._numbers = itertools.count(1)
        self.process: subprocess.Popen[bytes] | None = None
        self.log = self.dir / "postgres.log"

    def start(self) -> None:
        self._initdb()
        for attempt in range(3):
            try:
                self._run_server()
                return
            except PortTaken:
                # The free port was taken between free_port() and the server's bind (another
                # worker's server: CI saw it once at 21:17): another port, the same cluster.
                if attempt == 2:
                    raise
                self.port = free_port()

    def restart(self) -> None:
        """Stop the server (fast shutdown) and start it again on the same data and port."""
        assert self.process is not None
        self.process.terminate()
        self.process.wait(10)
        self._run_server()

    def _initdb(self) -> None:
        subprocess.run(
            [
                *self._as,
                str(self.binaries / "initdb"),
                "-D",
                str(self.data),
                "-U",
                SUPERUSER,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
        )

    def _run_server(self) -> None:
        written = self.log.stat().st_size if self.log.exists() else 0  # this start's lines after
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [
                    *self._as,
                    str(self.binaries / "postgres"),
                    "-D",
                    str(self.data),
                    "-p",
                    str(self.port),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "unix_socket_directories=",
                    "-c",
                    "fsync=off",
                    "-c",
                    "synchronous_commit=off",
                    "-c",
                    "full_page_writes=off",
                    "-c",
                    "max_connections=200",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while True:
            try:
                self.admin("SELECT 1")
                return
            except Exception:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    said = self.log.read_bytes()[written:].decode(errors="replace")
                    if self.process.poll() is not None and "Address already in use" in said:
                        raise PortTaken(said) from None
                    raise RuntimeError("PostgreSQL did not start: " + said) from None
                time.sleep(0.1)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True, connect_timeout=2) as db:
            db.execute(sql.encode())

    def new_database(self) -> str:
        """A fresh, empty database; its URL."""
        name = f"t{next(self._numbers)}"
        self.admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(10)
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(5)
        shutil.rmtree(self.dir, ignore_errors=True)


def start_cluster() -> PgCluster:
    """A running cluster, or the test skipped (failed under CI) saying what is missing."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        missing("the PostgreSQL tests need the 'postgres' extra (psycopg): make test-deps")
    binaries = bin_dir()
    if binaries is None:
        missing(
            "the PostgreSQL tests need Debian's postgresql package"
            " (/usr/lib/postgresql/*/bin): make test-deps installs it"
        )
    assert binaries is not None
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        missing("as root, the PostgreSQL tests need runuser to run initdb as postgres")
    cluster = PgCluster(binaries)
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    return cluster
