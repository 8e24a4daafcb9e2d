"""``tws-tui install-handler``: ``tel:`` and ``sip:`` links open ``tws-tui dial``.

Writes the desktop entry ``tws-tui-dial.desktop`` (freedesktop.org: ``Exec=tws-tui dial %u``,
``MimeType=x-scheme-handler/tel;x-scheme-handler/sip;``) in the user's applications directory
(``$XDG_DATA_HOME/applications``, ``~/.local/share/applications`` by default), then makes it
the default handler of both schemes with ``xdg-mime`` when the desktop has it. Without
``xdg-mime`` the entry is written and the message says the desktop was not told.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tws_tui.platform import paths
from tws_tui.platform.i18n import _

DESKTOP_FILE = "tws-tui-dial.desktop"
SCHEMES = ("x-scheme-handler/tel", "x-scheme-handler/sip")


def applications_dir() -> Path:
    """Where the user's desktop entries live."""
    data_home = os.environ.get("XDG_DATA_HOME", "").strip()
    base = Path(data_home) if data_home else Path.home() / ".local" / "share"
    return base / "applications"


def command() -> str:
    """How the desktop starts ``tws-tui dial``: the script beside this interpreter (a venv),
    else the one on ``PATH``, else this interpreter with ``-m tws_tui``."""
    beside = Path(sys.executable).parent / "tws-tui"
    script = str(beside) if os.access(beside, os.X_OK) else shutil.which("tws-tui")
    program = [script] if script else [sys.executable, "-m", "tws_tui"]
    return " ".join(_quoted(arg) for arg in [*program, "dial"]) + " %u"


def _quoted(arg: str) -> str:
    """An argument of ``Exec=`` (Desktop Entry Specification: quoted when it must be)."""
    if not any(ch in arg for ch in " \t\n\"'\\><~|&;$*?#()`"):
        return arg
    escaped = "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg)
    return f'"{escaped}"'


def desktop_entry() -> str:
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=tws-tui dial\n"
        "Comment=Dial tel: and sip: links with the running tws-tui console\n"
        f"Exec={command()}\n"
        "Terminal=false\n"
        "NoDisplay=true\n"
        f"MimeType={';'.join(SCHEMES)};\n"
    )


def install_handler(say: Callable[[str], None], complain: Callable[[str], None]) -> int:
    """Write the entry and register it; the exit code (1 when nothing could be written)."""
    target = applications_dir() / DESKTOP_FILE
    try:
        paths.atomic_write_bytes(target, desktop_entry().encode(), mode=0o644)
    except OSError as error:
        complain(
            _("cannot write {path}: {reason}").format(path=target, reason=error.strerror or error)
        )
        return 1
    say(_("Wrote {path}").format(path=target))
    xdg_mime = shutil.which("xdg-mime")
    if xdg_mime is None:
        complain(
            _(
                "xdg-mime is not installed (no desktop here?): tel: and sip: links are not"
                " registered."
            )
        )
        return 0
    for scheme in SCHEMES:
        result = subprocess.run(
            [xdg_mime, "default", DESKTOP_FILE, scheme], capture_output=True, text=True, timeout=30
        )
        if result.returncode != 0:
            complain(
                _("xdg-mime could not register {scheme}: {reason}").format(
                    scheme=scheme, reason=(result.stderr or result.stdout).strip()
                )
            )
            return 1
    say(_("tel: and sip: links now open tws-tui dial."))
    return 0
