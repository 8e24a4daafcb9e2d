"""The CardDAV directory (issue 22) against a real Radicale server on loopback.

No mock of the server: each test starts Radicale (:mod:`tests.radicale_server`) with its own
storage folder and account, changes the address book as another client would, and checks what
:class:`~tws_tui.contacts.carddav.CardDavBook` did — on the server and in the local copy.
"""

from __future__ import annotations

import dataclasses
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from radicale_server import PASSWORD, USER, Server, card, free_port, radicale

from tws_tui.contacts.carddav import CardDavBook, CardDavReadOnly, SyncReport
from tws_tui.contacts.carddav_client import CardDavConflict, CardDavError
from tws_tui.contacts.carddav_store import CardDavStore
from tws_tui.contacts.directories import Directories
from tws_tui.core.model import Contact
from tws_tui.platform.i18n import set_language
from tws_tui.settings.schema import CardDavSettings

NOW = 1_800_000_000.0


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with radicale(tmp_path / "radicale") as running:
        running.put("dupont.vcf", card("Jean Dupont", "01 23 45 67 89", uid="dupont"))
        running.put("martin.vcf", card("Claire Martin", "06 12 34 56 78", uid="martin"))
        yield running


def book_for(
    server: Server, tmp_path: Path, *, mode: str = "read-only", password: str = PASSWORD
) -> CardDavBook:
    settings = CardDavSettings(url=server.book_url, username=USER, mode=mode)
    store = CardDavStore(tmp_path / "carddav.sqlite3")
    return CardDavBook(settings, store, password=lambda: password, now=lambda: NOW)


def names(book: CardDavBook) -> list[str]:
    return [c.name for c in book.contacts()]


def test_first_sync_copies_the_book_and_its_contacts_are_searchable(
    server: Server, tmp_path: Path
) -> None:
    book = book_for(server, tmp_path)
    report = book.sync()
    assert report == SyncReport("full", fetched=2, changed=2)
    assert names(book) == ["Claire Martin", "Jean Dupont"]
    dupont = next(c for c in book.contacts() if c.name == "Jean Dupont")
    assert dupont.source == "carddav" and dupont.id == "/alice/contacts/dupont.vcf"
    assert dupont.numbers == (("Bureau", "01 23 45 67 89"),)
    status = book.status()
    assert (status.name, status.count, status.when, status.failed) == (
        "Company book",
        2,
        NOW,
        False,
    )
    assert status.result == "2 changed, 0 removed"
    assert [c.name for c in book.find_by_number("+33123456789")] == ["Jean Dupont"]


async def test_the_console_search_finds_the_synchronised_contacts(
    server: Server, tmp_path: Path
) -> None:
    book = book_for(server, tmp_path)
    book.sync()
    directories = Directories(None, None, kept=(book,))
    assert [c.name for c in await directories.search("clai")] == ["Claire Martin"]
    assert (await directories.reverse("0612345678")).name == "Claire Martin"  # type: ignore[union-attr]
    directories.excluded = frozenset({"carddav"})
    assert await directories.search("clai") == []


def test_a_change_on_the_server_is_seen_next_sync_fetching_only_the_changes(
    server: Server, tmp_path: Path
) -> None:
    book = book_for(server, tmp_path)
    book.sync()
    server.put("martin.vcf", card("Claire Martin-Leroy", "06 12 34 56 78", uid="martin"))
    server.put("new.vcf", card("Paul Nouveau", "04 11 22 33 44"))
    server.delete("dupont.vcf")
    report = book.sync()
    # sync-collection: the two cards changed are downloaded, not the whole book.
    assert report == SyncReport("changes", fetched=2, changed=2, removed=1)
    assert names(book) == ["Claire Martin-Leroy", "Paul Nouveau"]
    assert book.sync() == SyncReport("changes")  # nothing changed: nothing downloaded


def test_without_a_sync_token_only_the_cards_whose_etag_changed_are_downloaded(
    server: Server, tmp_path: Path
) -> None:
    book = book_for(server, tmp_path)
    book.sync()
    book.store.note(token=None)  # as with a server without sync-collection
    server.put("martin.vcf", card("Claire Leroy", "06 12 34 56 78", uid="martin"))
    report = book.sync()
    assert report == SyncReport("full", fetched=1, changed=1)
    assert names(book) == ["Claire Leroy", "Jean Dupont"]


def _contact(book: CardDavBook, name: str) -> Contact:
    return next(c for c in book.contacts() if c.name == name)


