"""``RingingBanner``: the incoming-call announcement shown on every screen.

It lists who is calling and what they called (number or queue) and the keys that answer:
Enter where Enter means nothing else (``call.answer``), F12 whatever has the focus
(``call.answer_any``). Hidden when nothing rings. A change of my calls that leaves the banner
as it was (a call answered while another rings on, a timer) repaints nothing; the screen is
laid out again only when the banner appears or goes.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from tws_tui.console.api import console_api
from tws_tui.core.topics import Topic, Topics
from tws_tui.domain.format import origin_note, party_label
from tws_tui.platform.i18n import _, labelled, ngettext


class RingingBanner(Widget):
    DEFAULT_CSS = """
    RingingBanner { height: auto; display: none; background: $warning; color: $text;
                    padding: 0 1; text-style: bold; }
    RingingBanner.-ringing { display: block; }
    """

    def on_mount(self) -> None:
        console_api(self).state_signal.subscribe(self, self._on_state)
        self._sync()

    def _on_state(self, topics: Topics) -> None:
        if Topic.CALLS in topics:
            self._sync()

    _drawn: Text | None = None  # the banner as last drawn

    def _sync(self) -> None:
        ringing = bool(console_api(self).state.ringing_calls())
        if ringing != self.has_class("-ringing"):
            self.set_class(ringing, "-ringing")  # shown or hidden: a layout
            self.refresh(layout=True)
        elif ringing and self._line() != self._drawn:
            self.refresh(layout=True)  # its height follows its text (it may wrap)

    def render(self) -> Text:
        self._drawn = self._line()
        return self._drawn

    def _line(self) -> Text:
        ringing = console_api(self).state.ringing_calls()
        if not ringing:
            return Text()
        call = ringing[0]
        text = Text("☎ " + labelled(_("Incoming call"), ""), no_wrap=True, overflow="ellipsis")
        text.append(party_label(call.remote))
        if call.queue is not None:
            text.append("  → " + _("queue {name}").format(name=call.queue.name))
        elif (
            call.called is not None
            and call.called.number
            and call.called.device_id != call.device_id
        ):
            text.append("  → " + (call.called.name or call.called.number))  # a DID, not my line
        note = origin_note(call)
        if note is not None:
            text.append(f"  ↩ {note}")
        if len(ringing) > 1:
            others = len(ringing) - 1
            text.append("  +" + ngettext("{n} other", "{n} others", others).format(n=others))
        key = console_api(self).app_key_display
        keys = dict.fromkeys((key("call.answer"), key("call.answer_any")))
        text.append("   [" + "/".join(keys) + "] ")
        text.append(_("Answer"))
        return text
