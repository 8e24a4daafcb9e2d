"""Make Alt+digit reach the app as ``alt+1`` … ``alt+0`` from ordinary terminals.

xterm, VTE, tmux, screen and the Linux console send Alt+1 as ESC followed by "1". Textual
8.2.8 maps those ten sequences to the characters a macOS keyboard types with Option+digit
("¡", "™", "£"…), so bindings on ``alt+1`` never fire there. Removing the ten entries lets
Textual's generic rule (ESC + character = alt+character) apply. Call :func:`install` once,
before the app starts reading keys; it is idempotent.
"""

from __future__ import annotations

from tws_tui.console.textual_private import forget_key_sequences

ALT_DIGIT_SEQUENCES = tuple(f"\x1b{digit}" for digit in "0123456789")


def install() -> None:
    forget_key_sequences(ALT_DIGIT_SEQUENCES)
