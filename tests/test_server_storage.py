"""The server's store on both engines: the same behaviour from the SQLite file and PostgreSQL.

Every test of the first part runs on SQLite and on a fresh PostgreSQL database
(``server_database``, see conftest). Two store objects on the same data stand for two server
instances (or an instance and an admin command). Then the idempotency keys and the sign-in
throttle, in memory and in PostgreSQL, under the same rules; then what only PostgreSQL has
(clear errors for a wrong URL or an unreachable server, migrations run once, a newer schema
refused) and the server's settings file.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tws_tui import cli
from tws_tui.server.config_file import ServerFileError, read_server_file
from tws_tui.server.idempotency import IdempotencyStore, StoredResponse
from tws_tui.server.storage import IdempotencyKeys, ServerStorage, SignInCounter
from tws_tui.server.store import ServerStore, StoreUnavailable
from tws_tui.server.throttle import SignInThrottle
from tws_tui.wire.problems import IdempotencyInFlight, IdempotencyMismatch, TooManyRequests

Opener = Callable[[], ServerStorage]


@pytest.fixture
def open_store(tmp_path: Path, server_database: str) -> Iterator[Opener]:
    """Opens one more store on the test's data (another instance); all closed at the end."""
    opened: list[ServerStorage] = []

    def make() -> ServerStorage:
        store: ServerStorage
        if server_database:
            from tws_tui.server.pg_store import PgStore

            store = PgStore(server_database, pool_size=2)
        else:
            store = ServerStore(tmp_path)
        store.open()
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store: Opener) -> ServerStorage:
    return open_store()


# ---- accounts and sessions ------------------------------------------------------------------


def test_accounts_and_sessions(store: ServerStorage) -> None:
    store.add_account("zoe", "h1", "182", "operator", "Zoé", 1.0)
    store.add_account("amy", "h2", "183", "supervisor", "Amy", 2.0)
    assert store.accounts() == [
        ("amy", "h2", "183", "supervisor", "Amy"),
        ("zoe", "h1", "182", "operator", "Zoé"),
    ]
    with pytest.raises(StoreUnavailable):  # one account per extension
        store.add_account("bad", "h", "182", "operator", "Bad", 3.0)
    store.add_session("s1", "zoe", "tui", "r1", 10.0, 100.0)
    store.add_session("s2", "zoe", "tui", "r2", 11.0, 50.0)
    store.add_session("s3", "amy", "tui", "r3", 12.0, 100.0)
    assert store.user_sessions("zoe") == ["s1", "s2"]
    assert store.session_by_refresh("r2") == ("s2", "zoe", 50.0)
    assert store.session_by_refresh("nope") is None
    assert store.session_ids(60.0) == {"s1", "s3"}
    store.purge_sessions(60.0)
    assert store.user_sessions("zoe") == ["s1"]
    assert store.set_password("zoe", "h9", keep_sessions=True)
    assert store.user_sessions("zoe") == ["s1"]  # a cost upgrade keeps them
    assert store.set_password("zoe", "h10")
    assert store.user_sessions("zoe") == []  # a new password closes them
    assert not store.set_password("ghost", "h")
    store.save_shared_list("amy", "7", "Garages", [{"name": "Garage"}])
    assert store.delete_account("amy")
    assert store.session_ids(0) == set() and store.shared_lists() == []
    assert not store.delete_account("amy")
    store.delete_session("none")  # no error


def test_another_instances_account_and_session_changes_are_seen(open_store: Opener) -> None:
    first, other = open_store(), open_store()
    other.add_account("zoe", "h1", "182", "operator", "Zoé", 1.0)
    before = first.data_version()
    other.add_session("s1", "zoe", "tui", "r1", 10.0, 100.0)
    after_login = first.data_version()
    assert after_login != before
    assert first.session_ids(0) == {"s1"}
    other.delete_account("zoe")
    assert first.data_version() != after_login
    assert first.accounts() == [] and first.session_ids(0) == set()


def test_run_numbers_never_repeat_across_instances(open_store: Opener) -> None:
    first, other = open_store(), open_store()
    runs = [first.next_run(), other.next_run(), first.next_run()]
    assert runs == [1, 2, 3]


def test_every_instance_signs_with_the_same_key(open_store: Opener) -> None:
    first, other = open_store(), open_store()
    key = first.signing_key()
    assert len(key) == 44 and other.signing_key() == key == first.signing_key()


