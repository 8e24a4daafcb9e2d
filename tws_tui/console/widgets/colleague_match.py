"""``ColleagueMatch``: the colleague a forward destination typed as part of a name stands for
(issue 17: forwarding dialog and profile rules). The line under the field says who the first
match is (and how many more), or that nobody matches; :meth:`take` puts the first match's
extension in the field — Enter in the field does it, so a name is never sent as a number.

The search is the one the message slips use (:func:`tws_tui.domain.forwarding.
colleagues_to_forward_to` over ``domain.slips.colleagues_matching``).
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.widgets import Input, Static

from tws_tui.core.model import MonitoredDevice
from tws_tui.domain.forwarding import colleagues_to_forward_to, has_letters
from tws_tui.platform.i18n import _


def _who(device: MonitoredDevice) -> str:
    return f"{device.name} ({device.extension})"


class ColleagueMatch(Static):
    DEFAULT_CSS = "ColleagueMatch { color: $text-muted; height: auto; }"

    def __init__(
        self, colleagues: Iterable[MonitoredDevice], own: str, *, id: str | None = None
    ) -> None:
        super().__init__("", markup=False, id=id)
        self.colleagues = tuple(colleagues)
        self.own = own
        self._taken: tuple[str, str] | None = None  # (extension, who) of the last one taken

    def matches(self, typed: str) -> list[MonitoredDevice]:
        return colleagues_to_forward_to(self.colleagues, typed, self.own)

    def show_for(self, typed: str) -> None:
        """Say whom ``typed`` stands for: the first match, how many more, or nobody."""
        if not has_letters(typed):
            taken = self._taken
            self.update(taken[1] if taken is not None and typed.strip() == taken[0] else "")
            return
        found = self.matches(typed)
        if not found:
            self.update(_("No colleague by that name."))
            return
        text = _("Enter takes {who}").format(who=_who(found[0]))
        if len(found) > 1:
            others = ", ".join(d.name for d in found[1:4])
            text += " · " + _("also: {names}").format(names=others)
        self.update(text)

    def take(self, field: Input) -> bool:
        """Put the first match's extension in ``field``; False when it holds no name that
        matches (then the field is the form's to check)."""
        found = self.matches(field.value)
        if not found:
            return False
        chosen = found[0]
        extension = chosen.extension or ""
        self._taken = (extension, "→ " + _who(chosen))
        field.value = extension
        field.cursor_position = len(extension)
        self.show_for(extension)
        return True
