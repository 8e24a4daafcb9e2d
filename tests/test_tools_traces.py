"""The Tools page's traces and upkeep (issue 17, TWS-6.11) and the About page's copy key
(TWS-1.8-1) on ``sim``: the trace level chosen (applied to the running console at once, saved,
"off" writing nothing), the log file's path and rotation shown, its folder's path copied, the
log exported to a typed path with its secrets removed (an unwritable path said in a sentence),
all my history deleted once confirmed (the journal emptied, the missed calls' count gone), and
every line of About on the clipboard."""

from __future__ import annotations

import dataclasses
import logging
from datetime import timedelta
from typing import Any

from helpers import ACME, build_console, screen_text, settle, until
from test_history import NOW, THREE, entry, seed
from test_tools_page import open_tools
from test_voicemail import notes

from tws_tui import __version__
from tws_tui.console.screens.modals.confirm import ConfirmScreen
from tws_tui.console.screens.tools.about_page import AboutScreen
from tws_tui.console.widgets.row_list import RowList
from tws_tui.core.events import LinkStatus
from tws_tui.core.model import Outcome
from tws_tui.journal import CallJournal
from tws_tui.platform import logs, paths

SIZE = (120, 40)


async def choose_level(pilot: Any, level: str) -> None:
    await pilot.press("l")
    select = pilot.app.screen.query_one("#tools-log-level")
    assert pilot.app.screen.focused is select
    select.value = level
    await settle(pilot)


async def test_the_trace_level_is_applied_at_once_and_saved_and_off_writes_nothing() -> None:
    log_file = logs.setup_logging("info")
    saved: list[Any] = []
    console = build_console(save_prefs=saved.append)
    async with console.app.run_test(size=SIZE) as pilot:
        await open_tools(pilot)
        shown = screen_text(console.app)
        assert f"Log file: {log_file}" in shown
        assert "15 files of 10 MB at most, the oldest overwritten." in shown
        await choose_level(pilot, "trace")
        assert logging.getLogger().level == logs.TRACE
        assert console.app.prefs.general.log_level == "trace"
        assert saved[-1]["general"]["log_level"] == "trace"
        logging.getLogger("tws_tui.test").log(logs.TRACE, "a trace line")
        await choose_level(pilot, "off")
        assert saved[-1]["general"]["log_level"] == "off"
        logging.getLogger("tws_tui.test").critical("never written")
        assert "Trace level: Off: nothing written." in notes(console)
    written = log_file.read_text()
    assert "TRACE   tws_tui.test: a trace line" in written
    assert "never written" not in written


