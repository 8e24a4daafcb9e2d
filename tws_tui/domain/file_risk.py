"""Received files that look like programs (issue 15): opening one may run it, so the chat
asks before saving and opening it.

Judged by the name's last extension, case folded (``facture.pdf.exe`` is an ``.exe``): the
programs and scripts of Windows, Linux and macOS, and the packages and shortcuts that install
or start one.
"""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath

#: Extensions of files that run something when opened.
RISKY_EXTENSIONS = frozenset(
    {
        # Windows programs, installers, scripts and shortcuts
        ".exe", ".com", ".scr", ".pif", ".msi", ".msp", ".dll", ".cpl", ".bat", ".cmd",
        ".vbs", ".vbe", ".js", ".jse", ".wsf", ".wsh", ".hta", ".ps1", ".psm1", ".reg",
        ".lnk", ".url", ".jar", ".appx", ".msix",
        # Unix scripts, programs and packages
        ".sh", ".bash", ".zsh", ".csh", ".ksh", ".fish", ".run", ".bin", ".elf", ".so",
        ".desktop", ".appimage", ".deb", ".rpm", ".snap", ".flatpak",
        ".py", ".pyw", ".pl", ".rb", ".php",
        # macOS
        ".app", ".command", ".pkg", ".dmg", ".scpt", ".workflow",
    }
)  # fmt: skip


def looks_executable(name: str) -> bool:
    """Whether a file named ``name`` would run something when opened."""
    last = PureWindowsPath(PurePosixPath(name).name).name
    return PurePosixPath(last.strip().rstrip(".").casefold()).suffix in RISKY_EXTENSIONS
