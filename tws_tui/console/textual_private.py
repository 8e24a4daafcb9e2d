"""Every use of a private Textual name by the console, in one place (Textual 8.2.8).

The rest of ``console/`` calls the functions here and never spells a private Textual name;
``tests/test_textual_private.py`` runs each of them against the installed Textual, so an upgrade
that renames or removes one of these fails there with a message naming it, not somewhere deep
in a screen. The privates, who needs them, and why no public API does the job:

* ``textual._ansi_sequences.ANSI_SEQUENCES_KEYS`` — :func:`forget_key_sequences`, for
  ``terminal_keys``: Textual maps ESC+digit to the characters a macOS keyboard types with
  Option+digit, so ``alt+1`` never fires from xterm/VTE/tmux. The table is the only place that
  mapping lives; there is no public way to change how the terminal's bytes are parsed.
* ``Stylesheet._variables`` — :func:`stylesheet_variables`, for ``stylesheet``'s
  ``ReusingStylesheet``, which must compare the variables it is given with those it holds to
  know whether its parse cache is still valid; ``Stylesheet`` keeps them without a getter.
* ``DOMNode._bindings`` (its ``BindingsMap.key_to_bindings``) — :func:`binds_key`, for
  ``screens/base``: type-to-dial must know whether the screen itself or the focused widget
  itself has a binding for a key (then typing does not dial). The public
  ``Screen.active_bindings`` merges the app's and every ancestor's bindings, which is another
  question; ``BINDINGS`` misses what Textual merges from the base classes. (Textual applies
  the user's keymap to copies of these maps, so a key moved by the keymap is seen at its
  default place: as before this module.)
* ``App._driver`` (``Driver.write``) — :func:`write_to_terminal`, for
  ``controllers/incoming``: a desktop notification is an escape sequence (OSC 9/777/99) the
  terminal must receive as is; ``App`` has no public way to write raw bytes to the terminal.
* ``App._handle_exception`` and ``App._exit`` — :class:`ResilientApp` and :func:`is_exiting`,
  for ``app``: Textual exits on any exception raised by a handler; the console must log it,
  show one line and keep answering calls. ``_handle_exception`` is the one place every handler
  error goes; there is no public hook. ``_exit`` says the app is already shutting down (then
  errors are not reported), which no public attribute tells.
* ``App._notifications`` and ``App._unnotify`` — :func:`keep_latest_notifications`, for
  ``app``: notices must never pile up over the status bar and the ringing banner, so only the
  latest few stay; ``App`` can clear every notice (``clear_notifications``) but has no public
  way to list them or drop one.
* ``Widget._scroll_update`` — :func:`update_scrollbars`, for ``widgets/row_list``: a list
  that sets its ``virtual_size`` without the reactive's layout of the whole screen (about
  10 ms per keystroke at 120x40) must still show, hide and size its scrollbars and clamp its
  scroll position, which is what ``_scroll_update`` does and nothing public does alone.
* ``Screen._compositor_refresh``, ``Screen._repaint_required`` and ``Widget._repaint_regions``
  — :class:`RepaintOnceBelow`, for ``screens/base``'s ``ModeScreen``: while a pop-up (a
  ``ModalScreen``, see-through) is over a screen, Textual sends each change of the screen
  below up to the pop-up, then marks the screen below to send those regions again
  (``_set_dirty`` + ``_repaint_required``) — and again at each later change, so once the
  whole screen is among them (as it is after mounting) every change below a pop-up repaints
  the whole terminal: 12 KB per colleague's change at 120x40 under the incoming-call pop-up,
  over SSH (``bench/terminal_bytes.py``). No public hook sits between a screen's compositor
  refresh and that re-marking.
* ``Input._cursor_visible`` — :class:`CursorCellBlink`, for ``widgets/lazy_field``'s
  ``TypingField``: the blinking cursor is a reactive that repaints the whole field twice a
  second (a 120-cell line resent over SSH for one cell); redeclared without repaint, its
  watcher repaints the cells around the cursor only. ``Input`` has no public way to say what
  the blink repaints.
* ``Input._value`` and ``Input._on_paste`` — :class:`KeepLinesInput`, for
  ``widgets/compose_field``'s chat compose field: nothing typed or pasted may be lost, and a
  message may have several lines. ``Input`` keeps only the first line of a paste and draws its
  value as one ``Text`` (a new line in it would break the field's one line); it has no public
  way to say how its value is drawn or how a paste is inserted.
``widgets/lazy_field.TypingField`` redeclares the *public* ``virtual_size`` reactive without
layout; it relies on ``Input`` behaviour (it sets ``virtual_size`` at each change), not on a
private name, and ``tests/test_typing_field.py`` checks that behaviour.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any, TypeVar

import textual
from rich.text import Text
from textual import events
from textual.app import App
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.geometry import Region, Size
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

ReturnType = TypeVar("ReturnType")
ScreenResultType = TypeVar("ScreenResultType")


class TextualPrivateMissing(RuntimeError):
    """A private Textual name this module relies on is gone or changed (a Textual upgrade)."""


def _private(owner: object, name: str) -> Any:
    """``owner.name``, or :class:`TextualPrivateMissing` naming what changed."""
    try:
        return getattr(owner, name)
    except AttributeError:
        kind = owner.__name__ if isinstance(owner, type) else type(owner).__name__
        raise TextualPrivateMissing(
            f"Textual {textual.__version__}: {kind}.{name} is gone; "
            "adapt tws_tui/console/textual_private.py"
        ) from None


def forget_key_sequences(sequences: Iterable[str]) -> None:
    """Remove ``sequences`` from Textual's table of terminal key sequences, so its generic
    rule (ESC + character = alt+character) applies to them. Idempotent."""
    module = importlib.import_module("textual._ansi_sequences")
    table = _private(module, "ANSI_SEQUENCES_KEYS")
    if not hasattr(table, "pop"):
        raise TextualPrivateMissing(
            f"Textual {textual.__version__}: _ansi_sequences.ANSI_SEQUENCES_KEYS is no "
            "longer a mutable mapping; adapt tws_tui/console/textual_private.py"
        )
    for sequence in sequences:
        table.pop(sequence, None)


def stylesheet_variables(stylesheet: Stylesheet) -> dict[str, str]:
    """The CSS variables ``stylesheet`` parses with (its last ``set_variables``)."""
    variables: dict[str, str] = _private(stylesheet, "_variables")
    return variables


def binds_key(node: DOMNode, key: str) -> bool:
    """Whether ``node`` itself (not its ancestors) has a binding for ``key``: its ``BINDINGS``
    merged with its base classes', before any keymap."""
    bindings = _private(node, "_bindings")
    return key in _private(bindings, "key_to_bindings")


