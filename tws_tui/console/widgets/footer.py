"""``KeyBar``: the bottom line of every screen — the live keys, in the current language.

One widget rendering one line of text, instead of Textual's ``Footer`` (a widget per key,
recomposed and restyled on every bindings update: it cost ~12 ms per update at start-up).
Keys come in the order of the action table and are clickable; a key whose action is unavailable
right now (``check_action`` returned None) is dimmed; one it refused (False) or hidden
(``show=False``) is left out, and so is an alternate key while the first one is live. The keys
of the app, of the screen and of the focused widget (the chat thread's, on a selected message)
run when clicked; those of another widget in the focus chain are shown dimmed.
Spaced out on one line when the keys fit, else on two lines (80 columns). Repainted when the
language changes, and when the screen's bindings change in a way that
changes the line (Textual reports a bindings update on every focus move and every ringing call:
most leave the same keys, and then nothing is sent to the terminal).
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.screen import Screen
from textual.widget import Widget

from tws_tui.domain.keymap import ACTIONS
from tws_tui.platform.i18n import _

#: Keys are shown in the order of the action table, whatever order Textual reports them in.
ACTION_ORDER = {spec.id: index for index, spec in enumerate(ACTIONS)}
#: A second key for the same thing, left out while the first one is live: F12 (answer from
#: anywhere) is shown only where Enter does not answer, so the 80-column bar keeps its room.
ALTERNATE_OF = {"answer_any": "answer_ringing"}


class KeyBar(Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"keybar--key", "keybar--disabled"}
    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: auto; max-height: 2; background: $footer-background;
             color: $footer-foreground; link-style: none; link-background-hover: $accent 40%; }
    KeyBar > .keybar--key { color: $accent; text-style: bold; }
    KeyBar > .keybar--disabled { color: $text-disabled; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    _drawn: Text | None = None  # the line as last drawn

    def _bindings_changed(self, _screen: Screen[object]) -> None:
        # The keys' checks look at the screen on top (and for its widgets): the line is
        # compared only when that is this bar's screen, already drawn.
        drawn = self._drawn
        if self.screen is not self.app.screen or drawn is None:
            self.refresh()
            return
        line = self._line()
        if line != drawn:
            # a key that comes or goes may take the bar from one line to two, or back
            self.refresh(layout=line.plain.count("\n") != drawn.plain.count("\n"))

    def render(self) -> Text:
        self._drawn = self._line()
        return self._drawn

    def _line(self) -> Text:
        """Every live key with its label: spaced out when they fit one line; else closer
        together; else on two lines (an 80-column terminal keeps every label, Raccrocher and
        Parquer included, rather than cutting the bar after F8)."""
        items = self._items()
        width = self.size.width
        roomy = Text(no_wrap=True, overflow="ellipsis")
        for key, label, key_style, label_style in items:
            roomy.append(f" {key}", key_style)
            roomy.append(f" {label} ", label_style)
        if roomy.cell_len <= width or width <= 0:
            return roomy
        lines = [Text(no_wrap=True, overflow="ellipsis")]
        for key, label, key_style, label_style in items:
            cells = len(key) + len(label) + 2
            if lines[-1].cell_len + cells > width and lines[-1].cell_len and len(lines) < 2:
                lines.append(Text(no_wrap=True, overflow="ellipsis"))
            lines[-1].append(f" {key}", key_style)
            lines[-1].append(f" {label}", label_style)
        return Text("\n", no_wrap=True, overflow="ellipsis").join(lines)

    def _items(self) -> list[tuple[str, str, Style, Style]]:
        """(key, label, key style, label style) of each key shown, in the action table's order."""
        key_style = self.get_component_rich_style("keybar--key")
        disabled_style = self.get_component_rich_style("keybar--disabled")
        items: list[tuple[str, str, Style, Style]] = []
        seen: set[str] = set()
        active = sorted(
            self.screen.active_bindings.values(),
            key=lambda item: ACTION_ORDER.get(item[1].id or "", len(ACTION_ORDER)),
        )
        live = {binding.action for _node, binding, enabled, _tip in active if enabled}
        for node, binding, enabled, _tooltip in active:
            if not binding.show or binding.action in seen:
                continue
            if ALTERNATE_OF.get(binding.action) in live:
                continue
            seen.add(binding.action)
            namespace = "app" if node is self.app else "screen" if node is self.screen else ""
            if node is self.screen.focused:  # the focused widget's own keys (the chat thread's)
                namespace = "focused"
            click = Style.from_meta({"@click": f"{namespace}.{binding.action}"})
            key = self.app.get_key_display(binding)
            label = _(binding.description)
            if enabled and namespace:
                items.append((key, label, key_style + click, click))
            else:
                items.append((key, label, disabled_style, disabled_style))
        return items
