"""CSV exports of real programs (tests/data/contacts/csv, SOURCES.md says where each comes
from): each format is recognised and named, every row with a name (or company) and a number
or e-mail address is kept with them; unknown headers go through a column mapping.

Expected values are written from reading the files, not from running the importer."""

from __future__ import annotations

from pathlib import Path

import pytest

from tws_tui.contacts.csv_files import CsvLayout, describe_columns, import_csv, read_layout
from tws_tui.contacts.import_report import ImportReport

CORPUS = Path(__file__).parent / "data" / "contacts" / "csv"


def summary(report: ImportReport) -> list[tuple[str, str | None, tuple[tuple[str, str], ...]]]:
    """Each contact's name, e-mail and numbers."""
    return [(c.name, c.email, c.numbers) for c in report.contacts]


def test_google_contacts_before_2023_keeps_the_emails_addresses_and_organisation() -> None:
    report = import_csv(CORPUS / "google_roundcube.csv")
    assert report.file_format == "Google Contacts CSV"
    assert report.problems == ()
    (contact,) = report.contacts
    assert contact.name == "Prefix Firstname Middle Lastname Suffix"
    assert contact.email == "home@aaa.pl"
    assert contact.company == "company"
    assert contact.details[:3] == (
        ("email", "work@email.pl"),
        ("email", "unknown@email.com"),
        ("email", "other@email.com"),
    )
    assert ("job_title", "jobtitle") in contact.details
    assert ("birthday", "1975-12-12") in contact.details
    assert ("address", "work_street\nwork_city work_zip\nwork_country") in contact.details
    # Roundcube's test file holds words where numbers go ("pager", "mainphone"): each is left
    # out with a note that says so, the contact is kept with its e-mail addresses.
    assert contact.numbers == ()
    left_out = [note for line, note in report.notes if line == 2]
    assert len(left_out) == 9
    assert left_out[0].startswith(
        "Prefix Firstname Middle Lastname Suffix: 'pager' is not a phone number"
    )


def test_google_contacts_since_2023_several_values_in_a_cell_and_labels() -> None:
    report = import_csv(CORPUS / "google_2024.csv")
    assert report.file_format == "Google Contacts CSV"
    assert summary(report) == [
        (
            "Hélène Guérin",
            "helene.guerin@nancy.example",
            (
                ("Bureau", "+33 3 83 85 30 00"),
                ("Bureau", "+33 3 83 85 30 01"),
                ("Mobile", "+33 6 11 22 33 44"),
                ("Fax", "+33 3 83 85 30 02"),
            ),
        ),
        ("Yard Lawn Guy, Jose Lopez", None, (("Mobile", "(408) 555-0142"),)),
        ("Plombier Dépannage 24/7", None, (("", "0800 123 456"),)),
    ]
    helene = report.contacts[0]
    assert (helene.company, helene.department) == ("Mairie de Nancy", "Accueil")
    assert helene.details[:2] == (
        ("email", "h.guerin@nancy.example"),
        ("email", "helene@perso.example"),
    )
    assert ("address", "Place Stanislas\n54000 Nancy\nFrance") in helene.details
    assert ("job_title", "Secrétaire générale") in helene.details
    # line 7: a name and nothing to reach it by
    assert report.problems == (
        (7, "Nobody Reachable: A contact needs at least one phone number or an e-mail address."),
    )


def test_outlook_in_french_is_not_read_as_the_french_tws_columns() -> None:
    report = import_csv(CORPUS / "outlook_fr.csv")  # Windows-1252, CRLF, all quoted
    assert report.file_format == "Outlook CSV (French)"
    assert summary(report) == [
        (
            "Jean Pierre Dupont",
            "jean.dupont@societe-generale.example",
            (("Bureau", "01 42 14 20 00"), ("Mobile", "06 12 34 56 78")),
        ),
        (
            "Émilie Lefèvre",
            "emilie@cafe-zoe.example",
            (("Fax", "04 78 00 11 23"), ("Domicile", "04 78 00 11 22")),
        ),
        ("Boulangerie Léa", None, (("Téléphone société", "03 88 12 34 56"),)),
    ]
    jean, emilie, _bakery = report.contacts
    # 'Nom' is the family name, the first 'Titre' (M.) is not the job title, the second is
    assert (jean.company, jean.department) == ("Société Générale", "Comptabilité")
    assert jean.details == (
        ("address", "29 boulevard Haussmann\n75009 Paris\nFrance"),
        ("job_title", "Chef comptable"),
        ("note", "Rappeler le matin"),
    )
    assert ("email", "emilie.lefevre@perso.example") in emilie.details
    assert ("birthday", "17/05/1990") in emilie.details
    assert not any(kind == "birthday" for kind, _ in jean.details)  # Outlook's 0/0/00
    assert report.problems == (
        (5, "Luc Martin: A contact needs at least one phone number or an e-mail address."),
    )


