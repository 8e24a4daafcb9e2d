"""``SearchIndex`` (word starts first, then "contains", accents, numbers, ``field:value``) and
``Directories`` (local contacts and the backend's directory as one, the backend failing)."""

from __future__ import annotations

import asyncio
import logging
import random
from pathlib import Path

import pytest

from tws_tui.contacts.directories import Directories
from tws_tui.contacts.search import SearchIndex
from tws_tui.contacts.store import ContactStore
from tws_tui.core.model import Contact
from tws_tui.core.protocols import Directory
from tws_tui.domain.numbers import match_key, number_query
from tws_tui.domain.text import fold, words
from tws_tui.simulator import directory as simulator_directory


def contact(
    name: str,
    *numbers: str,
    company: str | None = None,
    department: str | None = None,
    email: str | None = None,
    source: str = "private",
    id_: str | None = None,
) -> Contact:
    return Contact(
        id=id_ or name,
        source=source,
        name=name,
        numbers=tuple(("", n) for n in numbers),
        company=company,
        department=department,
        email=email,
    )


EMILIE = contact(
    "Émilie Lefèvre",
    "+33 1 23 45 67 89",
    "06 12 34 56 78",
    company="Société Générale",
    department="Comptabilité",
    email="emilie.lefevre@sg.example",
)
OLIVIER = contact("Olivier Martin", "201", company="ACME", department="Ventes")
MARTINE = contact("Martine Dupont", "0388000000", company="Mairie de Strasbourg")
PIERRE = contact("Jean-Pierre Mercier", "4638", company="ACME", email="jp@acme.example")
LEA = contact("Léa Marchand", "07 00 00 00 01", department="Direction")
EVERYONE = [EMILIE, OLIVIER, MARTINE, PIERRE, LEA]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(EVERYONE)


def names(found: list[Contact]) -> list[str]:
    return [c.name for c in found]


def test_word_starts_first_then_contains_each_by_name(index: SearchIndex) -> None:
    assert names(index.search("mar")) == ["Léa Marchand", "Martine Dupont", "Olivier Martin"]
    # no word starts with "ier": the ones that contain it
    assert names(index.search("ier")) == ["Jean-Pierre Mercier", "Olivier Martin"]
    assert names(index.search("tin")) == ["Martine Dupont", "Olivier Martin"]
    assert [(tier, c.name) for tier, c in index.search_ranked("me")] == [
        (0, "Jean-Pierre Mercier"),  # starts a word
        (1, "Olivier Martin"),  # inside "ACME"
    ]


def test_accents_and_case_are_ignored_both_ways(index: SearchIndex) -> None:
    for term in ("emilie", "Émilie", "ÉMI", "lefevre", "LEFÈVRE", "societe gen", "compta"):
        assert names(index.search(term)) == ["Émilie Lefèvre"], term
    assert names(index.search("lea")) == ["Léa Marchand"]


def test_company_and_department_words_are_searched(index: SearchIndex) -> None:
    assert names(index.search("acme")) == ["Jean-Pierre Mercier", "Olivier Martin"]
    assert names(index.search("strasb")) == ["Martine Dupont"]
    assert names(index.search("vent")) == ["Olivier Martin"]


def test_several_words_must_all_match(index: SearchIndex) -> None:
    assert names(index.search("jean pierre")) == ["Jean-Pierre Mercier"]
    assert names(index.search("jean-p")) == ["Jean-Pierre Mercier"]
    assert names(index.search("mar acme")) == ["Olivier Martin"]
    assert names(index.search("martin strasbourg")) == ["Martine Dupont"]
    assert index.search("olivier strasbourg") == []


def test_numbers_by_key_prefix_then_inside(index: SearchIndex) -> None:
    for typed in ("01 23", "0123", "+33 1 23", "0033 1 23", "01.23.45.67.89"):
        assert names(index.search(typed)) == ["Émilie Lefèvre"], typed
    assert names(index.search("06 12")) == ["Émilie Lefèvre"]  # the second number
    assert names(index.search("20")) == ["Olivier Martin"]  # extension 201
    assert names(index.search("45 67")) == ["Émilie Lefèvre"]  # inside the number
    assert [(t, c.name) for t, c in index.search_ranked("46")] == [(0, "Jean-Pierre Mercier")]
    assert [(t, c.name) for t, c in index.search_ranked("38")] == [
        (1, "Jean-Pierre Mercier"),  # 4638
        (1, "Martine Dupont"),  # +33388000000
    ]
    assert names(index.search("+")) == sorted(names([EMILIE, MARTINE, LEA]), key=fold)
    assert index.search("0199") == []


