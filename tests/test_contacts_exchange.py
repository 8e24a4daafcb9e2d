"""CSV and vCard import/export: round trips with accents and several numbers, broken lines
and cards reported by number while the others are read, the formats other tools write."""

from __future__ import annotations

from pathlib import Path

import pytest

from tws_tui.contacts.exchange import (
    ImportReport,
    export_csv,
    export_vcard,
    import_csv,
    import_vcard,
)
from tws_tui.contacts.store import ContactStore
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
ZOE = Contact(
    id="",
    source="private",
    name="Zoé d'Aubigné",
    numbers=(("Poste", "4638"), ("", "*98#"), ("Standard, accueil", "+44 20 7946 0958")),
    company="Hôtel de la Gare; Lyon",
)
#: Every kind of detail, in the order imports give them back (TWS-2.5.1-6/-7).
ANAIS = Contact(
    id="",
    source="private",
    name="Anaïs Bénard",
    numbers=(("Mobile", "07 11 22 33 44"),),
    email="anais@exemple.fr",
    details=(
        ("email", "anaïs.bénard@société.fr"),
        ("email", "accueil@exemple.fr"),
        ("url", "https://société.fr/équipe"),
        ("address", "43 rue de Dunkerque\nBâtiment B\n75010 PARIS"),
        ("address", "1 place Bellecour\n69002 Lyon"),
        ("job_title", "Ingénieure commerciale"),
        ("assistant", "Zoé"),
        ("birthday", "1990-05-17"),
        ("customer_number", "C-4521"),
        ("note", "Rappeler après 14 h; préfère le courriel"),
    ),
)


def test_csv_round_trip_keeps_accents_and_every_number() -> None:
    text = export_csv([EMILIE, ZOE])
    assert text.splitlines()[0].startswith("name,company,department,email,numbers,emails,web")
    assert "Bureau:+33 1 23 45 67 89;Mobile:06 12 34 56 78" in text
    assert import_csv(text) == ImportReport((EMILIE, ZOE), (), file_format="tws-tui CSV")


def test_csv_round_trip_keeps_every_detail() -> None:
    text = export_csv([ANAIS, EMILIE], delimiter=";")
    assert import_csv(text) == ImportReport((ANAIS, EMILIE), (), file_format="tws-tui CSV")
    french = "Nom;Courriel;Autres courriels;Site web;Fonction;Numéro client\n"
    french += 'Luc Martin;luc@x.fr;"l.martin@y.fr; lm@z.fr";www.x.fr;Directeur;C-1\n'
    (luc,) = import_csv(french).contacts
    assert luc.details == (
        ("email", "l.martin@y.fr"),
        ("email", "lm@z.fr"),
        ("url", "www.x.fr"),
        ("job_title", "Directeur"),
        ("customer_number", "C-1"),
    )


def test_a_wrong_detail_is_left_out_and_its_contact_kept() -> None:
    text = "name,numbers,web\nA,0102030405,ftp://nope\nB,0102030406,https://ok.fr\n"
    report = import_csv(text)
    assert [(c.name, c.numbers, c.details) for c in report.contacts] == [
        ("A", (("", "0102030405"),), ()),
        ("B", (("", "0102030406"),), (("url", "https://ok.fr"),)),
    ]
    assert report.problems == ()
    ((line, note),) = report.notes
    assert line == 2 and "A: 'ftp://nope' is not a web address" in note
    assert note.endswith("Left out; the rest of the contact is kept.")


def test_csv_round_trip_through_a_file_and_the_store(tmp_path: Path) -> None:
    file = tmp_path / "contacts.csv"
    file.write_text(export_csv([EMILIE]), encoding="utf-8")
    store = ContactStore(tmp_path / "contacts.sqlite3")
    saved = store.add_many(import_csv(file).contacts)
    assert [c.name for c in store.all()] == ["Émilie Lefèvre"]
    assert import_csv(export_csv(store.all())).contacts[0] == EMILIE
    assert store.find_by_number("0123456789") == saved


def test_a_broken_line_is_reported_and_the_others_imported() -> None:
    text = (
        "name,company,department,email,numbers\n"
        "Émilie Lefèvre,Société Générale,Comptabilité,,Bureau:01 23 45 67 89\n"
        ",,,,Bureau:01 00 00 00 00\n"  # line 3: no name nor company
        "Paul Martin,ACME,,,Mobile:06 ab 00\n"  # line 4: not a number
        "Jean Dupont,ACME,Ventes,,Bureau:01 11 11 11 11,extra\n"  # line 5: too many fields
        "\n"
        "Chloé Roux,,,chloe@example.fr,\n"  # line 7: e-mail only is enough
    )
    report = import_csv(text)
    assert [c.name for c in report.contacts] == ["Émilie Lefèvre", "Chloé Roux"]
    assert [line for line, _ in report.problems] == [3, 4, 5]
    messages = dict(report.problems)
    assert "needs a name" in messages[3]
    assert "'06 ab 00' is not a phone number" in messages[4]
    assert "6 fields where the header has 5" in messages[5]


def test_excel_french_csv_semicolons_bom_and_french_headers() -> None:
    text = (
        "\ufeffNom;Société;Service;Courriel;Téléphones\r\n"
        "Émilie Lefèvre;Société Générale;Comptabilité;;"
        '"Bureau:01 23 45 67 89;Mobile:0612345678"\r\n'
        "Régis Bieth;Soucht;;regis.bieth@soucht.fr;0354698654\r\n"
    )
    report = import_csv(text, visibility="public")
    assert report.problems == ()
    emilie, regis = report.contacts
    assert emilie.numbers == (("Bureau", "01 23 45 67 89"), ("Mobile", "0612345678"))
    assert regis.numbers == (("", "0354698654"),)
    assert {c.source for c in report.contacts} == {"public"}


