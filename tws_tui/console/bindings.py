"""Textual bindings made from the keymap table (:data:`tws_tui.domain.keymap.ACTIONS`)."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from tws_tui.domain.keymap import ACTIONS


def bindings_for(scope: str) -> list[BindingType]:
    """The Textual bindings of one scope, each with its stable id."""
    return [
        Binding(
            spec.keys,
            spec.action,
            spec.description,
            show=spec.show,
            priority=spec.priority,
            id=spec.id,
        )
        for spec in ACTIONS
        if spec.scope == scope
    ]