def test_meta_values(store: ServerStorage) -> None:
    assert store.meta("color") is None
    store.next_run()
    assert store.meta("run") == "1"
    store.delete_meta("run")
    assert store.meta("run") is None and store.next_run() == 1


# ---- directory, audit, lists, profiles -------------------------------------------------------


def test_shared_directory_audit_and_profiles(store: ServerStorage) -> None:
    store.add_contact("c1", {"name": "Plombier €"}, "zoe")
    store.add_contact("c2", {"name": "Garage"}, "zoe")
    assert store.contacts_added_by("zoe") == 2 and store.contacts_added_by("amy") == 0
    assert store.contact_creator("c1") == "zoe" and store.contact_creator("x") is None
    assert store.update_contact("c1", {"name": "Plombier Durand"})
    assert not store.update_contact("x", {})
    assert store.delete_contact("c2") and not store.delete_contact("c2")
    assert store.contacts() == [{"name": "Plombier Durand"}]
    for at in range(3):
        store.add_audit(float(at), "sam", "force_flow", f"/v1/flows/{at}", "{}")
    assert [row[3] for row in store.audit(2)] == ["/v1/flows/2", "/v1/flows/1"]
    assert store.profiles("zoe") == ""
    store.save_profiles("zoe", '{"a":1}')
    store.save_profiles("zoe", '{"a":2}')
    assert store.profiles("zoe") == '{"a":2}'


def test_public_lists_keep_their_order_when_replaced(store: ServerStorage) -> None:
    store.save_shared_list("zoe", "1", "Garages", [])
    store.save_shared_list("zoe", "2", "Plombiers", [{"name": "P"}])
    store.save_shared_list("amy", "9", "Amis", [])
    store.save_shared_list("zoe", "1", "Garages du coin", [{"name": "G"}])
    assert store.shared_lists() == [
        ("amy", "9", "Amis", []),
        ("zoe", "1", "Garages du coin", [{"name": "G"}]),
        ("zoe", "2", "Plombiers", [{"name": "P"}]),
    ]
    assert store.shared_list_ids("zoe") == {"1", "2"}
    assert store.delete_shared_list("zoe", "2") and not store.delete_shared_list("zoe", "2")


# ---- history, chat, features, voicemail -----------------------------------------------------


def test_history_newest_first_with_comments_and_missed_calls(store: ServerStorage) -> None:
    store.add_history("zoe", "h1", {"n": 1}, "2026-01-01T10:00:00", missed=True)
    store.add_history("zoe", "h2", {"n": 2}, "2026-01-01T11:00:00", missed=False)
    store.add_history("zoe", "h3", {"n": 3}, "2026-01-01T11:00:00", missed=True)
    store.add_history("zoe", "h1", {"n": 99}, "2026-01-02T00:00:00", missed=False)  # kept once
    store.add_history("amy", "h1", {"n": 4}, "2026-01-01T09:00:00", missed=True)
    assert [b["n"] for b, _, _ in store.history("zoe", 10, False)] == [3, 2, 1]
    assert [b["n"] for b, _, _ in store.history("zoe", 1, True)] == [3]
    assert store.missed_unseen("zoe") == 2
    assert store.set_comment("zoe", "h1", "rappeler") and not store.set_comment("zoe", "x", "")
    store.mark_history_seen("zoe")
    assert store.missed_unseen("zoe") == 0 and store.missed_unseen("amy") == 1
    assert store.history("zoe", 10, True)[1] == ({"n": 1}, True, "rappeler")