def test_quoted_values_and_line_numbers_after_a_value_on_two_lines() -> None:
    text = (
        "name,numbers,company\n"
        '"Dupont, Jean",201,ACME\n'
        'Paul,202,"ACME\nsite de Lyon"\n'  # lines 3-4: a line break is refused in a company
        "Marie,abc,\n"  # line 5
    )
    report = import_csv(text)
    assert [(c.name, c.company) for c in report.contacts] == [("Dupont, Jean", "ACME")]
    assert [line for line, _ in report.problems] == [3, 5]
    assert "company cannot contain line breaks" in report.problems[0][1]


def test_windows_1252_file_is_read(tmp_path: Path) -> None:
    file = tmp_path / "excel.csv"
    file.write_bytes("name;numbers\nHélène Guérin;0123456789\n".encode("cp1252"))
    assert [c.name for c in import_csv(file).contacts] == ["Hélène Guérin"]


def test_whole_file_problems_are_line_zero(tmp_path: Path) -> None:
    missing = import_csv(tmp_path / "nowhere.csv")
    assert missing.contacts == () and missing.problems[0][0] == 0
    assert "nowhere.csv" in missing.problems[0][1]
    no_header = import_csv("Émilie,0123456789\nPaul,201\n")
    assert no_header.problems == (
        (
            0,
            "The columns of this file (Émilie, 0123456789) are not those of an export the "
            "console knows (Google Contacts, Outlook, Thunderbird, LinkedIn, tws-tui): say what "
            "each column holds.",
        ),
    )
    assert import_csv("\n\n").problems == ((0, "The file is empty."),)


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_vcard_round_trip_keeps_accents_labels_and_every_number(version: str) -> None:
    text = export_vcard([EMILIE, ZOE], version=version)
    assert f"VERSION:{version}" in text
    assert "FN:Émilie Lefèvre" in text and "TYPE=cell" in text
    assert import_vcard(text) == ImportReport((EMILIE, ZOE), ())


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_vcard_round_trip_keeps_every_detail(version: str) -> None:
    text = export_vcard([ANAIS], version=version)
    assert "TITLE:Ingénieure commerciale" in text and "X-CUSTOMER-NUMBER:C-4521" in text
    assert import_vcard(text) == ImportReport((ANAIS,), ())


def test_vcard_addresses_in_parts_and_other_tools_assistants() -> None:
    card = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:Jean Dupont\nEMAIL:j@x.fr\n"
        "ADR;TYPE=work:;Bât. C;12 avenue Foch;Paris;;75016;France\n"
        "X-EVOLUTION-ASSISTANT:Marie\nEND:VCARD\n"
    )
    (jean,) = import_vcard(card).contacts
    assert jean.details == (
        ("address", "Bât. C\n12 avenue Foch\n75016 Paris\nFrance"),
        ("assistant", "Marie"),
    )


def test_a_broken_card_is_reported_and_the_others_imported(tmp_path: Path) -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Émilie Lefèvre\r\nTEL;TYPE=WORK,VOICE:01 23 45 67 89\r\n"
        "END:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\nTEL;TYPE=work\r\nEND:VCARD\r\n"  # card 2
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;;;;\r\nEMAIL:x@example.fr\r\nEND:VCARD\r\n"  # card 3
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Paul\r\nTEL:06 ab\r\nEND:VCARD\r\n"  # card 4
        "BEGIN:VCARD\r\nVERSION:4.0\r\nN:Roux;Chloé;;;\r\n"
        'TEL;VALUE=uri;TYPE="cell,voice":tel:+33-6-12-34-56-78\r\nEND:VCARD\r\n'
        "BEGIN:VCARD\r\nFN:Never finished\r\n"  # card 6
    )
    file = tmp_path / "contacts.vcf"
    file.write_text(text, encoding="utf-8")
    report = import_vcard(file)
    assert [(c.name, c.numbers) for c in report.contacts] == [
        ("Émilie Lefèvre", (("Bureau", "01 23 45 67 89"),)),
        ("Chloé Roux", (("Mobile", "+33-6-12-34-56-78"),)),
    ]
    assert [card for card, _ in report.problems] == [2, 3, 4, 6]
    messages = dict(report.problems)
    assert "line 6" in messages[2]
    assert "no name" in messages[3]
    assert "not a phone number" in messages[4]
    assert "END:VCARD" in messages[6]


def test_apple_labels_and_organisation_units() -> None:
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:Hélène Guérin\nORG:Mairie de Strasbourg;État civil\n"
        "item1.TEL:03 88 00 00 00\nitem1.X-ABLabel:Ligne directe\nEND:VCARD\n"
    )
    (helene,) = import_vcard(text).contacts
    assert helene.company == "Mairie de Strasbourg" and helene.department == "État civil"
    assert helene.numbers == (("Ligne directe", "03 88 00 00 00"),)


def test_no_card_at_all() -> None:
    assert import_vcard("hello\nworld\n").problems == (
        (0, "No vCard found (a card starts with BEGIN:VCARD)."),
    )


def test_unknown_vcard_version_is_refused() -> None:
    with pytest.raises(ValueError, match=r"'2\.1'"):
        export_vcard([EMILIE], version="2.1")
