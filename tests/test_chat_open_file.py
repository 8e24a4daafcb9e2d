"""Ctrl+O opens a received file on the simulator (issue 15): saved under the downloads folder
(never over a file) and handed to the real ``xdg-open``, which runs the program the desktop
associates with its type (here a handler script of the test, registered for text/plain in
mimeapps.list); a file that looks like a program is asked about first, and where nothing opens
it (no program for its type, no desktop) the console says where it was saved."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers import build_console, settle, until
from needs import missing
from test_chat_select import colleagues

from tws_tui.console.screens.chat import ChatScreen
from tws_tui.console.screens.modals.confirm import ConfirmScreen
from tws_tui.domain.file_risk import looks_executable

SIZE = (100, 30)


@pytest.mark.parametrize(
    ("name", "risky"),
    [
        ("devis.pdf", False),
        ("notes.txt", False),
        ("setup.EXE", True),
        ("facture.pdf.exe", True),
        ("install.sh", True),
        ("run.bat", True),
        ("app.js", True),
        ("..\\..\\evil.cmd", True),
        ("photo.jpg.", False),
        ("README", False),
    ],
)
def test_what_looks_like_a_program(name: str, risky: bool) -> None:
    assert looks_executable(name) is risky


def desktop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A desktop whose program for text/plain copies the file it opens to ``opened``."""
    if shutil.which("xdg-open") is None or shutil.which("file") is None:
        missing("xdg-open or file (Debian packages xdg-utils, file) is missing: make test-deps")
    handler = tmp_path / "handler.sh"
    handler.write_text('#!/bin/sh\ncp "$1" "$(dirname "$0")/opened"\n')
    handler.chmod(0o755)
    applications = tmp_path / "xdg-data" / "applications"
    applications.mkdir(parents=True)
    (applications / "tws-test-opener.desktop").write_text(
        "[Desktop Entry]\nType=Application\nName=Test opener\n"
        f"Exec={handler} %f\nMimeType=text/plain;\n"
    )
    config = tmp_path / "xdg-config"
    config.mkdir()
    (config / "mimeapps.list").write_text(
        "[Default Applications]\ntext/plain=tws-test-opener.desktop\n"
    )
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_DATA_DIRS", str(tmp_path / "none"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("BROWSER", "/bin/false")  # no browser fallback for other types
    for name in ("XDG_CURRENT_DESKTOP", "DESKTOP_SESSION", "SSH_CONNECTION", "SSH_TTY"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "opened"


async def test_open_a_received_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened = desktop(tmp_path, monkeypatch)
    downloads = tmp_path / "Downloads"
    monkeypatch.setenv("TWS_TUI_DOWNLOADS_DIR", str(downloads))
    console = build_console()
    peer = colleagues(console)[0]
    files = console.backend.switch_files
    app = console.app
    said: list[str] = []  # every notice whole (the screen shows long ones cut)
    notify = app.notify

    def said_too(message: str, *args: Any, **kwargs: Any) -> None:
        said.append(message)
        notify(message, *args, **kwargs)

    monkeypatch.setattr(app, "notify", said_too)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        me = app.state.me
        assert me is not None
        files.send(peer, me.user_id, "notes.txt", b"Rappeler M. Dupont\n")
        await pilot.press("alt+4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChatScreen)
        screen.open_conversation(peer)
        await settle(pilot)
        await pilot.press("ctrl+o")
        await until(pilot, opened.exists, "the desktop's program ran", 15)
        assert opened.read_bytes() == b"Rappeler M. Dupont\n"
        assert (downloads / "notes.txt").read_bytes() == b"Rappeler M. Dupont\n"
        await until(pilot, lambda: f"File opened: {downloads / 'notes.txt'}" in said, "said")

        # a script: asked first; No leaves nothing behind, Yes saves it (never executable)
        files.send(peer, me.user_id, "install.sh", b"#!/bin/sh\necho hi\n")
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "looks like a program" in app.screen.question
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen and not (downloads / "install.sh").exists()
        await pilot.press("ctrl+o")
        await settle(pilot)
        await pilot.press("y")
        saved = downloads / "install.sh"
        nothing_opens = f"File saved: {saved} (no program here to open it)."
        await until(pilot, lambda: nothing_opens in said, "said where", 15)
        assert saved.read_bytes() == b"#!/bin/sh\necho hi\n"
        assert not saved.stat().st_mode & 0o111

        # the first file again, the thread's selection on it, with no desktop: saved beside
        monkeypatch.delenv("DISPLAY")
        await pilot.press("alt+up", "up", "ctrl+o")
        nothing_opens = f"File saved: {downloads / 'notes (1).txt'} (no program here to open it)."
        await until(pilot, lambda: nothing_opens in said, "said where", 15)
