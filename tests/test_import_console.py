"""The import from the contact manager: the preview (Esc writes nothing, Enter writes), the
column mapping of an unknown CSV, and u undoing the last import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers import build_console, screen_text, store_done, until

from tws_tui.console.screens.contacts.import_screens import (
    ColumnMappingScreen,
    ImportPreviewScreen,
)
from tws_tui.contacts.store import ContactStore
from tws_tui.core.model import Contact

CORPUS = Path(__file__).parent / "data" / "contacts" / "csv"
SIZE = (80, 24)


def store_of(console: Any) -> ContactStore:
    store = console.app.directories().store
    assert store is not None
    return store


async def start_import(console: Any, pilot: Any, path: Path) -> None:
    for _ in range(6):
        await pilot.pause()
    await pilot.press("ctrl+o")
    await store_done(pilot)
    await pilot.press("i")
    await store_done(pilot)
    console.app.screen.query_one("#file-name").value = str(path)
    await pilot.press("enter")


def notices(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_outlook_fr_preview_then_esc_writes_nothing_and_enter_writes() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        store = store_of(console)
        store.add(Contact("", "private", "J. Dupont", (("", "0612345678"),)))
        await start_import(console, pilot, CORPUS / "outlook_fr.csv")
        await until(
            pilot, lambda: isinstance(console.app.screen, ImportPreviewScreen), "the preview"
        )
        await pilot.pause()
        shown = screen_text(console.app)
        assert "Recognised: Outlook CSV (French)" in shown
        assert "new: 2 · completed: 1 · already there: 0 · refused: 1" in shown
        await pilot.press("escape")
        await until(pilot, lambda: "Import cancelled" in " ".join(notices(console.app)), "Esc")
        assert [c.name for c in store.all()] == ["J. Dupont"]  # nothing written
        assert store.last_import() is None

        await pilot.press("i")
        await store_done(pilot)
        console.app.screen.query_one("#file-name").value = str(CORPUS / "outlook_fr.csv")
        await pilot.press("enter")
        await until(
            pilot, lambda: isinstance(console.app.screen, ImportPreviewScreen), "the preview"
        )
        await pilot.press("enter")
        await until(pilot, lambda: store.count() == 3, "the import written")
        dupont = store.find_by_number("01 42 14 20 00")
        assert [c.name for c in dupont] == ["J. Dupont"]  # completed, name kept
        assert dupont[0].email == "jean.dupont@societe-generale.example"
        await until(
            pilot,
            lambda: any("2 contacts added and 1 completed" in n for n in notices(console.app)),
            "the notice",
        )


async def test_an_unknown_csv_asks_what_each_column_holds(tmp_path: Path) -> None:
    source = tmp_path / "export.csv"
    source.write_text(
        "Qui;Société;Portable;Divers\nMarie Curie;Institut Curie;06 12 34 56 78;x\n",
        encoding="utf-8",
    )
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        store = store_of(console)
        await start_import(console, pilot, source)
        await until(
            pilot, lambda: isinstance(console.app.screen, ColumnMappingScreen), "the mapping"
        )
        await pilot.pause()
        shown = screen_text(console.app)
        assert "What does each column of export.csv hold?" in shown
        assert "Portable" in shown and "06 12 34 56 78" in shown
        mapping = console.app.screen
        assert isinstance(mapping, ColumnMappingScreen)
        assert mapping.fields == ["name", "company", "phone:cell", ""]  # guessed
        await pilot.press("left")  # Qui: Full name → (ignore)
        await pilot.press("down", *["left"] * 6)  # Société: Company → (ignore)
        assert mapping.fields == ["", "", "phone:cell", ""]
        await pilot.press("enter")  # no name nor company: refused in words, screen kept
        await pilot.pause()
        assert "Choose at least the column of the name" in screen_text(console.app)
        assert isinstance(console.app.screen, ColumnMappingScreen)
        await pilot.press("up", "right")  # Qui: (ignore) → Full name
        await pilot.press("down", *["right"] * 6)  # Société: back to Company
        await pilot.press("down", "right", "left")  # Portable: Phone (home) and back
        assert mapping.fields == ["name", "company", "phone:cell", ""]
        await pilot.press("enter")
        await until(
            pilot, lambda: isinstance(console.app.screen, ImportPreviewScreen), "the preview"
        )
        await pilot.pause()
        assert "Recognised: CSV with the columns you chose" in screen_text(console.app)
        await pilot.press("enter")
        await until(pilot, lambda: store.count() == 1, "the import written")
        (marie,) = store.all()
        assert (marie.name, marie.company, marie.numbers) == (
            "Marie Curie",
            "Institut Curie",
            (("Mobile", "06 12 34 56 78"),),
        )


async def test_u_undoes_the_last_import_and_says_when_there_is_none() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        store = store_of(console)
        store.add(Contact("", "private", "Acer", (("", "(800) 000-0000"),), "Acer America"))
        before = store.all()
        await start_import(console, pilot, CORPUS / "thunderbird_export.csv")
        await until(
            pilot, lambda: isinstance(console.app.screen, ImportPreviewScreen), "the preview"
        )
        await pilot.press("enter")
        await until(pilot, lambda: store.count() == 3, "the import written")
        await store_done(pilot)
        await pilot.press("u")
        await until(pilot, lambda: store.all() == before, "the import undone")
        await until(
            pilot,
            lambda: any(
                "thunderbird_export.csv undone: 2 contacts removed" in n
                for n in notices(console.app)
            ),
            "the undo notice",
        )
        await pilot.press("u")
        await until(
            pilot,
            lambda: any("There is no import to undo." in n for n in notices(console.app)),
            "nothing to undo",
        )


async def test_the_preview_in_french() -> None:
    from tws_tui.platform.i18n import set_language

    set_language("fr")  # conftest puts English back after each test
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await start_import(console, pilot, CORPUS / "outlook_fr.csv")
        await until(
            pilot, lambda: isinstance(console.app.screen, ImportPreviewScreen), "the preview"
        )
        await pilot.pause()
        shown = screen_text(console.app)
        assert "Importer outlook_fr.csv ?" in shown
        assert "Reconnu : CSV d'Outlook (en français)" in shown
        assert "nouveaux : 3 · complétés : 0 · déjà là : 0 · refusés : 1" in shown
        assert "Entrée importe, Échap annule" in shown
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert "ligne 5 : Luc Martin : " in screen_text(console.app)
