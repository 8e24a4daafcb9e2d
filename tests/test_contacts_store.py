"""``ContactStore`` on real SQLite files: contacts CRUD, reverse lookup, contact lists, refused
changes that leave everything as it was, and files it cannot use."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from tws_tui.contacts.rules import ContactNotFound, InvalidContactInput
from tws_tui.contacts.store import (
    SCHEMA_VERSION,
    ContactList,
    ContactStore,
    ContactStoreError,
    default_path,
)
from tws_tui.core.model import Contact

EMILIE = Contact(
    id="",
    source="private",
    name="Émilie Lefèvre",
    numbers=(("Bureau", "+33 1 23 45 67 89"), ("Mobile", "06 12 34 56 78")),
    company="Société Générale",
    department="Comptabilité",
    email="emilie.lefevre@example.fr",
)
PAUL = Contact(id="", source="public", name="Paul Martin", numbers=(("Poste", "201"),))


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "contacts.sqlite3"


@pytest.fixture
def store(path: Path) -> ContactStore:
    return ContactStore(path)


def snapshot(store: ContactStore) -> tuple[list[Contact], list[ContactList]]:
    return store.all(), store.lists()


def test_default_path_is_in_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWS_TUI_DATA_DIR", str(tmp_path))
    assert default_path() == tmp_path / "contacts.sqlite3"


def test_opens_lazily_in_wal_mode(store: ContactStore, path: Path) -> None:
    assert not path.exists()
    store.add(PAUL)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_add_assigns_an_id_and_keeps_every_field(store: ContactStore) -> None:
    saved = store.add(EMILIE)
    assert saved.id != ""
    assert saved == replace(EMILIE, id=saved.id)  # accents, both numbers, every field
    assert store.get(saved.id) == saved
    other = store.add(PAUL)
    assert other.id != saved.id
    assert [c.id for c in store.all()] == [saved.id, other.id]
    assert [c.name for c in store.all("public")] == ["Paul Martin"]


def test_texts_are_stored_stripped(store: ContactStore) -> None:
    saved = store.add(
        Contact("", "private", "  Jean Dupont ", ((" Bureau ", " 0123456789 "),), company="  ")
    )
    assert saved.name == "Jean Dupont"
    assert saved.numbers == (("Bureau", "0123456789"),)
    assert saved.company is None
    assert store.get(saved.id) == saved


def test_update_replaces_and_delete_removes(store: ContactStore) -> None:
    saved = store.add(EMILIE)
    changed = Contact(
        saved.id, "private", "Émilie Lefèvre-Roux", (("Mobile", "07 00 00 00 01"),), favorite=True
    )
    assert store.update(changed) == changed
    assert store.get(saved.id) == changed
    assert store.find_by_number("01 23 45 67 89") == []  # the old number is gone
    store.delete(saved.id)
    assert store.get(saved.id) is None
    assert store.all() == []


def test_unknown_ids(store: ContactStore) -> None:
    assert store.get("42") is None
    assert store.get("not-an-id") is None
    with pytest.raises(ContactNotFound, match="'42'"):
        store.delete("42")
    with pytest.raises(ContactNotFound):
        store.update(Contact("42", "private", "Nobody", (("", "201"),)))


def test_reverse_lookup_whatever_the_spelling(store: ContactStore) -> None:
    saved = store.add(EMILIE)
    store.add(PAUL)
    for spelling in ("+33 1 23 45 67 89", "0123456789", "01.23.45.67.89", "0033 1 23 45 67 89"):
        assert store.find_by_number(spelling) == [saved], spelling
    assert store.find_by_number("+33612345678") == [saved]  # the second number
    assert [c.name for c in store.find_by_number("201")] == ["Paul Martin"]
    assert store.find_by_number("0199999999") == []
    assert store.find_by_number("dupont") == []


def test_reverse_lookup_uses_the_index(store: ContactStore, path: Path) -> None:
    store.add(EMILIE)
    with sqlite3.connect(path) as db:
        plan = db.execute(
            "EXPLAIN QUERY PLAN SELECT contact_id FROM numbers WHERE match_key = ?", ("+33",)
        ).fetchall()
    assert "numbers_by_key" in " ".join(str(row) for row in plan)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (Contact("", "private", "   ", (("", "201"),)), "needs a name"),
        (Contact("", "private", "Jean", (("Bureau", "01 23 ab"),)), "not a phone number"),
        (Contact("", "private", "Jean", (("Bureau", "dupont"),)), "not a phone number"),
        (Contact("", "private", "Jean", ()), "at least one phone number or an e-mail"),
        (Contact("", "private", "Jean", (), email="jean at home"), "not an e-mail address"),
        (Contact("", "private", "Jean", (("a;b", "201"),)), "label"),
        (Contact("", "private", "Jean\nDupont", (("", "201"),)), "line breaks"),
        (Contact("", "company", "Jean", (("", "201"),)), "'private' or 'public'"),
    ],
)
def test_bad_contacts_are_refused_and_nothing_changes(
    store: ContactStore, bad: Contact, message: str
) -> None:
    kept = store.add(EMILIE)
    before = snapshot(store)
    with pytest.raises(InvalidContactInput, match=message):
        store.add(bad)
    with pytest.raises(InvalidContactInput, match=message):
        store.update(Contact(kept.id, bad.source, bad.name, bad.numbers, email=bad.email))
    with pytest.raises(ValueError):  # what callers that know no better catch
        store.add_many([PAUL, bad])
    assert snapshot(store) == before
    assert store.find_by_number("0123456789") == [kept]


def test_a_contact_with_only_an_email_is_accepted(store: ContactStore) -> None:
    saved = store.add(Contact("", "private", "Zoé", (), email="zoe@example.fr"))
    assert store.get(saved.id) == saved


def test_add_many_saves_all(store: ContactStore) -> None:
    saved = store.add_many([EMILIE, PAUL])
    assert [c.name for c in saved] == ["Émilie Lefèvre", "Paul Martin"]
    assert store.all() == saved


def test_moving_a_contact_to_the_other_directory_keeps_its_lists(store: ContactStore) -> None:
    saved = store.add(EMILIE)
    vip = store.create_list("VIP")
    store.add_to_list(vip.id, "private", saved.id)
    store.update(replace(saved, source="public"))
    assert store.get_list(vip.id).entries == (("public", saved.id),)


def test_contact_lists(store: ContactStore) -> None:
    emilie, paul = store.add(EMILIE), store.add(PAUL)
    vip = store.create_list(" VIP ")
    assert vip == ContactList(vip.id, "VIP", False, ())
    compta = store.create_list("Comptabilité", public=True)
    store.add_to_list(vip.id, "private", emilie.id)
    store.add_to_list(vip.id, "public", paul.id)
    store.add_to_list(vip.id, "company", "u-17")  # a contact of the backend's directory
    again = store.add_to_list(vip.id, "private", emilie.id)  # already there: unchanged
    assert again.entries == (("private", emilie.id), ("public", paul.id), ("company", "u-17"))

    assert store.rename_list(vip.id, "Direction").name == "Direction"
    assert store.set_list_public(vip.id, True).public is True

    assert store.move_entry(vip.id, 2, -5) == 0  # clamped to the top
    assert store.get_list(vip.id).entries[0] == ("company", "u-17")
    assert store.move_entry(vip.id, 0, 1) == 1
    assert [e[1] for e in store.get_list(vip.id).entries] == [emilie.id, "u-17", paul.id]

    assert [lst.name for lst in store.lists()] == ["Direction", "Comptabilité"]
    assert store.move_list(compta.id, -1) == 0
    assert [lst.name for lst in store.lists()] == ["Comptabilité", "Direction"]
    assert store.move_list(compta.id, 10) == 1

    store.remove_from_list(vip.id, "company", "u-17")
    store.remove_from_list(vip.id, "company", "u-17")  # not there any more: nothing to do
    assert store.get_list(vip.id).entries == (("private", emilie.id), ("public", paul.id))

    store.delete(paul.id)  # a deleted contact leaves every list
    assert store.get_list(vip.id).entries == (("private", emilie.id),)

    store.delete_list(vip.id)
    assert [lst.id for lst in store.lists()] == [compta.id]
    assert store.get(emilie.id) is not None  # the contacts stay


def test_lists_survive_reopening(store: ContactStore, path: Path) -> None:
    emilie = store.add(EMILIE)
    vip = store.create_list("VIP", public=True)
    store.add_to_list(vip.id, "private", emilie.id)
    store.close()
    reopened = ContactStore(path)
    assert reopened.lists() == [ContactList(vip.id, "VIP", True, (("private", emilie.id),))]
    assert reopened.all() == [emilie]


@pytest.mark.parametrize(("name", "message"), [("  ", "needs a name"), ("x" * 41, "40")])
def test_bad_list_names_are_refused(store: ContactStore, name: str, message: str) -> None:
    vip = store.create_list("VIP")
    before = snapshot(store)
    with pytest.raises(InvalidContactInput, match=message):
        store.create_list(name)
    with pytest.raises(InvalidContactInput, match=message):
        store.rename_list(vip.id, name)
    assert snapshot(store) == before
    assert store.create_list("x" * 40).name == "x" * 40


def test_list_errors_change_nothing(store: ContactStore) -> None:
    vip = store.create_list("VIP")
    store.add_to_list(vip.id, "company", "u-1")
    before = snapshot(store)
    with pytest.raises(ContactNotFound, match="no contact list '99'"):
        store.add_to_list("99", "company", "u-1")
    with pytest.raises(ContactNotFound):
        store.add_to_list(vip.id, "private", "12345")  # no such local contact
    with pytest.raises(InvalidContactInput):
        store.add_to_list(vip.id, "", "u-2")
    with pytest.raises(ContactNotFound, match="no entry at position 3"):
        store.move_entry(vip.id, 3, 1)
    for call in (store.delete_list, store.get_list, lambda i: store.move_list(i, 1)):
        with pytest.raises(ContactNotFound):
            call("nope")
    assert snapshot(store) == before


def test_revision_changes_with_every_write(store: ContactStore, path: Path) -> None:
    first = store.revision()
    store.add(PAUL)
    second = store.revision()
    assert second != first
    other = ContactStore(path)  # another console on the same file
    other.add(EMILIE)
    assert store.revision() != second
    other.close()


def test_a_newer_schema_is_refused_untouched(path: Path) -> None:
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    with pytest.raises(ContactStoreError, match="newer") as caught:
        ContactStore(path).all()
    assert str(path) in str(caught.value)
    assert path.read_bytes() == before


def test_a_file_that_is_not_sqlite_is_refused_untouched(path: Path) -> None:
    path.parent.mkdir(parents=True)
    content = b"My phone numbers, not a database.\n" * 50
    path.write_bytes(content)
    store = ContactStore(path)
    with pytest.raises(ContactStoreError, match="not a readable SQLite database"):
        store.add(PAUL)
    with pytest.raises(ContactStoreError):  # stays unavailable, still no traceback of sqlite3
        store.all()
    assert path.read_bytes() == content


def test_a_directory_in_the_way_is_refused(path: Path) -> None:
    path.mkdir(parents=True)
    with pytest.raises(ContactStoreError, match="not a file"):
        ContactStore(path).open()


def test_unreachable_directory_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the data directory should be")
    with pytest.raises(ContactStoreError, match="blocker"):
        ContactStore(blocker / "contacts.sqlite3").add(PAUL)


def test_a_read_only_file_cannot_be_written(store: ContactStore, path: Path) -> None:
    store.add(PAUL)
    store.close()
    read_only = ContactStore(path)
    read_only.open()
    assert read_only._db is not None
    read_only._db.execute("PRAGMA query_only = ON")  # as a file the user may not write
    with pytest.raises(ContactStoreError, match=str(path.name)):
        read_only.add(EMILIE)
    read_only._db.execute("PRAGMA query_only = OFF")
    assert [c.name for c in read_only.all()] == ["Paul Martin"]


def test_list_contacts_resolves_local_entries_and_remembers_the_others(
    store: ContactStore,
) -> None:
    emilie = store.add(EMILIE)
    vip = store.create_list("VIP", supervised=True)
    colleague = Contact("u-7", "company", "Inès Leroy", (("Poste", "382"),), device_id="d-382")
    store.add_to_list(vip.id, "company", "u-7", card=colleague)
    store.add_to_list(vip.id, emilie.source, emilie.id)
    store.update(replace(emilie, name="Émilie Lefèvre-Roux"))  # the list shows it as it is now
    assert store.get_list(vip.id).supervised
    assert [(c.source, c.name, c.numbers, c.device_id) for c in store.list_contacts(vip.id)] == [
        ("company", "Inès Leroy", (("", "382"),), "d-382"),
        ("private", "Émilie Lefèvre-Roux", emilie.numbers, None),
    ]
    store.delete(emilie.id)
    assert [c.name for c in store.list_contacts(vip.id)] == ["Inès Leroy"]
    with pytest.raises(ContactNotFound):
        store.list_contacts("404")


def test_edit_list_changes_every_property_or_nothing(store: ContactStore) -> None:
    compta = store.create_list("Comptabilité")
    changed = store.edit_list(compta.id, name="Compta", public=True, supervised=True)
    assert (changed.name, changed.public, changed.supervised) == ("Compta", True, True)
    with pytest.raises(InvalidContactInput, match="limited to 40 characters"):
        store.edit_list(compta.id, name="x" * 41, public=False, supervised=False)
    assert store.get_list(compta.id) == changed


def test_public_lists_of_others_are_added_once_in_order_and_taken_out(store: ContactStore) -> None:
    """TWS-2.4.5-1/2.4.6-1: only the id is kept, with the name and owner seen when added."""
    from tws_tui.contacts.store import Subscription

    store.subscribe("julie/3", "Urgences", "julie")
    store.subscribe("marc/1", "Fournisseurs", "marc")
    store.subscribe("julie/3", "Urgences techniques", "julie")  # again: renamed, same place
    assert store.subscriptions() == [
        Subscription("julie/3", "Urgences techniques", "julie"),
        Subscription("marc/1", "Fournisseurs", "marc"),
    ]
    store.unsubscribe("julie/3")
    store.unsubscribe("nobody/9")  # not added: nothing happens
    assert store.subscriptions() == [Subscription("marc/1", "Fournisseurs", "marc")]
    assert store.lists() == []  # my own lists are another thing


def test_a_version_1_file_is_migrated_keeping_its_lists(path: Path) -> None:
    from tws_tui.contacts.store import MIGRATIONS

    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as db:  # the file as the first release wrote it
        for statement in MIGRATIONS[0]:
            db.execute(statement)
        db.execute("INSERT INTO lists (name, public, position) VALUES ('VIP', 1, 0)")
        db.execute(
            "INSERT INTO list_entries (list_id, position, source, contact_id) "
            "VALUES (1, 0, 'company', 'u-1')"
        )
        db.execute("PRAGMA user_version = 1")
    store = ContactStore(path)
    assert store.lists() == [ContactList("1", "VIP", True, (("company", "u-1"),), False)]
    assert [c.name for c in store.list_contacts("1")] == ["u-1"]  # no card was remembered
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6
    assert store.subscriptions() == []
    assert store.last_import() is None  # migration 6: the last import, none yet


def test_refused_sentences_are_translated_when_shown() -> None:
    from tws_tui.contacts.rules import check_contact
    from tws_tui.platform.i18n import set_language

    bad = replace(EMILIE, numbers=(("Bureau", "01 23 AB"),))
    with pytest.raises(InvalidContactInput) as refused:
        check_contact(bad)
    assert str(refused.value).startswith("'01 23 AB' is not a phone number")
    set_language("fr")
    try:
        assert str(refused.value).startswith("'01 23 AB' n'est pas un numéro de téléphone")
    finally:
        set_language("en")


def test_count_by_directory(store: ContactStore) -> None:
    store.add(EMILIE)
    store.add(PAUL)
    store.add(replace(EMILIE, name="Émilie Bis"))
    assert (store.count(), store.count("private"), store.count("public")) == (3, 2, 1)
    with pytest.raises(InvalidContactInput):
        store.count("company")


def test_the_table_for_the_search_index_holds_every_contact_as_stored(
    store: ContactStore,
) -> None:
    """``table()`` reads the contacts as columns (what the search index is built from): each
    contact made from it equals the one ``all()`` reads, numbers in order, and the number
    keys are the stored ones."""
    no_number = Contact(id="", source="private", name="Zoé Sans", numbers=(), email="z@x.fr")
    favourite = replace(PAUL, favorite=True, device_id="dev-201", company="ACME")
    for contact in (EMILIE, favourite, no_number):
        store.add(contact)
    table = store.table()
    assert [table.contact(i) for i in range(len(table))] == store.all()
    assert table.number_keys == [" +33123456789 +33612345678", " 201", " "]
    assert table.companies[0] is not None and table.sources[0] == "private"


def test_an_index_built_from_the_store_answers_like_one_built_from_contacts(
    store: ContactStore,
) -> None:
    from tws_tui.contacts.search import SearchIndex

    for contact in (EMILIE, PAUL, replace(EMILIE, name="Émile Zola", source="public")):
        store.add(contact)
    from_store = SearchIndex(store.table())
    from_objects = SearchIndex(store.all())
    for term in ("e", "émi", "mil", "société", "0612", "+33 1 23", "201", "email:emilie", ""):
        assert from_store.search(term) == from_objects.search(term), term
    assert [c.name for c in from_store.search("0612 34")] == ["Émile Zola", "Émilie Lefèvre"]


def test_more_details_are_kept_in_order_and_refused_when_wrong(store: ContactStore) -> None:
    """TWS-2.5.1-6/-7: more e-mails, web and postal addresses and the extra fields."""
    details = (
        ("email", "compta@sg.fr"),
        ("url", "https://societegenerale.fr"),
        ("address", "  43 rue de Dunkerque \n\n 75010 PARIS "),
        ("job_title", "Ingénieure commerciale"),
        ("note", "Prefers e-mail"),
    )
    saved = store.add(replace(EMILIE, details=details))
    assert store.get(saved.id) == saved
    assert saved.details[2] == ("address", "43 rue de Dunkerque\n75010 PARIS")
    table = store.table()
    assert table.contact(0) == saved  # the search index's columns carry them too
    before = snapshot(store)
    for wrong, says in (
        (("email", "not an address"), "is not an e-mail address"),
        (("url", "societe generale"), "is not a web address"),
        (("colour", "blue"), "is not a kind of contact detail"),
        (("note", "   "), "is empty"),
    ):
        with pytest.raises(InvalidContactInput, match=says):
            store.update(replace(saved, details=(*details, wrong)))
    assert snapshot(store) == before  # nothing stored was lost
    # a second e-mail alone is enough for a contact without numbers
    only_mail = Contact(id="", source="public", name="Accueil", numbers=(), details=(details[0],))
    store.add(only_mail)


def test_who_else_has_an_email_address_whatever_its_case_and_place(store: ContactStore) -> None:
    """TWS-2.5.3-2: the contacts sharing an address (main or among the details)."""
    first = store.add(replace(EMILIE, email="Accueil@SG.fr"))
    second = store.add(replace(PAUL, details=(("email", "accueil@sg.fr"),)))
    store.add(replace(PAUL, name="Other Person", email="other@sg.fr"))
    assert [c.id for c in store.find_by_email(" accueil@sg.fr ")] == [first.id, second.id]
    assert store.find_by_email("") == []


def test_the_search_finds_every_email_address_of_a_contact(store: ContactStore) -> None:
    from tws_tui.contacts.search import SearchIndex

    store.add(replace(PAUL, details=(("email", "p.martin@acme.fr"),)))
    store.add(EMILIE)
    for index in (SearchIndex(store.table()), SearchIndex(store.all())):
        assert [c.name for c in index.search("email:p.mart")] == ["Paul Martin"]
        assert [c.name for c in index.search("email:emilie")] == ["Émilie Lefèvre"]


def test_list_home_screen_sort_and_display_are_kept_and_checked(store: ContactStore) -> None:
    """TWS-2.4.2-3/-6/-7."""
    vip = store.create_list("VIP", visible=True, sort="name_desc", display="reduced")
    assert store.get_list(vip.id) == vip and store.lists() == [vip]
    assert (vip.visible, vip.sort, vip.display) == (True, "name_desc", "reduced")
    with pytest.raises(InvalidContactInput, match="not 'by colour'"):
        store.edit_list(vip.id, name="VIP", public=False, supervised=False, sort="by colour")
    assert store.get_list(vip.id) == vip
    changed = store.edit_list(vip.id, name="VIP", public=True, supervised=False)
    assert (changed.visible, changed.sort, changed.display) == (False, "name", "classic")
