"""Textual-free, I/O-free core: model, events, errors, contract, clock and the reducer.

Import from the submodules (``tws_tui.core.model``, ``.events``, ``.errors``, ``.protocols``,
``.state``, ``.clock``, ``.allowed``); this package re-exports nothing so that importing one
piece stays cheap.
"""
