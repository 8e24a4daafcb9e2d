"""The support address's field on the Tools page of Preferences (TWS-6.11-6), under *E-mail
support* (``support_mail.py``), whose link writes to it: ``[general] support_email``. Enter
keeps what is typed when it is an e-mail address by the same rule config.toml is read with
(empty: the address is typed in the mail client); anything else is refused in one sentence and
the address kept stays as it was."""

from __future__ import annotations

from dataclasses import fields

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label

from tws_tui.console.api import ConsoleApi, console_api
from tws_tui.core.options import check
from tws_tui.platform.i18n import _
from tws_tui.settings.schema import GeneralSettings

FIELD_ID = "pref-support-email"


def email_problem(text: str) -> tuple[str | None, str]:
    """(the address, "") or (None, what is wrong), by ``[general] support_email``'s rule."""
    rule = next(f for f in fields(GeneralSettings) if f.name == "support_email").metadata["rule"]
    typed = text.strip()
    value, fault = check(rule, typed, from_text=True)
    if fault is not None:
        return None, _(
            "{text!r} is not an e-mail address: write it as name@example.com; the support "
            "address is unchanged."
        ).format(text=typed)
    return str(value), ""


class SupportAddressRow(Horizontal):
    """A label and the address's field; Enter saves."""

    DEFAULT_CSS = """
    SupportAddressRow { height: 1; }
    SupportAddressRow Input { width: 1fr; max-width: 44; }
    """

    @property
    def tws(self) -> ConsoleApi:
        return console_api(self)

    def compose(self) -> ComposeResult:
        yield Label(id="label-support-email")
        yield Input(self.tws.prefs.general.support_email, id=FIELD_ID, compact=True)

    def relabel(self) -> None:
        self.query_one("#label-support-email", Label).update(_("Support e-mail (Enter saves)"))
        self.query_one(f"#{FIELD_ID}", Input).placeholder = _("empty: typed in the mail client")

    @on(Input.Submitted, f"#{FIELD_ID}")
    def _save(self, event: Input.Submitted) -> None:
        event.stop()
        address, problem = email_problem(event.value)
        if address is None:
            self.tws.notify(problem, severity="warning", markup=False)
            return
        event.input.value = address
        self.tws.prefs.change("general", support_email=address)
        self.tws.notify(_("Saved."))