def test_advanced_fields(index: SearchIndex) -> None:
    assert names(index.search("company:acme")) == ["Jean-Pierre Mercier", "Olivier Martin"]
    assert names(index.search("company:acme name:oli")) == ["Olivier Martin"]
    assert names(index.search("name:acme")) == []
    assert names(index.search("department:dir")) == ["Léa Marchand"]
    assert names(index.search("dept:compta")) == ["Émilie Lefèvre"]
    assert names(index.search('company:"mairie de"')) == ["Martine Dupont"]
    assert names(index.search("email:jp@")) == ["Jean-Pierre Mercier"]
    assert names(index.search("email:acme")) == ["Jean-Pierre Mercier"]  # inside the address
    assert names(index.search("number:4638")) == ["Jean-Pierre Mercier"]
    assert names(index.search("tel:0700")) == ["Léa Marchand"]
    assert names(index.search("number:06 company:soc")) == ["Émilie Lefèvre"]
    assert names(index.search("acme:ventes")) == ["Olivier Martin"]  # not a field: two words


def test_blank_term_lists_everyone_by_name_and_limit_applies(index: SearchIndex) -> None:
    everyone = names(index.search("", limit=10))
    assert everyone == sorted(names(EVERYONE), key=fold)
    assert len(index.search("  ", limit=2)) == 2
    assert len(index.search("a", limit=1)) == 1
    assert index.search("a", limit=0) == []
    assert index.search("!!") == []


def reference(contacts: list[Contact], term: str, limit: int) -> list[Contact]:
    """What the index must answer for words or a number, computed the slow obvious way."""
    number = any(ch.isdigit() for ch in term)
    wanted = [number_query(term)] if number else words(fold(term))
    ranked: list[tuple[int, tuple[str, str, int], Contact]] = []
    for position, c in enumerate(contacts):
        texts = (c.name, c.company, c.department)
        tokens = [w for text in texts for w in words(fold(text or ""))]
        if number:
            tokens = [match_key(n) or "" for _, n in c.numbers]
        tiers = []
        for word in wanted:
            if any(t.startswith(word) for t in tokens):
                tiers.append(0)
            elif any(word.lstrip("+") in t for t in tokens):
                tiers.append(1)
            else:
                break
        else:
            # by name (folded, then as written), then in the order given
            ranked.append((max(tiers), (fold(c.name), c.name, position), c))
    ranked.sort(key=lambda item: item[:2])
    return [c for *_, c in ranked[:limit]]


def test_the_fast_paths_agree_with_the_obvious_search() -> None:
    rng = random.Random(3)
    first = ["Marie", "Martin", "Mathis", "Émile", "Éric", "Anne", "Anaïs", "Olivier", "Léo"]
    last = ["Martin", "Marchand", "Lemaire", "Dumas", "Maréchal", "Bernard", "Aubert", "Roux"]
    companies = ["Mairie", "ACME", "Marine Nationale", "Société Générale", None]
    contacts = [
        contact(
            f"{rng.choice(first)} {rng.choice(last)}",
            f"0{rng.randint(1, 7)}{rng.randint(0, 10**8 - 1):08d}",
            company=rng.choice(companies),
            id_=str(i),
        )
        for i in range(6000)
    ]
    index = SearchIndex(contacts)
    terms = ["m", "ma", "mar", "mari", "e", "é", "ar", "rie", "an", "ma an", "mar mai", "rou", "x"]
    terms += ["0", "06", "061", "+3361", "12", "1234", "99999"]
    for term in terms:
        for limit in (5, 50, 7000):
            assert index.search(term, limit=limit) == reference(contacts, term, limit), term
    prepared = SearchIndex(contacts)
    prepared.prepare()  # the columns built ahead give the same answers
    for term in terms:
        assert prepared.search(term) == index.search(term), term


def test_the_simulator_directory_folds_with_the_shared_fold() -> None:
    assert simulator_directory.fold is fold


# ---- Directories --------------------------------------------------------------------------


class FakeBackendDirectory:
    def __init__(self, contacts: list[Contact], *, fail: bool = False, delay: float = 0) -> None:
        self.contacts = contacts
        self.fail = fail
        self.delay = delay
        self.asked: list[str] = []

    async def search(self, term: str, *, limit: int = 20) -> list[Contact]:
        self.asked.append(term)
        await asyncio.sleep(self.delay)
        if self.fail:
            raise ConnectionError("directory server unreachable")
        return SearchIndex(self.contacts).search(term, limit=limit)

    async def reverse(self, number: str) -> Contact | None:
        await asyncio.sleep(self.delay)
        if self.fail:
            raise ConnectionError("directory server unreachable")
        return next((c for c in self.contacts if any(n == number for _, n in c.numbers)), None)


COLLEAGUE = contact("Marc Dubois", "4100", company="ACME", source="company", id_="u-1")


@pytest.fixture
def store(tmp_path: Path) -> ContactStore:
    store = ContactStore(tmp_path / "contacts.sqlite3")
    store.add(EMILIE)
    store.add(contact("Marie Curie", "0145454545", source="public"))
    return store


async def test_directories_merge_local_and_backend_keeping_sources(store: ContactStore) -> None:
    directories = Directories(store, FakeBackendDirectory([COLLEAGUE]))
    assert isinstance(directories, Directory)
    found = await directories.search("mar")
    assert [(c.name, c.source) for c in found] == [
        ("Marc Dubois", "company"),
        ("Marie Curie", "public"),
    ]
    assert [c.name for c in await directories.search("lefe")] == ["Émilie Lefèvre"]


