"""Sign in to another phone system without quitting (Webpilot §12.7-1): Alt+Shift+S
(``app.sign_in``) opens the sign-in screen filled in with the backend in use; Esc goes back with
nothing changed; signing in closes the backend in use and connects the one chosen — here from
the demo simulator to the REAL reference server (uvicorn on loopback) as Alice; refused in
words while a call is up."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from cti_fixtures import PASSWORD, serving
from helpers import build_console, settle, until
from textual.widgets import Input

from tws_tui.console.screens.setup import SetupScreen
from tws_tui.domain.keymap import ACTIONS_BY_ID

SIZE = (100, 36)


def notices(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_esc_goes_back_with_nothing_changed_and_a_call_up_refuses() -> None:
    spec = ACTIONS_BY_ID["app.sign_in"]
    assert (spec.keys, spec.action) == ("alt+shift+s", "sign_in_again")
    console = build_console()
    app = console.app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        backend = app.backend
        await pilot.press("alt+shift+s")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert app.screen.query_one("#backend-sim").value  # the backend in use, chosen
        assert app.screen.query("#setup-cancel-note")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, SetupScreen)
        assert app.backend is backend and app.backend_name == "sim"

        console.ring()
        await settle(pilot)
        await pilot.press("f12")  # answered: a call is up
        await settle(pilot)
        await pilot.press("alt+shift+s")
        await settle(pilot)
        assert not isinstance(app.screen, SetupScreen)
        assert any("Not while a call is up" in n for n in notices(app))
        assert app.backend is backend


async def test_signing_in_switches_from_the_demo_to_a_cti_server(tmp_path: Path) -> None:
    console = build_console()
    app = console.app
    # as after `tws-tui --demo --seed 3`: the demo's own options must not go to the server's
    app.backend_setup = replace(app.backend_setup, options={"seed": 3})
    old = app.backend
    with serving(tmp_path / "server") as server:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(pilot)
            await pilot.press("alt+shift+s")
            await settle(pilot)
            await pilot.click("#backend-cti")
            await settle(pilot)
            app.screen.query_one("#cti-url", Input).value = server.url
            app.screen.query_one("#cti-username", Input).value = "alice"
            app.screen.query_one("#cti-password", Input).value = PASSWORD
            app.screen.query_one("#setup-remember").value = False  # type: ignore[attr-defined]
            app.screen.query_one("#setup-connect").focus()
            await pilot.press("enter")
            await until(
                pilot,
                lambda: app.backend_name == "cti" and app.state.me is not None,
                "signed in on the CTI server",
                timeout=10,
            )
            assert not isinstance(app.screen, SetupScreen)
            assert app.backend is not old
            assert type(app.backend).__module__.startswith("tws_tui.backends.cti")
            options = app.backend_setup.options
            assert "seed" not in options and options["client_id"] == "tws-tui"  # [backend.cti]
            assert app.state.me is not None and app.state.me.extension == "100"
            assert old is not None and old._unsubscribe is None  # the demo's backend closed
