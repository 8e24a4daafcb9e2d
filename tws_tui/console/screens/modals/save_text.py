"""Writing an export chosen in a file dialog: the text written atomically (a failed write
leaves the old file), off the console's loop, and one notice saying it is done or why not.

Shared by the exports of History (calls), Statistics (figures), the contact manager
(contacts) and the Tools page (the diagnostics bundle)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tws_tui.console.api import ConsoleApi
from tws_tui.platform.i18n import _
from tws_tui.platform.paths import atomic_write_bytes


async def save_text(tws: ConsoleApi, path: Path, text: str, written: str) -> bool:
    """Write ``text`` (UTF-8) to ``path``; ``written`` (translated, formatted) is said when
    done, "Cannot write …" with the system's reason when not. Whether it was written."""
    return await save_bytes(tws, path, text.encode("utf-8"), written)


async def save_bytes(tws: ConsoleApi, path: Path, data: bytes, written: str) -> bool:
    """:func:`save_text` for bytes (the diagnostics bundle's zip)."""
    try:
        await asyncio.to_thread(atomic_write_bytes, path, data)
    except OSError as error:
        tws.notify(
            _("Cannot write {path}: {error}").format(path=path, error=error.strerror or error),
            severity="error",
            markup=False,
        )
        return False
    tws.notify(written, markup=False)
    return True
