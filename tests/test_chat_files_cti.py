"""Files in chat through the real CTI server (issue 15), on SQLite and PostgreSQL: Alice's
console attaches a file (Alt+H) to her conversation with Bob; Bob's console shows it in the
thread and saves it (Alt+Z) byte for byte; Carol, in neither the conversation nor the group,
gets 403 for it and finds it in none of her lists; a file over the server's ``[chat]
max_file_kb`` is refused with a 413 whose sentence Alice's console shows; a name that climbs
out and repaints the terminal is kept safe; the store keeps the file across a restart and
drops it with its message."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from cti_fixtures import (
    USERS,
    ServerThread,
    chat_screens,
    cti_console,
    http_client,
    login,
    signed_in,
    user_id,
)
from helpers import screen_text, settle, until
from textual.widgets import Input

from tws_tui.console.app import TwsApp
from tws_tui.console.screens.attach_picker import AttachPicker
from tws_tui.core.model import ChatFeature
from tws_tui.platform.i18n import _, set_language
from tws_tui.server.api_chat_files import too_large
from tws_tui.server.config_file import ServerFileError, read_server_file
from tws_tui.server.state import ServerConfig
from tws_tui.wire.problems import error_from_problem, problem

SIZE = (110, 30)
LIMIT = 2048  # the server's [chat] max_file_kb = 2
CAROL = ("carol", "182", "operator")
#: Bytes of every value, so that a text conversion anywhere would show.
CONTENT = bytes(range(256)) * 5 + b"\r\n\x00end"


@pytest.fixture
def files_server(tmp_path: Path, server_database: str) -> Iterator[ServerThread]:
    server = ServerThread(
        tmp_path / "server",
        heartbeat_s=1.0,
        database=server_database,
        chat_file_max_bytes=LIMIT,
    )
    server.start()
    server.add_users((*USERS, CAROL))
    try:
        yield server
    finally:
        server.close()


async def attach(app: TwsApp, pilot: object, path: Path) -> None:
    await pilot.press("alt+h")  # type: ignore[attr-defined]
    await settle(pilot)
    assert isinstance(app.screen, AttachPicker)
    field = app.screen.query_one("#file-name", Input)
    field.value = str(path)
    field.focus()  # the tree has the focus first
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)
    await pilot.press("enter")  # type: ignore[attr-defined]  # the staged file sent
    await settle(pilot)


async def test_a_file_from_alice_to_bob_and_not_to_carol(
    files_server: ServerThread, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    downloads = tmp_path / "Downloads"
    monkeypatch.setenv("TWS_TUI_DOWNLOADS_DIR", str(downloads))
    devis = tmp_path / "devis.bin"
    devis.write_bytes(CONTENT)
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * (LIMIT + 1))
    alice, bob = cti_console(files_server), cti_console(files_server, "bob")
    alice_id, bob_id = user_id(files_server, "alice"), user_id(files_server, "bob")
    async with signed_in(alice, bob, size=SIZE, notifications=True) as (a, b):
        assert alice.backend is not None and alice.backend.chat is not None
        assert ChatFeature.ATTACHMENTS in alice.backend.chat.features
        alice_chat, bob_chat = await chat_screens((alice, a), (bob, b))
        alice_chat.open_conversation(bob_id)
        await settle(a)
        await attach(alice, a, devis)
        line = "📎 devis.bin 1.3 KB  #file #BIN"
        await until(b, lambda: line in screen_text(bob), "bob's list", 10)
        bob_chat.open_conversation(alice_id)
        await settle(b)
        assert line in screen_text(bob)
        await b.press("alt+z")
        await until(b, lambda: (downloads / "devis.bin").exists(), "bob saved it", 10)
        assert (downloads / "devis.bin").read_bytes() == CONTENT

        # over the server's limit: its 413, in words, on Alice's console; nothing sent
        await attach(alice, a, big)
        sentence = "The request failed: big.bin is too large for the phone system: at most 2 KB."
        await until(
            a, lambda: any(n.message == sentence for n in alice._notifications), "413 shown", 10
        )
        staged = alice_chat.query_one("#chat-staged")
        assert "big.bin" in str(staged.render())  # still staged: nothing lost
        assert "big.bin" not in screen_text(bob)

    sent = [m for m in files_server.state.switchboard.conversation(
        files_server.state.accounts.get("alice"), bob_id, 10  # type: ignore[arg-type]
    ) if m.files]  # fmt: skip
    assert [[(f.name, f.size, f.content_type) for f in m.files] for m in sent] == [
        [("devis.bin", len(CONTENT), "application/octet-stream")]
    ]
    file_id = sent[0].files[0].id
    with http_client(files_server.url) as client:
        carol = login(client, "carol")
        answer = client.get(f"/v1/chat/files/{file_id}", headers=carol)
        assert answer.status_code == 403
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["detail"] == "This file was not sent to you."
        assert file_id not in client.get("/v1/chat/messages", headers=carol).text
        assert file_id not in client.get(f"/v1/chat/conversations/{alice_id}", headers=carol).text
        assert client.get("/v1/chat/files/file-nothing", headers=carol).status_code == 404
        bob_headers = login(client, "bob")
        answer = client.get(f"/v1/chat/files/{file_id}", headers=bob_headers)
        assert answer.status_code == 200 and answer.content == CONTENT
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["content-disposition"] == "attachment; filename*=UTF-8''devis.bin"


def upload(client: object, headers: dict[str, str], to: str, name: str, data: bytes) -> object:
    body = {"to": to, "name": name, "data": base64.b64encode(data).decode()}
    return client.post("/v1/chat/files", json=body, headers=headers)  # type: ignore[attr-defined]


def test_the_servers_rules_for_files(files_server: ServerThread) -> None:
    alice_id, bob_id = user_id(files_server, "alice"), user_id(files_server, "bob")
    with http_client(files_server.url) as client:
        alice, carol = login(client, "alice"), login(client, "carol")
        # a name that climbs out and clears the screen: only its safe last part is kept
        answer = upload(client, alice, bob_id, "../../etc/passwd\x1b[2J", b"root:x:0:0")
        assert answer.status_code == 201, answer.text  # type: ignore[attr-defined]
        message = answer.json()  # type: ignore[attr-defined]
        assert message["text"] == "passwd[2J"
        assert message["attachment"]["name"] == "passwd[2J"
        assert message["attachment"]["content_type"] == "application/octet-stream"
        got = client.get(f"/v1/chat/files/{message['attachment']['id']}", headers=alice)
        assert got.headers["content-disposition"] == "attachment; filename*=UTF-8''passwd%5B2J"
        # the content type: guessed from the name, or the one given if it is one
        pdf = upload(client, alice, bob_id, "devis.pdf", b"%PDF-1.4").json()  # type: ignore[attr-defined]
        assert pdf["attachment"]["content_type"] == "application/pdf"
        bad = {"to": bob_id, "name": "a.txt", "data": "aGk=", "content_type": "text/html; x"}
        answer = client.post("/v1/chat/files", json=bad, headers=alice)
        assert answer.status_code == 400
        assert "Not a content type" in answer.json()["detail"]
        # over the limit, just past it (the handler) and far past it (the body's reading)
        for size in (LIMIT + 1, 50 * LIMIT):
            answer = upload(client, alice, bob_id, "big.bin", b"x" * size)
            assert answer.status_code == 413, size  # type: ignore[attr-defined]
            problem = answer.json()  # type: ignore[attr-defined]
            assert problem["code"] == "payload_too_large"
            assert problem["detail"] == (
                "This file is too large for the phone system: at most 2 KB."
            )
        assert upload(client, alice, bob_id, "empty", b"").status_code == 400  # type: ignore[attr-defined]
        answer = client.post(
            "/v1/chat/files", json={"to": bob_id, "name": "a", "data": "@@"}, headers=alice
        )
        assert answer.status_code == 400
        # a group Carol is not in: she can neither send into it nor fetch its files
        group = client.post(
            "/v1/chat/groups", json={"name": "Accueil", "members": [bob_id]}, headers=alice
        ).json()
        in_group = upload(client, alice, group["id"], "plan.txt", b"plan").json()  # type: ignore[attr-defined]
        assert upload(client, carol, group["id"], "x.txt", b"x").status_code == 403  # type: ignore[attr-defined]
        file_id = in_group["attachment"]["id"]
        assert client.get(f"/v1/chat/files/{file_id}", headers=carol).status_code == 403
        assert client.get(f"/v1/chat/files/{file_id}", headers=alice).content == b"plan"
        # a message taken back takes its file with it
        assert client.delete(f"/v1/chat/messages/{pdf['id']}", headers=alice).status_code == 204
        gone = client.get(f"/v1/chat/files/{pdf['attachment']['id']}", headers=alice)
        assert gone.status_code == 404
        conversation = client.get(f"/v1/chat/conversations/{bob_id}", headers=alice).json()
        assert [m.get("attachment") for m in conversation["items"] if m["id"] == pdf["id"]] == [
            None
        ]
    # the file is in the store: a restart of the server keeps it
    files_server.kill()
    files_server.start()
    with http_client(files_server.url) as client:
        bob = login(client, "bob")
        kept = client.get(f"/v1/chat/files/{message['attachment']['id']}", headers=bob)
        assert kept.status_code == 200 and kept.content == b"root:x:0:0"
        items = client.get(f"/v1/chat/conversations/{alice_id}", headers=bob).json()["items"]
        assert any((m.get("attachment") or {}).get("name") == "passwd[2J" for m in items)


def test_the_refusal_in_french(tmp_path: Path) -> None:
    refusal = too_large(ServerConfig(data_dir=tmp_path, chat_file_max_bytes=LIMIT))
    rebuilt = error_from_problem(413, problem(refusal, instance="/v1/chat/files"))
    assert rebuilt.translated(_) == "This file is too large for the phone system: at most 2 KB."
    set_language("fr")
    try:
        assert rebuilt.translated(_) == (
            "Ce fichier est trop gros pour le système téléphonique : 2 Ko au plus."
        )
    finally:
        set_language("en")


def test_the_limit_in_server_toml(tmp_path: Path) -> None:
    path = tmp_path / "server.toml"
    assert read_server_file(path).chat_file_max_bytes == 5 * 1024 * 1024
    path.write_text("[chat]\nmax_file_kb = 512\n")
    assert read_server_file(path).chat_file_max_bytes == 512 * 1024
    for wrong in ("0", "9000", '"5"', "true"):
        path.write_text(f"[chat]\nmax_file_kb = {wrong}\n")
        with pytest.raises(ServerFileError, match=r"\[chat\] max_file_kb"):
            read_server_file(path)
    path.write_text("[chat]\nmax_size = 5\n")
    with pytest.raises(ServerFileError, match="unknown key"):
        read_server_file(path)
