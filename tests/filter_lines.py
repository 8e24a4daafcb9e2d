"""Test helper: a profile rule form's caller filter lines (issue 17, TWS-6.10.6.1-13/-14)
added and changed as typing would (``CallerFilters`` of ``#r-included`` / ``#r-excluded``)."""

from __future__ import annotations

from typing import Any

from helpers import settle
from textual.widgets import Input, Select

from tws_tui.console.screens.profiles.caller_filters import CallerFilters

INCLUDED, EXCLUDED = "#r-included", "#r-excluded"


async def add_lines(pilot: Any, form: Any, side: str, *lines: tuple[str, str]) -> CallerFilters:
    """Add ``lines`` ((kind, value): "contact", "list", "directory", "number") to ``side``."""
    filters = form.query_one(side, CallerFilters)
    for kind, value in lines:
        await filters.add_line(kind, value)
    await settle(pilot)
    return filters


async def set_line(pilot: Any, filters: CallerFilters, at: int, kind: str, value: str) -> None:
    """Line ``at`` (from 1) of ``filters`` set to ``kind`` and ``value``."""
    line = filters.lines()[at - 1]
    line.query_one(".f-kind", Select).value = kind
    line.query_one(".f-value", Input).value = value
    await settle(pilot)
