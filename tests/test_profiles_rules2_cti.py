"""What the profiles gained from the TWS §6.10 audit (issue 17), on the REAL reference server
(uvicorn on loopback, SQLite and PostgreSQL: ``BOTH_ENGINES``): a book with callers excluded,
a state of my own and a calendar meeting as conditions and a profile's current extension is
kept and given back as it was sent; a current extension that is not a number, or a rule to a
current extension the profile does not have, is refused with the reason and nothing kept;
Alice moves a rule with Shift+↑ on one console and her other console gets the new order and
sends the forward it makes win."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from cti_fixtures import ServerThread, cti_console, cti_server, make_backend
from helpers import until
from test_profiles_cti import SIZE
from textual.widgets import Button

from tws_tui.console.app import TwsApp
from tws_tui.console.screens.profiles.page import ProfilesScreen
from tws_tui.console.widgets.rule_table import RuleTable
from tws_tui.core.errors import CallControlError
from tws_tui.core.model import Forward, ForwardKind, PresenceState
from tws_tui.domain.custom_presence import CustomPresence
from tws_tui.domain.profiles import CURRENT_EXTENSION, Origin, Rule
from tws_tui.settings.profiles_file import (
    ProfileBook,
    from_json,
    profiles_file,
    save_profiles,
    to_json,
)

__all__ = ["cti_server"]


def rich_book() -> ProfileBook:
    office, meeting, *others = ProfileBook().profiles
    meeting = replace(
        meeting,
        extension="2004",
        rules=(  # simple rules first, as they are kept
            Rule("Training", CURRENT_EXTENSION, presence_label="Formation", origin=Origin.EXTERNAL),
            Rule("Meeting", "3990", kind=ForwardKind.BUSY, in_meeting=True, enabled=False),
            Rule("Others", "5020", exclude_numbers=("336*",), exclude_list="VIP"),
        ),
    )
    states = (CustomPresence("Formation", PresenceState.BUSY),)
    return ProfileBook((office, meeting, *others), presence_states=states)


async def test_the_new_fields_are_kept_and_a_bad_extension_refused(
    cti_server: ServerThread,
) -> None:
    backend = make_backend(cti_server.url)
    await backend.connect()
    try:
        assert backend.profiles is not None
        document = json.dumps(to_json(rich_book()), ensure_ascii=False)
        await backend.profiles.save(document)
        assert from_json(json.loads(await backend.profiles.load())) == rich_book()
        raw = to_json(rich_book())
        raw["profiles"][1]["extension"] = "salle 2"
        with pytest.raises(CallControlError, match="not an extension number"):
            await backend.profiles.save(json.dumps(raw))
        raw["profiles"][1]["extension"] = ""
        with pytest.raises(CallControlError, match="current extension first"):
            await backend.profiles.save(json.dumps(raw))
        assert from_json(json.loads(await backend.profiles.load())) == rich_book()  # kept
    finally:
        await backend.close()


async def test_a_rule_moved_on_one_console_reaches_the_other(cti_server: ServerThread) -> None:
    office, *others = ProfileBook().profiles
    rules = (Rule("Wide", "5020"), Rule("Narrow", "5021", presence=PresenceState.AVAILABLE))
    save_profiles(profiles_file(), ProfileBook((replace(office, rules=rules), *others)))
    one = cti_console(cti_server)
    two = cti_console(cti_server)

    def sent(app: TwsApp) -> Forward:
        me = app.state.me
        forward = me.forwards.get(ForwardKind.UNCONDITIONAL) if me is not None else None
        return forward or Forward(False)

    async with one.run_test(size=SIZE) as pilot_one, two.run_test(size=SIZE) as pilot_two:
        await until(pilot_one, lambda: one.state.me is not None, "first console connected")
        await until(pilot_two, lambda: two.state.me is not None, "second console connected")
        await until(pilot_one, lambda: sent(one) == Forward(True, "5020", None), "Wide wins")
        await pilot_one.press("alt+6")
        await until(pilot_one, lambda: bool(one.screen.query("#pref-profiles")), "preferences")
        one.screen.query_one("#pref-profiles", Button).press()
        await until(
            pilot_one,
            lambda: isinstance(one.screen, ProfilesScreen) and bool(one.screen.query("#rule-list")),
            "profiles page",
        )
        await pilot_one.pause()
        rules = one.screen.query_one("#rule-list", RuleTable)
        rules.focus()
        rules.move_cursor(row=1)
        await pilot_one.press("shift+up")
        await until(
            pilot_one,
            lambda: [r.name for r in one.profiles.book.current().rules] == ["Narrow", "Wide"],
            "the new order on the first console",
        )
        await until(
            pilot_two,
            lambda: [r.name for r in two.profiles.book.current().rules] == ["Narrow", "Wide"],
            "the new order on the second console",
        )
        await until(pilot_one, lambda: sent(one) == Forward(True, "5021", None), "Narrow wins")
