"""Opening a saved file with the desktop's own program for its type (the chat's received files).

On Linux that is ``xdg-open`` (xdg-utils: the user's default application for the file's MIME
type), on macOS ``open``. It is used only where there is a desktop to open it on: a display
(``DISPLAY`` or ``WAYLAND_DISPLAY``) on Linux and not over SSH — without one, ``xdg-open``
falls back to terminal programs (``run-mailcap``, text browsers) that would draw over the
console. The opener runs detached from the console's terminal (its own session, no standard
streams); :func:`open_file` blocks, so callers run it in a thread.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

#: How long the opener may take to say whether it found a program (one still running then
#: has started one: a program that stays open until closed).
OPEN_TIMEOUT_S = 10.0


def over_ssh() -> bool:
    """Whether this console runs in an SSH session (the opener would act on the server)."""
    return bool(os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"))


def system_opener() -> str | None:
    """The program that opens a file as the desktop does, when there is a desktop here."""
    if over_ssh():
        return None
    if sys.platform == "darwin":
        return shutil.which("open")
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return None
    return shutil.which("xdg-open")


def open_file(path: Path) -> bool:
    """Hand ``path`` to the desktop's opener; whether a program took it."""
    opener = system_opener()
    if opener is None:
        return False
    try:
        process = subprocess.Popen(
            [opener, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return False
    try:
        return process.wait(OPEN_TIMEOUT_S) == 0
    except subprocess.TimeoutExpired:
        return True
