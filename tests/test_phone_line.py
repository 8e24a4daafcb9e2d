"""A profile's phone line (issue 17, TWS-6.10.1-4, OneNumber): ``[profiles] one_number`` is
checked against the two backends it switches between; the profile form offers the line only
with it (80×24, English and French); activating a profile on the other line switches the
console's backend — here from the softphone's place (a simulator: no SIP peer needed to prove
the switch) to the desk phone on the REAL reference server and back — refused in words while a
call is up, its presence then applied on the new backend."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from cti_fixtures import ServerThread, cti_server, make_backend, snapshot_of
from helpers import ACME, build_console, settle, until
from test_profiles_page import press

from tws_tui.backends.cti import CtiBackend
from tws_tui.backends.sim import SimBackend, create
from tws_tui.console.app import TwsApp
from tws_tui.console.backend_setup import BackendSetup
from tws_tui.console.screens.profiles.page import ProfilesScreen
from tws_tui.console.screens.profiles.profile_form import ProfileForm
from tws_tui.core.clock import ManualClock
from tws_tui.core.model import PresenceState
from tws_tui.platform.i18n import set_language
from tws_tui.settings.load import load_settings
from tws_tui.settings.prefs import PrefsStore
from tws_tui.settings.profiles_file import ProfileBook, profiles_file, save_profiles
from tws_tui.settings.schema import AlertSettings, ProfileSettings, Settings, UiSettings

__all__ = ["cti_server"]
SIZE = (80, 24)


def test_one_number_needs_both_lines_set_up(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[profiles]\none_number = true\n[backend.cti]\nurl = "https://pbx"\n')
    settings, problems = load_settings(config, tmp_path / "prefs.toml")
    assert not settings.profiles.one_number
    said = [str(p) for p in problems if p.key == "profiles.one_number"]
    assert len(said) == 1
    assert "backend.sip.server, backend.sip.username, backend.cti.username" in said[0]
    config.write_text(
        '[profiles]\none_number = true\n[backend.cti]\nurl = "https://pbx"\nusername = "a"\n'
        '[backend.sip]\nserver = "pbx.example"\nusername = "100"\n'
    )
    settings, problems = load_settings(config, tmp_path / "prefs.toml")
    assert settings.profiles.one_number and not problems


@pytest.mark.parametrize(
    ("language", "one_number", "word"),
    [("en", False, "Phone line"), ("fr", True, "Ligne téléphonique")],
)
async def test_the_form_offers_the_line_only_in_a_one_number_set_up(
    language: str, one_number: bool, word: str
) -> None:
    set_language(language)
    try:
        console = build_console()
        settings = replace(console.app.prefs.settings, profiles=ProfileSettings(one_number))
        console.app.prefs = PrefsStore(settings)
        async with console.app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await console.app.push_screen(ProfilesScreen())
            await settle(pilot)
            await press(console, pilot, "#p-edit")
            form = console.app.screen
            assert isinstance(form, ProfileForm)
            assert bool(form.query("#p-line")) is one_number
            texts = " ".join(str(label.render()) for label in form.query("Label"))
            assert (word in texts) is one_number
    finally:
        set_language("en")


def lines_book() -> None:
    office, meeting, *others = ProfileBook().profiles
    profiles = (replace(office, line="softphone"), replace(meeting, line="desk"), *others)
    save_profiles(profiles_file(), ProfileBook(profiles))


async def test_a_profile_on_the_desk_phone_switches_the_backend(cti_server: ServerThread) -> None:
    lines_book()
    clock = ManualClock()

    def softphone() -> SimBackend:
        return create({"seed": 0, "traffic": False, "clock": clock})

    def loader(name: str, _options: Any) -> Any:
        return make_backend(cti_server.url) if name == "cti" else softphone()

    sim = softphone()
    settings = Settings(
        ui=UiSettings(animations=False),
        alerts=AlertSettings(popup=False),
        profiles=ProfileSettings(one_number=True),
    )
    app = TwsApp(
        prefs=PrefsStore(settings),
        clock=clock,
        backend=sim,
        connect=BackendSetup("sip", {}, loader),
    )
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.state.me is not None, "on the softphone")
        sim.switch.inject_incoming_call("100", ACME)
        await until(pilot, lambda: bool(app.state.calls), "a call rings")
        call = next(iter(app.state.calls))
        await pilot.press("alt+u", "2")  # Meeting: the desk phone
        await settle(pilot)
        assert app.backend is sim and app.profiles.book.active == "office"
        said = [n.message for n in app._notifications]
        assert any("a call is up, so the line is not switched now" in m for m in said)
        await sim.hangup(call)
        await until(pilot, lambda: not app.state.calls, "the call ended")
        await pilot.press("alt+u", "2")
        await until(
            pilot,
            lambda: (
                isinstance(app.backend, CtiBackend)
                and app.state.me is not None
                and app.state.me.presence is PresenceState.BUSY
            ),
            "Meeting applied on the desk phone",
        )
        assert app.backend_name == "cti" and app.profiles.book.active == "meeting"
        seen = await asyncio.to_thread(snapshot_of, cti_server, "bob")
        alice = [d for d in seen.devices if d.extension == "100"]
        assert alice and alice[0].presence is PresenceState.BUSY  # the server has it
        await pilot.press("alt+u", "1")  # Office: back on the softphone
        await until(
            pilot,
            lambda: isinstance(app.backend, SimBackend) and app.backend is not sim,
            "back on the softphone",
        )
        await until(pilot, lambda: app.state.me is not None, "connected again")
        assert app.backend_name == "sip"