def test_two_way_edits_additions_and_deletions_reach_the_server(
    server: Server, tmp_path: Path
) -> None:
    server.put(
        "photo.vcf",
        card("Anne Photo", "0499887766", uid="photo").replace(
            "END:VCARD", "NICKNAME:Nanou\r\nX-SOCIALPROFILE:https://example.org/anne\r\nEND:VCARD"
        ),
    )
    book = book_for(server, tmp_path, mode="two-way")
    book.sync()
    anne = _contact(book, "Anne Photo")
    edited = book.update(dataclasses.replace(anne, numbers=(("Mobile", "06 99 88 77 66"),)))
    assert edited.numbers == (("Mobile", "06 99 88 77 66"),)
    on_server = server.get("photo.vcf").text
    assert "06 99 88 77 66" in on_server and "0499887766" not in on_server
    # What the console does not show is kept, and so is the card's UID.
    assert "NICKNAME:Nanou" in on_server and "X-SOCIALPROFILE" in on_server
    assert "UID:photo" in on_server

    added = book.add(Contact("", "carddav", "Zoé Nouvelle", (("", "0611223344"),)))
    assert added.id.startswith("/alice/contacts/") and added.id.endswith(".vcf")
    file_name = added.id.rsplit("/", 1)[1]
    assert "FN:Zoé Nouvelle" in server.get(file_name).text

    book.delete(_contact(book, "Jean Dupont").id)
    assert "dupont.vcf" not in server.names()
    assert names(book) == ["Anne Photo", "Claire Martin", "Zoé Nouvelle"]
    # The next sync finds nothing new: the copy already holds what was written.
    assert book.sync().changed == 0


def test_a_conflict_keeps_the_servers_version_and_says_so(server: Server, tmp_path: Path) -> None:
    book = book_for(server, tmp_path, mode="two-way")
    book.sync()
    claire = _contact(book, "Claire Martin")
    server.put("martin.vcf", card("Claire Martin", "06 00 00 00 01", uid="martin"))  # elsewhere
    with pytest.raises(CardDavConflict) as raised:
        book.update(dataclasses.replace(claire, numbers=(("", "06 55 55 55 55"),)))
    assert str(raised.value) == (
        "Claire Martin was changed on the server meanwhile: the server's version is kept and "
        "yours was not sent."
    )
    assert "06 00 00 00 01" in server.get("martin.vcf").text
    assert _contact(book, "Claire Martin").numbers == (("Bureau", "06 00 00 00 01"),)

    server.put("dupont.vcf", card("Jean Dupont", "01 00 00 00 02", uid="dupont"))
    with pytest.raises(CardDavConflict, match="it was not deleted"):
        book.delete(_contact(book, "Jean Dupont").id)
    assert "dupont.vcf" in server.names()
    assert _contact(book, "Jean Dupont").numbers == (("Bureau", "01 00 00 00 02"),)


def test_a_read_only_book_refuses_changes_before_asking_the_server(
    server: Server, tmp_path: Path
) -> None:
    book = book_for(server, tmp_path)
    book.sync()
    before = server.get("martin.vcf").text
    claire = _contact(book, "Claire Martin")
    with pytest.raises(CardDavReadOnly) as raised:
        book.update(dataclasses.replace(claire, name="Claire M."))
    assert str(raised.value) == (
        "Claire M.: Company book is a read-only CardDAV book. Change it on the server."
    )
    with pytest.raises(CardDavReadOnly):
        book.delete(claire.id)
    with pytest.raises(CardDavReadOnly):
        book.add(Contact("", "carddav", "Nobody", (("", "0611223344"),)))
    assert server.get("martin.vcf").text == before
    assert server.names() == {"dupont.vcf", "martin.vcf"}


def test_a_wrong_password_says_so_and_keeps_the_last_copy(server: Server, tmp_path: Path) -> None:
    book_for(server, tmp_path).sync()
    book = book_for(server, tmp_path, password="wrong")
    with pytest.raises(CardDavError) as raised:
        book.sync()
    assert str(raised.value) == (
        "The CardDAV server refused the user 'alice' or its password (tws-tui carddav password)."
    )
    status = book.status()
    assert status.failed and status.count == 2
    assert status.result.startswith("failed: The CardDAV server refused")
    assert names(book) == ["Claire Martin", "Jean Dupont"]


def test_a_server_that_is_down_says_so_and_the_last_copy_stays_searchable(
    server: Server, tmp_path: Path
) -> None:
    book = book_for(server, tmp_path)
    book.sync()
    server.stop()
    with pytest.raises(CardDavError, match=r"cannot be reached"):
        book.sync()
    assert names(book) == ["Claire Martin", "Jean Dupont"]
    assert book.status().result.endswith("The last copy stays usable.")


