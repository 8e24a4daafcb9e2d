"""The vCard importer on real exports of other contact software (``tests/data/contacts/vcard``,
sources and licences in its SOURCES.md): how many cards come in whole, and that import →
export → import loses nothing.

``expected.toml`` there says, card by card, what each one holds (written by reading the
cards, not from our output).
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest
import vobject  # type: ignore[import-untyped]

from tws_tui.contacts.exchange import ImportReport, export_vcard, import_vcard
from tws_tui.contacts.rules import all_emails
from tws_tui.contacts.vcard_text import decode_bytes, read_cards
from tws_tui.core.model import Contact

CORPUS = Path(__file__).parent / "data" / "contacts" / "vcard"
FILES = sorted(CORPUS.glob("*.vcf"))
EXPECTED = tomllib.loads((CORPUS / "expected.toml").read_text(encoding="utf-8"))["card"]


def kept_by_card(report: ImportReport) -> dict[int, Contact]:
    """The imported contacts by card number (the cards not refused, in file order)."""
    refused = {number for number, _message in report.problems}
    cards = len(report.contacts) + len(refused - {0})
    kept = [number for number in range(1, cards + 1) if number not in refused]
    return dict(zip(kept, report.contacts, strict=True))


def test_the_corpus_is_real_and_varied() -> None:
    names = " ".join(path.name for path in FILES)
    for maker in ("IPHONE", "ANDROID", "MS_OUTLOOK", "outlook-2003", "outlook-2007", "GMAIL",
                  "LOTUS_NOTES", "MAC_ADDRESS_BOOK", "EVOLUTION", "BLACK_BERRY", "thunderbird",
                  "davx5", "ios", "japanese", "nextcloud"):  # fmt: skip
        assert maker in names
    texts = [path.read_bytes() for path in FILES]
    assert any(b"VERSION:2.1" in t for t in texts) and any(b"VERSION:4.0" in t for t in texts)
    assert any(b"QUOTED-PRINTABLE" in t for t in texts)
    assert any(b"CHARSET=SHIFT_JIS" in t for t in texts)
    assert any(b"\r\r\n" in t for t in texts)  # iOS
    assert any(b"\nPHOTO" in t for t in texts)
    assert any(b"PRODID:-//Sabre//Sabre VObject" in t for t in texts)  # Nextcloud's server
    assert any(b"PRODID:-//Nextcloud Contacts" in t for t in texts)  # its web app's export
    assert any(b"PHOTO;VALUE=URI:data:image/jpeg;base64" in t for t in texts)
    assert (CORPUS / "SOURCES.md").read_text(encoding="utf-8").count(".vcf") >= len(FILES)


def test_at_least_98_percent_of_cards_with_a_name_and_a_number_or_email_come_in_whole() -> None:
    reports = {path.name: import_vcard(path) for path in FILES}
    whole, failures = 0, []
    for card in EXPECTED:
        contact = kept_by_card(reports[card["file"]]).get(card["card"])
        got = (
            None
            if contact is None
            else (contact.name, [number for _label, number in contact.numbers], all_emails(contact))
        )
        if got == (card["name"], card["numbers"], card["emails"]):
            whole += 1
        else:
            failures.append((card["file"], card["card"], got))
    share = whole / len(EXPECTED)
    print(f"\nvCard corpus: {whole} of {len(EXPECTED)} cards whole ({share:.1%}); not: {failures}")
    assert len(EXPECTED) >= 60
    assert share >= 0.98, failures


def test_the_card_whose_only_number_is_tones_is_refused_with_why() -> None:
    """``aosp_v30_pause_wait.vcf``: a name and ``TEL:p1234p5678w9``, tones with no number before
    them (expected.toml does not list it: it has nothing to call). It is refused, saying why."""
    report = import_vcard(CORPUS / "aosp_v30_pause_wait.vcf")
    assert report.contacts == ()
    ((number, message),) = report.problems
    assert number == 1
    assert "'p1234p5678w9' left out of the numbers: it starts with a pause or a wait" in message
    assert "no number before them to call" in message
    assert not any(card["file"] == "aosp_v30_pause_wait.vcf" for card in EXPECTED)


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_import_export_import_is_lossless(path: Path, version: str) -> None:
    first = import_vcard(path)
    text = export_vcard(first.contacts, version=version)
    if not first.contacts:
        assert text == ""
        return
    again = import_vcard(text)
    assert again.problems == ()
    assert again.contacts == first.contacts
    parsed = list(vobject.readComponents(text))  # other software reads what we write
    assert [card.fn.value for card in parsed] == [contact.name for contact in first.contacts]


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_every_line_of_a_kept_card_is_exported(path: Path) -> None:
    """Each property of the source card is in its exported card, but VERSION, PRODID and
    PROFILE (ours are written) and what the card's notes say was left out (a damaged photo)."""
    report = import_vcard(path)
    notes = {number: " ".join(n for c, n in report.notes if c == number) for number in range(99)}
    data = path.read_bytes()
    text, raw = decode_bytes(data)
    source = {card.number: card for card in read_cards(text, data, raw)}
    for number, contact in kept_by_card(report).items():
        exported = next(read_cards(export_vcard([contact])))
        had = Counter(line.name for line in source[number].lines)
        has = Counter(line.name for line in exported.lines)
        del had["VERSION"], had["PRODID"], had["PROFILE"]
        missing = had - has
        assert all(name in notes[number] for name in missing), (number, missing)
