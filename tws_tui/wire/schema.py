"""JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) of the wire types.

Owns :class:`SchemaBuilder`: from the type hints of the model and body classes it builds one
named schema per class (``#/components/schemas/<Name>``) and inline schemas for the rest,
following exactly the rules of :mod:`tws_tui.wire.codec`. Request bodies are closed
(``additionalProperties: false``: the server refuses unknown members); responses and events
are open, as protocol v1 only ever adds members.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Union

from tws_tui.wire.codec import hints

REF_PREFIX = "#/components/schemas/"


class SchemaBuilder:
    """Collects the named schemas of every class it is asked about."""

    def __init__(self) -> None:
        self.components: dict[str, dict[str, Any]] = {}
        self.closed: set[str] = set()

    def ref(self, cls: type, *, closed: bool = False) -> dict[str, Any]:
        """A ``$ref`` to ``cls``'s schema (built on first use)."""
        name = cls.__name__
        if closed:
            self.closed.add(name)
        if name not in self.components:
            self.components[name] = {}  # reserve: recursive types stop here
            self.components[name] = self._object(cls, closed)
        return {"$ref": REF_PREFIX + name}

    def schema(self, tp: Any) -> dict[str, Any]:
        """The schema of any wire type."""
        origin = typing.get_origin(tp)
        if tp is Any:
            return {}
        if tp is type(None):
            return {"type": "null"}
        if origin in (Union, types.UnionType):
            options = [self.schema(arg) for arg in typing.get_args(tp)]
            return {"anyOf": options}
        if isinstance(tp, typing.NewType):
            return self.schema(tp.__supertype__)
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return self.ref_enum(tp)
        simple = {bool: "boolean", int: "integer", float: "number", str: "string"}
        if tp in simple:
            return {"type": simple[tp]}
        if tp is datetime:
            return {"type": "string", "format": "date-time"}
        if origin in (tuple, list, frozenset, set):
            args = typing.get_args(tp)
            if origin is tuple and args and not (len(args) == 2 and args[1] is Ellipsis):
                items = [self.schema(arg) for arg in args]
                return {
                    "type": "array",
                    "prefixItems": items,
                    "minItems": len(items),
                    "maxItems": len(items),
                }
            out: dict[str, Any] = {"type": "array", "items": self.schema(args[0] if args else Any)}
            if origin in (frozenset, set):
                out["uniqueItems"] = True
            return out
        if origin in (dict, Mapping):
            key, value = typing.get_args(tp)
            out = {"type": "object", "additionalProperties": self.schema(value)}
            if isinstance(key, type) and issubclass(key, enum.Enum):
                out["propertyNames"] = self.ref_enum(key)
            return out
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            return self.ref(tp)
        raise TypeError(f"no schema for {tp!r}")

    def ref_enum(self, cls: type[enum.Enum]) -> dict[str, Any]:
        name = cls.__name__
        if name not in self.components:
            self.components[name] = {"type": "string", "enum": [m.value for m in cls]}
        return {"$ref": REF_PREFIX + name}

    def _object(self, cls: type, closed: bool) -> dict[str, Any]:
        types_ = hints(cls)
        properties: dict[str, Any] = {}
        required: list[str] = []
        for spec in dataclasses.fields(cls):
            if not spec.init:
                continue
            properties[spec.name] = self.schema(types_[spec.name])
            no_default = spec.default is dataclasses.MISSING
            if no_default and spec.default_factory is dataclasses.MISSING:
                required.append(spec.name)
        out: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            out["required"] = required
        doc = (cls.__doc__ or "").strip()
        if doc and doc != cls.__name__ and not doc.startswith(f"{cls.__name__}("):
            out["description"] = " ".join(doc.split())
        if closed:
            out["additionalProperties"] = False
        return out
