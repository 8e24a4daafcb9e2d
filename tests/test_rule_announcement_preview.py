"""A profile rule's announcement listened to from its form (issue 17, TWS-6.10.6.1-7's ►): the
sound chosen played at the ring volume on the ringer, as the Sound library's P plays it; "no
announcement" or the default one (the phone system's) said instead, nothing played."""

from __future__ import annotations

import array

from helpers import build_console, settle, until
from test_profiles_page import open_page, press
from test_voicemail import RecordingOutput, notes
from textual.widgets import Select

from tws_tui.console.screens.profiles.rule_form import RuleForm
from tws_tui.core.model import DEFAULT_ANNOUNCEMENT
from tws_tui.platform.sound_library import load


async def test_the_announcement_chosen_is_played_from_the_rule_form() -> None:
    console = build_console()
    output = RecordingOutput()
    console.app.ring_output = lambda: output
    console.app.prefs.change("audio", ring_volume=50)
    async with console.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_page(console, pilot)
        await press(console, pilot, "#r-add")
        form = console.app.screen
        assert isinstance(form, RuleForm)
        select = form.query_one("#r-announcement", Select)
        await press(console, pilot, "#r-preview")  # a new rule: no announcement
        assert "Only a sound of the library can be listened to here." in notes(console)
        select.value = DEFAULT_ANNOUNCEMENT
        await press(console, pilot, "#r-preview")
        assert notes(console).count("Only a sound of the library can be listened to here.") == 2
        assert not output.frames
        select.value = "ring"
        await press(console, pilot, "#r-preview")
        await until(pilot, lambda: output.closed, "the announcement played")
        heard = array.array("h", bytes(output.frames))
        assert len(heard) == len(array.array("h", load("ring").frames))
        assert any(n.startswith("Playing ") for n in notes(console))
        assert console.app.screen is form  # still editing the rule
