"""Public contact lists (TWS-2.4.5/-6) on the ``sim`` and ``cti`` backends.

The simulator: colleagues' lists seeded from the company (the same seed, the same lists), the
operator's own published, replaced and withdrawn, bad lists refused, no ``shared_lists``
without the capability. The CTI backend against the REAL reference server on loopback: one
account publishes, the other sees it as someone else's and cannot change or withdraw it; a bad
list is a 400 problem naming the culprit and stores nothing; the lists survive a restart and
an older database is migrated.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from cti_fixtures import ServerThread, cti_server, http_client, login, make_backend

from tws_tui.backends.sim import SimBackend
from tws_tui.core.errors import InvalidDestination, PermissionDenied
from tws_tui.core.model import Capability, Contact, SharedList
from tws_tui.server.store import ServerStore
from tws_tui.simulator.shared_lists import MAX_CONTACTS, username_of
from tws_tui.wire.problems import PROBLEM_CONTENT_TYPE, InvalidRequest

__all__ = ["cti_server"]

GARAGE = Contact("", "private", "Garage Moreau", (("Atelier", "01 46 46 46 46"),))
PLOMBIER = Contact("12", "private", "Plombier Durand", (("Fixe", "+33478000000"),))


def sim(**options: Any) -> SimBackend:
    return SimBackend({"seed": 0, "traffic": False, **options})


def summary(lists: list[SharedList]) -> list[tuple[str, str, str, bool, list[str]]]:
    return [(s.id, s.name, s.owner, s.mine, [c.name for c in s.contacts]) for s in lists]


# ---- sim ------------------------------------------------------------------------------------


async def test_sim_seeds_colleagues_lists_from_the_company() -> None:
    backend = sim()
    assert Capability.SHARED_LISTS in backend.capabilities and backend.shared_lists is not None
    seeded = await backend.shared_lists.lists()
    company = backend.switch.company
    it = company.by_department("Informatique")
    urgent, suppliers, direction = seeded
    assert (urgent.name, urgent.owner, urgent.mine) == (
        "Urgences techniques",
        username_of(it[0]),
        False,
    )
    assert urgent.id == f"{username_of(it[0])}/1"
    assert [c.name for c in urgent.contacts] == [p.name for p in it]
    assert all(c.source == "company" for c in urgent.contacts)
    # a supplier card: a private contact of its owner, with its company and number
    supplier = next(c for c in suppliers.contacts if c.name == "Garage des Alpes")
    assert supplier.source == "private" and supplier.company == "Garage des Alpes"
    assert supplier.numbers and supplier.numbers[0][1].startswith("+33")
    assert suppliers.owner == username_of(company.by_department("Logistique")[0])
    assert [c.name for c in direction.contacts] == [
        p.name for p in company.by_department("Direction")
    ]
    # owners are colleagues, never the operator; nothing is mine yet
    people = {username_of(p) for p in company.colleagues}
    assert {s.owner for s in seeded} <= people
    assert username_of(company.operator) == "camille.martin" not in {s.owner for s in seeded}
    # deterministic: the same seed gives the same lists, another seed its own colleagues
    again = sim()
    assert again.shared_lists is not None
    assert await again.shared_lists.lists() == seeded
    other = sim(seed=3)
    assert other.shared_lists is not None
    assert {s.owner for s in await other.shared_lists.lists()} <= {
        username_of(p) for p in other.switch.company.colleagues
    }


async def test_sim_publishes_replaces_and_withdraws_my_lists() -> None:
    backend = sim()
    lists = backend.shared_lists
    assert lists is not None
    seeded = await lists.lists()

    mine = await lists.publish("7", "  Fournisseurs ", [GARAGE])
    assert mine == SharedList("camille.martin/7", "Fournisseurs", "camille.martin", (GARAGE,), True)
    assert await lists.lists() == [*seeded, mine]

    other = await lists.publish("8", "VIP", [PLOMBIER, GARAGE])
    replaced = await lists.publish("7", "Artisans", [PLOMBIER])  # same id: replaced in place
    assert summary(await lists.lists())[len(seeded) :] == [
        ("camille.martin/7", "Artisans", "camille.martin", True, ["Plombier Durand"]),
        ("camille.martin/8", "VIP", "camille.martin", True, ["Plombier Durand", "Garage Moreau"]),
    ]
    assert replaced.contacts == (PLOMBIER,) and other.mine

    await lists.withdraw("7")
    await lists.withdraw("7")  # not public any more: nothing happens
    await lists.withdraw("camille.martin/8")  # my list by its system-wide id
    assert await lists.lists() == seeded

    # someone else's list: refused, and it stays
    with pytest.raises(PermissionDenied):
        await lists.withdraw(seeded[0].id)
    with pytest.raises(PermissionDenied):
        await lists.publish(seeded[0].id, "À moi", [])
    assert await lists.lists() == seeded


@pytest.mark.parametrize(
    ("name", "contacts"),
    [
        ("", [GARAGE]),
        ("   ", [GARAGE]),
        ("x" * 41, [GARAGE]),
        ("Trop", [GARAGE] * (MAX_CONTACTS + 1)),
        ("Sans nom", [Contact("1", "private", " ", (("Fixe", "0102030405"),))]),
        ("Numéro vide", [Contact("1", "private", "Dupont", (("Fixe", " "),))]),
    ],
)
async def test_sim_refuses_a_bad_list_and_keeps_nothing(name: str, contacts: list[Contact]) -> None:
    backend = sim(colleague_lists=False)
    assert backend.shared_lists is not None
    await backend.shared_lists.publish("7", "Avant", [GARAGE])
    before = await backend.shared_lists.lists()
    for list_id in ("7", "9"):  # neither replaced nor created
        with pytest.raises(InvalidDestination):
            await backend.shared_lists.publish(list_id, name, contacts)
    assert await backend.shared_lists.lists() == before


async def test_sim_without_the_capability_has_no_shared_lists() -> None:
    others = [c.value for c in Capability if c is not Capability.SHARED_LISTS]
    backend = sim(capabilities=others)
    assert Capability.SHARED_LISTS not in backend.capabilities
    assert backend.shared_lists is None
    empty = sim(colleague_lists=False)
    assert empty.shared_lists is not None and await empty.shared_lists.lists() == []


# ---- cti, against the reference server -------------------------------------------------------


@asynccontextmanager
async def connected(server: ServerThread, username: str, **options: Any) -> AsyncIterator[Any]:
    backend = make_backend(server.url, username=username, **options)
    await backend.connect()
    try:
        yield backend
    finally:
        await backend.close()


@pytest.fixture
def http(cti_server: ServerThread) -> Iterator[httpx.Client]:
    with http_client(cti_server.url) as client:
        yield client


async def test_cti_one_user_publishes_the_other_sees_it_and_cannot_change_it(
    cti_server: ServerThread, http: httpx.Client
) -> None:
    async with connected(cti_server, "alice") as alice, connected(cti_server, "bob") as bob:
        assert Capability.SHARED_LISTS in alice.capabilities
        assert alice.shared_lists is not None and bob.shared_lists is not None
        assert await bob.shared_lists.lists() == []

        published = await alice.shared_lists.publish("7", " Fournisseurs ", [GARAGE])
        assert published == SharedList("alice/7", "Fournisseurs", "alice", (GARAGE,), True)
        [seen] = await bob.shared_lists.lists()
        assert seen == SharedList("alice/7", "Fournisseurs", "alice", (GARAGE,), mine=False)
        assert await alice.shared_lists.lists() == [published]

        # Bob's own id 7 is his list, not Alice's: withdrawing it leaves hers alone
        await bob.shared_lists.withdraw("7")
        # Alice's list by its id: refused before any request
        with pytest.raises(PermissionDenied):
            await bob.shared_lists.withdraw("alice/7")
        with pytest.raises(PermissionDenied):
            await bob.shared_lists.publish("alice/7", "Volé", [])
        # Bob publishing under the same own id makes his own list, next to hers
        bobs = await bob.shared_lists.publish("7", "Artisans", [PLOMBIER])
        assert (bobs.id, bobs.owner, bobs.mine) == ("bob/7", "bob", True)
        assert summary(await bob.shared_lists.lists()) == [
            ("alice/7", "Fournisseurs", "alice", False, ["Garage Moreau"]),
            ("bob/7", "Artisans", "bob", True, ["Plombier Durand"]),
        ]
        # raw HTTP: a path never names another user's list; Bob has no list 8
        bob_http = login(http, "bob")
        assert http.delete("/v1/directory/lists/alice%2F7", headers=bob_http).status_code == 404
        missing = http.delete("/v1/directory/lists/8", headers=bob_http)
        assert missing.status_code == 404 and missing.json()["code"] == "not_found"
        assert [s.id for s in await alice.shared_lists.lists()] == ["alice/7", "bob/7"]

        # Alice replaces hers (same place), then withdraws it; again is not an error
        await alice.shared_lists.publish("7", "Fournisseurs", [GARAGE, PLOMBIER])
        [first, _] = await bob.shared_lists.lists()
        assert (first.id, len(first.contacts)) == ("alice/7", 2)
        await alice.shared_lists.withdraw("7")
        await alice.shared_lists.withdraw("alice/7")
        assert [s.id for s in await bob.shared_lists.lists()] == ["bob/7"]

    # a client restricted without the capability has none
    async with connected(cti_server, "alice", capabilities=["directory.search"]) as limited:
        assert limited.shared_lists is None
    caps = http.get("/v1/capabilities", headers=login(http, "sam")).json()["capabilities"]
    assert "directory.shared_lists" in caps


def card(name: str = "Dupont", numbers: Any = (("Fixe", "0102030405"),)) -> dict[str, Any]:
    return {"id": "", "source": "private", "name": name, "numbers": [list(n) for n in numbers]}


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"name": "", "contacts": [card()]}, "/name"),
        ({"name": "   ", "contacts": []}, "/name"),
        ({"name": "x" * 41, "contacts": []}, "/name"),
        ({"name": "Trop", "contacts": [card()] * (MAX_CONTACTS + 1)}, "/contacts"),
        ({"name": "Sans nom", "contacts": [card(), card(" ")]}, "/contacts/1/name"),
        ({"name": "Vide", "contacts": [card(numbers=[("Fixe", "")])]}, "/contacts/0/numbers/0/1"),
        ({"name": "Bancal", "contacts": [{**card(), "numbers": [["Fixe"]]}]},
         "/contacts/0/numbers/0"),
        ({"name": "Sans id", "contacts": [{"name": "Dupont", "numbers": []}]}, "/contacts/0/id"),
        ({"name": "Inconnu", "contacts": [{**card(), "colour": "red"}]}, "/contacts/0/colour"),
        ({"name": "Pas une liste", "contacts": "Dupont"}, "/contacts"),
        ({"contacts": []}, "/name"),
    ],
)  # fmt: skip
def test_cti_a_bad_list_is_a_problem_and_stores_nothing(
    http: httpx.Client, body: dict[str, Any], pointer: str
) -> None:
    alice = login(http, "alice")
    kept = {"name": "Avant", "contacts": [card()]}
    before = http.put("/v1/directory/lists/7", json=kept, headers=alice)
    assert before.status_code == 200, before.text
    for list_id in ("7", "8"):  # neither replaced nor created
        response = http.put(f"/v1/directory/lists/{list_id}", json=body, headers=alice)
        assert response.status_code == 400, response.text
        assert response.headers["content-type"].startswith(PROBLEM_CONTENT_TYPE)
        problem = response.json()
        assert problem["code"] == "invalid_request" and problem["detail"]
        assert problem["errors"][0]["pointer"] == pointer, problem
    items = http.get("/v1/directory/lists", headers=alice).json()["items"]
    assert [(s["id"], s["name"]) for s in items] == [("alice/7", "Avant")]


async def test_cti_client_raises_the_typed_error_for_a_bad_list(cti_server: ServerThread) -> None:
    async with connected(cti_server, "alice") as alice:
        with pytest.raises(InvalidRequest, match="/name"):
            await alice.shared_lists.publish("7", "", [GARAGE])
        with pytest.raises(InvalidRequest, match="/contacts"):
            await alice.shared_lists.publish("7", "Trop", [GARAGE] * (MAX_CONTACTS + 1))
        with pytest.raises(InvalidRequest):  # not a valid own id
            await alice.shared_lists.publish("é t é", "Été", [GARAGE])
        assert await alice.shared_lists.lists() == []


def test_cti_requests_without_a_token_are_refused(http: httpx.Client) -> None:
    assert http.get("/v1/directory/lists").status_code == 401
    put = http.put("/v1/directory/lists/7", json={"name": "X", "contacts": []})
    assert put.status_code == 401


async def test_cti_lists_survive_a_restart(tmp_path: Path) -> None:
    data = tmp_path / "server"
    first = ServerThread(data)
    first.start()
    first.add_users()
    try:
        async with connected(first, "alice") as alice:
            await alice.shared_lists.publish("7", "Fournisseurs", [GARAGE])
            await alice.shared_lists.publish("8", "Retiré", [PLOMBIER])
            await alice.shared_lists.withdraw("8")
    finally:
        first.close()

    second = ServerThread(data)  # a new server process over the same data directory
    second.start()
    try:
        async with connected(second, "bob") as bob:
            assert await bob.shared_lists.lists() == [
                SharedList("alice/7", "Fournisseurs", "alice", (GARAGE,), mine=False)
            ]
        # deleting an account deletes its lists
        second.call(lambda: second.state.accounts.remove("alice"))
        async with connected(second, "bob") as bob:
            assert await bob.shared_lists.lists() == []
    finally:
        second.close()


class _VersionOneStore(ServerStore):
    MIGRATIONS = ServerStore.MIGRATIONS[:1]


def test_a_version_one_database_is_migrated(tmp_path: Path) -> None:
    old = _VersionOneStore(tmp_path)
    old.add_contact("shared-1", {"name": "Plombier"}, "alice")
    old.close()
    store = ServerStore(tmp_path)
    try:
        assert store.shared_lists() == []
        store.save_shared_list("alice", "7", "Fournisseurs", [{"name": "Garage"}])
        assert store.shared_lists() == [("alice", "7", "Fournisseurs", [{"name": "Garage"}])]
        assert store.contacts() == [{"name": "Plombier"}]  # nothing lost
    finally:
        store.close()
    with sqlite3.connect(tmp_path / "server.sqlite3") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(ServerStore.MIGRATIONS)
        assert db.execute("SELECT count(*) FROM audit").fetchone()[0] == 0  # 3: the audit log
