"""The words on the screen: names in the user's language, never an id, and all of them in the
new language after Alt+L.

Screens are rendered (``screen_text``) and read as the user reads them: the directory of a
contact by its name ("Annuaire de l'entreprise", not "company"), the themes by a name
("Textual, sombre", not "textual-dark"), no specification id ("TWS-6.5.3-2") anywhere.
"""

from __future__ import annotations

import re
from typing import Any

from helpers import build_console, prefs_of, screen_text

from tws_tui.console.screens.preferences import PreferencesScreen
from tws_tui.console.theme_names import THEMES, theme_label
from tws_tui.contacts.rules import PHONE_SYSTEM_DIRECTORIES, directory_name
from tws_tui.core.model import QueueForwardRule, QueueId, QueueRuleId
from tws_tui.platform.i18n import set_language

SIZE = (120, 40)
#: A specification's id (TWS-6.5.3-2, FLX-3, WPL-7-2) or an id of ours the user never types.
SPEC_ID = re.compile(r"\b[A-Z]{2,4}-\d")
RAW_IDS = re.compile(r"\b(company|external|textual-dark|textual-light|ansi-dark|call\.\w+)\b")


async def settle(pilot: Any, rounds: int = 4) -> None:
    for _ in range(rounds):
        await pilot.pause()


def raw_ids(text: str) -> list[str]:
    return SPEC_ID.findall(text) + RAW_IDS.findall(text)


async def test_contacts_name_the_directory_in_french() -> None:
    set_language("fr")
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"dupont")
        await pilot.pause(0.4)
        await settle(pilot)
        shown = screen_text(console.app)
        assert "Annuaire : Annuaire de" in shown  # "l'entreprise" on the next line
        assert "Poste : 314" in shown
        assert raw_ids(shown) == []


def test_every_phone_system_directory_has_a_name() -> None:
    set_language("fr")
    assert directory_name("company") == "Annuaire de l'entreprise"
    assert {directory_name(source) for source in PHONE_SYSTEM_DIRECTORIES}.isdisjoint(
        PHONE_SYSTEM_DIRECTORIES
    )
    assert directory_name("ldap-paris") == "ldap-paris"  # another backend's: its own name


def test_themes_have_names_in_both_languages() -> None:
    assert theme_label("textual-dark") == "Textual, dark"
    assert theme_label("nord") == "Nord"
    assert theme_label("some-new-theme") == "Some new theme"
    set_language("fr")
    assert theme_label("textual-dark") == "Textual, sombre"
    assert theme_label("ansi-light") == "Couleurs du terminal, clair"
    assert all("-" not in theme_label(theme) for theme in THEMES)


async def test_preferences_show_names_not_ids_in_french() -> None:
    set_language("fr")
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+6")
        await settle(pilot)
        shown = screen_text(console.app)
        assert "Thème Textual, sombre" in shown
        assert raw_ids(shown) == []


async def test_queue_rules_show_no_specification_id() -> None:
    set_language("fr")
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rule = QueueForwardRule(QueueRuleId(""), QueueId("accueil"), "3990")
        console.backend.switch.save_queue_rule(rule, by="Camille Martin")
        await pilot.press("alt+3", "f")
        await settle(pilot)
        shown = screen_text(console.app)
        assert "Règles de renvoi de Accueil" in shown
        assert "pour tous ses membres." in shown
        assert raw_ids(shown) == []


async def test_alt_l_shows_the_preferences_lists_in_the_new_language() -> None:
    """The chosen value of each list is shown in the new language at once, and switching the
    language changes no other preference. A tall terminal: the page's lists, down to the
    presence section's, all on one screen."""
    console = build_console()
    async with console.app.run_test(size=(120, 90)) as pilot:
        await settle(pilot)
        await pilot.press("alt+6")
        await settle(pilot)
        screen = console.app.screen
        assert isinstance(screen, PreferencesScreen)
        before = screen_text(console.app)
        assert "first name (as written)" in before and "Textual, dark" in before
        settings = console.app.prefs.contacts, console.app.prefs.ui
        await pilot.press("alt+l")
        await settle(pilot)
        shown = screen_text(console.app)
        for french in (
            "Langue Français",
            "Thème Textual, sombre",
            "prénom (tel qu'écrit)",
            "à côté de la liste, suivant le curseur",
            "l’ouvre, une deuxième Entrée appelle",
            "jamais",
            "en bas à droite",
        ):
            assert french in shown, french
        for english in ("English", "first name", "Textual, dark", "beside the list", "never"):
            assert english not in shown, english
        assert (console.app.prefs.contacts, console.app.prefs.ui) == settings
        await pilot.press("alt+l")
        await settle(pilot)
        assert "first name (as written)" in screen_text(console.app)


async def test_keys_are_named_in_the_users_language() -> None:
    """The banner, the pop-up and the call keys name keys as the keyboard does, in French too
    ("Entrée", not "enter")."""
    set_language("fr")
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        console.ring()
        await settle(pilot)
        shown = screen_text(console.app)
        assert "[Entrée/F12] Répondre" in shown
        assert "enter" not in shown.lower().replace("entrée", "")
        assert console.app.app_key_display("call.end") == "Maj+F8"


async def test_alt_l_on_the_sign_in_screen_redraws_it_in_the_new_language_as_filled_in() -> None:
    from textual.widgets import Button, Checkbox, Input

    from tws_tui.console.app import TwsApp
    from tws_tui.core.clock import ManualClock

    app = TwsApp(prefs=prefs_of(), clock=ManualClock(), setup=True)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(3):
            await pilot.pause()
        await pilot.click("#backend-cti")
        await pilot.pause()
        app.screen.query_one("#cti-url", Input).value = "https://pbx.example:8443"
        app.screen.query_one("#setup-auto", Checkbox).value = True
        assert str(app.screen.query_one("#setup-connect", Button).label) == "Sign in"
        await pilot.press("alt+l")
        for _ in range(6):
            await pilot.pause()
        assert str(app.screen.query_one("#setup-connect", Button).label) == "Se connecter"
        assert app.screen.query_one("#cti-url", Input).value == "https://pbx.example:8443"
        assert app.screen.query_one("#setup-auto", Checkbox).value is True
        assert app.screen.query_one("#fields-cti").display
