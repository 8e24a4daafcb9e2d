"""The Tools page (issue 17, TWS-6.11, TWS-1.8) on ``sim``: opened from Preferences; the About
page it opens (A: version, backend, Python, the libraries, the files); the diagnostics bundle
written through the file dialog, a zip in which no password, token or access key survives
(config.toml, prefs.toml, the logs); reconnect now (R) closing the backend, building a new
one and saying when the link is back. Plus the redaction itself on the shapes secrets take."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from helpers import build_console, prefs_of, screen_text, settle, until
from test_voicemail import notes

from tws_tui import __version__
from tws_tui.backends.sim import create
from tws_tui.console.app import BackendSetup, TwsApp
from tws_tui.console.screens.tools.about_page import AboutScreen
from tws_tui.console.screens.tools.page import ToolsScreen
from tws_tui.core.clock import ManualClock
from tws_tui.core.events import LinkStatus
from tws_tui.platform import paths
from tws_tui.platform.diagnostics import REMOVED, build_bundle, redact

SIZE = (120, 40)
SECRETS = ("Hunter2-pw", "eyJhbGciOi.tok3n", "AKIAEXAMPLE1234", "sk-live-778899", "4711")
CONFIG = """\
[general]
language = "fr"

[backend]
name = "cti"

[backend.cti]
url = "https://bob:Hunter2-pw@cti.example.com"
username = "bob"
password = "Hunter2-pw"
refresh_token = 'eyJhbGciOi.tok3n'

[carddav]
access_key = "AKIAEXAMPLE1234"
pin = 4711
"""
LOG = """\
2026-12-07 10:00:00,000 INFO    tws_tui.cti: signing in as bob
2026-12-07 10:00:01,000 DEBUG   httpx: Authorization: Bearer eyJhbGciOi.tok3n
2026-12-07 10:00:02,000 DEBUG   tws_tui.x: body {"password": "Hunter2-pw", "username": "bob"}
2026-12-07 10:00:03,000 DEBUG   tws_tui.y: api_key=sk-live-778899 mapping=3 pinned=1
"""


def write_files() -> None:
    paths.ensure_dir(paths.config_dir())
    paths.config_file().write_text(CONFIG)
    paths.prefs_file().write_text('[ui]\ntheme = "nord"\n')
    paths.ensure_dir(paths.log_dir())
    paths.log_file().write_text(LOG)
    (paths.log_dir() / "tws-tui.log.1").write_text("older token: eyJhbGciOi.tok3n\n")
    paths.ensure_dir(paths.data_dir())
    paths.secrets_file().write_text('{"cti": {"bob": "Hunter2-pw"}}')


def members(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as bundle:
        return {name: bundle.read(name).decode() for name in bundle.namelist()}


def test_redact_removes_each_shape_of_secret_and_keeps_the_rest() -> None:
    text = redact(CONFIG + LOG)
    for secret in SECRETS:
        assert secret not in text
    assert 'username = "bob"' in text and "signing in as bob" in text
    assert f'password = "{REMOVED}"' in text
    assert "mapping=3 pinned=1" in text  # words that merely contain "pin" are kept
    assert f"https://bob:{REMOVED}@cti.example.com" in text


def test_the_bundle_holds_logs_and_settings_and_no_secret() -> None:
    write_files()
    files = [("config.toml", paths.config_file()), ("prefs.toml", paths.prefs_file())]
    logs = [paths.log_file(), paths.log_dir() / "tws-tui.log.1"]
    data, names = build_bundle(files, logs, [("Version", "x")])
    out = paths.state_dir() / "b.zip"
    out.write_bytes(data)
    shown = members(out)
    assert sorted(shown) == sorted(names)
    assert set(names) == {
        "about.txt",
        "config.toml",
        "prefs.toml",
        "logs/tws-tui.log",
        "logs/tws-tui.log.1",
    }
    for name, text in shown.items():
        for secret in SECRETS:
            assert secret not in text, (name, secret)
    assert 'theme = "nord"' in shown["prefs.toml"]


async def open_tools(pilot: Any) -> ToolsScreen:
    await pilot.press("alt+6")
    await settle(pilot)
    pilot.app.screen.query_one("#pref-tools").press()
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ToolsScreen)
    return screen


async def test_about_panel_and_bundle_exported_from_the_tools_page() -> None:
    write_files()
    console = build_console()
    target = paths.state_dir() / "support" / "diag"
    async with console.app.run_test(size=SIZE) as pilot:
        await open_tools(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(console.app.screen, AboutScreen)
        shown = screen_text(console.app)
        assert f"tws-tui {__version__}" in shown
        assert "Backend: sim" in shown and "Simulated switch, seed: 0" in shown
        assert "Python: " in shown and "Libraries: textual " in shown
        assert f"Configuration: {paths.config_file()}" in shown
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        field = console.app.screen.query_one("#file-name")
        field.value = str(target)
        await pilot.press("enter")
        written = target.with_suffix(".zip")
        await until(pilot, written.exists, "the bundle written")
        await settle(pilot)
        assert any("Diagnostics bundle written to" in note for note in notes(console))
    shown_files = members(written)
    assert {"about.txt", "config.toml", "prefs.toml", "logs/tws-tui.log"} <= set(shown_files)
    assert "secrets.json" not in " ".join(shown_files)
    for name, text in shown_files.items():
        for secret in SECRETS:
            assert secret not in text, (name, secret)
    assert "Backend: sim" in shown_files["about.txt"]


async def test_a_bundle_that_cannot_be_written_is_said() -> None:
    console = build_console()
    blocker = paths.state_dir() / "file"
    paths.ensure_dir(paths.state_dir())
    blocker.write_text("x")
    async with console.app.run_test(size=SIZE) as pilot:
        await open_tools(pilot)
        await pilot.press("e")
        await settle(pilot)
        console.app.screen.query_one("#file-name").value = str(blocker / "d.zip")
        await pilot.press("enter")
        await until(pilot, lambda: any("Cannot write" in n for n in notes(console)), "the refusal")


async def test_reconnect_now_builds_a_new_backend_and_says_when_it_is_back() -> None:
    made: list[Any] = []
    clock = ManualClock()

    def loader(name: str, options: Any) -> Any:
        backend = create({"seed": 0, "traffic": False, "clock": clock})
        made.append(backend)
        return backend

    app = TwsApp(prefs=prefs_of(), clock=clock, connect=BackendSetup(loader=loader))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.state.link is LinkStatus.ONLINE, "connected")
        await open_tools(pilot)
        assert len(made) == 1
        await pilot.press("r")
        await until(pilot, lambda: len(made) == 2, "a new backend")
        await until(pilot, lambda: app.state.link is LinkStatus.ONLINE, "connected again")
        await settle(pilot)
        assert app.backend is made[1]
        assert made[0]._unsubscribe is None  # the first one closed
        assert made[1]._unsubscribe is not None
        messages = [n.message for n in app._notifications]
        assert "Reconnecting…" in messages and "Reconnected." in messages


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_tools_page_keys_are_in_the_footer(size: tuple[int, int]) -> None:
    console = build_console()
    async with console.app.run_test(size=size) as pilot:
        await open_tools(pilot)
        shown = screen_text(console.app)
        assert "Reconnect now" in shown