def test_the_french_tws_columns_still_read_as_before() -> None:
    text = "Nom;Société;Courriel;Téléphones;Titre\nLuc Martin;ACME;luc@x.fr;Bureau:0102030405;DG\n"
    report = import_csv(text)
    assert report.file_format == "tws-tui CSV"
    (luc,) = report.contacts
    assert (luc.name, luc.company, luc.email) == ("Luc Martin", "ACME", "luc@x.fr")
    assert luc.details == (("job_title", "DG"),)


def test_outlook_layout_written_by_linkedin() -> None:
    report = import_csv(CORPUS / "outlook_linkedin_2016.csv")
    assert report.file_format == "Outlook CSV"
    assert summary(report) == [
        ("Hugh Triggerr", "hrc@trigger.com", ()),
        ("Michael Harney", "m@mharney.co", ()),
        ("Ola Malik", "ola@gmail.com", ()),
    ]
    assert report.contacts[2].company == "Super Startup"
    assert report.contacts[2].details == (("job_title", "Junior Software Developer"),)


def test_linkedin_connections_after_its_notes() -> None:
    report = import_csv(CORPUS / "linkedin_connections.csv")
    assert report.file_format == "LinkedIn CSV"
    assert summary(report) == [
        ("Claire Moreau", "claire.moreau@example.fr", ()),
        ("Søren Kierkegaard", "soren@example.dk", ()),
    ]
    claire = report.contacts[0]
    assert claire.company == "Orange, SA"
    assert claire.details == (
        ("url", "https://www.linkedin.com/in/claire-moreau"),
        ("job_title", "Responsable des achats"),
    )
    # the header is line 4; Arjun (line 6) shared no e-mail address
    assert [line for line, _ in report.problems] == [6]
    assert report.problems[0][1].startswith("Arjun Mehta: A contact needs")


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        (
            "thunderbird_export.csv",
            [
                ("contact number one", "contact1@invalid", ()),
                ("contact number two", "contact2@invalid", ()),
            ],
        ),
        ("thunderbird_quote.csv", [("Acer America", None, (("Bureau", "(800) 000-0000"),))]),
        (
            "thunderbird_semicolon.csv",
            [("John Doe", "john@doe.invalid", ()), ("Jane Doe", "jane@doe.invalid", ())],
        ),
        ("thunderbird_roundcube.csv", [("Displayname", "test@domain.tld", ())]),
    ],
)
def test_thunderbird(file: str, expected: list[object]) -> None:
    report = import_csv(CORPUS / file)
    assert report.file_format == "Thunderbird CSV"
    assert summary(report) == expected
    assert report.problems == ()


def test_thunderbird_details_address_parts_and_birthday() -> None:
    (contact,) = import_csv(CORPUS / "thunderbird_roundcube.csv").contacts
    assert (contact.company, contact.department) == ("Organization", "department")
    assert contact.details == (
        ("email", "next@domain.tld"),
        ("url", "http://page.com"),
        ("url", "http://webpage.tld"),
        ("address", "Priv address\nxx-xxx City\nregion\nUSA"),
        ("address", "Addr work\n33-333 Wcity\nWstate\nPoland"),
        ("job_title", "title"),
        ("birthday", "1970-11-15"),
    )
    (two,) = import_csv(CORPUS / "thunderbird_export.csv").contacts[1:]
    assert two.details == (("job_title", '"worker"'), ("note", "here's some unicode text…"))