def test_chat_messages_edits_replies_and_groups(store: ServerStorage) -> None:
    for n in range(5):
        store.add_chat_message(f"m{n}", "dm:u100|u180", "u100", f"texte {n}", f"t{n}")
    store.add_chat_message("g1", "g:1", "u180", "à tous", "t9", reply_to="m1", quote="texte")
    store.add_chat_message("o1", "dm:u181|u182", "u181", "ailleurs", "t10", slip='{"a":1}')
    last = store.chat_messages("dm:u100|u180", 2)
    assert [row[0] for row in last] == ["m3", "m4"]
    assert last[0][1:] == (
        "dm:u100|u180",
        "u100",
        "texte 3",
        "t3",
        None,
        0,
        0,
        None,
        "",
        None,
        None,
        None,  # files (a text with several files)
    )
    store.change_chat_message("m3", "corrigé")
    store.change_chat_message("m4", None)
    assert store.chat_message("m3")[3:] == ("corrigé", "t3", None, 1, 0, None, "", None, None, None)  # type: ignore[index]
    assert store.chat_message("m4")[3:8] == ("", "t4", None, 0, 1)  # type: ignore[index]
    assert store.chat_message("g1")[8:10] == ("m1", "texte")  # type: ignore[index]
    assert store.chat_message("nope") is None
    assert [row[0] for row in store.chat_recent_direct("u180", 3)] == ["m2", "m3", "m4"]
    assert store.chat_message("o1")[5] == '{"a":1}'  # type: ignore[index]
    store.add_chat_group("g:2", "Accueil", ["u100", "u180"], "u100")
    store.add_chat_group("g:1", "Tous", ["u100"], "u181")
    assert store.chat_groups() == [
        ("g:1", "Tous", ["u100"], "u181"),
        ("g:2", "Accueil", ["u100", "u180"], "u100"),
    ]


def test_chat_files_kept_and_dropped(store: ServerStorage) -> None:
    """Issue 15: a file's bytes in the store beside its message; taken back with its message,
    and with its group's conversation."""
    data = bytes(range(256)) + b"\x00"
    store.add_chat_file("f1", "dm:u100|u180", "devis.pdf", "application/pdf", data)
    store.add_chat_file("f2", "dm:u100|u180", "b.txt", "text/plain", b"b")
    store.add_chat_file("f3", "g:1", "plan.txt", "text/plain", b"plan")
    for mid, conversation, fid in (("m1", "dm:u100|u180", "f1"), ("m2", "dm:u100|u180", "f2")):
        attachment = json.dumps({"id": fid, "name": "x", "size": 1})
        store.add_chat_message(mid, conversation, "u100", "x", "t1", attachment=attachment)
    assert store.chat_file("f1") == ("dm:u100|u180", "devis.pdf", "application/pdf", data)
    assert json.loads(store.chat_message("m1")[10])["id"] == "f1"  # type: ignore[index]
    assert store.chat_file("nope") is None
    store.change_chat_message("m1", None)
    assert store.chat_file("f1") is None
    assert store.chat_message("m1")[10] is None  # type: ignore[index]
    store.change_chat_message("m2", "edited")  # an edit keeps it
    assert store.chat_file("f2") is not None
    store.add_chat_group("g:1", "Tous", ["u100"], "u100")
    notice = json.dumps({"kind": "joined", "who": "u180"})
    store.add_chat_message("n1", "g:1", "u180", "", "t2", notice=notice)
    assert store.chat_message("n1")[11] == notice  # type: ignore[index]
    store.delete_chat_group("g:1")
    assert store.chat_file("f3") is None
    assert store.chat_message("n1") is None
    store.delete_chat_file("f2")
    assert store.chat_file("f2") is None


def test_chat_groups_changed_and_removed_and_read_marks(store: ServerStorage) -> None:
    """Issue 15: a group renamed (members and admin too), removed with its conversation and
    its read marks; how far each member read, only ever forwards (by the store's order)."""
    store.add_chat_group("g:1", "Tous", ["u100", "u180"], "u100")
    store.add_chat_group("g:2", "Accueil", ["u100"], "u100")
    for n in range(3):
        store.add_chat_message(f"m{n}", "g:1", "u100", f"texte {n}", f"t{n}")
    store.add_chat_message("x", "g:2", "u100", "ailleurs", "t9")
    store.update_chat_group("g:1", "Équipe", ["u180", "u181"], "u180")
    assert store.chat_groups()[0] == ("g:1", "Équipe", ["u180", "u181"], "u180")
    assert store.mark_chat_read("g:1", "u180", "m1")
    assert not store.mark_chat_read("g:1", "u180", "m0")  # never backwards
    assert not store.mark_chat_read("g:1", "u180", "m1")  # already that far
    assert store.mark_chat_read("g:1", "u181", "m2")
    assert not store.mark_chat_read("g:1", "u181", "nope")  # no such message
    assert sorted(store.chat_reads("g:1")) == [("u180", "t1"), ("u181", "t2")]
    assert store.mark_chat_read("g:2", "u100", "x")
    store.delete_chat_group("g:1")
    assert [group[0] for group in store.chat_groups()] == ["g:2"]
    assert store.chat_messages("g:1", 10) == [] and store.chat_message("m0") is None
    assert store.chat_reads("g:1") == []
    assert store.chat_reads("g:2") == [("u100", "t9")]


