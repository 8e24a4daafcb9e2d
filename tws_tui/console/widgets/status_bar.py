"""``StatusBar``: the always-visible top line — who I am, presence, the active profile (its
name cut with "…" on a narrow line, never dropped), my forwarding while one is
on (a badge), simultaneous ring while it is on (another), the company number callers see while it
is not my own line (SLF-2.3-1), link, missed calls, new voicemail
messages, time.

It renders from the app's ``ConsoleState`` and clock; a click opens the presence picker (the
same action as its key binding), a click on the active profile the profile picker
(TWP-5.1.1-1: Alt+U's drop-down). It is repainted only when its text
changes: the clock shows minutes, so the once-a-second check repaints it once a minute, and a
state change that leaves the line as it was (a queue event, a colleague's) sends nothing.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.events import Click
from textual.widget import Widget

from tws_tui.console.api import console_api
from tws_tui.core.events import LinkStatus
from tws_tui.core.model import AgentState
from tws_tui.core.topics import Topic, Topics
from tws_tui.domain.find_me import badge as find_me_badge
from tws_tui.domain.format import (
    DND_SYMBOL,
    DND_WORD,
    LINK_SYMBOL,
    LINK_WORD,
    PRESENCE_SYMBOL,
    PRESENCE_WORD,
    agent_word,
    clock_time,
    cut,
)
from tws_tui.domain.forwarding import badge
from tws_tui.domain.presented_number import badge as presented_badge
from tws_tui.domain.profiles import PROFILE_SYMBOL
from tws_tui.platform.i18n import _, ngettext

#: How many ways the line can be written, from the fullest (0) to the most compact.
COMPACTNESS = 4
#: The fewest cells the active profile's name is cut to ("…") before other facts lose their
#: words: it is never dropped (TWS-6.10-2: the active profile is always named).
PROFILE_MIN_CELLS = 8
#: When even the most compact words do not fit (80 columns, paused, calls missed and waiting),
#: the name is cut further, down to its first letter and "…", before the counts are.
PROFILE_LAST_CELLS = 2
#: The mark a click finds on the profile's cells (TWP-5.1.1-1).
PROFILE_CLICK = Style.from_meta({"profile": True})


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
        if topics & {Topic.ME, Topic.LINK, Topic.HISTORY, Topic.QUEUES, Topic.VOICEMAIL}:
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
        """The line at the first :data:`COMPACTNESS` level whose facts fit beside the clock
        (an 80-column terminal while paused and with calls waiting: the clock stays); at each
        level the profile's name is first cut ("…", down to :data:`PROFILE_MIN_CELLS`; at the
        last, down to :data:`PROFILE_LAST_CELLS`)."""
        app = console_api(self)
        now = clock_time(app.clock.now(), clock_24h=app.prefs.ui.clock_24h)
        room = self.size.width - len(now) - 2
        profile = app.profiles.status_name()
        for level in range(COMPACTNESS):
            text = self._facts(level, profile)
            over = text.cell_len - room
            if over <= 0:
                break
            cells = cell_len(profile) - over
            if profile and cells >= PROFILE_MIN_CELLS:
                text = self._facts(level, cut(profile, cells))
                break
        else:  # the most compact words and still too long: the name down to its first letter
            over = self._facts(COMPACTNESS - 1, profile).cell_len - room
            shortest = cut(profile, max(PROFILE_LAST_CELLS, cell_len(profile) - over))
            text = self._facts(COMPACTNESS - 1, shortest)
            text.truncate(max(0, room), overflow="ellipsis")
        text.append(" " * max(1, self.size.width - text.cell_len - len(now) - 1))
        text.append(now + " ")
        return text

    def _facts(self, level: int, profile: str) -> Text:
        """Who I am, presence, the active profile (``profile``, cut already), forwarding, agent
        state, link, missed calls and queue calls waiting. From level 1 the separators are
        narrower; from 2 my name gives way to my extension, an online link to its symbol and
        the forwarding badge to its destination; at 3 my presence is its symbol and the agent
        state its word (every word dropped still has its symbol, every count its number)."""
        state = console_api(self).state
        gap = "  │ " if level == 0 else " │ "
        text = Text(no_wrap=True)
        me = state.me
        if me is None:
            text.append(" " + _("Not connected"), style="dim")
        else:
            who = f" {me.name} ({me.extension})" if level < 2 else f" {me.extension}"
            text.append(who, style="bold")
            text.append("  " if level == 0 else " ")
            if me.dnd:
                word = f" {_(DND_WORD)}" if level < 3 else ""
                text.append(f"{DND_SYMBOL}{word}", style="bold reverse")
            else:
                label = me.presence_label or _(PRESENCE_WORD[me.presence])
                word = f" {label}" if level < 3 else ""
                text.append(f"{PRESENCE_SYMBOL[me.presence]}{word}", style="bold")
                if me.presence_note and level == 0:  # my note, as colleagues see it
                    text.append(f" ({me.presence_note})", style="italic")
            if profile:  # the active profile, the default one too (TWS-6.10-2, TWP-1.2.1-2)
                text.append(gap)
                text.append(f"{PROFILE_SYMBOL} {profile}", style=PROFILE_CLICK)
            forwarded = badge(
                me.forwards, console_api(self).calls.voicemail_number, short=level >= 2
            )
            if forwarded:  # my forwarding (issue 17): a word and a symbol, not a colour
                text.append(gap)
                text.append(forwarded, style="bold reverse")
            also = find_me_badge(me.find_me, short=level >= 2)
            if also:  # simultaneous ring / find-me, beside it
                text.append(gap)
                text.append(also, style="bold")
            shown_as = presented_badge(me, console_api(self).calls.presented_next, short=level >= 2)
            if shown_as:  # a company number presented instead of my line (Selfcare §2.3)
                text.append(gap)
                text.append(shown_as, style="bold")
            if me.agent is not AgentState.LOGGED_OFF:  # my queue agent state (Webpilot §14)
                agent = agent_word(me.agent, me.agent_reason)
                shown = _("Agent: {state}").format(state=agent) if level < 3 else agent
                text.append(gap + shown)
        text.append(gap)
        online = state.link is LinkStatus.ONLINE
        link_style = "" if online else "bold reverse"
        word = "" if online and level >= 2 else f" {_(LINK_WORD[state.link])}"
        text.append(f"{LINK_SYMBOL[state.link]}{word}", style=link_style)
        if state.link_detail and not online:
            # A backend's reason is an English msgid (the console's own is already translated).
            text.append(f" ({_(state.link_detail)})", style="dim")
        if state.missed_calls:
            text.append(gap)
            text.append(
                ngettext("{n} missed call", "{n} missed calls", state.missed_calls).format(
                    n=state.missed_calls
                ),
                style="bold",
            )
        if state.voicemail_new:  # my voicemail box (issue 16): a symbol and a count in words
            text.append(gap)
            shown = (
                ngettext("⊠ {n} new voicemail", "⊠ {n} new voicemails", state.voicemail_new)
                if level < 2
                else "⊠ {n}"
            )
            text.append(shown.format(n=state.voicemail_new), style="bold")
        waiting = state.waiting_total()
        if waiting:
            text.append(gap)
            text.append(ngettext("{n} waiting", "{n} waiting", waiting).format(n=waiting))
        return text

    async def on_click(self, event: Click) -> None:
        """The profile's name: the profile picker; anywhere else: the presence picker."""
        on_profile = bool(event.style.meta.get("profile"))
        await self.app.run_action("switch_profile" if on_profile else "pick_presence")
