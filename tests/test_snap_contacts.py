"""Snapshots of the contact screens: a search with local and company results, the contact
form (with a refused number), the contact manager on a list, and an import's preview.

Same determinism as the shell snapshots (seeded simulator without traffic, frozen clock,
English, no cursor blink). Local contacts are written to the test's own data folder first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import add_colleague_to_list, build_console, store_done

from tws_tui.console.widgets.row_list import RowList
from tws_tui.core.model import Contact

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def settle(pilot: Any, rounds: int = 6) -> None:
    """Pause ``rounds`` times, the contact store's work (a thread) done first."""
    await store_done(pilot)
    for _ in range(rounds):
        await pilot.pause()


def add_local_contacts(console: Any) -> list[Contact]:
    store = console.app.directories().store
    return [
        store.add(
            Contact("", "private", "Émilie Dûrand", (("Office", "01 23 45 67 89"),), "Café Zoé")
        ),
        store.add(
            Contact(
                "",
                "public",
                "Bernard Martineau",
                (("Mobile", "+33 6 12 34 56 78"), ("Office", "0145454545")),
                "Martineau SA",
                email="b.martineau@example.fr",
            )
        ),
        store.add(Contact("", "private", "Martine Petit", (("Home", "04.78.00.00.01"),))),
    ]


async def wait_for_results(pilot: Any) -> None:
    """Until the full search has answered (an instant answer may come first)."""
    for _ in range(100):
        await pilot.pause(0.02)
        if getattr(pilot.app.screen, "_results", None) is not None:
            break
    searching = [w for w in pilot.app.workers if w.group == "contact-search"]
    if searching:  # an empty list would wait for every worker (the event pump)
        await pilot.app.workers.wait_for_complete(searching)
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_search_finds_local_and_company_contacts(snap_compare, size) -> None:
    """'martine' typed: local contacts (private, public) beside the colleagues, the card of the
    selected public contact with both its numbers."""
    console = build_console()

    async def search(pilot: Any) -> None:
        await settle(pilot)
        add_local_contacts(console)
        await pilot.press(*"martine")
        await wait_for_results(pilot)
        await pilot.press("enter")
        table = console.app.screen.query_one("#contact-list", RowList)
        table.select_key(next(k for k in table.row_keys() if k.startswith("public:")))
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=search)


@pytest.mark.parametrize("size", SIZES)
def test_contact_form_refuses_a_number_with_letters(snap_compare, size) -> None:
    """The new-contact form after saving a number with letters: the reason in red, nothing
    typed lost."""
    console = build_console()

    async def form(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        screen = console.app.screen
        screen.query_one("#contact-name").value = "Jean Faux"
        screen.query_one("#contact-company").value = "Faux & Cie"
        screen.query_one("#number-0").value = "01 23 AB 67 89"
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=form)


@pytest.mark.parametrize("size", SIZES)
def test_contact_manager_shows_a_list(snap_compare, size) -> None:
    """The manager on a public, supervised list holding a local contact and a colleague."""
    console = build_console()

    async def manager(pilot: Any) -> None:
        await settle(pilot)
        emilie, bernard, _martine = add_local_contacts(console)
        store = console.app.directories().store
        colleague = min(console.app.state.devices.values(), key=lambda d: d.name)
        vip = store.create_list("VIP", public=True, supervised=True)
        store.create_list("Fournisseurs")
        store.add_to_list(vip.id, bernard.source, bernard.id)
        add_colleague_to_list(store, vip.id, colleague)
        store.add_to_list(vip.id, emilie.source, emilie.id)
        await pilot.press("ctrl+o")
        await settle(pilot)
        console.app.screen.query_one("#manager-sources", RowList).select_key(f"list:{vip.id}")
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=manager)


def test_home_screen_lists_above_the_colleagues(snap_compare) -> None:
    """Two lists on the home screen: a classic one and a reduced one, folded and unfolded."""
    console = build_console()

    async def home(pilot: Any) -> None:
        await settle(pilot)
        emilie, bernard, martine = add_local_contacts(console)
        store = console.app.directories().store
        colleague = min(console.app.state.devices.values(), key=lambda d: d.name)
        vip = store.create_list("VIP", visible=True)
        for contact in (bernard, emilie):
            store.add_to_list(vip.id, contact.source, contact.id)
        add_colleague_to_list(store, vip.id, colleague)
        team = store.create_list("Équipe", visible=True, display="reduced", sort="name_desc")
        add_colleague_to_list(store, team.id, colleague)
        store.add_to_list(team.id, martine.source, martine.id)
        console.app.lists.refresh()
        for _ in range(100):
            await pilot.pause(0.02)
            if len(console.app.lists.home_lists) == 2:
                break
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=(120, 40), run_before=home)


@pytest.mark.parametrize("size", SIZES)
def test_import_preview_before_anything_is_written(snap_compare, tmp_path: Path, size) -> None:
    """A Google Contacts export: the format recognised, the counts, then the new contacts, the
    one completed (same mobile as a stored contact), the refused row and what was left out."""
    source = tmp_path / "contacts.csv"
    source.write_text(
        "Name,Given Name,Family Name,Organization 1 - Name,E-mail 1 - Type,E-mail 1 - Value,"
        "Phone 1 - Type,Phone 1 - Value,Phone 2 - Type,Phone 2 - Value\n"
        "Émilie Dûrand,Émilie,Dûrand,Café Zoé,* Work,emilie@cafe-zoe.fr,Work,01 23 45 67 89,,\n"
        "Paul Martin,Paul,Martin,,,,Mobile,06 11 22 33 44 ::: 06 55 66 77 88,Home,04 78 00 00 09\n"
        "Zoé Garnier,Zoé,Garnier,,Home,zoe@example.fr,Mobile,+33 6 12 34 56 78,,\n"
        "Sans Numéro,,,,,,,,,\n"
        "Marc Petit,Marc,Petit,,,marc@example.fr,Work,01 45 AB 45 45,,\n",
        encoding="utf-8",
    )
    console = build_console()

    async def preview(pilot: Any) -> None:
        await settle(pilot)
        add_local_contacts(console)  # Bernard Martineau has the mobile +33 6 12 34 56 78
        console.app.directories().store.add(
            Contact("", "private", "Zoé G.", (("Mobile", "06 12 34 56 78"),))
        )
        await pilot.press("ctrl+o")
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        console.app.screen.query_one("#file-name").value = str(source)
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.02)
            if console.app.screen.query("#preview-counts"):
                break
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=size, run_before=preview)


def test_column_mapping_of_an_unknown_csv(snap_compare, tmp_path: Path) -> None:
    """A CSV no known export wrote: one line per column with a value of the first row and
    what it will hold (guessed), at 80x24."""
    source = tmp_path / "export.csv"
    source.write_text(
        "Qui;Entreprise;Portable;Divers;Adresse électronique;Remarque\n"
        "Marie Curie;Institut Curie;06 12 34 56 78;x;marie@curie.fr;Prix Nobel 1903 et 1911\n",
        encoding="utf-8",
    )
    console = build_console()

    async def mapping(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        console.app.screen.query_one("#file-name").value = str(source)
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.02)
            if console.app.screen.query("#mapping-columns"):
                break
        await pilot.press("down", "down", "right")  # Portable: Phone (mobile) → Phone (home)
        await settle(pilot)

    assert snap_compare(console.app, terminal_size=(80, 24), run_before=mapping)
