"""``PresentedNumbers``: which company number the people I call see (issue 17, Selfcare §2.3),
gated on ``PRESENTED_NUMBER``. Its key (``call.presented_number``, on the dial field and the
Calls screen, and anywhere) picks the number for the next call placed with F3 from the dial
field; Preferences picks the default, kept by the phone system (the CTI server per user). The
choice for the next call is used once (:meth:`take`), then the default applies again. Last in
both pickers, *No number (withheld)*: the callee sees a withheld number (Selfcare §2.3-3)."""

from __future__ import annotations

from tws_tui.console.api import ConsoleApi
from tws_tui.console.controllers.my_settings import me_if_allowed
from tws_tui.core.model import WITHHELD_NUMBER, Capability, OperatorState
from tws_tui.domain.presented_number import label_of, number_label
from tws_tui.platform.i18n import _

#: The picker's id for "my default" (next call) or "my own line" (default).
NONE = "none"


class PresentedNumbers:
    def __init__(self, api: ConsoleApi) -> None:
        self.api = api
        self.next_call: str | None = None  # for the next call only

    def _me(self) -> OperatorState | None:
        refusal = _("This phone system does not let the console choose the number callers see.")
        me = me_if_allowed(self.api, Capability.PRESENTED_NUMBER, refusal)
        if me is not None and not me.company_numbers:
            self.api.notify(_("The phone system gives no company number to present."))
            return None
        return me

    def pick(self, *, default: bool = False) -> None:
        """Open the picker: for the next call, or (``default``) for every call."""
        from tws_tui.console.screens.modals.choice import ChoiceScreen

        me = self._me()
        if me is None:
            return
        numbers = [(n.number, number_label(n)) for n in me.company_numbers]
        numbers.append((WITHHELD_NUMBER, _("No number (withheld)")))  # Selfcare §2.3-3
        if default:
            title = _("Number callers see by default")
            first = _("My own line ({extension})").format(extension=me.extension)
            current = me.presented_number or NONE
        else:
            title = _("Number callers see on my next call")
            first = _("My default: {number}").format(number=label_of(me, me.presented_number))
            current = self.next_call or NONE
        screen = ChoiceScreen(title, [(NONE, first), *numbers], current=current)
        self.api.push_screen(screen, self._set_default if default else self._set_next)

    def _set_next(self, picked: str | None) -> None:
        me = self.api.state.me
        if picked is None or me is None:
            return
        self.next_call = None if picked == NONE else picked
        if self.next_call is not None:
            shown = label_of(me, self.next_call)
            self.api.notify(_("Your next call shows {number}.").format(number=shown))

    def _set_default(self, picked: str | None) -> None:
        if picked is None:
            return
        number = None if picked == NONE else picked
        self.api.run_command(lambda backend: backend.set_presented_number(number))

    def take(self) -> str | None:
        """The number chosen for this call (then forgotten), None for my default."""
        number, self.next_call = self.next_call, None
        return number
