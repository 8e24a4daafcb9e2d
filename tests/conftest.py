"""Test isolation and the snapshot setup shared by the whole suite.

* SVG snapshots live in the top-level ``snapshots/<test module>/`` folder (pytest-textual-snapshot
  1.1.0 looks ``SVGImageExtension`` up at call time, so rebinding it redirects storage);
* every test gets its own config/data/state directories (the user's real files never leak in),
  UTC as local time zone and English as the starting language;
* the Input cursor never blinks (a blinking cursor makes snapshots random);
* the server's store, both engines: ``server_database`` is "" (the SQLite file) or the URL of a
  fresh database on the session's PostgreSQL (``pg_cluster``, :mod:`pg_server`); the modules of
  :data:`BOTH_ENGINES` run every test that asks for it on each engine, the others on SQLite;
  the ``cti_server`` tests of the :data:`SCALED` modules run a third time, ``scaled``: one
  switch and three API instances on PostgreSQL and the session's Redis (``session_redis``).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import pytest_textual_snapshot as _pts
from textual.widgets import Input

from tws_tui.platform import logs
from tws_tui.platform.i18n import set_language

SNAPSHOTS = Path(__file__).resolve().parent.parent / "snapshots"

#: The test modules whose server tests run on SQLite and on PostgreSQL (those that exercise the
#: store: accounts, sessions, revocation, idempotency, throttling, restarts, history, chat,
#: voicemail, profiles, lists); the other server tests run on SQLite only, to keep CI short.
BOTH_ENGINES = frozenset(
    {
        "test_server_storage",
        "test_cti_server",
        "test_cti_hardening",
        "test_cti_fuzz",
        "test_server_accounts",
        "test_history_cti",
        "test_forward_steps_cti",
        "test_history_clear_cti",
        "test_chat_cti",
        "test_chat_files_cti",
        "test_chat_staging_cti",
        "test_chat_group_notices",
        "test_chat_sms_cti",
        "test_chat_group_admin",
        "test_chat_reads",
        "test_chat_outbox",
        "test_chat_search",
        "test_chat_two_consoles",
        "test_assist_cti",
        "test_voicemail_cti",
        "test_profiles_cti",
        "test_find_me_cti",
        "test_profiles_rules2_cti",
        "test_forward_announcement_cti",
        "test_slips_cti",
        "test_shared_lists_backends",
        "test_shared_comments",
        "test_comments_search_delete",
        "test_vmprefs_backends",
        "test_pg_instances",
    }
)


#: The test modules whose ``cti_server`` tests run in the scaled mode too (issue 21): one switch
#: publishing to Redis, three API instances on one PostgreSQL database, a round-robin balancer in
#: front (:mod:`scaled_fixtures`), the session's Redis under a key prefix per test and a fresh
#: database per test. Every module with ``cti_server`` tests: the server, its hardening and client,
#: chat (help requests and broadcasts too), history, voicemail and its settings, profiles and their
#: rules, slips, forwarding and its announcements, the public directory, shared lists and comments
#: (their search and deletion), files in chat (staged with tags too), group notices, a message from
#: a call, a contact's event log, deleting my history, forward steps and the answering machine,
#: remembered extensions, the phone line, the desk — 94 tests (docs/scaled-mode.md).
SCALED = frozenset(
    {
        "test_cti_server",
        "test_cti_hardening",
        "test_cti_client",
        "test_history_cti",
        "test_forward_steps_cti",
        "test_chat_cti",
        "test_chat_edits",
        "test_chat_groups",
        "test_chat_sms_cti",
        "test_chat_group_admin",
        "test_chat_reads",
        "test_chat_outbox",
        "test_chat_search",
        "test_chat_two_consoles",
        "test_voicemail_cti",
        "test_voicemail_backends",
        "test_profiles_cti",
        "test_slips_cti",
        "test_forwarding_cti",
        "test_forward_announcement_cti",
        "test_profiles_rules2_cti",
        "test_public_directory",
        "test_shared_lists_backends",
        "test_shared_lists_console",
        "test_shared_comments",
        "test_vmprefs_backends",
        "test_desk_cti",
        "test_assist_cti",
        "test_chat_files_more_cti",
        "test_chat_group_notices",
        "test_comments_search_delete",
        "test_history_clear_cti",
        "test_history_shared_search",
        "test_chat_reach_cti",
        "test_answering_machine_cti",
        "test_contact_log_cti",
        "test_phone_line",
        "test_profile_extensions_cti",
        "test_chat_staging_cti",
    }
)

#: The tests of :data:`SCALED` modules that cannot apply to the scaled mode, and why. Keep it
#: short: a test failing there because the server is wrong is fixed, not listed.
NOT_SCALED: dict[str, str] = {}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "server_database" not in metafunc.fixturenames:
        return
    module = metafunc.module.__name__
    modes = ["sqlite", "postgres"] if module in BOTH_ENGINES else ["sqlite"]
    name = f"{module}::{metafunc.function.__name__}"
    if "cti_server" in metafunc.fixturenames and module in SCALED and name not in NOT_SCALED:
        # The scaled mode's store is PostgreSQL too (switch and API instances on one database):
        # there, it replaces the embedded server on PostgreSQL, which adds little beside it
        # for the time it costs (CI's 30-minute budget).
        modes = ["sqlite", "scaled"]
    if len(modes) > 1:
        metafunc.parametrize("server_database", modes, indirect=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[object]:
    """The session's PostgreSQL on loopback (skipped without it; failed under CI=true)."""
    from pg_server import start_cluster

    cluster = start_cluster()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def session_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The session's Redis on loopback, no persistence (skipped without it; failed under
    CI=true); each scaled server takes its own key prefix in it."""
    from redis_server import start_redis, stop_redis

    process, url = start_redis(tmp_path_factory.mktemp("redis"))
    try:
        yield url
    finally:
        stop_redis(process)


@pytest.fixture
def server_database(request: pytest.FixtureRequest) -> str:
    """The server's store for this test: "" = SQLite in its data directory, else the URL of a
    fresh PostgreSQL database."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return ""
    cluster = request.getfixturevalue("pg_cluster")
    url: str = cluster.new_database()
    return url


class TopLevelSVGExtension(_pts.SVGImageExtension):
    """Store SVGs in <repo>/snapshots/<test_module>/<test>.svg instead of tests/__snapshots__/."""

    @classmethod
    def dirname(cls, *, test_location) -> str:  # type: ignore[no-untyped-def]
        return str(SNAPSHOTS / test_location.basename)


_pts.SVGImageExtension = TopLevelSVGExtension  # type: ignore[misc]


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("CONFIG", "DATA", "STATE"):
        monkeypatch.setenv(f"TWS_TUI_{name}_DIR", str(tmp_path / name.lower()))
    monkeypatch.delenv("TWS_TUI_CONFIG_FILE", raising=False)
    return tmp_path


@pytest.fixture(autouse=True, scope="session")
def utc_local_time() -> None:
    os.environ["TZ"] = "UTC"
    time.tzset()


@pytest.fixture(autouse=True)
def logging_restored() -> Iterator[None]:
    """A test that runs ``cli.main`` (any command: it sets up the log file) leaves the root
    logger as it found it: its handlers closed and removed, its level back."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    logging.captureWarnings(False)
    logs.close_backend_log()  # the backend's own file (TWS-6.11-4) closed too
    logs._handler = None


@pytest.fixture(autouse=True)
def english_first():
    set_language("en")
    yield
    set_language("en")


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
