"""Check dependencies (TWS-6.11-8), opened from Tools (K): for the base and each extra (sip,
audio, server, postgres, scale, web), every package it needs with the version installed, or
missing, or installed at a version that does not fit, and for an extra not complete the command
that installs it here (``platform/extras.py``); then PortAudio, the sound card's system library.
The check runs in a thread (loading PortAudio scans the devices); C (``dependencies.copy``) puts
the text on the clipboard for a support request; Escape goes back."""

from __future__ import annotations

import asyncio
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tws_tui.console.bindings import bindings_for
from tws_tui.console.screens.base import ModeScreen
from tws_tui.core.topics import Topics
from tws_tui.platform.dependencies import BASE, ExtraState, check, portaudio
from tws_tui.platform.extras import install_hint
from tws_tui.platform.i18n import N_, _, labelled, ngettext

#: What each extra brings, as the list says it.
EXTRA_WORDS = {
    BASE: N_("the console"),
    "sip": N_("the softphone"),
    "audio": N_("the sound card and MP3 sounds"),
    "server": N_("the CTI server"),
    "postgres": N_("the server's data in PostgreSQL"),
    "scale": N_("the server's scaled mode (Redis)"),
    "web": N_("the console in a browser"),
}


def dependency_lines(states: list[ExtraState], audio: tuple[str | None, str]) -> list[str]:
    """The check's text, one line each, in the current language."""
    lines: list[str] = []
    for state in states:
        name = state.extra or _("base")
        what = _(EXTRA_WORDS[state.extra]) if state.extra in EXTRA_WORDS else ""
        missing = sum(not d.fits for d in state.dependencies)
        verdict = (
            _("complete")
            if not missing
            else ngettext("{n} missing", "{n} missing", missing).format(n=missing)
        )
        lines.append(labelled(f"{name} ({what})" if what else name, verdict))
        for dep in state.dependencies:
            if dep.version is None:
                lines.append("  ✗ " + _("{name}: not installed").format(name=dep.name))
            elif not dep.fits:
                lines.append(
                    "  ✗ "
                    + _("{name} {version}: needs {wanted}").format(
                        name=dep.name, version=dep.version, wanted=dep.wanted
                    )
                )
            else:
                lines.append(f"  ✓ {dep.name} {dep.version}")
        if missing and state.extra != BASE:
            lines.append("  → " + install_hint(state.extra))
        lines.append("")
    version, why = audio
    if version is not None:
        lines.append(f"✓ {version}")
    else:
        lines.append("✗ " + _("PortAudio (the sound card): not found ({why})").format(why=why))
    return lines


class DependenciesScreen(ModeScreen):
    MODE = "dependencies"
    PARENT_MODE = "prefs"
    TITLE_MSGID = N_("Dependencies")
    TOPICS: ClassVar[Topics] = frozenset()
    BINDINGS: ClassVar = bindings_for("dependencies")
    DEFAULT_CSS = """
    DependenciesScreen #deps-scroll { height: 1fr; }
    DependenciesScreen .deps-note { height: auto; padding: 0 1; }
    """

    def compose_body(self) -> ComposeResult:
        self._found: tuple[list[ExtraState], tuple[str | None, str]] | None = None
        self._checking = False
        with VerticalScroll(id="deps-scroll"):
            yield Static(id="deps-keys", classes="empty-note")
            yield Static(id="deps-lines", classes="deps-note", markup=False)

    @work(group="dependencies-check", exclusive=True)
    async def _check(self) -> None:
        self._found = await asyncio.to_thread(lambda: (check(), portaudio()))
        self.refresh_from_state(frozenset())

    def text(self) -> str:
        if self._found is None:
            return _("Checking…")
        return "\n".join(dependency_lines(*self._found)).rstrip()

    def refresh_from_state(self, topics: Topics) -> None:
        if not self._checking:  # first drawn: the check starts
            self._checking = True
            self._check()
        self.query_one("#deps-keys", Static).update(
            _("What tws-tui needs, and what this machine has. {copy}: copy.").format(
                copy=self.tws.app_key_display("dependencies.copy")
            )
        )
        self.query_one("#deps-lines", Static).update(self.text())

    def action_copy(self) -> None:
        """C: the whole check on the clipboard."""
        self.tws.copy_to_clipboard(self.text())
        self.tws.notify(_("Dependencies copied to the clipboard."))

    def action_close(self) -> None:
        self.dismiss()