def test_features_and_voicemail(store: ServerStorage) -> None:
    store.save_features("dev-100", {"dnd": True})
    store.save_features("dev-100", {"dnd": False})
    assert store.features() == {"dev-100": {"dnd": False}}
    store.add_voicemail("v1", "dev-100", {"from": "a"}, "2026-01-01T10:00:00")
    store.add_voicemail("v2", "dev-100", {"from": "b"}, "2026-01-01T11:00:00")
    store.add_voicemail("v1", "dev-100", {"from": "again"}, "2026-01-03T00:00:00")  # ignored
    assert store.voicemail("dev-100") == [
        ("v2", {"from": "b"}, False),
        ("v1", {"from": "a"}, False),
    ]
    assert store.mark_voicemail("dev-100", "v1", True)
    assert not store.mark_voicemail("dev-180", "v1", True)  # not that box's
    assert store.voicemail_message("dev-100", "v1") == {"from": "a"}
    assert store.voicemail_message("dev-180", "v1") is None
    assert store.delete_voicemail("dev-100", "v1") and not store.delete_voicemail("dev-100", "v1")
    assert store.voicemail("dev-100") == [("v2", {"from": "b"}, False)]


def test_voicemail_settings_greetings_and_shared_comments(store: ServerStorage) -> None:
    assert store.voicemail_settings("zoe") is None
    store.save_pin("zoe", "salt", "hash", True)
    store.save_email_copy("zoe", True, "zoe@example.fr")
    assert store.voicemail_settings("zoe") == ("salt", "hash", True, True, "zoe@example.fr")
    first = store.add_greeting("zoe", "Bureau", 3.5, b"RIFF1")
    second = store.add_greeting("zoe", "Vacances", 2.0, b"RIFF2")
    assert store.greetings("zoe") == [
        (first, "Bureau", 3.5, True),
        (second, "Vacances", 2.0, False),
    ]
    assert store.activate_greeting("zoe", second) and not store.activate_greeting("amy", second)
    assert [active for *_, active in store.greetings("zoe")] == [False, True]
    assert store.greeting_audio("zoe", second) == b"RIFF2"
    assert store.greeting_audio("amy", second) is None
    assert store.delete_greeting("zoe", second) and not store.delete_greeting("zoe", second)
    assert store.greetings("zoe") == [(first, "Bureau", 3.5, True)]  # the oldest left, active
    assert store.add_greeting("zoe", "Encore", 1.0, b"R") > second  # ids never reused
    store.saw_call("conv-1", "zoe")
    store.saw_call("conv-1", "zoe")
    store.saw_call("conv-1", "amy")
    assert sorted(store.call_parties("conv-1")) == ["amy", "zoe"]
    one = store.add_call_comment("conv-1", "zoe", "t1", "rappeler")
    two = store.add_call_comment("conv-1", "amy", "t2", "fait")
    store.edit_call_comment(one, "rappeler demain")
    assert store.call_comments("conv-1") == [
        (one, "zoe", "t1", "rappeler demain", True),
        (two, "amy", "t2", "fait", False),
    ]
    assert store.call_comment(two) == ("conv-1", "amy", "t2", "fait", False)
    assert store.call_comment(999) is None


# ---- idempotency keys and sign-in throttling, in memory and in PostgreSQL ---------------------


def _idempotency(store: ServerStorage, now: Callable[[], float]) -> IdempotencyKeys:
    from tws_tui.server.pg_shared import PgIdempotencyKeys
    from tws_tui.server.pg_store import PgStore

    if isinstance(store, PgStore):
        return PgIdempotencyKeys(store, ttl_s=10, now=now)
    return IdempotencyStore(ttl_s=10, now=now)


def test_idempotency_keys_replay_refuse_and_expire(store: ServerStorage) -> None:
    now = [1000.0]
    keys = _idempotency(store, lambda: now[0])
    done = StoredResponse(201, b'{"id":"c1"}', "application/json")
    assert keys.begin("alice", "k", "print-1") is None
    with pytest.raises(IdempotencyInFlight):
        keys.begin("alice", "k", "print-1")
    keys.finish("alice", "k", done)
    assert keys.begin("alice", "k", "print-1") == done
    with pytest.raises(IdempotencyMismatch):
        keys.begin("alice", "k", "print-2")
    assert keys.begin("bob", "k", "print-2") is None  # per user
    keys.abort("bob", "k")
    assert keys.begin("bob", "k", "print-3") is None  # aborted: may run again
    now[0] += 11
    assert keys.begin("alice", "k", "print-2") is None  # expired


