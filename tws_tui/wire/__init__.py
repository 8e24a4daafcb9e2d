"""The CTI HTTP protocol v1, shared by the reference server and the ``cti`` client backend.

Textual-free and I/O-free. Submodules:

* :mod:`tws_tui.wire.codec` — JSON form of the core model and of the events (SSE envelopes);
* :mod:`tws_tui.wire.problems` — RFC 9457 problem documents and their ``code`` ↔ typed errors;
* :mod:`tws_tui.wire.bodies` — the request bodies of the commands;
* :mod:`tws_tui.wire.schema` — JSON Schema (2020-12, as OpenAPI 3.1 uses) of those types.

Nothing is re-exported here, so importing one piece stays cheap.
"""
