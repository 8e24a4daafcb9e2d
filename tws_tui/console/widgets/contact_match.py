"""``ContactMatch``: whom a forward destination typed as part of a name stands for, among my
colleagues and the contacts of every directory (issue 17, TWS-6.10.6.1-4: a profile rule's
*Other number*). The line under the field says who the first match is (and a few more), or
that nobody matches; :meth:`take` puts the first match's number in the field — Enter in the
field does it, so a name is never kept as a number.

Colleagues come first, found at once as :class:`ColleagueMatch` finds them; the contacts are
the directories' own search (``ConsoleApi.directory``, the dial bar's), asked in a worker while
typing, each contact with its first number.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import work
from textual.widgets import Input

from tws_tui.console.api import console_api
from tws_tui.console.widgets.colleague_match import ColleagueMatch
from tws_tui.core.model import MonitoredDevice
from tws_tui.domain.forwarding import has_letters
from tws_tui.platform.i18n import _

#: How many directory contacts are asked for a name typed.
MAX_CONTACTS = 8


class ContactMatch(ColleagueMatch):
    def __init__(
        self, colleagues: Iterable[MonitoredDevice], own: str, *, id: str | None = None
    ) -> None:
        super().__init__(colleagues, own, id=id)
        self._typed = ""
        #: The directories' answer: (the term asked, [(who, number)]).
        self._contacts: tuple[str, list[tuple[str, str]]] = ("", [])

    def candidates(self, typed: str) -> list[tuple[str, str]]:
        """(who, number) for ``typed``: colleagues first, then directory contacts whose
        number is neither a colleague's already listed nor mine."""
        found = [(f"{d.name} ({d.extension})", d.extension or "") for d in self.matches(typed)]
        term, contacts = self._contacts
        if term == typed.strip():
            seen = {number for _who, number in found} | {self.own}
            found += [(who, number) for who, number in contacts if number not in seen]
        return found

    def show_for(self, typed: str) -> None:
        self._typed = typed
        self._show(typed)
        if has_letters(typed):
            self._search(typed.strip())

    def _show(self, typed: str) -> None:
        if not has_letters(typed):
            super().show_for(typed)
            return
        found = self.candidates(typed)
        if not found:
            self.update(_("Nobody by that name among colleagues and contacts."))
            return
        text = _("Enter takes {who}").format(who=found[0][0])
        if len(found) > 1:
            others = ", ".join(who for who, _number in found[1:4])
            text += " · " + _("also: {names}").format(names=others)
        self.update(text)

    @work(exclusive=True, group="contact-match", exit_on_error=False)
    async def _search(self, term: str) -> None:
        found = await console_api(self).directory(term, MAX_CONTACTS)
        contacts = [
            (f"{contact.name} ({contact.numbers[0][1]})", contact.numbers[0][1])
            for contact in found
            if contact.numbers
        ]
        self._contacts = (term, contacts)
        if self._typed.strip() == term:  # an answer to what is still typed
            self._show(self._typed)

    def take(self, field: Input) -> bool:
        """Put the first match's number in ``field``; False when it holds no name that
        matches (then the field is the form's to check)."""
        found = self.candidates(field.value) if has_letters(field.value) else []
        if not found:
            return False
        who, number = found[0]
        self._taken = (number, "→ " + who)
        field.value = number
        field.cursor_position = len(number)
        self._typed = number
        self._show(number)
        return True
