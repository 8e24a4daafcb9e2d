"""Browser mode in the console (``tws-tui web``): what closing the tab does to live calls is
said on screen — a notice once connected and a line of the quit confirmation — for the backend
in use, in the user's language; nothing of it in a terminal.

The console learns it runs in a browser from Textual's driver (``App.is_web``, true under the
web driver textual-serve selects); here the headless driver of ``run_test`` is made to answer
as the web driver does. The real browser is in ``test_web_browser.py``."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import build_console, screen_text
from textual.drivers.headless_driver import HeadlessDriver

from tws_tui.console.app import BackendSetup, TwsApp
from tws_tui.console.screens.modals.confirm import ConfirmScreen
from tws_tui.domain.browser_tab import closing_tab_text
from tws_tui.platform.i18n import set_language

SIZE = (120, 30)
SIM = "Closing this browser tab ends this console; the simulated calls end with it."
CTI = "Closing this browser tab ends this console; calls stay on the phone system"


@pytest.fixture
def in_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(HeadlessDriver, "is_web", property(lambda self: True))


def notes(app: TwsApp) -> list[str]:
    return [n.message for n in app._notifications]


async def settle(pilot: Any) -> None:
    for _ in range(4):
        await pilot.pause()


def test_each_backend_says_what_becomes_of_its_calls() -> None:
    assert closing_tab_text("sim") == SIM
    assert "softphone unregisters and its calls end" in closing_tab_text("sip")
    assert closing_tab_text("cti").startswith(CTI)
    assert "depends on the acme backend" in closing_tab_text("acme")
    set_language("fr")
    assert closing_tab_text("cti") == (
        "Fermer cet onglet du navigateur ferme cette console ; les appels restent sur le"
        " standard (répondez-y ou raccrochez-les sur le téléphone)."
    )


@pytest.mark.usefixtures("in_browser")
async def test_in_a_browser_the_console_says_it_once_connected_and_when_quitting() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert console.app.is_web
        assert notes(console.app).count(SIM) == 1
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(console.app.screen, ConfirmScreen)
        assert "simulated calls end with it" in screen_text(console.app)
        await pilot.press("n")
        await settle(pilot)
        console.app.start_backend()  # a reconnection says nothing new
        await settle(pilot)
        assert notes(console.app).count(SIM) == 1


@pytest.mark.usefixtures("in_browser")
async def test_on_cti_the_calls_stay_on_the_phone_system() -> None:
    console = build_console(connect=BackendSetup("cti"))
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert [n for n in notes(console.app) if n.startswith(CTI)]
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert "calls stay on the phone system" in screen_text(console.app)


async def test_in_a_terminal_nothing_is_said_of_tabs() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not console.app.is_web
        assert not [n for n in notes(console.app) if "browser" in n]
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert "browser" not in screen_text(console.app)