def _two_pg_instances(cluster: Any) -> tuple[ServerStorage, ServerStorage]:
    from tws_tui.server.pg_store import PgStore

    url = cluster.new_database()
    first, other = PgStore(url, pool_size=1), PgStore(url, pool_size=1)
    first.open()
    other.open()
    return first, other


def test_idempotency_keys_hold_across_instances(pg_cluster: Any) -> None:
    """(PostgreSQL: the embedded mode's keys are its one process's.)"""
    stores = _two_pg_instances(pg_cluster)
    first, other = (_idempotency(store, lambda: 1000.0) for store in stores)
    assert first.begin("alice", "k", "p") is None
    with pytest.raises(IdempotencyInFlight):
        other.begin("alice", "k", "p")
    first.finish("alice", "k", StoredResponse(204, b"", "application/json"))
    assert other.begin("alice", "k", "p") == StoredResponse(204, b"", "application/json")
    for store in stores:
        store.close()


def _throttle(store: ServerStorage, now: Callable[[], float]) -> SignInCounter:
    from tws_tui.server.pg_shared import PgSignInThrottle
    from tws_tui.server.pg_store import PgStore

    limits: dict[str, Any] = {"account_limit": 2, "address_limit": 3, "window_s": 10.0}
    if isinstance(store, PgStore):
        return PgSignInThrottle(store, now=now, **limits)
    return SignInThrottle(now=now, **limits)


def test_sign_in_failures_lock_the_account_then_the_address(open_store: Opener) -> None:
    now = [1000.0]
    store = open_store()
    one = _throttle(store, lambda: now[0])
    one.failed("alice", "10.0.0.1")
    now[0] += 4
    one.failed("alice", "10.0.0.2")
    with pytest.raises(TooManyRequests) as locked:
        one.check("alice", "10.0.0.3")
    assert locked.value.params == {"seconds": 6}
    one.check("bob", "10.0.0.3")
    one.failed("bob", "10.0.0.1")
    one.check("carol", "10.0.0.1")  # 2 failures from that address
    one.failed("carol", "10.0.0.1")
    with pytest.raises(TooManyRequests):
        one.check("dave", "10.0.0.1")  # 3 failures from that address
    now[0] += 6.5
    one.check("alice", "10.0.0.3")  # the first failure left the window
    one.failed("alice", "10.0.0.4")
    with pytest.raises(TooManyRequests):
        one.check("alice", "10.0.0.5")
    one.succeeded("alice")
    one.check("alice", "10.0.0.5")


def test_failures_are_counted_across_instances(pg_cluster: Any) -> None:
    """(PostgreSQL: the embedded mode counts its one process's failures.)"""
    stores = _two_pg_instances(pg_cluster)
    one, two = (_throttle(store, lambda: 1000.0) for store in stores)
    one.failed("alice", "10.0.0.1")
    two.failed("alice", "10.0.0.2")
    with pytest.raises(TooManyRequests):
        one.check("alice", "10.0.0.9")
    for store in stores:
        store.close()


# ---- PostgreSQL only: errors, migrations --------------------------------------------------------


def test_a_wrong_or_unreachable_database_says_what_is_wrong(pg_cluster: Any) -> None:
    from tws_tui.server.pg_store import PgStore
    from tws_tui.server.storage import open_storage

    cases = {
        "mysql://db/x": "is not a PostgreSQL URL",
        "postgresql://tws@127.0.0.1:1/x": "Connection refused",
        pg_cluster.url("missing"): 'database "missing" does not exist',
    }
    for url, reason in cases.items():
        with pytest.raises(StoreUnavailable) as error:
            open_storage(Path("/nonexistent"), url)
        assert reason in str(error.value) and "\n" not in str(error.value)
        assert str(error.value).startswith("The server database (PostgreSQL")
    assert "secret" not in PgStore("postgresql://u:secret@h/db").describe()


