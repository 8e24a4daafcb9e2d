"""Tools for support (issue 17, TWS-6.11): the backend's own log file beside the console's
(TWS-6.11-4: its records only, one file a run, the newest 15 runs kept, shown on the page and
put in the bundle), the e-mail to support (TWS-6.11-6: a mailto: link to ``[general]
support_email`` handed to the mail client and copied), and the dependency check (TWS-6.11-8:
the base and each extra, every package installed, missing or at a version that does not fit,
the command that installs a missing extra, PortAudio)."""

from __future__ import annotations

import logging
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from helpers import build_console, screen_text, settle, until
from test_tools_page import open_tools
from test_voicemail import notes

from tws_tui import cli
from tws_tui.console.screens.tools.dependencies import DependenciesScreen, dependency_lines
from tws_tui.platform import logs, paths
from tws_tui.platform.dependencies import check


def test_the_backend_writes_a_log_of_its_own_and_old_runs_are_pruned() -> None:
    console_log = logs.setup_logging("info")
    folder = console_log.parent
    for day in range(1, 17):  # sixteen earlier runs of sip, one of cti
        (folder / f"sip_202611{day:02d}-080000.log").write_text("old")
    (folder / "sip_20261101-080000.log.1").write_text("old, rotated")
    (folder / "cti_20261101-080000.log").write_text("another backend's")
    try:
        path = logs.open_backend_log("sip", now=datetime(2026, 12, 7, 16, 30, 5))
        assert path == folder / "sip_20261207-163005.log"
        logging.getLogger("tws_tui.backends.sip.dialog").warning("INVITE refused: 486")
        logging.getLogger("tws_tui.console").warning("a console line")
        assert logs.current_backend_log() == path
    finally:
        logs.close_backend_log()
    logging.getLogger("tws_tui.backends.sip").warning("after it was closed")
    mine = path.read_text()
    assert "WARNING tws_tui.backends.sip.dialog: INVITE refused: 486" in mine
    assert "a console line" not in mine and "after it was closed" not in mine
    assert "INVITE refused: 486" in console_log.read_text()  # the console's log has all
    kept = sorted(p.name for p in folder.glob("sip_*"))
    assert len(kept) == 15 and kept[-1] == path.name and kept[0] == "sip_20261103-080000.log"
    assert (folder / "cti_20261101-080000.log").exists()
    assert logs.current_backend_log() is None
    cli._start_backend_log("cti")  # what `tws-tui` does before the console starts
    started = logs.current_backend_log()
    assert started is not None and started.parent == folder and started.name.startswith("cti_")
    assert f"backend log: {started}" in console_log.read_text()


def test_the_dependency_check_says_what_is_missing_and_how_to_install_it() -> None:
    requires = [
        "textual==8.2.8",
        "sounddevice>=0.4; extra == 'audio'",
        "miniaudio>=1.59; extra == 'audio'",
        "redis<9,>=5.0; extra == 'scale'",
        "uvloop>=0.19; sys_platform == 'win32' and extra == 'server'",
        "pytest==8.4.2; extra == 'dev'",
    ]
    versions = {"textual": "8.2.8", "sounddevice": "0.5.6", "redis": "4.6.0"}
    states = check((requires, ["audio", "dev", "scale", "server"]), versions.get)
    assert [(s.extra, s.complete) for s in states] == [
        ("", True),
        ("audio", False),
        ("scale", False),
    ]
    text = "\n".join(dependency_lines(states, (None, "libportaudio.so.2: not found")))
    assert "base (the console): complete\n  ✓ textual 8.2.8" in text
    assert "audio (the sound card and MP3 sounds): 1 missing" in text
    assert "  ✓ sounddevice 0.5.6\n  ✗ miniaudio: not installed\n  → " in text
    assert "  ✗ redis 4.6.0: needs <9,>=5.0" in text
    assert ".[audio]" in text and ".[scale]" in text  # the command that installs each
    assert "PortAudio (the sound card): not found (libportaudio.so.2: not found)" in text
    assert "pytest" not in text and "uvloop" not in text


async def test_tools_shows_both_logs_mails_support_and_checks_dependencies(
    monkeypatch: Any,
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("SSH_TTY", raising=False)
    logs.setup_logging("info")
    console = build_console()
    console.app.prefs.change("general", support_email="support@example.com")
    try:
        backend_log = logs.open_backend_log("sim")
        # Wide enough for the log's whole path, however deep pytest's temporary folder is
        # (a worker's adds "popen-gw1/").
        async with console.app.run_test(size=(240, 40)) as pilot:
            await open_tools(pilot)
            assert f"Backend's log file: {backend_log}" in screen_text(console.app)
            await pilot.press("m")
            await until(pilot, lambda: len(opened) == 1, "the mail client opened")
            link = urlsplit(opened[0])
            assert (link.scheme, link.path) == ("mailto", "support@example.com")
            query = parse_qs(link.query)
            assert query["subject"] == ["tws-tui: support request"]
            assert "attached the diagnostics bundle (Preferences → Tools → e)" in query["body"][0]
            assert "Version: tws-tui" in query["body"][0]
            assert console.app.clipboard == opened[0]
            assert any(n.startswith("A message to support opens") for n in notes(console))

            await pilot.press("k")
            await settle(pilot)
            assert isinstance(console.app.screen, DependenciesScreen)
            sounddevice = metadata.version("sounddevice")
            await until(
                pilot,
                lambda: f"✓ sounddevice {sounddevice}" in screen_text(console.app),
                "the check shown",
            )
            shown = screen_text(console.app)
            assert "audio (the sound card and MP3 sounds)" in shown
            assert "✓ PortAudio" in console.app.screen.text()  # below, scrolled to
            await pilot.press("c")
            assert f"✓ sounddevice {sounddevice}" in console.app.clipboard
    finally:
        logs.close_backend_log()
    assert backend_log.parent == paths.log_file().parent
    assert isinstance(backend_log, Path)
