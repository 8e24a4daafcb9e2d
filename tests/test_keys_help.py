"""The help (F1): every action once, grouped by where its key works, keys in words, a filter;
and the screen at 80×24: ids visible, the last row reachable, the filter narrowing the rows."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import build_console, screen_text
from textual.widgets import Input, OptionList

from tws_tui.console.screens.modals.help import HelpScreen
from tws_tui.domain.keymap import ACTIONS, effective_keys
from tws_tui.domain.keys_help import (
    GROUP_TITLES,
    filter_groups,
    group_of,
    help_groups,
    key_label,
    keys_label,
)
from tws_tui.platform.i18n import set_language

KEYS = effective_keys({})


async def settle(pilot: Any, rounds: int = 4) -> None:
    for _ in range(rounds):
        await pilot.pause()


# --- what is listed ---------------------------------------------------------------------------


def test_keys_in_the_words_of_the_keyboard() -> None:
    assert keys_label("f2,slash") == "F2, /"
    assert keys_label("ctrl+up,left_square_bracket") == "Ctrl+↑, ["
    assert key_label("shift+f8") == "Shift+F8"
    assert key_label("enter") == "Enter" and key_label("ctrl+b") == "Ctrl+B"
    assert key_label("x") == "x"  # a bare letter is the letter, not Shift+X
    set_language("fr")
    assert key_label("shift+f8") == "Maj+F8"
    assert keys_label("delete,x") == "Suppr, x"
    assert key_label("escape") == "Échap" and key_label("space") == "Espace"


def test_every_action_once_in_a_titled_group() -> None:
    groups = help_groups(KEYS)
    ids = [row.action_id for group in groups for row in group.rows]
    assert sorted(ids) == sorted(spec.id for spec in ACTIONS)
    assert {group_of(spec) for spec in ACTIONS} <= set(GROUP_TITLES)
    assert all(group.title and group.rows for group in groups)


def test_a_key_is_listed_once_per_group() -> None:
    """Enter does five things in five places: once in each place's group, never twice in one."""
    for group in help_groups(KEYS):
        keys = [key for row in group.rows for key in row.key_names.split(",")]
        assert len(keys) == len(set(keys)), group.title
    enter = [g.group for g in help_groups(KEYS) for r in g.rows if "enter" in r.key_names]
    assert len(enter) == len(set(enter)) >= 5


@pytest.mark.parametrize(
    ("screen", "first"),
    [("contacts", "contacts"), ("call", "calls"), ("queues", "queues"), ("", "calls")],
)
def test_the_current_screens_keys_come_first(screen: str, first: str) -> None:
    assert help_groups(KEYS, screen)[0].group == first


def test_the_user_keymap_is_what_is_listed() -> None:
    groups = help_groups(effective_keys({"call.answer": "f11"}))
    row = next(r for g in groups for r in g.rows if r.action_id == "call.answer")
    assert row.keys == "F11"


def test_the_filter_finds_a_key_a_description_or_an_id_in_the_current_language() -> None:
    set_language("fr")
    groups = help_groups(KEYS)

    def found(query: str) -> list[str]:
        return [row.action_id for g in filter_groups(groups, query) for row in g.rows]

    assert found("raccro") == ["call.hangup"]  # French description
    assert found("maj+f8") == ["call.end"]  # the key as shown
    assert found("contacts.new") == ["contacts.new"]  # the id
    assert "rules.edit" in found("entree regle")  # every word, accents ignored
    assert found("everyone") == []  # not the English description ("End for everyone")
    assert filter_groups(groups, "  ") == groups


# --- the screen at 80×24 ------------------------------------------------------------------


async def test_help_at_80x24_is_grouped_scrolls_to_the_last_row_and_filters() -> None:
    console = build_console()
    async with console.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        help_screen = console.app.screen
        assert isinstance(help_screen, HelpScreen)
        listed = help_screen.query_one(OptionList)
        shown = screen_text(console.app)
        # grouped, the Contacts screen's keys first, each id whole at 80 columns
        assert "Contacts screen" in shown.splitlines()[5]
        for spec in [s for s in ACTIONS if s.scope == "contacts"][:6]:
            assert spec.id in shown, spec.id
        # the last row is reachable: End, and it is on screen with the note under it
        await pilot.press("end")
        await settle(pilot)
        ids = [option.id for option in listed.options if option.id]
        assert listed.highlighted is not None
        assert listed.options[listed.highlighted].id == ids[-1]
        shown = screen_text(console.app)
        assert ids[-1] in shown and "command palette" in shown
        # typing filters, by description, key or id
        await pilot.press(*"hang")
        await settle(pilot)
        assert help_screen.query_one("#help-filter", Input).value == "hang"
        assert [o.id for o in listed.options if o.id] == ["call.hangup"]
        assert "call.hangup" in screen_text(console.app)
        await pilot.press(*["backspace"] * 4, *"contact_form.add")
        await settle(pilot)
        assert [o.id for o in listed.options if o.id] == [
            "contact_form.add_number",
            "contact_form.add_detail",
        ]
        assert "contact_form.add_detail" in screen_text(console.app)  # the longest id, whole
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(console.app.screen, HelpScreen)


async def test_every_row_can_be_reached_one_by_one() -> None:
    console = build_console()
    async with console.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("alt+2", "f1")
        await settle(pilot)
        listed = console.app.screen.query_one(OptionList)
        reached = []
        for _ in range(len(ACTIONS)):
            option = listed.options[listed.highlighted or 0]
            reached.append(option.id)
            await pilot.press("down")
        assert sorted(reached) == sorted(spec.id for spec in ACTIONS)
        assert reached[0] == "call.answer"  # the Calls screen: the call keys first


async def test_alt_l_with_the_help_open_shows_it_in_the_new_language() -> None:
    console = build_console()
    async with console.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert "Contacts screen" in screen_text(console.app)
        await pilot.press("alt+l")
        await settle(pilot)
        shown = screen_text(console.app)
        assert "Écran Contacts" in shown and "Touches" in shown and "Touche " in shown
        assert "Contacts screen" not in shown and "Filter" not in shown
