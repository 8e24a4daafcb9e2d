"""Two ``tws-tui serve`` processes on one PostgreSQL: one set of accounts and sessions.

Real processes (``python -m tws_tui serve``), each with its own data directory whose
``server.toml`` names the same database, as two instances behind a load balancer would be. A
token signed in on one is valid on the other; a sign-out through one, and an account removed
through one (the admin command with that instance's settings), are refused by the other within
1 s — its requests and its open event stream. The cross-instance race of two operators answering
one queued call needs the switch split (one switch process) and is the next part's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cti_fixtures import PASSWORD, http_client, login
from pg_server import free_port

from tws_tui.server import run
from tws_tui.server.accounts import hash_password
from tws_tui.server.pg_store import PgStore

ROOT = Path(__file__).resolve().parent.parent
WITHIN_S = 1.0
SERVE = (sys.executable, "-m", "tws_tui", "serve")


class Instance:
    """One ``tws-tui serve`` process on loopback."""

    def __init__(self, data_dir: Path, url: str) -> None:
        data_dir.mkdir(parents=True)
        (data_dir / "server.toml").write_text(f'[database]\nurl = "{url}"\n')
        self.data_dir = data_dir
        self.port = free_port()
        self.log = data_dir / "serve.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [*SERVE, "--data-dir", str(data_dir), "--port", str(self.port)],
                cwd=ROOT,
                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped: {self.log.read_text()}")
            try:
                if httpx.get(self.url + "/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"the server did not start: {self.log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


@pytest.fixture
def two_instances(tmp_path: Path, pg_cluster: Any) -> Iterator[tuple[Instance, Instance]]:
    url = pg_cluster.new_database()
    store = PgStore(url)
    store.open()
    for username, extension in (("alice", "100"), ("bob", "180")):
        # a cheap hash (the server redoes it at its own cost at the first sign-in)
        hashed = hash_password(PASSWORD, n=2**12)
        store.add_account(username, hashed, extension, "operator", username, 0.0)
    store.close()
    instances = (Instance(tmp_path / "a", url), Instance(tmp_path / "b", url))
    try:
        for instance in instances:
            instance.wait_ready()
        yield instances
    finally:
        for instance in instances:
            instance.stop()


def _refused_within(http: httpx.Client, headers: dict[str, str]) -> float:
    """Seconds until ``GET /v1/me`` with ``headers`` is refused (401), at most 5."""
    start = time.monotonic()
    while time.monotonic() - start < 5:
        if http.get("/v1/me", headers=headers).status_code == 401:
            return time.monotonic() - start
        time.sleep(0.02)
    return float("inf")


class Stream:
    """An event stream read in a thread: whether and when it ended."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.opened = threading.Event()
        self.ended = threading.Event()
        self.ended_at = 0.0
        threading.Thread(target=self._read, args=(url, headers), daemon=True).start()
        assert self.opened.wait(10), "the stream did not start"

    def _read(self, url: str, headers: dict[str, str]) -> None:
        try:
            with (
                http_client(url) as client,
                client.stream("GET", "/v1/events", headers=headers, timeout=30) as response,
            ):
                assert response.status_code == 200
                for line in response.iter_lines():
                    if line.startswith("event: snapshot"):
                        self.opened.set()
        except httpx.HTTPError:
            pass
        self.ended_at = time.monotonic()
        self.ended.set()


def test_a_session_and_an_account_closed_on_one_instance_are_refused_by_the_other(
    two_instances: tuple[Instance, Instance],
) -> None:
    a, b = two_instances
    with http_client(a.url) as on_a, http_client(b.url) as on_b:
        alice = login(on_a, "alice")
        assert on_b.get("/v1/me", headers=alice).json()["extension"] == "100"  # one token
        assert on_a.delete("/v1/auth/token", headers=alice).status_code == 204  # signs out on A
        assert _refused_within(on_b, alice) < WITHIN_S

        bob = login(on_b, "bob")
        stream = Stream(b.url, bob)
        assert on_a.get("/v1/me", headers=bob).status_code == 200
        removed_at = time.monotonic()
        run.remove_user(a.data_dir, "bob")  # the admin command with instance A's settings
        assert _refused_within(on_b, bob) < WITHIN_S
        assert stream.ended.wait(WITHIN_S + 1)
        assert stream.ended_at - removed_at < WITHIN_S
        refused = on_b.post(
            "/v1/auth/token",
            json={"grant_type": "password", "username": "bob", "password": PASSWORD},
        )
        assert refused.status_code == 401


def test_an_idempotent_command_retried_on_the_other_instance_runs_once(
    two_instances: tuple[Instance, Instance],
) -> None:
    a, b = two_instances
    with http_client(a.url) as on_a, http_client(b.url) as on_b:
        alice = {**login(on_a, "alice"), "Idempotency-Key": "add-plombier-1"}
        card = {"name": "Plombier Durand", "numbers": [["Fixe", "+33478000000"]]}
        first = on_a.post("/v1/directory/contacts", json=card, headers=alice)
        assert first.status_code == 201
        again = on_b.post("/v1/directory/contacts", json=card, headers=alice)
        assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
        assert again.json()["id"] == first.json()["id"]
        found = on_b.get("/v1/directory/search", params={"q": "plombier"}, headers=alice)
        assert [c["name"] for c in found.json()["items"]] == ["Plombier Durand"]
