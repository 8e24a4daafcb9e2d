"""The Tools page's traces (TWS-6.11-2…5): the trace level chosen (applied at once through
``platform.logs.set_level`` and saved as ``[general] log_level``), what the page says of the
log file (its path, 15 files of 10 MB rotating), the log folder's path copied to the clipboard
(OSC 52, which also crosses SSH) and opened on the desktop (the system's opener; not over
SSH), and the log exported to a path typed: the current file,
secrets removed as in the diagnostics bundle, or a sentence saying why it could not be
written."""

from __future__ import annotations

import asyncio
import webbrowser
from pathlib import Path

from tws_tui.console.api import ConsoleApi
from tws_tui.platform import logs, paths
from tws_tui.platform.diagnostics import redact
from tws_tui.platform.i18n import N_, _, labelled

#: The levels as the Preferences list shows them (TWS-6.11-3's names), the most said first.
LEVEL_NAMES = {
    "trace": N_("Trace: every step"),
    "debug": N_("Debug: what the console does"),
    "info": N_("Info: notable events"),
    "warning": N_("Warning: problems it got over"),
    "error": N_("Error: failed tasks"),
    "critical": N_("Fatal: stops only"),
    "off": N_("Off: nothing written"),
}


def level_options() -> list[tuple[str, str]]:
    return [(_(label), name) for name, label in LEVEL_NAMES.items()]


def log_path() -> Path:
    return logs.current_log_file() or paths.log_file()


def log_note() -> str:
    """The log files' paths (the console's, the backend's: TWS-6.11-4) and their rotation, in
    the current language."""
    size_mb = logs.MAX_BYTES // (1024 * 1024)
    backend = logs.current_backend_log()
    return "\n".join(
        (
            labelled(_("Log file"), str(log_path())),
            labelled(_("Backend's log file"), str(backend) if backend else _("none")),
            _("{count} files of {size} MB at most, the oldest overwritten.").format(
                count=logs.BACKUP_COUNT + 1, size=size_mb
            ),
        )
    )


def choose_level(tws: ConsoleApi, level: str) -> None:
    """The trace level, applied now and saved."""
    if level == tws.prefs.general.log_level:
        return
    logs.set_level(level)
    tws.prefs.change("general", log_level=level)
    tws.notify(_("Trace level: {level}.").format(level=_(LEVEL_NAMES[level])), markup=False)


def copy_log_folder(tws: ConsoleApi) -> None:
    """The log folder's path on the clipboard and, on this machine's desktop (not over SSH,
    where it would open on the server), the folder opened by the system's opener."""
    from tws_tui.console.links import over_ssh

    folder = log_path().parent
    tws.copy_to_clipboard(str(folder))
    tws.notify(_("Copied to the clipboard: {path}").format(path=folder), markup=False)
    if over_ssh():
        return

    async def open_folder() -> None:
        await asyncio.to_thread(webbrowser.open, folder.as_uri())

    tws.run_background(open_folder, group="tools-open-log-folder")


def ask_export_log(tws: ConsoleApi) -> None:
    """Where to write the log, then the log."""
    from tws_tui.console.screens.contacts.exchange import FileDialog

    def chosen(answer: tuple[Path, str] | None) -> None:
        if answer is None:
            return

        async def export() -> None:
            await export_log(tws, answer[0])

        tws.run_background(export, group="tools-export-log")

    tws.push_screen(
        FileDialog(
            _("Export the log"),
            importing=False,
            suggestion=str(Path("~") / "tws-tui.log"),
            note=_(
                "The current log file, passwords and tokens removed. Enter goes on, Esc cancels."
            ),
        ),
        chosen,
    )


async def export_log(tws: ConsoleApi, target: Path) -> None:
    from tws_tui.console.screens.modals.save_text import save_bytes

    source = log_path()
    try:
        text = await asyncio.to_thread(source.read_text, encoding="utf-8", errors="replace")
    except OSError as error:
        tws.notify(
            _("Cannot read the log {path}: {error}").format(
                path=source, error=error.strerror or error
            ),
            severity="error",
            markup=False,
        )
        return
    written = _("Log written to {path}.").format(path=target)
    await save_bytes(tws, target, redact(text).encode("utf-8"), written)
