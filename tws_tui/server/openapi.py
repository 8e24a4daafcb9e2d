"""The OpenAPI 3.1 document of protocol v1, written from the server's own operation table.

Owns :func:`openapi_document` (paths from :data:`tws_tui.server.app.OPERATIONS`, schemas from
the model and body classes through :class:`tws_tui.wire.schema.SchemaBuilder`, the problem
document, and the event stream: every event ``type`` with the schema of its ``data``, under
``x-events``) and the command that keeps ``docs/cti-openapi.json`` in step::

    python -m tws_tui.server.openapi --write docs/cti-openapi.json
    python -m tws_tui.server.openapi --check docs/cti-openapi.json   # exit 1 when they differ

The document depends on nothing that changes at run time, so it is byte-stable.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
from pathlib import Path
from typing import Any

from tws_tui.core.events import CallEvent, CallEventKind, Event
from tws_tui.server.http import ID_PATTERN, Operation
from tws_tui.wire.codec import API_VERSION, EVENT_TYPES, SESSION_EXPIRED, hints
from tws_tui.wire.problems import ERROR_CLASSES, PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE
from tws_tui.wire.schema import SchemaBuilder

_PARAM = re.compile(r"{([a-z_]+)}")
PROBLEM = {"$ref": "#/components/schemas/Problem"}
ID_SCHEMA = {"type": "string", "pattern": f"^{ID_PATTERN}$"}
STREAM = (
    "text/event-stream: first `retry: <ms>`, then messages of three lines, `id: <epoch>-<seq>`"
    " (absent on `session.expired`), `event: <type>` and `data: <envelope>` (one line of JSON,"
    " the envelope of x-events for that type), each ended by a blank line; `: ping` comments"
    " after heartbeat_s of silence. Without a usable Last-Event-ID the first message is a"
    " `snapshot`."
)


def _problem_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "RFC 9457 problem details; clients switch on `code`.",
        "properties": {
            "type": {"type": "string", "format": "uri"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string", "description": "English, formatted from `msgid`"},
            "msgid": {
                "type": "string",
                "description": "The English message id of `detail`, to translate client-side",
            },
            "params": {
                "type": "object",
                "description": "The named values `msgid` is formatted with",
                "additionalProperties": {"type": ["string", "number", "boolean"]},
            },
            "instance": {"type": "string"},
            "code": {"type": "string", "enum": sorted(ERROR_CLASSES)},
            "request_id": {"type": "string"},
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"pointer": {"type": "string"}, "detail": {"type": "string"}},
                },
            },
        },
        "required": ["type", "title", "status", "code"],
    }


def _event_data(builder: SchemaBuilder, cls: type[Event]) -> dict[str, Any]:
    event_class: type = cls  # a class is hashable (mypy cannot see it through Event.__hash__)
    types_ = hints(event_class)
    properties = {
        spec.name: builder.schema(types_[spec.name])
        for spec in dataclasses.fields(cls)
        if spec.name not in ("at", "seq", "kind")
    }
    return {"type": "object", "properties": properties}


def _envelope(name: str, data: dict[str, Any] | None) -> dict[str, Any]:
    """The JSON of an SSE message's ``data:`` line for event ``name``."""
    properties: dict[str, Any] = {
        "type": {"const": name},
        "time": {"type": "string", "format": "date-time"},
    }
    required = ["type", "time"]
    if data is not None:
        properties["id"] = {"type": "string", "description": "<epoch>-<seq>, as the id: line"}
        properties["data"] = data
        required += ["id", "data"]
    return {"type": "object", "properties": properties, "required": required}


def _events(builder: SchemaBuilder) -> dict[str, Any]:
    events: dict[str, Any] = {}
    call = _event_data(builder, CallEvent)
    for kind in CallEventKind:
        events[f"call.{kind.value}"] = _envelope(f"call.{kind.value}", call)
    for name, cls in EVENT_TYPES.items():
        events[name] = _envelope(name, _event_data(builder, cls))
    events[SESSION_EXPIRED] = {
        **_envelope(SESSION_EXPIRED, None),
        "description": "No id. The access token expired: refresh it and reconnect with"
        " Last-Event-ID (nothing is lost).",
    }
    return dict(sorted(events.items()))


def _operation(builder: SchemaBuilder, op: Operation) -> dict[str, Any]:
    out: dict[str, Any] = {
        "operationId": op.operation_id,
        "summary": op.summary,
        "tags": [op.tag],
    }
    parameters: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": ID_SCHEMA}
        for name in _PARAM.findall(op.path)
    ]
    parameters += [
        {
            "name": q.name,
            "in": "query",
            "description": q.description,
            "required": q.required,
            "schema": q.schema(),
        }
        for q in op.query
    ]
    if op.idempotency_key:
        parameters.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "description": "Same key and request again: the first response, no second"
                " effect (kept 10 min).",
                "schema": {"type": "string", "pattern": "^[\\x21-\\x7e]{1,255}$"},
            }
        )
    if op.stream:
        parameters.append(
            {
                "name": "Last-Event-ID",
                "in": "header",
                "description": "Resume after this id, `<epoch>-<seq>` (replay); anything"
                " else, or an id of another epoch or too old: a snapshot comes first.",
                "schema": {"type": "string"},
            }
        )
    if parameters:
        out["parameters"] = parameters
    if op.body is not None:
        out["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": builder.ref(op.body, closed=True)}},
        }
    responses: dict[str, Any] = {}
    if op.stream:
        responses["200"] = {
            "description": STREAM,
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        }
    elif op.response is None:
        responses["204"] = {"description": "Done"}
    elif op.response is bytes:
        responses[str(op.status)] = {
            "description": "OK",
            "content": {op.media_type: {"schema": {"type": "string", "format": "binary"}}},
        }
    else:
        responses[str(op.status)] = {
            "description": "OK" if op.status == 200 else "Created",
            "content": {"application/json": {"schema": builder.schema(op.response)}},
        }
    responses["default"] = {
        "description": "Problem",
        "content": {PROBLEM_CONTENT_TYPE: {"schema": PROBLEM}},
    }
    out["responses"] = responses
    if not op.auth:
        out["security"] = []
    return out


def openapi_document() -> dict[str, Any]:
    from tws_tui.server.app import OPERATIONS

    builder = SchemaBuilder()
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(builder, op)
    events = _events(builder)
    components = dict(sorted(builder.components.items()))
    components["Problem"] = _problem_schema()
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "tws-tui CTI HTTP protocol",
            "version": API_VERSION,
            "description": "REST commands and an SSE event stream in CSTA vocabulary; see"
            " docs/cti-protocol.md. Errors are RFC 9457 problems whose `type` is"
            f" {PROBLEM_TYPE_BASE}<code>. Request bodies are JSON of at most max_body_bytes"
            " (GET /v1/capabilities; 64 KiB by default), strings Unicode text (no lone"
            " surrogate), date-times RFC 3339 with an offset.",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "x-events": events,  # each: the JSON of the data: line of an event of that type
    }


def render() -> str:
    return json.dumps(openapi_document(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write or check the CTI OpenAPI document.")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", metavar="PATH")
    action.add_argument("--check", metavar="PATH")
    args = parser.parse_args(argv)
    text = render()
    if args.write:
        Path(args.write).write_text(text, encoding="utf-8")
        print(f"wrote {args.write}")
        return 0
    path = Path(args.check)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        print(f"{path} differs from the server: run --write {path}", file=sys.stderr)
        return 1
    print(f"{path} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