def test_messages_are_in_french_in_french(server: Server, tmp_path: Path) -> None:
    book = book_for(server, tmp_path, password="faux")
    set_language("fr")
    with pytest.raises(CardDavError) as raised:
        book.sync()
    assert "mot de passe" in str(raised.value)
    assert book.status().result.startswith("échec")


class _NotDav(http.server.BaseHTTPRequestHandler):
    def do_PROPFIND(self) -> None:
        body = b"<html><body>Welcome</body"
        self.send_response(207)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


def test_an_answer_that_is_not_webdav_xml_says_so(tmp_path: Path) -> None:
    port = free_port()
    httpd = http.server.HTTPServer(("127.0.0.1", port), _NotDav)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        settings = CardDavSettings(url=f"http://127.0.0.1:{port}/book/", username="x")
        book = CardDavBook(settings, CardDavStore(tmp_path / "c.sqlite3"), password=lambda: "y")
        with pytest.raises(CardDavError) as raised:
            book.sync()
        assert str(raised.value) == (
            "The CardDAV server did not answer in WebDAV XML when asked to read the address book."
        )
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_wrong_carddav_settings_give_clear_problems_and_defaults(tmp_path: Path) -> None:
    from tws_tui.settings.load import load_settings

    config = tmp_path / "config.toml"
    config.write_text(
        "[carddav]\n"
        'url = "cloud.example.com/dav"\n'
        'mode = "both"\n'
        "sync_every_min = -5\n"
        'password = "hunter2"\n',
        encoding="utf-8",
    )
    settings, problems = load_settings(config, tmp_path / "prefs.toml", backend_names=["sim"])
    assert settings.carddav == CardDavSettings()
    assert [str(p).split(": ", 1)[1] for p in problems] == [
        "carddav.url = 'cloud.example.com/dav' — expected an address starting with http:// or "
        "https://; using ''",
        "carddav.mode = 'both' — expected one of read-only, two-way; using 'read-only'",
        "carddav.sync_every_min = -5 — expected a whole number from 0 to 1440; using 15",
        "carddav.password: passwords and tokens do not belong in a settings file — tws-tui keeps "
        "them in the system keyring; ignored",
    ]


def test_the_cli_stores_the_password_and_syncs(
    server: Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import io

    from tws_tui import cli
    from tws_tui.platform.secrets import get_secret

    monkeypatch.setenv("TWS_TUI_KEYRING", "off")  # the private file, never a real keyring
    config = tmp_path / "config.toml"
    config.write_text(
        f'[carddav]\nurl = "{server.book_url}"\nusername = "{USER}"\n', encoding="utf-8"
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert (
        cli.main(
            ["--lang", "en", "--config", str(config), "carddav", "password", "--password-stdin"]
        )
        == 0
    )
    assert get_secret("carddav", USER) == PASSWORD
    assert "CardDAV password of alice stored in" in capsys.readouterr().out
    assert cli.main(["--lang", "en", "--config", str(config), "carddav", "sync"]) == 0
    assert "synchronised: 2 contacts changed." in capsys.readouterr().out
    server.stop()
    assert cli.main(["--lang", "en", "--config", str(config), "carddav", "sync"]) == 1
    assert "cannot be reached" in capsys.readouterr().err


def test_a_sync_token_the_server_forgot_falls_back_to_comparing_etags(
    server: Server, tmp_path: Path
) -> None:
    book = book_for(server, tmp_path)
    book.sync()
    book.store.note(token="http://radicale.org/ns/sync/" + "0" * 64)  # unknown to the server
    server.put("martin.vcf", card("Claire Leroy", "06 12 34 56 78", uid="martin"))
    assert book.sync() == SyncReport("full", fetched=1, changed=1)
    assert names(book) == ["Claire Leroy", "Jean Dupont"]
    assert book.sync() == SyncReport("changes")  # the new token works


def test_the_last_result_is_shown_in_the_language_of_the_moment(
    server: Server, tmp_path: Path
) -> None:
    book = book_for(server, tmp_path, password="wrong")
    with pytest.raises(CardDavError):
        book.sync()
    set_language("fr")
    assert book.status().result == (
        "échec : Le serveur CardDAV a refusé l'utilisateur 'alice' ou son mot de passe "
        "(tws-tui carddav password). La dernière copie reste utilisable."
    )
    set_language("en")
    assert book.status().result.startswith("failed: The CardDAV server refused the user 'alice'")
