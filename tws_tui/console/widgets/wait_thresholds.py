"""Preferences' queue waiting-time thresholds (TWS-6.3-4): a caller's waiting time turns
orange ▲ after the first and red ■ after the second (``[queues] warn_after_s`` and
``alert_after_s``; the Queues screen, its pinned strip and the wallboard follow them).

Enter in either field checks both (:func:`tws_tui.domain.queue_board.wait_thresholds`: whole
or decimal seconds, 1 to 3600, red after orange) and saves them together; a refusal says why in
words and leaves the saved thresholds as they were. The labels follow the language."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from tws_tui.console.api import console_api
from tws_tui.domain.queue_board import wait_thresholds
from tws_tui.platform.i18n import _


class WaitThresholds(Vertical):
    """The note and the two threshold fields, saved together by Enter."""

    DEFAULT_CSS = """
    WaitThresholds {
        height: auto;
    }
    WaitThresholds Input {
        width: 12;
    }
    """

    def compose(self) -> ComposeResult:
        queues = console_api(self).prefs.queues
        yield Static(id="wait-note", classes="pref-note", markup=False)
        with Horizontal(classes="pref-row"):
            yield Label(id="label-warn_after_s", classes="choice-label")
            yield Input(f"{queues.warn_after_s:g}", id="pref-warn_after_s", compact=True)
        with Horizontal(classes="pref-row"):
            yield Label(id="label-alert_after_s", classes="choice-label")
            yield Input(f"{queues.alert_after_s:g}", id="pref-alert_after_s", compact=True)

    def on_mount(self) -> None:
        console_api(self).language_signal.subscribe(self, lambda _code: self.relabel())
        self.relabel()

    def relabel(self) -> None:
        """The note and labels in the current language."""
        self.query_one("#wait-note", Static).update(
            _("A caller's waiting time in the queues turns orange, then red (Enter saves):")
        )
        self.query_one("#label-warn_after_s", Label).update(_("▲ Orange after (s)"))
        self.query_one("#label-alert_after_s", Label).update(_("■ Red after (s)"))

    @on(Input.Submitted)
    def _save(self, event: Input.Submitted) -> None:
        event.stop()
        api = console_api(self)
        try:
            orange, red = wait_thresholds(
                self.query_one("#pref-warn_after_s", Input).value,
                self.query_one("#pref-alert_after_s", Input).value,
            )
        except ValueError as refused:
            api.notify(
                str(refused) + " " + _("The thresholds are unchanged."),
                severity="warning",
                markup=False,
            )
            return
        api.prefs.change("queues", warn_after_s=orange, alert_after_s=red)
        api.notify(_("Saved."))