def test_instances_starting_together_migrate_once(pg_cluster: Any) -> None:
    from tws_tui.server.pg_store import MIGRATIONS, PgStore

    url = pg_cluster.new_database()
    stores = [PgStore(url, pool_size=1) for _ in range(4)]
    errors: list[BaseException] = []

    def open_(store: PgStore) -> None:
        try:
            store.open()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=open_, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    with stores[0].transaction() as db:
        row = db.execute("SELECT version FROM schema_version").fetchall()
    assert row == [(len(MIGRATIONS),)]
    for store in stores:
        store.close()


def test_a_database_restart_is_a_503_while_down_then_nothing_to_do() -> None:
    """The pool's connections die with the server: 503s (after a short wait) while it is down,
    then the pool reconnects by itself, nothing to restart."""
    from pg_server import start_cluster

    from tws_tui.server.pg_store import PgStore

    own = start_cluster()  # not the session's: the other tests keep theirs
    try:
        store = PgStore(own.new_database(), pool_size=1)
        store.open()
        assert store.next_run() == 1
        assert own.process is not None
        own.process.terminate()
        own.process.wait(10)
        with pytest.raises(StoreUnavailable, match="cannot be used"):
            store.next_run()
        own.restart()
        deadline = time.monotonic() + 20  # the pool reconnects with backoff: within seconds
        while True:
            try:
                assert store.next_run() == 2
                break
            except StoreUnavailable:
                assert time.monotonic() < deadline, "the pool did not reconnect"
        store.close()
    finally:
        own.stop()


def test_a_database_of_a_newer_version_is_refused_untouched(pg_cluster: Any) -> None:
    from tws_tui.server.pg_store import PgStore

    url = pg_cluster.new_database()
    store = PgStore(url)
    store.open()
    with store.transaction() as db:
        db.execute("UPDATE schema_version SET version = 99")
    store.close()
    with pytest.raises(StoreUnavailable, match="schema version 99, newer"):
        PgStore(url).open()


# ---- the server's settings file -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[database\n", "not valid TOML"),
        ("[server]\nport = 1\n", "unknown table or key server"),
        ('[database]\nurl = "postgresql://h/db"\nsize = 2\n', "unknown key [database] size"),
        ("[database]\nurl = 5\n", "url must be a text in quotes"),
        ('[database]\nurl = "mysql://h/db"\n', "is not a PostgreSQL URL"),
        ('[database]\nurl = "postgresql://a b@h"\n', "the database URL is not valid"),
        ('[database]\nurl = "postgresql://h/db"\npool_size = 0\n', "from 1 to 100"),
        ("database = 1\n", "database must be a table"),
    ],
)
def test_the_settings_file_refuses_what_is_wrong(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "server.toml"
    path.write_text(text)
    with pytest.raises(ServerFileError, match="server.toml: .*" + problem.replace("[", r"\[")):
        read_server_file(path)


def test_the_settings_file_chooses_the_database(tmp_path: Path) -> None:
    assert read_server_file(tmp_path / "absent.toml").database == ""
    with pytest.raises(ServerFileError, match="no such file"):
        read_server_file(tmp_path / "absent.toml", required=True)
    path = tmp_path / "server.toml"
    path.write_text('[database]\nurl = "postgresql://tws@db.example:5433/tws"\npool_size = 8\n')
    settings = read_server_file(path)
    assert (settings.database, settings.pool_size) == ("postgresql://tws@db.example:5433/tws", 8)


def test_serve_says_what_is_wrong_with_its_database_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "srv"
    data.mkdir()
    (data / "server.toml").write_text('[database]\nurl = "postgresql://tws@127.0.0.1:1/tws"\n')
    assert cli.main(["serve", "list-users", "--data-dir", str(data)]) == 1
    err = capsys.readouterr().err
    assert "Connection refused" in err and "Traceback" not in err
    bad = tmp_path / "bad.toml"
    bad.write_text('[database]\nurl = "sqlite:///x"\n')
    assert (
        cli.main(["--lang", "en", "serve", "--data-dir", str(data), "--server-config", str(bad)])
        == 1
    )
    err = capsys.readouterr().err
    assert "is not a PostgreSQL URL" in err and "Traceback" not in err


def test_the_example_settings_file_is_valid_and_documents_every_key() -> None:
    example = Path(__file__).resolve().parent.parent / "server.example.toml"
    assert read_server_file(example, required=True) == read_server_file(Path("/absent.toml"))
    text = example.read_text()
    assert all(f"\n{key} = " in text for key in ("url", "pool_size"))
