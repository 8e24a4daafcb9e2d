"""``AssistBanner``: assistance requests (issue 15, TWS-4.4) shown on every screen.

Under the ringing banner, one line a request (:func:`tws_tui.domain.assist.banner_lines`): a
request asked of me still open, on the warning colour with the key that takes it
(``assist.take``); my own waiting one with the key that cancels it (``assist.cancel``); who
took a request, or that it was cancelled, for a while after. Hidden when there is nothing to
say. Text only: a colleague's words are never markup. Repaints only when its lines change.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from tws_tui.console.api import console_api
from tws_tui.core.model import AssistState
from tws_tui.core.topics import Topic, Topics
from tws_tui.domain.assist import banner_lines


class AssistBanner(Widget):
    DEFAULT_CSS = """
    AssistBanner { height: auto; display: none; background: $panel; color: $text;
                   padding: 0 1; }
    AssistBanner.-shown { display: block; }
    AssistBanner.-asked { background: $warning; text-style: bold; }
    """

    _drawn: Text | None = None

    def on_mount(self) -> None:
        console_api(self).state_signal.subscribe(self, self._on_state)
        console_api(self).language_signal.subscribe(self, lambda _code: self._sync())
        self._sync()

    def _on_state(self, topics: Topics) -> None:
        if topics & {Topic.ASSIST, Topic.ME}:
            self._sync()

    def _lines(self) -> tuple[Text, bool]:
        api = console_api(self)
        me = api.state.me
        if me is None:
            return Text(), False
        lines = banner_lines(
            api.state.assists.values(),
            str(me.user_id),
            api.clock.now(),
            take_key=api.app_key_display("assist.take"),
            cancel_key=api.app_key_display("assist.cancel"),
        )
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, (state, _asked, line) in enumerate(lines):
            mark = {AssistState.OPEN: "‼ ", AssistState.TAKEN: "✓ "}.get(state, "✗ ")
            text.append(("\n" if index else "") + mark + line)
        return text, any(asked for _state, asked, _line in lines)

    def _sync(self) -> None:
        text, asked = self._lines()
        shown = bool(text.plain)
        self.set_class(asked, "-asked")
        if shown != self.has_class("-shown"):
            self.set_class(shown, "-shown")
            self.refresh(layout=True)
        elif shown and text != self._drawn:
            self.refresh(layout=True)

    def render(self) -> Text:
        self._drawn, _asked = self._lines()
        return self._drawn
