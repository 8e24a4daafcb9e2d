"""A text with tagged files in one message on the CTI server (issue 15, TWS Caller §4.3.5.3-4,
§4.3.5.4), on SQLite and PostgreSQL: the store keeps a message's files (their JSON with the
tags) beside its text and drops their bytes with it; ``POST /v1/chat/file-messages`` stores one
message with every file and its tags, which the colleague's conversation lists as one (the
two consoles' test, ``test_chat_files_more_cti``, sees it come as an event); bad input — a
tag with markup, an escape sequence, a lone surrogate, 5 KB long; a file over the limit; no
file; data that is not base64 — is a problem in words and keeps nothing."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cti_fixtures import ServerThread, cti_server, http_client, login

from tws_tui.server.storage import ServerStorage
from tws_tui.server.store import ServerStore

__all__ = ["cti_server"]


@pytest.fixture
def store(tmp_path: Path, server_database: str) -> Iterator[ServerStorage]:
    opened: ServerStorage
    if server_database:
        from tws_tui.server.pg_store import PgStore

        opened = PgStore(server_database, pool_size=2)
    else:
        opened = ServerStore(tmp_path)
    opened.open()
    yield opened
    opened.close()


def test_the_store_keeps_the_files_and_drops_them_with_the_message(store: ServerStorage) -> None:
    store.add_chat_file("f1", "dm:u1|u2", "plan.pdf", "application/pdf", b"%PDF")
    store.add_chat_file("f2", "dm:u1|u2", "a.txt", "text/plain", b"a")
    files = json.dumps(
        [
            {"id": "f1", "name": "plan.pdf", "size": 4, "tags": ["document", "PDF", "réunion"]},
            {"id": "f2", "name": "a.txt", "size": 1, "tags": ["text", "TXT"]},
        ],
        ensure_ascii=False,
    )
    store.add_chat_message("m1", "dm:u1|u2", "u1", "Voici", "t1", files=files)
    row = store.chat_message("m1")
    assert row is not None and json.loads(row[12])[0]["tags"] == ["document", "PDF", "réunion"]
    assert store.chat_file("f2") == ("dm:u1|u2", "a.txt", "text/plain", b"a")
    store.change_chat_message("m1", "Voilà")  # an edit keeps them
    assert store.chat_file("f1") is not None
    store.change_chat_message("m1", None)  # taken back: its files go with it
    assert store.chat_file("f1") is None and store.chat_file("f2") is None
    row = store.chat_message("m1")
    assert row is not None and row[12] is None


def _file(name: str, data: bytes, *tags: str) -> dict[str, Any]:
    return {"name": name, "data": base64.b64encode(data).decode(), "tags": list(tags)}


def test_one_request_one_message_with_every_file_and_its_tags(cti_server: ServerThread) -> None:
    accounts = cti_server.state.accounts
    bob = accounts.get("bob")
    assert bob is not None
    with http_client(cti_server.url) as client:
        alice_headers, bob_headers = login(client, "alice"), login(client, "bob")
        body = {
            "to": bob.user_id,
            "text": "",  # files alone: the text may be empty
            "files": [_file("../../plan.pdf", b"%PDF", "document", "PDF", "réunion")],
        }
        refused: list[tuple[str, list[dict[str, Any]], int, str]] = [
            ("[b]", [_file("a.txt", b"a", "[b]x[/b]")], 400, "letters, digits"),
            ("esc", [_file("a.txt", b"a", "a\x1b[2J")], 400, "letters, digits"),
            ("long", [_file("a.txt", b"a", "x" * 5000)], 400, "at most 24 characters"),
            ("none", [], 400, "1 to 10 files"),
            ("b64", [{"name": "a.txt", "data": "%%%"}], 400, "a.txt is not base64"),
            ("big", [_file("big.bin", b"x" * (6 * 1024 * 1024))], 413, "big.bin is too large"),
        ]
        for what, files, status, words in refused:
            answer = client.post(
                "/v1/chat/file-messages",
                json={"to": bob.user_id, "text": "x", "files": files},
                headers=alice_headers,
            )
            assert answer.status_code == status, what
            assert words in answer.json()["detail"], (what, answer.json())
        surrogate = (  # JSON allows a lone surrogate escaped; the tag refuses it
            '{"to": "' + bob.user_id + '", "text": "x", "files": [{"name": "a", "data":'
            ' "YQ==", "tags": ["\\ud800"]}]}'
        )
        answer = client.post(
            "/v1/chat/file-messages",
            content=surrogate.encode(),
            headers={**alice_headers, "Content-Type": "application/json"},
        )
        assert answer.status_code == 400
        text_surrogate = surrogate.replace('"text": "x"', '"text": "a\\udc00b"').replace(
            '["\\ud800"]', "[]"
        )
        answer = client.post(
            "/v1/chat/file-messages",
            content=text_surrogate.encode(),
            headers={**alice_headers, "Content-Type": "application/json"},
        )
        assert answer.status_code == 400, answer.text  # a text that cannot be stored
        assert "files" not in client.get("/v1/chat/messages", headers=bob_headers).text
        answer = client.post("/v1/chat/file-messages", json=body, headers=alice_headers)
        assert answer.status_code == 201, answer.text
        sent = answer.json()
        assert sent["text"] == ""
        assert [(f["name"], f["tags"]) for f in sent["files"]] == [
            ("plan.pdf", ["document", "PDF", "réunion"])
        ]
        alice = accounts.get("alice")
        assert alice is not None
        listed = client.get(f"/v1/chat/conversations/{alice.user_id}", headers=bob_headers)
        [message] = [m for m in listed.json()["items"] if m["files"]]  # one message at Bob's
        assert [f["tags"] for f in message["files"]] == [["document", "PDF", "réunion"]]
        fetched = client.get(f"/v1/chat/files/{sent['files'][0]['id']}", headers=bob_headers)
        assert fetched.content == b"%PDF"