def write_to_terminal(app: App[Any], text: str) -> bool:
    """Write ``text`` (an escape sequence) straight to the terminal; False when the app has
    no driver (not running)."""
    driver = _private(app, "_driver")
    if driver is None:
        return False
    driver.write(text)
    return True


def is_exiting(app: App[Any]) -> bool:
    """Whether ``app`` is already shutting down (``exit()`` was called)."""
    return bool(_private(app, "_exit"))


class ResilientApp(App[ReturnType]):
    """An ``App`` that survives an exception raised by one of its handlers: it goes to
    :meth:`report_handler_error` (to log it and tell the user) while the app keeps running.

    Errors raised while the app is exiting are dropped (the app is going away anyway)."""

    def _handle_exception(self, error: Exception) -> None:
        if is_exiting(self):
            return
        self.report_handler_error(error)

    def report_handler_error(self, error: Exception) -> None:
        """An exception a handler raised; by default Textual's behaviour (exit with it)."""
        super()._handle_exception(error)


def keep_latest_notifications(app: App[Any], keep: int) -> None:
    """Dismiss all but the ``keep`` newest notifications of ``app``."""
    notifications = list(_private(app, "_notifications"))
    unnotify = _private(app, "_unnotify")
    for old in notifications[: max(0, len(notifications) - keep)]:
        unnotify(old, refresh=False)
    if len(notifications) > keep:
        _private(app, "_refresh_notifications")()


def update_scrollbars(widget: Widget, virtual_size: Size) -> None:
    """After ``widget.virtual_size`` was set without its reactive's layout (``set_reactive``):
    show, hide and size its scrollbars and keep its scroll position within the new limits."""
    _private(widget, "_scroll_update")(virtual_size)


class RepaintOnceBelow(Screen[ScreenResultType]):
    """A screen whose changes, while a pop-up is drawn over it, reach the terminal once.

    Textual 8.2.8 hands each change of a screen below a see-through pop-up to the pop-up
    (``app.screen.refresh(*regions)``: right), then marks the screen below dirty over those
    regions and asks it to repaint again; that repaint hands them up a second time and marks
    them again, so every later change below resends them — the whole screen once it is among
    them. After Textual's own refresh, the screen below is left clean: what it handed up is
    drawn by the pop-up, and the screen repaints itself whole when it comes back on top
    (``Screen._on_screen_resume`` refreshes it)."""

    def _compositor_refresh(self) -> None:
        below = self.app.screen is not self
        super()._compositor_refresh()
        if below:
            _private(self, "_repaint_regions").clear()
            self._repaint_required = False


class CursorCellBlink(Input):
    """An ``Input`` whose blinking cursor repaints the cells around it, not the field."""

    _cursor_visible = Reactive(True, repaint=False)

    def _watch__cursor_visible(self) -> None:
        """Textual's watcher naming: ``_watch_`` + the reactive's name."""
        x = self.cursor_screen_offset.x - self.content_region.x
        self.refresh(Region(max(0, x - 1), 0, 3, 1))


#: How a new line in a one-line field is drawn (one cell, as the character it stands for).
NEW_LINE_MARK = "↵"


class KeepLinesInput(Input):
    """An ``Input`` whose value may hold new lines: each drawn as :data:`NEW_LINE_MARK` (one
    cell for one character, so the cursor stays where Textual puts it), and a paste inserted
    whole, every line of it (Textual's keeps the first line)."""

    @property
    def _value(self) -> Text:
        drawn: Text = _private(Input, "_value").fget(self)
        if "\n" not in drawn.plain:
            return drawn
        return Text(
            drawn.plain.replace("\n", NEW_LINE_MARK),
            style=drawn.style,
            no_wrap=True,
            overflow="ignore",
            end="",
        )

    def _on_paste(self, event: events.Paste) -> None:
        _private(Input, "_on_paste")  # still the handler this one stands in for
        text = "\n".join(event.text.splitlines())
        if text:
            start, end = sorted(self.selection)
            self.replace(text, start, end)
        event.stop()
        event.prevent_default()  # Input's own handler (the first line again) does not run
