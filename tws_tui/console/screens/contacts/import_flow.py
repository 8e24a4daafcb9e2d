"""An import from the contact manager, step by step (issue 22), and undoing the last one.

:func:`import_file`: the file is read in a worker thread (a CSV no known export wrote first
goes through :class:`~.import_screens.ColumnMappingScreen`), the preview is made in the
store's thread (:func:`tws_tui.contacts.import_preview.preview_import`) and shown
(:class:`~.import_screens.ImportPreviewScreen`); only Enter there writes, in one transaction
that the store remembers as the last import. A file that gives nothing to import shows its
problems (:class:`~.exchange.ReportScreen`). :func:`undo_import` undoes the last import
(``u`` in the manager, keymap id ``manager.undo_import``), after a restart too.
"""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path
from typing import Any

from textual.screen import Screen

from tws_tui.console.api import console_api
from tws_tui.console.screens.contacts.exchange import ReportScreen, is_vcard
from tws_tui.console.screens.contacts.import_screens import (
    ColumnMappingScreen,
    ImportPreviewScreen,
)
from tws_tui.console.screens.contacts.store_work import STORE_ERRORS, in_store_thread
from tws_tui.contacts.csv_files import import_csv, read_layout
from tws_tui.contacts.import_preview import apply_preview, preview_import
from tws_tui.contacts.import_report import ImportReport
from tws_tui.contacts.store import ContactStore
from tws_tui.platform.i18n import N_, _

#: What the preview says a vCard file was recognised as (when its reader says nothing).
VCARD = N_("vCard")


async def _read(screen: Screen[Any], path: Path, visibility: str) -> ImportReport | None:
    """What the file gives; None when the user cancels the column mapping."""
    if is_vcard(path):
        from tws_tui.contacts.vcard_files import import_vcard

        report = await asyncio.to_thread(import_vcard, path, visibility=visibility)
        return report if report.file_format else dataclasses.replace(report, file_format=VCARD)
    layout = await asyncio.to_thread(read_layout, path)
    if isinstance(layout, ImportReport):
        return layout
    mapping = None
    if not layout.file_format:
        mapping = await screen.app.push_screen_wait(ColumnMappingScreen(layout, path.name))
        if mapping is None:
            return None
    return await asyncio.to_thread(import_csv, path, visibility=visibility, mapping=mapping)


async def import_file(
    screen: Screen[Any], store: ContactStore, path: Path, visibility: str
) -> bool:
    """Import ``path`` into the directory ``visibility`` after the preview; True when
    something was written."""
    app = screen.app
    report = await _read(screen, path, visibility)
    if report is None:
        app.notify(_("Import cancelled: nothing was written."), markup=False)
        return False
    if not report.contacts:
        where = _("card {number}: {problem}") if is_vcard(path) else _("line {number}: {problem}")
        lines = [_("Nothing to import from {path}.").format(path=path)]
        lines += [
            where.format(number=number, problem=problem) if number else problem
            for number, problem in report.problems
        ]
        await app.push_screen_wait(ReportScreen(_("Import"), lines))
        return False
    preview = await in_store_thread(lambda: preview_import(report, store, visibility))
    if not await app.push_screen_wait(
        ImportPreviewScreen(preview, path.name, vcard=is_vcard(path))
    ):
        app.notify(_("Import cancelled: nothing was written."), markup=False)
        return False
    try:
        saved, batch = await in_store_thread(lambda: apply_preview(preview, store, file=str(path)))
    except STORE_ERRORS as error:
        app.notify(
            _("Nothing was saved: {error}").format(error=error), severity="error", markup=False
        )
        return False
    undo = console_api(screen).app_key_display("manager.undo_import")
    app.notify(
        _("{added} contacts added and {merged} completed from {file}; {key} undoes it.").format(
            added=len(saved), merged=batch.merged, file=path.name, key=undo
        ),
        markup=False,
    )
    return True


async def undo_import(screen: Screen[Any], store: ContactStore) -> bool:
    """Undo the last import; True when there was one."""
    try:
        batch = await in_store_thread(store.undo_last_import)
    except STORE_ERRORS as error:
        screen.app.notify(str(error), severity="error", markup=False)
        return False
    if batch is None:
        screen.app.notify(_("There is no import to undo."), markup=False)
        return False
    screen.app.notify(
        _(
            "Import of {file} undone: {added} contacts removed, {merged} put back as they were."
        ).format(file=Path(batch.file).name, added=batch.added, merged=batch.merged),
        markup=False,
    )
    return True
