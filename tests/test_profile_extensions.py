"""A profile's current extension chosen among remembered numbers (issue 17, TWS-6.10.1-3): the
list kept in profiles.json (a file written before the list gives it every profile's current
extension), added to and removed from in the profile form at 80×24 in English and French; my
own number, letters, a number listed twice refused; a number another profile has refused
with that profile's name; Cancel keeps nothing of the list's changes."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from helpers import build_console, screen_text, settle
from test_profiles_page import error_of, fill, press
from textual.widgets import OptionList, Select

from tws_tui.console.screens.profiles.page import ProfilesScreen
from tws_tui.console.screens.profiles.profile_form import ProfileForm
from tws_tui.domain.profile_extensions import add_extension, remove_extension
from tws_tui.platform.i18n import set_language
from tws_tui.settings.profiles_file import (
    ProfileBook,
    load_profiles,
    profiles_file,
    save_profiles,
    to_json,
)

SIZE = (80, 24)


def meeting_in_room_2004(extensions: tuple[str, ...] = ()) -> ProfileBook:
    office, meeting, *others = ProfileBook().profiles
    meeting = replace(meeting, extension="2004")
    return ProfileBook((office, meeting, *others), extensions=extensions)


def test_an_old_profiles_json_gives_the_list_its_current_extensions(tmp_path: Path) -> None:
    path = tmp_path / "profiles.json"
    old = to_json(meeting_in_room_2004())
    del old["extensions"]  # as written before the list existed
    path.write_text(json.dumps(old), encoding="utf-8")
    book, problem = load_profiles(path)
    assert problem is None and book.extension_list() == ("2004",)
    kept = replace(book, extensions=("2010", "2004", "3001"))
    save_profiles(path, kept)
    again, problem = load_profiles(path)
    assert problem is None and again.extensions == ("2010", "2004", "3001")
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["extensions"] = ["20a4"]
    path.write_text(json.dumps(raw), encoding="utf-8")
    refused, problem = load_profiles(path)
    assert refused == ProfileBook() and problem is not None and "20a4" in problem


def test_adding_and_removing_are_checked_in_words() -> None:
    assert add_extension(("2004",), " 20 10 ", "100") == ("2004", "2010")
    for typed, said in [
        ("", "Type the extension number"),
        ("100", "my own extension"),
        ("20a4", "not an extension number"),
        ("2004", "in the list already"),
    ]:
        with pytest.raises(ValueError, match=said):
            add_extension(("2004",), typed, "100")
    meeting = meeting_in_room_2004().profiles[1]
    with pytest.raises(ValueError, match="current extension of the profile Meeting"):
        remove_extension(("2004", "2010"), "2004", [meeting])
    assert remove_extension(("2004", "2010"), "2010", [meeting]) == ("2004",)


async def edit_office(console: Any, pilot: Any) -> tuple[ProfilesScreen, ProfileForm]:
    """The Profiles page (pushed as Preferences' button does) and Office's form."""
    page = ProfilesScreen()
    await console.app.push_screen(page)
    await settle(pilot)
    page.query_one("#profile-list", OptionList).highlighted = 0
    await settle(pilot)
    await press(console, pilot, "#p-edit")
    form = console.app.screen
    assert isinstance(form, ProfileForm)
    return page, form


async def test_the_form_adds_chooses_and_removes_remembered_numbers() -> None:
    save_profiles(profiles_file(), meeting_in_room_2004(("3001",)))
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        page, form = await edit_office(console, pilot)
        select = form.query_one("#p-extension", Select)
        assert select.value == "own" and form.extensions == ("3001", "2004")
        assert "my own (100)" in screen_text(console.app)
        await fill(pilot, form, p_ext_new="2004")
        await press(console, pilot, "#p-ext-add")
        assert "2004 is in the list already" in error_of(form)  # said, nothing added
        select.value = "2004"
        await press(console, pilot, "#p-ext-remove")
        assert "of the profile Meeting" in error_of(form)  # Meeting has it: refused
        assert select.value == "2004"
        select.value = "3001"
        await press(console, pilot, "#p-ext-remove")
        assert "3001 removed" in error_of(form) and select.value == "own"
        await fill(pilot, form, p_ext_new="2010")
        form.query_one("#p-ext-new").focus()
        await pilot.press("enter")  # Enter in the number adds it, the form stays
        await settle(pilot)
        assert console.app.screen is form and select.value == "2010"
        await press(console, pilot, "#form-save")
        assert console.app.screen is page
        book = load_profiles(profiles_file())[0]
        assert book.profiles[0].extension == "2010"
        assert book.extension_list() == ("2004", "2010")
        await press(console, pilot, "#p-edit")  # Cancel keeps the list as it was
        await fill(pilot, console.app.screen, p_ext_new="3001")
        await press(console, pilot, "#p-ext-add")
        await press(console, pilot, "#form-cancel")
    assert load_profiles(profiles_file())[0].extension_list() == ("2004", "2010")


async def test_in_french_the_refusal_names_the_profile_in_french() -> None:
    save_profiles(profiles_file(), meeting_in_room_2004(("3001",)))
    set_language("fr")
    try:
        console = build_console()
        async with console.app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            _page, form = await edit_office(console, pilot)
            assert "mon poste (100)" in screen_text(console.app)
            form.query_one("#p-extension", Select).value = "2004"
            await press(console, pilot, "#p-ext-remove")
            assert "2004 est le poste courant du profil Réunion" in error_of(form)
            await fill(pilot, form, p_ext_new="100")
            await press(console, pilot, "#p-ext-add")
            assert "100 est mon propre poste" in error_of(form)
    finally:
        set_language("en")
