"""``StatusBar``: the always-visible top line — who I am, presence, link, missed calls, time.

It renders from the app's ``ConsoleState`` and clock; clicking the presence opens the
presence picker (the same action as its key binding). It is repainted only when its text
changes: the clock shows minutes, so the once-a-second check repaints it once a minute, and a
state change that leaves the line as it was (a queue event, a colleague's) sends nothing.
"""

from __future__ import annotations

from rich.text import Text
from textual.events import Click
from textual.widget import Widget

from tws_tui.console.api import console_api
from tws_tui.core.events import LinkStatus
from tws_tui.core.model import AgentState
from tws_tui.core.topics import Topic, Topics
from tws_tui.domain.format import (
    DND_SYMBOL,
    DND_WORD,
    LINK_SYMBOL,
    LINK_WORD,
    PRESENCE_SYMBOL,
    PRESENCE_WORD,
    agent_word,
    clock_time,
)
from tws_tui.platform.i18n import _, ngettext


class StatusBar(Widget):
    """One line of facts about the operator and the link."""

    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $foreground; }
    """

    _drawn: Text | None = None  # the line as last drawn

    def on_mount(self) -> None:
        console_api(self).state_signal.subscribe(self, self._on_state)
        self.set_interval(1.0, self.redraw)

    def _on_state(self, topics: Topics) -> None:
        if topics & {Topic.ME, Topic.LINK, Topic.HISTORY, Topic.QUEUES}:
            self.redraw()

    def redraw(self) -> None:
        """Repaint if the line would read (or look) different from the one drawn. The bar of
        a screen not shown waits: a screen coming back on top is repainted whole."""
        if self.screen.is_current and self._line() != self._drawn:
            self.refresh()

    def render(self) -> Text:
        self._drawn = self._line()
        return self._drawn

    def _line(self) -> Text:
        app = console_api(self)
        state = app.state
        text = Text(no_wrap=True, overflow="ellipsis")
        me = state.me
        if me is None:
            text.append(" " + _("Not connected"), style="dim")
        else:
            text.append(f" {me.name} ({me.extension})", style="bold")
            text.append("  ")
            if me.dnd:
                text.append(f"{DND_SYMBOL} {_(DND_WORD)}", style="bold reverse")
            else:
                text.append(
                    f"{PRESENCE_SYMBOL[me.presence]} {_(PRESENCE_WORD[me.presence])}",
                    style="bold",
                )
            if me.agent is not AgentState.LOGGED_OFF:  # my queue agent state (Webpilot §14)
                text.append(
                    "  │ " + _("Agent: {state}").format(state=agent_word(me.agent, me.agent_reason))
                )
        text.append("  │ ")
        link_style = "" if state.link is LinkStatus.ONLINE else "bold reverse"
        text.append(f"{LINK_SYMBOL[state.link]} {_(LINK_WORD[state.link])}", style=link_style)
        if state.link_detail and state.link is not LinkStatus.ONLINE:
            # A backend's reason is an English msgid (the console's own is already translated).
            text.append(f" ({_(state.link_detail)})", style="dim")
        if state.missed_calls:
            text.append("  │ ")
            text.append(
                ngettext("{n} missed call", "{n} missed calls", state.missed_calls).format(
                    n=state.missed_calls
                ),
                style="bold",
            )
        waiting = state.waiting_total()
        if waiting:
            text.append("  │ ")
            text.append(ngettext("{n} waiting", "{n} waiting", waiting).format(n=waiting))
        now = clock_time(app.clock.now(), clock_24h=app.prefs.ui.clock_24h)
        pad = self.size.width - text.cell_len - len(now) - 1
        if pad > 0:
            text.append(" " * pad)
        text.append(now + " ")
        return text

    async def on_click(self, event: Click) -> None:
        await self.app.run_action("pick_presence")
