"""``SetupScreen``: the first-run connection screen (TWS login window, TWS-1.1 and TWS-1.3).

The operator picks how to reach the phone system — Demo (embedded simulator), SIP account or
CTI server — fills that backend's fields, the language (TWS-1.1-5), "remember me" (TWS-1.1-6:
the password goes to the OS keyring or a 0600 file, never to prefs.toml) and automatic
connection (TWS-1.1-7). Dismisses with a :class:`SetupChoice`.

The focus starts in the chosen backend's first empty field (the password, when the
configuration gave the server and the user name), else on "Sign in"; after a refused sign-in
the screen comes back with the reason and what was given, the password left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Input, Label, RadioSet, Select, Static

from tws_tui.console.api import console_api
from tws_tui.console.bindings import bindings_for
from tws_tui.console.widgets.toggles import RadioChoice, TickBox
from tws_tui.core.values import value_class
from tws_tui.platform.i18n import LANGUAGES, N_, _, language

if TYPE_CHECKING:
    from tws_tui.settings.schema import Settings

BACKEND_FIELDS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    # backend -> (option name, label msgid, is_secret)
    "sim": (),
    "sip": (
        ("server", N_("SIP server"), False),
        ("port", N_("Port"), False),
        ("username", N_("User name"), False),
        ("password", N_("Password"), True),
        ("display_name", N_("Display name"), False),
    ),
    "cti": (
        ("url", N_("Server name"), False),
        ("username", N_("User name"), False),
        ("password", N_("Password"), True),
    ),
}
BACKEND_LABELS = {
    "sim": N_("Demo (built-in simulator)"),
    "sip": N_("SIP account"),
    "cti": N_("CTI server"),
}


@value_class(slots=False)
class SetupChoice:
    backend: str
    options: dict[str, str] = field(default_factory=dict)
    secret: str | None = None
    remember: bool = True
    auto_connect: bool = False
    language: str = "fr"


class SetupScreen(Screen[SetupChoice | None]):
    """Pick a backend and connect. ``error`` is shown above the form after a failed attempt.
    ``cancellable`` (signing in again from the console, ``app.sign_in``): Esc goes back to the
    console with ``None``, nothing changed; at start there is nothing to go back to."""

    BINDINGS: ClassVar = bindings_for("setup")

    DEFAULT_CSS = """
    SetupScreen {
        align: center middle;
    }
    #setup-box {
        width: 64;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        padding: 0 2;
    }
    #setup-logo {
        text-style: bold;
        color: $primary;
    }
    #setup-error {
        color: $error;
        height: auto;
    }
    .setup-fields {
        height: auto;
    }
    .setup-row {
        height: auto;
        margin-top: 1;
    }
    .setup-row Label {
        padding: 0 1 0 0;
    }
    #setup-box Checkbox, #setup-box RadioSet, #setup-box Button {
        margin-top: 1;
    }
    """

    def __init__(
        self, *, error: str = "", previous: SetupChoice | None = None, cancellable: bool = False
    ) -> None:
        super().__init__()
        self.error = error
        self.cancellable = cancellable
        self.previous = previous or SetupChoice(backend="sim", language=language())

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="setup-box"):
            yield Static("tws-tui", id="setup-logo")
            yield Static(_("Sign in."), classes="modal-title")
            yield Static(self.error, id="setup-error", markup=False)
            yield Label(_("Connect to"))
            with RadioSet(id="setup-backend", compact=True):
                for name, label in BACKEND_LABELS.items():
                    yield RadioChoice(
                        _(label),
                        id=f"backend-{name}",
                        value=name == self.previous.backend,
                        compact=True,
                    )
            for backend, fields in BACKEND_FIELDS.items():
                with Vertical(id=f"fields-{backend}", classes="setup-fields"):
                    for option, label, secret in fields:
                        yield Label(_(label))
                        yield Input(
                            value=self.previous.options.get(option, "")
                            if backend == self.previous.backend
                            else "",
                            password=secret,
                            id=f"{backend}-{option}",
                            compact=True,
                        )
            with Horizontal(classes="setup-row"):
                yield Label(_("Language"))
                yield Select(
                    [(name, code) for code, name in LANGUAGES.items()],
                    value=self.previous.language,
                    allow_blank=False,
                    id="setup-language",
                    compact=True,
                )
            yield TickBox(
                _("Remember me"), self.previous.remember, id="setup-remember", compact=True
            )
            yield TickBox(
                _("Automatic connection"), self.previous.auto_connect, id="setup-auto", compact=True
            )
            yield Button(_("Sign in"), id="setup-connect", variant="primary", compact=True)
            if self.cancellable:
                yield Static(
                    _("Esc: back to the console, nothing changed."), id="setup-cancel-note"
                )

    def action_cancel(self) -> None:
        """Esc: back to the console (only when signing in again from it)."""
        if self.cancellable:
            self.dismiss(None)

    def on_mount(self) -> None:
        self._show_fields(self.previous.backend)
        self._focus_first_empty(self.previous.backend)
        if not self._listening:
            self._listening = True
            console_api(self).language_signal.subscribe(self, self._on_language)

    _listening = False  # subscribed to the language signal (once: recompose mounts again)

    def _focus_first_empty(self, backend: str) -> None:
        """The first field of ``backend`` still empty (the password when the rest is filled
        in: typing it and Enter signs in), else "Sign in"."""
        for option, _label, _secret in BACKEND_FIELDS.get(backend, ()):
            field_input = self.query_one(f"#{backend}-{option}", Input)
            if not field_input.value:
                field_input.focus()
                return
        self.query_one("#setup-connect", Button).focus()

    def _backend(self) -> str:
        pressed = self.query_one(RadioSet).pressed_button
        return (pressed.id or "backend-sim").removeprefix("backend-") if pressed else "sim"

    def _show_fields(self, backend: str) -> None:
        for name in BACKEND_FIELDS:
            self.query_one(f"#fields-{name}").display = name == backend

    @on(RadioSet.Changed)
    def _backend_changed(self) -> None:
        self._show_fields(self._backend())

    @on(Button.Pressed, "#setup-connect")
    @on(Input.Submitted)
    def _connect(self) -> None:
        self.dismiss(self._choice())

    def _choice(self, language_code: str | None = None) -> SetupChoice:
        """What the form says now (``language_code``: the language chosen meanwhile)."""
        backend = self._backend()
        options: dict[str, str] = {}
        secret = None
        for option, _label, is_secret in BACKEND_FIELDS[backend]:
            value = self.query_one(f"#{backend}-{option}", Input).value.strip()
            if is_secret:
                secret = value or None
            elif value:
                options[option] = value
        return SetupChoice(
            backend=backend,
            options=options,
            secret=secret,
            remember=self.query_one("#setup-remember", Checkbox).value,
            auto_connect=self.query_one("#setup-auto", Checkbox).value,
            language=language_code or str(self.query_one("#setup-language", Select).value),
        )

    async def _on_language(self, code: str) -> None:
        """Alt+L on the sign-in screen: the form again in the new language, as it was filled
        in (the choice, the fields typed, the boxes ticked)."""
        self.previous = self._choice(code)
        await self.recompose()
        self.on_mount()


def setup_defaults(settings: Settings, name: str, options: Mapping[str, Any]) -> SetupChoice:
    """What the setup screen shows pre-filled (TWS-1.1-6: remembered login)."""
    return SetupChoice(
        backend=name,
        options={k: str(v) for k, v in options.items() if k != "password"},
        remember=settings.general.remember_login,
        auto_connect=settings.general.auto_connect,
        language=language(),
    )
