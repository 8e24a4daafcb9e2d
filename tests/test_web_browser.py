"""The browser mode in a real headless browser (issue 20): Debian's Chromium, driven by
playwright, opens ``tws-tui web --demo``; the page loads, the console draws its Contacts screen
and says what closing the tab does to calls, Alt+3 typed in the page shows Queues, a screenshot
is kept, and closing the page ends that tab's console process, as stopping the server ends
those of the tabs still open (none left behind).

What the page shows is read from xterm.js's own accessibility tree: the test serves the page's
script with xterm's ``screenReaderMode`` switched on (textual-serve's terminal is otherwise
drawn on a canvas only), so the text checked is what xterm made of the bytes it received.

Screenshots are kept in the test's folder and copied to ``$TWS_TUI_ARTEFACTS`` (default
``test-artefacts/`` in the checkout, git-ignored). Skipped, with the reason, only outside CI
when Chromium or playwright is missing (``make test-deps`` installs both); under ``CI=true``
their absence fails.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT
from needs import missing
from web_fixtures import console_processes, free_port, web_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: textual-serve 1.1.x builds its terminal with these options; the test adds screenReaderMode.
TERMINAL_OPTIONS = "new v.Terminal({allowProposedApi:!0,"
DRAWN_WITHIN_S = 15.0
ARTEFACTS = Path(os.environ.get("TWS_TUI_ARTEFACTS", ROOT / "test-artefacts"))


def _playwright() -> Any:
    """playwright's sync API, or a skip (a failure under CI) naming what is missing."""
    absent = []
    try:
        from playwright import sync_api
    except ImportError:
        sync_api = None
        absent.append("playwright (the 'web-test' extra)")
    if not CHROMIUM.exists():
        absent.append(f"Chromium ({CHROMIUM}, Debian's 'chromium' package)")
    if absent:
        reason = "the browser test needs " + " and ".join(absent) + ": run `make test-deps`"
        missing(reason)
    return sync_api


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    """A headless Chromium context (fresh profile), with xterm's accessibility tree on."""
    sync_api = _playwright()
    with sync_api.sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1280, "height": 800},
        )
        problems: list[str] = []

        def screen_reader_mode(route: Any) -> None:
            response = route.fetch()
            script = response.text()
            if TERMINAL_OPTIONS not in script:
                problems.append("textual-serve's textual.js changed: no terminal options found")
            script = script.replace(TERMINAL_OPTIONS, TERMINAL_OPTIONS + "screenReaderMode:!0,")
            route.fulfill(response=response, body=script)

        context.route("**/static/js/textual.js", screen_reader_mode)
        try:
            yield context
        finally:
            context.close()
        assert not problems, problems


def screen(page: Any) -> str:
    tree = page.locator(".xterm-accessibility-tree")
    return str(tree.inner_text()) if tree.count() else ""


def wait_for_text(page: Any, *texts: str, timeout: float = DRAWN_WITHIN_S) -> str:
    """The screen once one of ``texts`` is on it (a ringing call's pop-up may hide one)."""
    deadline = time.monotonic() + timeout
    while True:
        shown = screen(page)
        if any(text in shown for text in texts):
            return shown
        if time.monotonic() > deadline:
            raise AssertionError(f"none of {texts!r} on the page within {timeout} s:\n{shown}")
        time.sleep(0.1)


def keep(page: Any, tmp_path: Path, name: str) -> Path:
    shot = tmp_path / name
    page.screenshot(path=str(shot))
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, ARTEFACTS / name)
    return shot


def gone(marker: str, timeout: float) -> list[int]:
    deadline = time.monotonic() + timeout
    while (left := console_processes(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def test_the_console_in_a_real_browser(browser: Any, tmp_path: Path) -> None:
    port = free_port()
    config = tmp_path / "web-test-config.toml"  # its path marks this test's consoles
    args = ["web", "--demo", "--lang", "en", "--port", str(port), "--config", str(config)]
    with web_server(*args) as server:
        assert server.url.startswith(f"http://127.0.0.1:{port}/?key=")
        page = browser.new_page()
        outside: list[str] = []
        local = server.base
        page.on("request", lambda r: None if r.url.startswith(local) else outside.append(r.url))
        page.goto(server.url)
        shown = wait_for_text(page, "Search every directory")
        assert "Alt+ 1 Contacts 2 Calls 3 Queues" in shown
        shown = wait_for_text(page, "Browser mode")  # the notice (its lines wrap as it fits)
        assert "Closing this browser tab" in shown
        contacts = keep(page, tmp_path, "web-contacts.png")
        assert len(console_processes(str(config))) >= 1  # this tab's console runs

        page.locator(".xterm-helper-textarea").focus()
        page.keyboard.press("Alt+3")
        shown = wait_for_text(page, "Waiting calls, oldest first", "Call flows, day/night")
        assert "Search every directory" not in shown
        queues = keep(page, tmp_path, "web-queues.png")
        assert queues.read_bytes() != contacts.read_bytes()
        assert outside == []  # no font service nor anything beyond this machine

        page.close()
        assert gone(str(config), timeout=10) == [], "a console outlived its tab"

        again = browser.new_page()  # a tab still open when the server is stopped (Ctrl+C)
        again.goto(server.url)
        wait_for_text(again, "Search every directory")
    assert gone(str(config), timeout=10) == [], "a console outlived the server"