async def test_a_failing_backend_leaves_the_local_answers(
    store: ContactStore, caplog: pytest.LogCaptureFixture
) -> None:
    backend = FakeBackendDirectory([COLLEAGUE], fail=True)
    directories = Directories(store, backend)
    with caplog.at_level(logging.WARNING, logger="tws_tui.contacts.directories"):
        found = await directories.search("mar")
        owner = await directories.reverse("4100")
    assert [c.name for c in found] == ["Marie Curie"]
    assert backend.asked == ["mar"]
    assert owner is None
    assert "directory server unreachable" in caplog.text


async def test_a_slow_backend_is_given_up(
    store: ContactStore, caplog: pytest.LogCaptureFixture
) -> None:
    directories = Directories(store, FakeBackendDirectory([COLLEAGUE], delay=5), timeout=0.05)
    with caplog.at_level(logging.WARNING, logger="tws_tui.contacts.directories"):
        found = await directories.search("mar")
    assert [c.name for c in found] == ["Marie Curie"]
    assert "no answer within" in caplog.text


async def test_no_backend_and_no_store() -> None:
    assert await Directories(None, None).search("mar") == []
    assert await Directories(None, None).reverse("0123456789") is None


async def test_duplicates_across_directories_are_dropped(store: ContactStore) -> None:
    same = contact("Émilie Lefèvre", "0123456789", "+33612345678", source="company", id_="u-9")
    directories = Directories(store, FakeBackendDirectory([same, COLLEAGUE]))
    found = await directories.search("emilie")
    assert [(c.name, c.source) for c in found] == [("Émilie Lefèvre", "company")]


async def test_reverse_asks_the_store_first_then_the_backend(store: ContactStore) -> None:
    backend = FakeBackendDirectory([COLLEAGUE, contact("Other", "0123456789", source="company")])
    directories = Directories(store, backend)
    for spelling in ("+33 1 23 45 67 89", "0123456789", "01.23.45.67.89"):
        local = await directories.reverse(spelling)
        assert local is not None and (local.name, local.source) == ("Émilie Lefèvre", "private")
    remote = await directories.reverse("4100")
    assert remote is not None and remote.source == "company"


async def test_the_local_index_follows_the_store(store: ContactStore) -> None:
    directories = Directories(store)
    assert await directories.search("zoe") == []
    store.add(contact("Zoé Garnier", "0600000000"))
    assert [c.name for c in await directories.search("zoe")] == ["Zoé Garnier"]
    first = await directories.local_index()
    assert await directories.local_index() is first  # not rebuilt while nothing changes


async def test_search_now_answers_at_once_what_it_can(store: ContactStore) -> None:
    colleagues = [COLLEAGUE, contact("Marcel Petit", "4200", source="company", id_="u-2")]
    backend = FakeBackendDirectory(colleagues)
    directories = Directories(store, backend)
    assert directories.search_now("mar") is None  # no local index yet: the full search must go
    await directories.search("mar")  # builds the index, and the backend answers "mar"
    asked = list(backend.asked)
    found, complete = directories.search_now("marc") or ([], False)
    assert complete and [c.name for c in found] == ["Marc Dubois", "Marcel Petit"]
    assert found == await directories.search("marc")  # the same as the full search
    found, complete = directories.search_now("curie") or ([], True)  # "curie" does not extend
    assert not complete and [c.name for c in found] == ["Marie Curie"]  # local part only
    assert backend.asked == [*asked, "marc"]  # search_now never asks the backend


async def test_building_the_index_calls_its_hook_once_per_build(store: ContactStore) -> None:
    built: list[int] = []
    directories = Directories(store, None, on_index_built=lambda: built.append(1))
    await directories.search("mar")
    await directories.search("marie")
    await directories.prepared()  # the hook runs once the number columns are built too
    assert built == [1]
    store.add(contact("Jean Neuf", "0101010101"))
    await directories.search("jean")
    await directories.prepared()
    assert built == [1, 1]


async def test_directories_left_out_are_not_searched(store: ContactStore) -> None:
    """TWS-2.3.1.2-2: a directory left out gives nothing, instantly or after the full search."""
    from tws_tui.contacts.directories import BACKEND

    store.add(contact("Marc Privé", "0101010101"))
    store.add(contact("Marc Public", "0202020202", source="public"))
    backend = FakeBackendDirectory([COLLEAGUE])
    directories = Directories(store, backend)
    assert {c.name for c in await directories.search("marc")} == {
        "Marc Privé",
        "Marc Public",
        "Marc Dubois",
    }
    directories.excluded = frozenset({"public", BACKEND})
    assert [c.name for c in await directories.search("marc")] == ["Marc Privé"]
    directories.excluded = frozenset({"private", "public"})
    assert [c.name for c in await directories.search("marc")] == ["Marc Dubois"]
    instant = directories.search_now("marc")
    assert instant is not None and [c.name for c in instant[0]] == ["Marc Dubois"]
