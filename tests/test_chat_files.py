"""Files in chat on the simulator (issue 15): the checks (missing file, folder, ``..``, over
the limit), safe names and never overwriting; Alt+H stages a file, Enter sends it, the
colleague's side can fetch it (and nobody else); Alt+Z saves a received file under the
downloads folder as ``name (1).ext`` when ``name.ext`` is there; without the feature Alt+H
says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import build_console, screen_text, settle
from textual.widgets import Input

from tws_tui.console.screens.attach_picker import AttachPicker
from tws_tui.console.screens.chat import ChatScreen
from tws_tui.core.errors import InvalidValue, PermissionDenied
from tws_tui.core.model import ChatFeature, UserId
from tws_tui.domain.attachments import (
    MAX_ATTACHMENT_BYTES,
    check_attachment,
    check_size,
    free_path,
    safe_file_name,
)

SIZE = (100, 30)


def test_what_may_be_attached(tmp_path: Path) -> None:
    good = tmp_path / "devis.pdf"
    good.write_bytes(b"%PDF-1.4")
    assert check_attachment(str(good)) == good
    with pytest.raises(InvalidValue, match="There is no file"):
        check_attachment(str(tmp_path / "absent.pdf"))
    with pytest.raises(InvalidValue, match="is a folder"):
        check_attachment(str(tmp_path))
    with pytest.raises(InvalidValue, match=r"'\.\.'"):
        check_attachment(str(tmp_path / ".." / tmp_path.name / "devis.pdf"))
    with pytest.raises(InvalidValue, match=r"\.\."):
        check_attachment("..\\secret.txt")
    big = tmp_path / "big.bin"
    big.write_bytes(b"\0" * (MAX_ATTACHMENT_BYTES + 1))
    with pytest.raises(InvalidValue, match="at most 5 MB"):
        check_attachment(str(big))
    with pytest.raises(InvalidValue):
        check_size(b"")


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("rapport.pdf", "rapport.pdf"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\win.ini", "win.ini"),
        (".bashrc", "bashrc"),
        ("a\x1b]0;pwned\x07b.txt", "a]0;pwnedb.txt"),
        ("nul\x00.txt", "nul.txt"),
        ("..", "file"),
        ("", "file"),
        ("\u202etxt.exe", "txt.exe"),
    ],
)
def test_safe_names(name: str, safe: str) -> None:
    assert safe_file_name(name) == safe


def test_never_over_an_existing_file(tmp_path: Path) -> None:
    assert free_path(tmp_path, "a.txt") == tmp_path / "a.txt"
    (tmp_path / "a.txt").write_text("1")
    assert free_path(tmp_path, "a.txt") == tmp_path / "a (1).txt"
    (tmp_path / "a (1).txt").write_text("2")
    assert free_path(tmp_path, "a.txt") == tmp_path / "a (2).txt"


def colleague(console: object) -> UserId:
    switch = console.backend.switch  # type: ignore[attr-defined]
    ep = next(
        e
        for e in switch.endpoints.values()
        if e.internal and e.user_id is not None and e is not switch.operator and e.name
    )
    return UserId(ep.user_id)


async def test_send_and_save_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    downloads = tmp_path / "Downloads"
    monkeypatch.setenv("TWS_TUI_DOWNLOADS_DIR", str(downloads))
    devis = tmp_path / "devis.pdf"
    devis.write_bytes(b"%PDF-1.4 devis")
    console = build_console()
    peer = colleague(console)
    files = console.backend.switch_files
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None
        await pilot.press("alt+4")
        await settle(pilot)
        chat = console.app.screen
        assert isinstance(chat, ChatScreen)
        chat.open_conversation(peer)
        await settle(pilot)
        await pilot.press("alt+h")
        await settle(pilot)
        assert isinstance(console.app.screen, AttachPicker)
        field = console.app.screen.query_one("#file-name", Input)
        field.value = str(tmp_path / "x" / "..")
        field.focus()  # the tree has the focus first
        await pilot.press("enter")
        await settle(pilot)
        notes = [n.message for n in console.app._notifications]
        assert any("'..'" in n for n in notes), notes
        assert console.app.screen is chat
        await pilot.press("alt+h")
        await settle(pilot)
        field = console.app.screen.query_one("#file-name", Input)
        field.value = str(devis)
        field.focus()  # the tree has the focus first
        await pilot.press("enter")
        await settle(pilot)
        assert [m for m in console.app.state.chat if m.files] == []  # staged, not sent yet
        await pilot.press("enter")  # the staged file sent, without text
        await settle(pilot)
        sent = [m for m in console.app.state.chat if m.files]
        assert [(m.text, [(f.name, f.size) for f in m.files]) for m in sent] == [
            ("", [("devis.pdf", 14)])
        ]
        attachment = sent[0].files[0]
        assert attachment.content_type == "application/pdf"
        assert files.fetch(peer, attachment.id) == b"%PDF-1.4 devis"  # the colleague may
        stranger = UserId("u-nobody")
        with pytest.raises(PermissionDenied):
            files.fetch(stranger, attachment.id)
        assert "📎 devis.pdf 14 B  #document #PDF" in screen_text(console.app)
        # the colleague sends one back, named to climb out; it is saved twice, never over
        files.send(peer, me.user_id, "../../notes.txt", b"hello")
        await settle(pilot)
        await pilot.press("alt+z")
        await settle(pilot)
        await pilot.press("alt+z")
        await settle(pilot)
        assert sorted(p.name for p in downloads.iterdir()) == ["notes (1).txt", "notes.txt"]
        assert (downloads / "notes (1).txt").read_bytes() == b"hello"
        notes = [n.message for n in console.app._notifications]
        assert f"File saved: {downloads / 'notes (1).txt'}" in notes
        caution = [n for n in notes if n.startswith("Careful with received files: a .zip")]
        assert len(caution) == 2  # once a save (TWS-4.3.5.1-2)


async def test_without_files_alt_a_says_so() -> None:
    console = build_console()
    peer = colleague(console)
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert console.backend.chat is not None
        features = console.backend.chat.features - {ChatFeature.ATTACHMENTS}
        console.backend.chat.features = features  # type: ignore[misc]  # as on sip
        await pilot.press("alt+4")
        await settle(pilot)
        chat = console.app.screen
        assert isinstance(chat, ChatScreen)
        chat.open_conversation(peer)
        await settle(pilot)
        await pilot.press("alt+h")
        await settle(pilot)
        assert console.app.screen is chat
        notes = [n.message for n in console.app._notifications]
        assert "Files cannot be sent with this connection." in notes
