"""Files staged for a chat message and their tags (issue 15, TWS Caller §4.3.5.3-2..4,
§4.3.5.4-1..3) on the simulator, at 80×24: Alt+H stages (a line per file: name, size, tags),
again adds more; Alt+Shift+J shows them (the highlighted one's name, size, type, tags, a text
file's first lines), T edits the tags (bad ones refused in words, nothing lost), Delete removes
one, C asks then removes them all; each conversation keeps its own; an edit goes first; Enter
sends the text and every staged file as one message whose files carry their tags, shown in the
thread — in English and in French. The tag rules and the message's limits, the journal keeping
the files and tags."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from helpers import Console, build_console, screen_text, settle
from test_chat import open_chat_with
from textual.widgets import Input, OptionList, Static

from tws_tui.console.screens.attach_picker import AttachPicker
from tws_tui.console.screens.chat import ChatScreen
from tws_tui.console.screens.modals.confirm import ConfirmScreen
from tws_tui.console.screens.modals.staged_files import StagedFilesScreen, TagEditorScreen
from tws_tui.core.errors import InvalidValue
from tws_tui.core.model import ChatAttachment, ChatMessage, OutgoingFile, UserId
from tws_tui.domain.attachment_tags import (
    MAX_FILES,
    MAX_TOTAL_BYTES,
    StagedFile,
    automatic_tags,
    check_tag,
    content_type_of,
    stage,
)
from tws_tui.journal.store import CallJournal
from tws_tui.platform.i18n import set_language

SIZE = (80, 24)


@pytest.mark.parametrize(
    ("name", "head", "tags"),
    [
        ("plan.pdf", b"%PDF", ("document", "PDF")),
        ("photo.png", b"", ("image", "PNG")),
        ("chanson.mp3", b"", ("audio", "MP3")),
        ("film.mp4", b"", ("video", "MP4")),
        ("tout.zip", b"", ("archive", "ZIP")),
        ("rapport.docx", b"", ("document", "DOCX")),
        ("LISEZMOI", b"Bonjour \xc3\xa0 tous\n", ("text", "TXT")),
        ("blob", b"\x00\x01\x02", ("file",)),
    ],
)
def test_two_automatic_tags(name: str, head: bytes, tags: tuple[str, ...]) -> None:
    assert automatic_tags(name, content_type_of(name, head)) == tags


def test_french_type_tags() -> None:
    set_language("fr")
    assert automatic_tags("a.txt", "text/plain") == ("texte", "TXT")
    assert automatic_tags("b", "application/octet-stream") == ("fichier",)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", "Type the tag's name"),
        ("x" * 5000, "at most 24 characters"),
        ("[bold]", "letters, digits"),
        ("a\x1b[2J", "letters, digits"),
        ("bad\ud800", "letters, digits"),
        ("deux mots", "letters, digits"),
        ("<b>", "letters, digits"),
        ("PDF", "already has the tag PDF"),
    ],
)
def test_bad_tags_are_refused_in_words(typed: str, problem: str) -> None:
    with pytest.raises(InvalidValue, match=problem):
        check_tag(typed, ("document", "pdf"))


def test_good_tags_french_and_english() -> None:
    assert check_tag("#réunion") == "réunion"
    assert check_tag(" Q3-budget_v2.1 ") == "Q3-budget_v2.1"
    with pytest.raises(InvalidValue, match="at most 8 tags"):
        check_tag("ninth", [f"t{n}" for n in range(8)])


def test_the_limits_of_a_message_name_the_file(tmp_path: Path) -> None:
    def file(n: int, size: int = 10) -> StagedFile:
        return StagedFile(tmp_path / f"f{n}.txt", f"f{n}.txt", size, "text/plain", ())

    staged = stage([], [file(n) for n in range(MAX_FILES)])
    assert len(stage(staged, [file(0)])) == MAX_FILES  # staged twice counts once
    with pytest.raises(InvalidValue, match=rf"f99\.txt not added: .* at most {MAX_FILES} files"):
        stage(staged, [file(99)])
    with pytest.raises(InvalidValue, match=r"big\.txt not added: .* at most 20 MB in all"):
        stage([file(1, MAX_TOTAL_BYTES)], [StagedFile(tmp_path, "big.txt", 1, "text/plain", ())])


def test_the_journal_keeps_the_files_and_their_tags(tmp_path: Path) -> None:
    journal = CallJournal(tmp_path / "journal.sqlite3")
    at = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    files = (
        ChatAttachment("f1", "plan.pdf", 8, "application/pdf", ("document", "PDF", "urgent")),
        ChatAttachment("f2", "a.txt", 2, "text/plain", ("texte", "TXT")),
    )
    message = ChatMessage("m1", UserId("u2"), UserId("u1"), "Voici", at, files=files)
    journal.record_chats("u1", [message])
    assert journal.chat_messages("u1", limit=10) == [message]


def colleagues(console: Console) -> list[UserId]:
    switch = console.backend.switch
    return [
        UserId(e.user_id)
        for e in switch.endpoints.values()
        if e.internal and e.user_id is not None and e is not switch.operator and e.name
    ]


async def stage_files(console: Console, pilot: Any, typed: str) -> None:
    await pilot.press("alt+h")
    await settle(pilot)
    assert isinstance(console.app.screen, AttachPicker)
    field = console.app.screen.query_one("#file-name", Input)
    field.value = typed
    field.focus()  # the tree has the focus first
    await pilot.press("enter")
    await settle(pilot)


def staged_strip(chat: ChatScreen) -> str:
    strip = chat.query_one("#chat-staged", Static)
    return str(strip.render()) if strip.display else ""


async def test_stage_tag_remove_and_send_one_message(tmp_path: Path) -> None:
    plan = tmp_path / "plan.pdf"
    plan.write_bytes(b"%PDF-1.4 plan")
    notes = tmp_path / "notes.txt"
    notes.write_text("première ligne\n[bold]deuxième\x1b[31m\n")
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG\r\n")
    console = build_console()
    first, second = colleagues(console)[:2]
    files = console.backend.switch_files
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("alt+4")
        await settle(pilot)
        chat = console.app.screen
        assert isinstance(chat, ChatScreen)
        chat.open_conversation(first)
        await settle(pilot)
        await stage_files(console, pilot, f"{plan} {notes}")
        chat.stage_typed(first, str(photo))  # again (as Alt+H does): added to the message
        await settle(pilot)
        shown = staged_strip(chat)
        assert "📎 plan.pdf 13 B  #document #PDF" in shown
        assert "📎 notes.txt" in shown and "#text #TXT" in shown
        assert "📎 photo.png 6 B  #image #PNG" in shown
        assert "📎 plan.pdf 13 B  #document #PDF" in screen_text(console.app)  # drawn at 80×24

        # another conversation has its own (none); back here, the files are still staged
        chat.open_conversation(second)
        await settle(pilot)
        assert staged_strip(chat) == ""
        chat.open_conversation(first)
        await settle(pilot)
        assert "photo.png" in staged_strip(chat)

        await pilot.press("alt+shift+j")
        await settle(pilot)
        staged = console.app.screen
        assert isinstance(staged, StagedFilesScreen)
        await pilot.press("down")  # notes.txt: its type, tags and first lines, literally
        await settle(pilot)
        detail = str(staged.query_one("#staged-detail", Static).render())
        assert "notes.txt" in detail and "text/plain" in detail and "#text #TXT" in detail
        assert "[bold]deuxième" in detail and "\x1b" not in detail
        await pilot.press("delete")  # notes.txt out of the message
        await settle(pilot)
        await pilot.press("up", "t")  # plan.pdf's tags
        await settle(pilot)
        editor = console.app.screen
        assert isinstance(editor, TagEditorScreen)
        await pilot.press("down", "delete")  # PDF removed
        await pilot.press("n", *"[x]", "enter")  # refused in words, the typed text kept
        await settle(pilot)
        problem = str(editor.query_one("#tags-problem", Static).render())
        assert "letters, digits and - _ . + only" in problem
        field = editor.query_one("#tags-new", Input)
        assert field.value == "[x]"
        field.value = ""
        await pilot.press(*"#urgent", "enter")
        await settle(pilot)
        labels = editor.query_one("#tags-list", OptionList)
        assert [str(labels.get_option_at_index(i).prompt) for i in range(2)] == [
            "#document",
            "#urgent",
        ]
        await pilot.press("escape")
        await settle(pilot)
        assert console.app.screen is staged
        await pilot.press("escape")
        await settle(pilot)
        assert console.app.screen is chat
        assert "notes.txt" not in staged_strip(chat)
        assert "📎 plan.pdf 13 B  #document #urgent" in staged_strip(chat)

        await pilot.press(*"Le plan et la photo", "enter")
        await settle(pilot)
        sent = [m for m in console.app.state.chat if m.files]
        assert len(sent) == 1  # one message: the text and both files
        message = sent[0]
        assert message.text == "Le plan et la photo"
        assert [(f.name, f.tags) for f in message.files] == [
            ("plan.pdf", ("document", "urgent")),
            ("photo.png", ("image", "PNG")),
        ]
        assert files.fetch(first, message.files[0].id) == b"%PDF-1.4 plan"
        assert staged_strip(chat) == ""
        assert chat.query_one("#chat-input", Input).value == ""
        text = screen_text(console.app)
        assert "Le plan et la photo" in text
        assert "📎 plan.pdf 13 B  #document #urgent" in text
        assert "📎 photo.png 6 B  #image #PNG" in text


async def test_clearing_asks_and_limits_name_the_file_in_french(tmp_path: Path) -> None:
    devis = tmp_path / "devis.txt"
    devis.write_text("Bonjour")
    console = build_console()
    peer = colleagues(console)[0]
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        set_language("fr")
        chat = await open_chat_with(console, pilot, peer)
        await pilot.press(*"Salut", "enter")
        await settle(pilot)
        chat.stage_typed(peer, str(devis))  # what Alt+H's dialog hands over
        await settle(pilot)
        shown = staged_strip(chat)
        assert "À envoyer avec le message" in shown
        assert "📎 devis.txt 7 o  #texte #TXT" in shown
        # an edit of a message sent goes first, without the files (never added to it)
        await pilot.press("up", "!", "enter")
        await settle(pilot)
        assert [(m.text, m.edited, m.files) for m in console.app.state.chat] == [
            ("Salut!", True, ())
        ]
        assert "devis.txt" in staged_strip(chat)
        await pilot.press("alt+shift+j", "c")
        await settle(pilot)
        assert isinstance(console.app.screen, ConfirmScreen)
        await pilot.press("n", "escape")  # kept
        await settle(pilot)
        assert "devis.txt" in staged_strip(chat)
        await pilot.press("alt+shift+j", "c", "o")  # oui: cleared
        await settle(pilot)
        assert console.app.screen is chat
        assert staged_strip(chat) == ""
        assert [m for m in console.app.state.chat if m.files] == []
        # over the count of a message: refused, naming the file, nothing staged
        many = []
        for n in range(MAX_FILES + 1):
            path = tmp_path / f"f{n}.txt"
            path.write_text("x")
            many.append(str(path))
        chat.stage_typed(peer, " ".join(many))
        await settle(pilot)
        notes = [n.message for n in console.app._notifications]
        assert f"f{MAX_FILES}.txt non ajouté : un message porte au plus {MAX_FILES} fichiers." in (
            notes
        )
        assert staged_strip(chat) == ""


async def test_the_simulator_refuses_a_bad_tag_and_keeps_nothing() -> None:
    console = build_console()
    peer = colleagues(console)[0]
    chat = console.backend.chat
    bad = [OutgoingFile("a.txt", b"a", ("\x1b]0;x\x07",))]
    with pytest.raises(InvalidValue, match="letters, digits"):
        await chat.send_files(peer, "", bad)  # type: ignore[union-attr]
    with pytest.raises(InvalidValue, match="1 to 10 files"):
        await chat.send_files(peer, "", [])  # type: ignore[union-attr]
    assert console.backend.switch_files._files == {}  # nothing kept