async def test_the_log_folder_is_copied_and_the_log_exported_without_secrets(
    monkeypatch: Any,
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("SSH_TTY", raising=False)
    log_file = logs.setup_logging("info")
    logging.getLogger("tws_tui.test").info("signing in, password=Hunter2-pw, user bob")
    target = paths.state_dir() / "out" / "mine.log"
    paths.ensure_dir(target.parent)
    blocker = paths.state_dir() / "a-file"
    blocker.write_text("x")
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await open_tools(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert console.app.clipboard == str(log_file.parent)
        await until(pilot, lambda: opened == [log_file.parent.as_uri()], "the folder opened")
        monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")
        await pilot.press("c")
        await settle(pilot)
        assert opened == [log_file.parent.as_uri()]  # over SSH: copied only
        await pilot.press("x")
        await settle(pilot)
        console.app.screen.query_one("#file-name").value = str(target)
        await pilot.press("enter")
        await until(pilot, target.exists, "the log exported")
        await settle(pilot)
        assert f"Log written to {target}." in notes(console)
        await pilot.press("x")
        await settle(pilot)
        console.app.screen.query_one("#file-name").value = str(blocker / "x.log")
        await pilot.press("enter")
        await until(pilot, lambda: any("Cannot write" in n for n in notes(console)), "refused")
    exported = target.read_text()
    assert "signing in" in exported and "user bob" in exported
    assert "Hunter2-pw" not in exported


async def test_delete_all_my_history_asks_then_empties_the_journal_and_the_counts() -> None:
    seed(*THREE)
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        app = console.app
        await settle(pilot)
        call_id = console.ring(ACME)
        await settle(pilot)
        console.clock.advance(15)
        console.backend.switch.caller_hangs_up(call_id)  # nobody answered: a missed call
        await until(pilot, lambda: app.state.missed_calls == 1, "the missed call counted")
        assert "1 missed call" in screen_text(app)
        await until(pilot, lambda: len(CallJournal().lines()) == 4, "journaled")
        await open_tools(pilot)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        await pilot.press("n")
        await settle(pilot)
        assert len(CallJournal().lines()) == 4
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        await pilot.press("y")
        await until(pilot, lambda: not app.state.history, "the history emptied")
        await settle(pilot)
        assert app.state.missed_calls == 0
        assert "missed call" not in screen_text(app)
        assert "History deleted: 4 calls." in notes(console)
        assert CallJournal().lines() == []
        console.clock.advance(60)
        await pilot.press("r")  # reconnect: the phone system's history is merged again
        await until(pilot, lambda: app.state.link is LinkStatus.ONLINE, "back")
        await settle(pilot)
        assert app.state.missed_calls == 0
        await pilot.press("escape", "alt+5")
        await settle(pilot)
        assert app.screen.query_one("#history-list", RowList).row_count == 0
    journal = CallJournal()
    assert journal.lines() == [] and journal.comments("c2") == []


async def test_about_lists_every_field_and_copies_them_all() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await open_tools(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(console.app.screen, AboutScreen)
        shown = screen_text(console.app)
        me = console.app.state.me
        assert me is not None
        for line in (
            f"Version: tws-tui {__version__}",
            "Licence: GPL-3.0-or-later",
            "Backend: sim",
            f"User: {me.name} ({me.user_id})",
            f"Extension supervised: {me.extension}",
            "Connection: Online",
            "Installed or updated: ",
            "This machine's address: ",
            f"Log file: {paths.log_file()}",
        ):
            assert line in shown, line
        await pilot.press("c")
        await settle(pilot)
        copied = console.app.clipboard
        assert copied.startswith(f"Version: tws-tui {__version__}\n")
        assert f"User: {me.name} ({me.user_id})" in copied and "Libraries: textual " in copied
        assert "About copied to the clipboard." in notes(console)
        await pilot.press("alt+l")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert f"Poste supervisé : {me.extension}" in console.app.clipboard


def test_about_facts_degrade_to_words(monkeypatch: Any) -> None:
    from importlib import metadata

    from tws_tui.platform import install_info

    def missing(name: str) -> Any:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", missing)
    monkeypatch.setattr(metadata, "distribution", missing)
    assert all(version is None for _name, version in install_info.library_versions())
    assert install_info.installed_on() is None

    def no_network(*args: Any) -> Any:
        raise OSError("Network is unreachable")

    monkeypatch.setattr(install_info.socket, "socket", no_network)
    assert install_info.local_address() is None


async def test_about_opens_from_any_screen_with_shift_f1() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+4")
        await settle(pilot)
        await pilot.press("shift+f1")
        await settle(pilot)
        assert isinstance(console.app.screen, AboutScreen)
        assert f"Version: tws-tui {__version__}" in screen_text(console.app)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(console.app.screen, AboutScreen)


def test_the_journal_deleted_keeps_the_phone_systems_older_calls_out() -> None:
    journal = CallJournal()
    for line in THREE:
        journal.record(line)
    journal.add_comment("c2", "wants a quote", NOW)
    assert journal.delete_all(NOW - timedelta(minutes=10)) == 3
    assert journal.lines() == [] and journal.comments("c2") == []
    older = dataclasses.replace(
        entry("x1", timedelta(minutes=30), Outcome.MISSED, ACME), conversation_id="conv-1"
    )
    newer = dataclasses.replace(
        entry("x2", timedelta(minutes=5), Outcome.MISSED, ACME), conversation_id="conv-2"
    )
    assert journal.record_missing([older, newer]) == 1
    assert [line[0] for line in journal.lines()] == ["conv-2"]
