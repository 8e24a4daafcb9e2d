"""Each vCard defect of issue 22, as the issue reproduces it with ``import_vcard(text)``, and
the round trip it asks for (structured name and address, every number type, what the console
does not show)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import vobject  # type: ignore[import-untyped]
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tws_tui.contacts.exchange import export_vcard, import_vcard
from tws_tui.contacts.rules import (
    InvalidContactInput,
    check_contact,
    hidden_details,
    shown_details,
)
from tws_tui.core.model import Contact
from tws_tui.platform.i18n import set_language


def card(*lines: str, end: str = "\r\n", version: str = "3.0") -> str:
    return end.join(("BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD")) + end


def one(text: str | Path) -> Contact:
    report = import_vcard(text)
    assert report.problems == ()
    (contact,) = report.contacts
    return contact


def test_quoted_printable_soft_line_breaks_keep_the_card() -> None:
    text = card(
        "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Br=C3=BCning;=",
        "Michael",
        "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Rappeler apr=C3=A8s =",
        "midi",
        "TEL;CELL:0612345678",
        version="2.1",
    )
    michael = one(text)
    assert michael.name == "Michael Brüning"
    assert ("note", "Rappeler après midi") in michael.details


def test_ios_line_endings_keep_folded_lines_and_line_numbers() -> None:
    text = card(
        "FN:Bob Smith",
        "EMAIL:bob@smith",
        " auto.com",
        "TEL:p1",
        "TEL:0650555121",
        " 2",
        end="\r\r\n",
    )
    report = import_vcard(text)
    (bob,) = report.contacts
    assert bob.email == "bob@smithauto.com" and bob.numbers == (("", "06505551212"),)
    assert report.notes[0] == (
        1,
        "Line 6: 'p1' left out of the numbers: it starts with a pause or a wait (p, w): the digits"
        " after it are tones to send once a call is answered, and there is no number before them"
        " to call.",
    )


def test_one_odd_line_no_longer_refuses_the_card() -> None:
    text = card(
        "FN:Omega Corp",
        "URL:http\\://x.com",
        "NOTE:a\\nb",
        "TEL:+1-800-MYFAX",
        "TEL:p1234p5678w9",
        "TEL;VALUE=uri:sip:accueil@pbx.example.com",
        'EMAIL:"Omega" <omega@example.com>',
        "EMAIL:not an address",
        "URL:ftp://files.example.com",
        "TEL:01 23 45 67 89",
    )
    report = import_vcard(text)
    assert report.problems == ()
    (omega,) = report.contacts
    assert omega.numbers == (("", "+1-800-69329"), ("", "01 23 45 67 89"))
    assert omega.email == "omega@example.com"
    assert shown_details(omega) == (("url", "http://x.com"), ("note", "a / b"))
    assert [message for _card, message in report.notes] == [
        "Line 6: '+1-800-MYFAX' has letters: it is dialled as +1-800-69329.",
        "Line 7: 'p1234p5678w9' left out of the numbers: it starts with a pause or a wait (p, w):"
        " the digits after it are tones to send once a call is answered, and there is no number"
        " before them to call.",
        "Line 8: 'sip:accueil@pbx.example.com' left out of the numbers: it is an internet call"
        " address, not a phone number.",
        "Line 10: 'not an address' is not an e-mail address; it is left out.",
        "Line 11: 'ftp://files.example.com' is not a web address (http://, https:// or www.);"
        " it is left out.",
        "(The line stays in the contact for the next export.)",
    ]
    again = one(export_vcard([omega]))  # what was left out is still in the card
    assert again == omega
    text = export_vcard([omega])
    for kept in ("TEL:+1-800-MYFAX", "TEL:p1234p5678w9", "sip:accueil@pbx", "Omega", "ftp://"):
        assert kept in text


def test_a_number_then_a_pause_keeps_the_number_and_names_the_tones() -> None:
    """Android writes the tones to send once answered after a pause (p) or a wait (w), RFC 3966
    after , or ;. The switch dials a number and a contact's number holds no tones: the number
    before them is kept, the note names the tones, and the line goes back out with export."""
    text = card("FN:Pauses", "TEL;CELL:0612345678p1234", "TEL:+33 1 23 45 67 89,12;9#")
    report = import_vcard(text)
    (contact,) = report.contacts
    assert contact.numbers == (("Mobile", "0612345678"), ("", "+33 1 23 45 67 89"))
    assert [message for _card, message in report.notes] == [
        "Line 4: '0612345678p1234': the number kept is 0612345678; 'p1234' after its pause or"
        " wait are tones to send once the call is answered, which a contact's number does not"
        " hold.",
        "Line 5: '+33 1 23 45 67 89,12;9#': the number kept is +33 1 23 45 67 89; ',12;9#' after"
        " its pause or wait are tones to send once the call is answered, which a contact's"
        " number does not hold.",
        "(The line stays in the contact for the next export.)",
    ]
    exported = export_vcard([contact])
    assert "\r\nTEL;CELL:0612345678p1234\r\nTEL:+33 1 23 45 67 89,12;9#\r\n" in exported
    assert one(exported) == contact


def test_a_card_whose_only_number_is_tones_is_refused_and_says_why() -> None:
    """``p1234p5678w9`` has no number before its tones: nothing to call. A card with only that
    has neither a number nor an e-mail, and is refused with the reason; its message does not
    say the line stays in a contact, as there is none."""
    report = import_vcard(card("FN:Pause Wait", "N:Pause;Wait;;;", "TEL:p1234p5678w9"))
    assert report.contacts == ()
    assert report.problems == (
        (
            1,
            "Card starting on line 1: A contact needs at least one phone number or an e-mail"
            " address. Line 5: 'p1234p5678w9' left out of the numbers: it starts with a pause or"
            " a wait (p, w): the digits after it are tones to send once a call is answered, and"
            " there is no number before them to call.",
        ),
    )


def test_a_comma_in_the_name_is_part_of_the_name() -> None:
    assert one(card("FN:Dupont, Jean", "TEL:0612345678")).name == "Dupont, Jean"
    guy = one(card("FN:Yard Lawn Guy, Jose Lopez", "N:;Yard Lawn Guy, Jose Lopez;;;", "TEL:1"))
    assert guy.name == "Yard Lawn Guy, Jose Lopez"
    assert one(card("N:Dupont;Jean\\, Marie;;;", "TEL:1")).name == "Jean, Marie Dupont"


def test_vcard_21_bare_types_label_the_numbers() -> None:
    jean = one(card("FN:Jean", "TEL;CELL:0612345678", "TEL;WORK;VOICE:0123456789", version="2.1"))
    assert jean.numbers == (("Mobile", "0612345678"), ("Bureau", "0123456789"))


def test_charset_is_honoured_and_a_guess_is_said(tmp_path: Path) -> None:
    japanese = tmp_path / "japanese.vcf"
    japanese.write_bytes(
        card("N;CHARSET=SHIFT_JIS:安藤ロイド;;;;", "TEL:0300000000", version="2.1").encode(
            "shift_jis"
        )
    )
    report = import_vcard(japanese)
    assert report.contacts[0].name == "安藤ロイド" and report.notes == ()
    german = tmp_path / "outlook.vcf"
    german.write_bytes(
        card("FN:Sören Nößlebaum", "TEL:0611/123456", version="2.1").encode("cp1252")
    )
    report = import_vcard(german)
    assert report.contacts[0].name == "Sören Nößlebaum"
    ((number, note),) = report.notes
    assert number == 1 and "does not say its character set" in note and "a guess" in note
    qp = card("FN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Ren=E9", "TEL:1", version="2.1")
    assert one(qp).name == "René"


def test_a_card_with_only_a_company_is_the_company() -> None:
    acme = one(card("ORG:ACME SA;Accueil", "TEL;WORK:0123456789"))
    assert (acme.name, acme.company, acme.department) == ("ACME SA", "ACME SA", "Accueil")
    assert one(export_vcard([acme])) == acme


def test_apple_labels_are_read_as_words() -> None:
    text = card(
        "FN:Anne",
        "item1.TEL:0611111111",
        "item1.X-ABLabel:_$!<AssistantPhone>!$_",
        "item2.TEL:0622222222",
        "item2.X-ABLabel:_$!<Mobile>!$_",
        "item3.TEL:0633333333",
        "item3.X-ABLabel:Ligne directe",
    )
    anne = one(text)
    assert anne.numbers == (
        ("Assistant", "0611111111"),
        ("Mobile", "0622222222"),
        ("Ligne directe", "0633333333"),
    )
    assert export_vcard([anne]).count("X-ABLabel:_$!<") == 2  # written back as Apple wrote them


def test_nested_cards_and_broken_files_get_our_sentences_not_a_library_message() -> None:
    text = card(
        "N:parent",
        "AGENT:",
        "BEGIN:VCARD",
        "VERSION:2.1",
        "N:Assistant",
        "TEL:0123456789",
        "END:VCARD",
        "TEL:1",
        version="2.1",
    )
    report = import_vcard(text)
    assert [contact.name for contact in report.contacts] == ["parent", "Assistant"]
    broken = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=X-NOWHERE;ENCODING=QUOTED-PRINTABLE:A=FFb\r\n"
        "TEL:1\r\nPHOTO;ENCODING=BASE64:abc\r\n\r\nBEGIN:VCARD\r\nFN:Cut short\r\nTEL:2\r\n"
    )
    report = import_vcard(broken)
    assert [c.name for c in report.contacts] == ["A\ufffdb", "Cut short"]
    messages = " ".join(message for _card, message in report.notes)
    assert "replaced by \ufffd" in messages
    assert "Line 5: the data of PHOTO (base64) is damaged; it is left out." in messages
    assert "The file ends before this card's END:VCARD" in messages
    for word in ("codec", "Error", "Traceback", "ParseError", "base64.", "utf-8"):
        assert word not in messages


def test_control_characters_a_decoded_value_brings_are_spaces() -> None:
    text = card(
        "FN;ENCODING=QUOTED-PRINTABLE:Jean=0CDupont=00",
        "ORG;ENCODING=QUOTED-PRINTABLE:ACME=1B;Vente",
        "item1.TEL:1",
        "item1.X-ABLabel;ENCODING=QUOTED-PRINTABLE:Ligne=07directe",
        "NOTE;ENCODING=QUOTED-PRINTABLE:a=09b=0D=0Ac",
        version="2.1",
    )
    jean = one(text)
    assert (jean.name, jean.company, jean.numbers) == (
        "Jean Dupont",
        "ACME",
        (("Ligne directe", "1"),),
    )
    assert shown_details(jean) == (("note", "a b / c"),)


def test_the_notes_speak_french() -> None:
    set_language("fr")  # the suite's fixture sets English back
    report = import_vcard(card("FN:Jean", "TEL:p12", "EMAIL:jean@x.fr"))
    assert report.notes[0][1].startswith("Ligne 4 : 'p12'")


ROUND_TRIP = card(
    "N:Doe;John;Richter\\, James;Mr.;Sr.",
    "FN:Mr. John Richter\\, James Doe Sr.",
    "NICKNAME:Johny,JJ",
    "ORG:IBM;Accounting;Third floor",
    "TITLE:Money Counter",
    "ROLE:Counting money",
    "TEL;TYPE=CELL,VOICE,PREF:905-555-1234",
    "TEL;TYPE=WORK;TYPE=FAX:905-999-1234",
    "item1.TEL:905-222-1234",
    "item1.X-ABLabel:Ligne directe",
    "EMAIL;TYPE=INTERNET,WORK,PREF:john.doe@ibm.com",
    "ADR;TYPE=WORK:PO 12;Building 6;Street 4;New York;NY;12345;USA",
    "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD=",
    "CATEGORIES:Clients,VIP",
    "IMPP;TYPE=personal:sip:john@ibm.com",
    "ANNIVERSARY:2010-06-06",
    "BDAY:1980-03-22",
    "GEO:geo:40.7,-74.0",
    "TZ:-05:00",
    "UID:urn:uuid:0e7602cc-443e-4b82-b4b1-90f62f99a199",
    "REV:2024-01-02T03:04:05Z",
    "X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/jdoe",
)


def test_round_trip_keeps_everything_the_source_had() -> None:
    john = one(ROUND_TRIP)
    assert john.name == "Mr. John Richter, James Doe Sr."
    assert (john.company, john.department) == ("IBM", "Accounting, Third floor")
    assert john.numbers == (
        ("Mobile", "905-555-1234"),
        ("Fax", "905-999-1234"),
        ("Ligne directe", "905-222-1234"),
    )
    text = export_vcard([john])
    for line in ROUND_TRIP.split("\r\n")[2:-2]:  # every line, as written (folding aside)
        assert line in text.replace("\r\n ", ""), line
    assert one(text) == john
    parsed = vobject.readOne(text)
    assert parsed.n.value.additional == "Richter, James" and parsed.org.value[2] == "Third floor"
    assert parsed.adr.value.box == "PO 12" and parsed.adr.value.city == "New York"


def test_a_field_changed_in_the_console_is_written_from_the_contact() -> None:
    john = one(ROUND_TRIP)
    changed = Contact(
        id="",
        source="private",
        name="Jane Roe",
        numbers=(("Mobile", "905-555-1234"), ("Domicile", "01 02 03 04 05")),
        company="IBM",
        department="Accounting, Third floor",
        email="jane@ibm.com",
        details=hidden_details(john),
    )
    text = export_vcard([changed])
    assert "N:Roe;Jane;;;" in text and "N:Doe" not in text  # the old name's parts are not hers
    assert "TEL;TYPE=CELL,VOICE,PREF:905-555-1234" in text  # kept with its types
    assert "TEL;TYPE=home:01 02 03 04 05" in text
    assert "905-999-1234" not in text and "905-222-1234" not in text  # removed: not written
    assert "Ligne directe" not in text  # nor the label of a removed number
    assert "EMAIL:jane@ibm.com" in text and "john.doe" not in text
    assert "PHOTO;ENCODING=b;TYPE=JPEG:" in text and "CATEGORIES:Clients,VIP" in text
    again = one(text)
    assert (again.name, again.numbers, again.email) == (
        changed.name,
        changed.numbers,
        changed.email,
    )


PIECES = [
    "BEGIN:VCARD",
    "END:VCARD",
    "VERSION:2.1",
    "FN:Jean",
    "N:A;B;C;D;E;F",
    "TEL;CELL:0612345678",
    "TEL:p1",
    "TEL;VALUE=uri:tel:+33;ext=1",
    "EMAIL:a@b",
    'EMAIL:"x" <y',
    "ORG:;;",
    "item1.X-ABLabel:_$!<>!$_",
    "item1.TEL:1",
    "ADR:;;;;;;;;;",
    "NOTE;ENCODING=QUOTED-PRINTABLE:=C3=",
    "NOTE;CHARSET=nowhere;ENCODING=QUOTED-PRINTABLE:=FF=",
    "PHOTO;ENCODING=BASE64:abc",
    "PHOTO;BASE64:",
    'TEL;TYPE="a:b;c":1',
    ";;:",
    ":",
    " folded",
    "\t",
    "\\",
    "X-\x00:\x1f",
    "FN:\u202e\ufffd",
]


@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=30))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_text_gives_a_report_never_a_traceback(pieces: list[str]) -> None:
    text = "\r\n".join(pieces) + "\n"
    report = import_vcard(text)
    for _number, message in (*report.problems, *report.notes):
        assert "Traceback" not in message and "Error" not in message
    again = import_vcard(export_vcard(report.contacts)) if report.contacts else report
    assert again.contacts == report.contacts


@given(st.binary(max_size=300))
@settings(max_examples=200, deadline=None)
def test_any_bytes_in_a_file_give_a_report(tmp_path_factory: Any, data: bytes) -> None:
    path = tmp_path_factory.mktemp("vcf") / "cards.vcf"
    path.write_bytes(b"BEGIN:VCARD\r\nFN:X\r\nTEL:1\r\n" + data + b"\r\nEND:VCARD\r\n")
    report = import_vcard(path)
    assert len(report.contacts) + len(report.problems) >= 1


def test_a_number_never_keeps_a_control_character() -> None:
    """A broken line's rest joins its number with a line break; the rules refuse a control
    character in a number (``\\x1f`` is the store's own separator, and ``\\s`` took it)."""
    report = import_vcard("BEGIN:VCARD\r\nFN:Jean\r\nTEL:01 23\r\n\x1f45 67\r\nEND:VCARD\r\n")
    assert report.contacts[0].numbers == (("", "01 23 45 67"),)
    bad = Contact(id="", source="private", name="Jean", numbers=(("", "01\x1f23"),))
    with pytest.raises(InvalidContactInput):
        check_contact(bad)
