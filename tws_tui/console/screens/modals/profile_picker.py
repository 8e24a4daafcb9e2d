"""``ProfilePicker``: switch profile (TWS §1.7, TWP §5.1.1) in two keys — the key that opens it,
then the profile's digit (1–9) or first letter; arrows and Enter work too, Esc cancels. The
active profile carries a star (TWS-6.10.2-2). Dismisses with the profile's key, or ``None``."""

from __future__ import annotations

from collections.abc import Sequence

from textual import events

from tws_tui.console.screens.modals.choice import ChoiceScreen
from tws_tui.domain.text import fold
from tws_tui.platform.i18n import _

ACTIVE_MARK = "★"


class ProfilePicker(ChoiceScreen):
    def __init__(self, profiles: Sequence[tuple[str, str]], active: str) -> None:
        """``profiles`` are ``(key, name)`` pairs in their order."""
        self.names = list(profiles)
        labels = [
            (key, f"{n}  {name}" + (f"  {ACTIVE_MARK}" if key == active else ""))
            for n, (key, name) in enumerate(profiles, start=1)
        ]
        super().__init__(_("Switch profile (digit or first letter)"), labels, current=active)

    def on_key(self, event: events.Key) -> None:
        char = event.character or ""
        if not char or not char.isprintable() or char.isspace():
            return
        key = self._pick(char)
        if key is not None:
            event.stop()
            self.dismiss(key)

    def _pick(self, char: str) -> str | None:
        if char.isdigit() and 1 <= int(char) <= len(self.names):
            return self.names[int(char) - 1][0]
        letter = fold(char)
        return next((key for key, name in self.names if fold(name[:1]) == letter), None)