def test_an_unknown_header_asks_for_a_mapping_in_a_short_sentence() -> None:
    report = import_csv(CORPUS / "outlook_roundcube_emails.csv")
    assert report.contacts == ()
    assert report.problems == (
        (
            0,
            "The columns of this file (E-mail Address, E-mail 2 Address, E-mail 3 Address) are "
            "not those of an export the console knows (Google Contacts, Outlook, Thunderbird, "
            "LinkedIn, tws-tui): say what each column holds.",
        ),
    )
    many = [f"Column {n}" for n in range(60)]
    assert describe_columns(many) == "Column 0, Column 1, Column 2, Column 3… 60 columns"


def test_the_layout_of_an_unknown_file_guesses_and_the_mapping_imports() -> None:
    layout = read_layout(CORPUS / "outlook_roundcube_emails.csv")
    assert isinstance(layout, CsvLayout)
    assert layout.file_format == ""
    assert layout.header == ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address")
    assert layout.fields == ("email", "email", "email")
    assert layout.samples == (("test1@domain.tld", "test2@domain.tld", "test3@domain.tld"),)
    report = import_csv(CORPUS / "outlook_roundcube_emails.csv", mapping=layout.fields)
    assert report.file_format == "CSV with the columns you chose"
    (contact,) = report.contacts
    assert (contact.name, contact.email) == ("test1@domain.tld", "test1@domain.tld")
    assert contact.details == (("email", "test2@domain.tld"), ("email", "test3@domain.tld"))


def test_a_mapping_by_the_values_and_a_wrong_mapping() -> None:
    text = "Qui;Où;Tél\nMarie Curie;Institut;+33 1 44 27 00 00\nPaul;Labo;0612345678\n"
    layout = read_layout(text)
    assert isinstance(layout, CsvLayout)
    assert layout.delimiter == ";" and layout.fields == ("name", "", "phone")  # guessed
    report = import_csv(text, mapping=("name", "company", "phone:cell"))
    assert [(c.name, c.company, c.numbers) for c in report.contacts] == [
        ("Marie Curie", "Institut", (("Mobile", "+33 1 44 27 00 00"),)),
        ("Paul", "Labo", (("Mobile", "0612345678"),)),
    ]
    assert import_csv(text, mapping=("name",)).problems == (
        (0, "The mapping gives 1 columns where the file has 3."),
    )
    assert import_csv(text, mapping=("name", "shoe size", "")).problems == (
        (0, "'shoe size' is not something a column can hold."),
    )


def test_known_formats_are_recognised_from_the_layout_too() -> None:
    layout = read_layout(CORPUS / "outlook_fr.csv")
    assert isinstance(layout, CsvLayout)
    assert layout.file_format == "Outlook CSV (French)"
    assert layout.fields[:4] == ("", "given name", "middle name", "family name")
    assert layout.fields[8] == "job title"  # the second 'Titre'


def test_thunderbird_in_french_with_its_twice_named_address_columns() -> None:
    report = import_csv(CORPUS / "thunderbird_fr.csv")
    assert report.file_format == "Thunderbird CSV (French)"
    assert report.problems == () and report.notes == ()
    assert summary(report) == [
        (
            "Agnès Moreau",
            "agnes.moreau@mairie.example",
            (("Bureau", "03 83 85 30 10"), ("Mobile", "06 98 76 54 32")),
        ),
        (
            "Standard Crédit Agricole",
            None,
            (("Bureau", "+33 3 83 00 00 00"), ("Fax", "+33 3 83 00 00 01")),
        ),
        ("Loïc", "loic@exemple.fr", ()),
    ]
    agnes, _standard, loic = report.contacts
    assert (agnes.company, agnes.department) == ("Mairie de Nancy", "Accueil")
    # the second 'Ville' and 'Code postal' are the work address's
    assert agnes.details == (
        ("address", "1 place Stanislas\n54000 Nancy\nFrance"),
        ("job_title", "Secrétaire"),
        ("birthday", "1980-04-09"),
    )
    assert loic.details == (
        ("email", "loic.perso@exemple.fr"),
        ("address", "12 rue des Lilas\n57000 Metz"),
    )
