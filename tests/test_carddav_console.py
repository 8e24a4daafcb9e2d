"""The CardDAV address book in the console, against a real Radicale server on loopback: synced
once connected, shown in the contact manager with its last sync, Ctrl+S there syncs now, its
contacts found by the dial bar's search, read-only refusing changes, two-way sending them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import build_console, store_done, until
from radicale_server import PASSWORD, USER, Server, card, radicale

from tws_tui.console.screens.contacts.form import ContactForm
from tws_tui.console.screens.contacts.manager import ContactManagerScreen
from tws_tui.console.widgets.row_list import RowList
from tws_tui.settings.schema import CardDavSettings

SIZE = (120, 36)
MARTIN = "carddav:/alice/contacts/martin.vcf"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with radicale(tmp_path / "radicale") as running:
        running.put("dupont.vcf", card("Jean Dupont", "01 23 45 67 89", uid="dupont"))
        running.put("martin.vcf", card("Claire Martin", "06 12 34 56 78", uid="martin"))
        yield running


def console_for(server: Server, tmp_path: Path, mode: str) -> Any:
    secret = tmp_path / "carddav-password"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    settings = CardDavSettings(
        url=server.book_url, username=USER, password_file=str(secret), mode=mode
    )
    return build_console(carddav=settings)


async def synced(pilot: Any) -> None:
    """Until the sync under way (or the first one, at connection) has ended."""
    app = pilot.app

    def done() -> bool:
        book = app.carddav.book()
        return book is not None and book.status().when is not None and not app.carddav.running

    await until(pilot, done, "the CardDAV sync done", timeout=15)
    for _ in range(4):
        await pilot.pause()


async def manager_on_the_book(pilot: Any) -> ContactManagerScreen:
    await pilot.press("ctrl+o")
    await store_done(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ContactManagerScreen)
    screen.query_one("#manager-sources", RowList).select_key("carddav")
    for _ in range(4):
        await pilot.pause()
    return screen


def notices(console: Any) -> list[str]:
    return [str(n.message) for n in console.app._notifications]


def rows(screen: Any, widget_id: str) -> dict[str, tuple[str, ...]]:
    table = screen.query_one(f"#{widget_id}", RowList)
    return {key: table.row(key) for key in table.row_keys()}


async def test_the_book_is_synced_shown_searched_and_synced_again_on_ctrl_s(
    server: Server, tmp_path: Path
) -> None:
    console = console_for(server, tmp_path, "read-only")
    async with console.app.run_test(size=SIZE) as pilot:
        await synced(pilot)
        found = await console.app.directory("claire mart", 10)
        assert ("Claire Martin", "carddav") in [(c.name, c.source) for c in found]

        screen = await manager_on_the_book(pilot)
        assert rows(screen, "manager-sources")["carddav"] == ("☁ Company book", "2")
        assert list(rows(screen, "manager-contacts")) == [
            MARTIN,
            "carddav:/alice/contacts/dupont.vcf",
        ]
        count = str(screen.query_one("#manager-count").render())
        assert count == "2 contacts — read-only — synced 09:00: 2 changed, 0 removed"

        server.put("martin.vcf", card("Claire Leroy", "06 12 34 56 78", uid="martin"))
        await pilot.press("ctrl+s")
        await synced(pilot)
        assert rows(screen, "manager-contacts")[MARTIN][0] == "Claire Leroy"
        assert "CardDAV address book synchronised: 1 contact changed." in notices(console)

        # Every sync_every_min minutes (15 by default), quietly.
        server.put("martin.vcf", card("Claire Durand", "06 12 34 56 78", uid="martin"))
        console.clock.advance(14 * 60)
        await pilot.pause()
        assert rows(screen, "manager-contacts")[MARTIN][0] == "Claire Leroy"
        console.clock.advance(60)
        await until(
            pilot,
            lambda: rows(screen, "manager-contacts")[MARTIN][0] == "Claire Durand",
            "the timed sync",
        )


async def test_a_read_only_book_refuses_an_edit_and_offers_a_private_copy(
    server: Server, tmp_path: Path
) -> None:
    console = console_for(server, tmp_path, "read-only")
    async with console.app.run_test(size=SIZE) as pilot:
        await synced(pilot)
        screen = await manager_on_the_book(pilot)
        contacts = screen.query_one("#manager-contacts", RowList)
        contacts.focus()
        contacts.select_key(MARTIN)
        await pilot.press("e")
        await store_done(pilot)
        form = console.app.screen
        assert isinstance(form, ContactForm) and form.contact.source == "private"
        assert (
            "Claire Martin: Company book is a read-only CardDAV book. Change it on the server."
            in notices(console)
        )
        await pilot.press("escape")
        await store_done(pilot)
        await pilot.press("delete")
        await store_done(pilot)
        assert console.app.screen is screen  # no confirmation: refused at once
        assert server.names() == {"dupont.vcf", "martin.vcf"}


async def test_a_two_way_book_sends_an_edit_and_a_deletion_to_the_server(
    server: Server, tmp_path: Path
) -> None:
    console = console_for(server, tmp_path, "two-way")
    async with console.app.run_test(size=SIZE) as pilot:
        await synced(pilot)
        screen = await manager_on_the_book(pilot)
        contacts = screen.query_one("#manager-contacts", RowList)
        contacts.focus()
        contacts.select_key(MARTIN)
        await pilot.press("e")
        await store_done(pilot)
        form = console.app.screen
        assert isinstance(form, ContactForm) and form.contact.source == "carddav"
        form.query_one("#contact-name").value = "Claire Martin-Leroy"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await store_done(pilot)
        await until(pilot, lambda: console.app.screen is screen, "the form closed")
        assert "FN:Claire Martin-Leroy" in server.get("martin.vcf").text
        assert rows(screen, "manager-contacts")[MARTIN][0] == "Claire Martin-Leroy"

        contacts.focus()
        contacts.select_key(MARTIN)
        await pilot.press("delete")
        await store_done(pilot)
        await pilot.press("y")
        await store_done(pilot)
        await until(pilot, lambda: "martin.vcf" not in server.names(), "the card deleted")
        await until(pilot, lambda: MARTIN not in rows(screen, "manager-contacts"), "the row gone")


async def test_a_server_down_is_said_once_and_the_copy_stays_searchable(
    server: Server, tmp_path: Path
) -> None:
    console = console_for(server, tmp_path, "read-only")
    async with console.app.run_test(size=SIZE) as pilot:
        await synced(pilot)
        server.stop()
        book = console.app.carddav.book()
        for _ in range(2):  # two timed syncs fail; only the first says so
            console.clock.advance(15 * 60)
            await pilot.pause()
            await synced(pilot)
        down = [n for n in notices(console) if "cannot be reached" in n]
        assert len(down) == 1 and down[0].endswith("The last copy stays usable.")
        assert book.status().failed
        found = await console.app.directory("claire mart", 10)
        assert ("Claire Martin", "carddav") in [(c.name, c.source) for c in found]
        screen = await manager_on_the_book(pilot)
        count = str(screen.query_one("#manager-count").render())
        assert count.startswith("2 contacts — read-only — synced 09:30: failed: The CardDAV")
