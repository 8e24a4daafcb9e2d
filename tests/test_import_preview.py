"""Import preview (counts, merges, what is left out), confirm writes, undo of the last import
(also after the store is opened again)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tws_tui.contacts.csv_files import import_csv
from tws_tui.contacts.import_preview import apply_preview, preview_import
from tws_tui.contacts.rules import InvalidContactInput
from tws_tui.contacts.store import ContactStore, ImportBatch
from tws_tui.core.model import Contact

FILE = (
    "name,company,email,numbers,emails\n"
    "Émilie Lefèvre,Café Zoé,,Mobile:+33 6 12 34 56 78,\n"  # same mobile as the stored one
    "Paul Martin,,paul@acme.fr,Bureau:0145454545,\n"  # new
    "P. Martin,ACME,,Bureau:01 45 45 45 45;Mobile:0611111111,paul.martin@acme.fr\n"  # = row 3
    "Zoé Roux,,ZOE@roux.fr,,\n"  # same e-mail as a stored contact (case ignored), no more
    "Luc,,,0199999999,\n"  # already there, nothing new
    "Sans numéro,,,,\n"  # refused
    "Marc,,,06 ab,marc@x.fr\n"  # kept without its number (a note)
)


@pytest.fixture
def store(tmp_path: Path) -> ContactStore:
    store = ContactStore(tmp_path / "contacts.sqlite3")
    store.add(Contact("", "private", "Émilie L.", (("Bureau", "01 23 45 67 89"),), company=None))
    store.add(Contact("", "private", "Émilie (mobile)", (("Mobile", "06 12 34 56 78"),)))
    store.add(Contact("", "private", "Zoé", (), email="zoe@roux.fr"))
    store.add(Contact("", "private", "Luc", (("", "01 99 99 99 99"),)))
    store.add(Contact("", "public", "Paul (public)", (("", "01 45 45 45 45"),)))
    return store


def test_preview_counts_merges_and_what_is_left_out(store: ContactStore) -> None:
    before = store.all()
    preview = preview_import(import_csv(FILE), store, "private")
    assert store.all() == before  # nothing written
    assert preview.file_format == "tws-tui CSV"
    # Paul is new in private (the public one is another directory); P. Martin merges into him
    assert [c.name for c in preview.new] == ["Paul Martin", "Marc"]
    paul = preview.new[0]
    assert paul.numbers == (("Bureau", "0145454545"), ("Mobile", "0611111111"))
    assert paul.email == "paul@acme.fr"
    assert paul.details == (("email", "paul.martin@acme.fr"),)
    assert paul.company == "ACME"
    merges = {m.existing.name: m for m in preview.merges}
    assert list(merges) == ["Émilie (mobile)"]
    emilie = merges["Émilie (mobile)"]
    assert emilie.merged.name == "Émilie (mobile)"  # the stored name stays
    assert emilie.merged.numbers == (("Mobile", "06 12 34 56 78"),)  # no duplicate number
    assert emilie.merged.company == "Café Zoé" and emilie.added == ("Café Zoé",)
    assert [c.name for c in preview.already_there] == ["Zoé", "Luc"]
    assert [line for line, _ in preview.refused] == [7]
    assert [line for line, _ in preview.notes] == [8]


def test_confirm_writes_and_undo_restores_even_after_reopening(
    store: ContactStore, tmp_path: Path
) -> None:
    before = store.all()
    preview = preview_import(import_csv(FILE), store, "private")
    saved, batch = apply_preview(preview, store, file="in.csv")
    assert batch == ImportBatch("in.csv", 2, len(preview.merges))
    assert [c.name for c in saved] == ["Paul Martin", "Marc"]
    emilie = store.find_by_number("0612345678")
    assert [(c.name, c.company) for c in emilie] == [("Émilie (mobile)", "Café Zoé")]
    assert store.count() == len(before) + 2
    # a list holds an imported contact: undo takes it out of the list too
    shared = store.create_list("Clients")
    store.add_to_list(shared.id, "private", saved[0].id)
    store.close()
    again = ContactStore(tmp_path / "contacts.sqlite3")
    assert again.last_import() == batch
    assert again.undo_last_import() == batch
    assert again.all() == before
    assert again.get_list(shared.id).entries == ()
    assert again.last_import() is None
    assert again.undo_last_import() is None  # nothing to undo


def test_only_the_last_import_is_undone(store: ContactStore) -> None:
    first = preview_import(import_csv("name,numbers\nA,0100000001\n"), store, "private")
    apply_preview(first, store, file="a.csv")
    after_first = store.all()
    second = preview_import(import_csv("name,numbers\nB,0100000002\n"), store, "private")
    apply_preview(second, store, file="b.csv")
    assert store.undo_last_import() == ImportBatch("b.csv", 1, 0)
    assert store.all() == after_first
    assert store.undo_last_import() is None


def test_a_refused_import_writes_nothing(store: ContactStore) -> None:
    before = store.all()
    bad = Contact("", "private", "", (("", "0100000003"),))
    with pytest.raises(InvalidContactInput):
        store.apply_import([bad], [], file="x.csv")
    assert store.all() == before and store.last_import() is None


def test_imported_contacts_never_take_the_id_of_a_deleted_one(store: ContactStore) -> None:
    last = store.add(Contact("", "private", "Last", (("", "0100000009"),)))
    store.delete(last.id)
    preview = preview_import(import_csv("name,numbers\nNew,0100000010\n"), store, "private")
    (saved,), _batch = apply_preview(preview, store, file="n.csv")
    assert int(saved.id) == int(last.id) + 1
    assert store.get(saved.id) == saved
    assert store.find_by_number("01 00 00 00 10") == [saved]  # its number's key is stored
