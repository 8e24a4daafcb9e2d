"""The committed protocol document (``docs/cti-openapi.json``) is what the server serves.

When this fails, regenerate it: ``python -m tws_tui.server.openapi --write docs/cti-openapi.json``
and review the diff (protocol v1 may only grow).
"""

from __future__ import annotations

import json
from pathlib import Path

from tws_tui.core.events import CallEventKind
from tws_tui.server import openapi
from tws_tui.server.app import OPERATIONS
from tws_tui.wire.codec import EVENT_TYPES

DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "cti-openapi.json"


def test_committed_document_matches_the_server() -> None:
    assert DOCUMENT.read_text(encoding="utf-8") == openapi.render(), (
        "docs/cti-openapi.json is stale: python -m tws_tui.server.openapi --write"
        " docs/cti-openapi.json"
    )
    assert openapi.main(["--check", str(DOCUMENT)]) == 0


def test_document_lists_every_route_and_every_event_type() -> None:
    document = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    assert document["openapi"].startswith("3.1")
    for op in OPERATIONS:
        operation = document["paths"][op.path][op.method.lower()]
        assert operation["responses"]["default"]["content"]["application/problem+json"]
    expected = set(EVENT_TYPES) | {f"call.{kind.value}" for kind in CallEventKind}
    assert expected <= set(document["x-events"])
    schemas = document["components"]["schemas"]
    assert schemas["MakeCallBody"]["additionalProperties"] is False  # requests are closed
    assert "additionalProperties" not in schemas["Call"]  # responses may grow (v1 additive)


def test_check_reports_a_stale_document(tmp_path: Path) -> None:
    stale = tmp_path / "cti-openapi.json"
    stale.write_text("{}\n", encoding="utf-8")
    assert openapi.main(["--check", str(stale)]) == 1
    assert openapi.main(["--write", str(stale)]) == 0
    assert openapi.main(["--check", str(stale)]) == 0
