"""JSON Schema of a graph's input, state, updates and stream events: ``flowc schema``'s back end.

Takes a checked graph and its runner module (the types come from the
generated code itself, so the schema says what the runner does), gives one
JSON Schema document (draft 2020-12). The document validates one line of
``flowc run --format jsonl``; its ``$defs`` name the pieces a front end needs:
``<Graph>Input``, ``<Graph>Values`` (the state as ``values`` events show it),
``<Graph>Update``, ``<Node>Update`` for every node, ``<Graph>Custom`` and one
definition per event type (``ValuesEvent``, ``UpdatesEvent``...). Subgraphs'
types are included, since ``--subgraphs`` streams their events too.
"""

from __future__ import annotations

import inspect
import sys
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any

import typing_extensions
from pydantic import TypeAdapter
from pydantic.errors import PydanticUserError
from pydantic.json_schema import JsonSchemaMode

from flowc.dsl.graph import CheckedGraph
from flowc.dsl.names import camel
from flowc.runtime import MessageMetadata

__all__ = ["graph_schema"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_REF = "#/$defs/{model}"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


_WRAPPERS = frozenset(("Required", "NotRequired", "ReadOnly"))
_SCALARS: dict[Any, str] = {str: "string", int: "integer", float: "number", bool: "boolean"}


def _wrapper(origin: Any) -> str | None:
    """``NotRequired`` / ``Required`` / ``ReadOnly`` (typing's or typing_extensions')."""
    name = getattr(origin, "_name", None) or getattr(origin, "__name__", None)
    return name if name in _WRAPPERS else None


class _Defs:
    """Collects ``$defs`` while turning Python types into JSON Schema.

    TypedDicts (which the generated types modules are made of) and the typing
    forms around them are converted here; other classes (pydantic models,
    dataclasses, messages) are described by pydantic.
    """

    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def add_type(
        self, name: str, tp: Any, mode: JsonSchemaMode = "serialization"
    ) -> dict[str, str]:
        """Define ``name`` as the schema of Python type ``tp``; returns a ``$ref`` to it."""
        if name not in self.defs:
            if typing_extensions.is_typeddict(tp):
                self._typed_dict(tp, name, mode)
            else:
                schema = self.schema(tp, mode)
                self.defs[name] = (
                    {"title": name, **schema} if "$ref" not in schema else {"allOf": [schema]}
                )
        return _ref(name)

    def schema(self, tp: Any, mode: JsonSchemaMode = "serialization") -> dict[str, Any]:
        """The schema of ``tp`` (definitions it needs go to ``$defs``)."""
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if tp is Any or tp is object:
            return {}
        if tp is None or tp is type(None):
            return {"type": "null"}
        if tp in _SCALARS:
            return {"type": _SCALARS[tp]}
        if origin is typing.Annotated or _wrapper(origin):
            return self.schema(args[0], mode)
        if typing_extensions.is_typeddict(tp):
            return self.add_type(tp.__name__, tp, mode)
        if origin in (typing.Union, types.UnionType):
            return {"anyOf": [self.schema(a, mode) for a in args]}
        if origin is typing.Literal:
            return {"enum": list(args)}
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                return {"type": "array", "items": self.schema(args[0], mode)}
            if args:
                items = [self.schema(a, mode) for a in args]
                return {
                    "type": "array",
                    "prefixItems": items,
                    "minItems": len(items),
                    "maxItems": len(items),
                }
            return {"type": "array"}
        if isinstance(origin, type) and issubclass(origin, dict | Mapping):
            values = self.schema(args[1], mode) if len(args) == 2 else {}
            return {"type": "object", "additionalProperties": values}
        if isinstance(origin, type) and issubclass(origin, list | set | frozenset | Sequence):
            return {"type": "array", "items": self.schema(args[0], mode) if args else {}}
        return self._pydantic(tp, mode)

    def _typed_dict(self, tp: Any, name: str, mode: JsonSchemaMode) -> None:
        self.defs[name] = {}  # a placeholder, so that recursive types end
        hints = typing_extensions.get_type_hints(tp, include_extras=True)
        total = getattr(tp, "__total__", True)
        properties: dict[str, Any] = {}
        required: list[str] = []
        for key, hint in hints.items():
            wrappers: set[str] = set()
            inner = hint
            while (wrapper := _wrapper(typing.get_origin(inner))) is not None:
                wrappers.add(wrapper)
                inner = typing.get_args(inner)[0]
            properties[key] = self.schema(inner, mode)
            if "Required" in wrappers or (total and "NotRequired" not in wrappers):
                required.append(key)
        schema: dict[str, Any] = {"title": name}
        doc = inspect.getdoc(tp)
        if doc and doc != inspect.getdoc(dict):
            schema["description"] = doc
        schema["type"] = "object"
        schema["properties"] = properties
        if required:
            schema["required"] = required
        self.defs[name] = schema

    def _pydantic(self, tp: Any, mode: JsonSchemaMode) -> dict[str, Any]:
        try:
            schema = TypeAdapter(tp).json_schema(mode=mode, ref_template=_REF)
        except (PydanticUserError, TypeError, NameError, ValueError) as exc:
            # A type pydantic cannot describe (an arbitrary class) still appears
            # in the stream, as its repr: say so rather than fail.
            return {
                "description": f"{getattr(tp, '__name__', tp)}: not describable as JSON Schema "
                f"({type(exc).__name__}); sent as its repr when it is not JSON."
            }
        for key, value in schema.pop("$defs", {}).items():
            self.defs.setdefault(key, value)
        return schema


def _runner_types(graph: CheckedGraph, module: types.ModuleType) -> dict[str, Any]:
    """The Python types a graph's runner streams, read off the generated module."""
    prefix = camel(graph.name)
    types_module = sys.modules[f"{module.__package__}.{graph.name}_types"]
    updates: dict[str, Any] = {}
    union = getattr(module, f"{prefix}UpdatesEvent")
    for cls in typing.get_args(union) or (union,):
        if not isinstance(cls, type):
            # an interrupting graph's updates also stream its interrupt and the writes a
            # resumed superstep hands back (generic aliases, not a node's event class)
            continue
        node_lit, update = typing.get_args(cls.__orig_bases__[0])  # type: ignore[attr-defined]
        (node,) = typing.get_args(node_lit)
        updates[node] = update
    (custom,) = typing.get_args(getattr(module, f"{prefix}CustomEvent"))
    return {
        "input": getattr(types_module, f"{prefix}Input"),
        "values": getattr(types_module, f"{prefix}Values"),
        "update": getattr(types_module, f"{prefix}Update"),
        "custom": custom,
        "updates": updates,
    }


def _event(
    mode: str, root: dict[str, Any], nested: dict[str, Any], description: str
) -> dict[str, Any]:
    """An event line: ``data`` is ``root`` for the root graph's events, else ``nested``."""
    schema: dict[str, Any] = {
        "type": "object",
        "description": description,
        "properties": {"type": {"const": mode}, "ns": _ref("Namespace"), "data": {}},
        "required": ["type", "ns", "data"],
        "additionalProperties": False,
    }
    if root == nested:
        schema["properties"]["data"] = root
    else:
        schema["if"] = {"properties": {"ns": {"maxItems": 0}}}
        schema["then"] = {"properties": {"data": root}}
        schema["else"] = {"properties": {"data": nested}}
    return schema


def _updates(nodes: list[tuple[str, dict[str, str]]]) -> dict[str, Any]:
    """``{node: update}`` for one of ``nodes``."""
    options = [
        {
            "type": "object",
            "properties": {node: {"anyOf": [ref, {"type": "null"}]}},
            "required": [node],
            "additionalProperties": False,
        }
        for node, ref in nodes
    ]
    if not options:
        return {"type": "object", "maxProperties": 1}
    return options[0] if len(options) == 1 else {"oneOf": options}


_ANY_UPDATE: dict[str, Any] = {"type": "object", "minProperties": 1, "maxProperties": 1}


def graph_schema(graph: CheckedGraph, module: types.ModuleType) -> dict[str, Any]:
    """The JSON Schema document of ``graph`` (see the module docstring).

    Events of the root graph (``ns == []``) are described exactly. Nested events
    may come from the graph's subgraphs, whose types are included, but also from
    graphs that a node runs from its own code, which no spec names: their
    ``data`` is described loosely.
    """
    defs = _Defs()
    graphs = graph.tree()
    root_nodes: list[tuple[str, dict[str, str]]] = []
    nested_nodes: list[tuple[str, dict[str, str]]] = []
    values: list[dict[str, Any]] = []
    customs: list[dict[str, Any]] = []
    for g in graphs:
        found = _runner_types(g, sys.modules[f"{module.__package__}.{g.name}"])
        prefix = camel(g.name)
        defs.add_type(f"{prefix}Input", found["input"], "validation")
        values.append(defs.add_type(f"{prefix}Values", found["values"]))
        defs.add_type(f"{prefix}Update", found["update"])
        customs.append(defs.add_type(f"{prefix}Custom", found["custom"]))
        for node, update in found["updates"].items():
            name = getattr(update, "__name__", f"{camel(node)}Update")
            if name in defs.defs and defs.defs[name].get("title") != name:
                name = f"{camel(node)}Update"
            ref = defs.add_type(name, update)
            (root_nodes if g is graph else nested_nodes).append((node, ref))
    root = camel(graph.name)
    d = defs.defs
    d["Namespace"] = {
        "type": "array",
        "items": {"type": "string"},
        "description": "The path from the root graph: `node:<task id>` segments; [] for the root.",
    }
    d["Error"] = {
        "type": "object",
        "properties": {"type": {"type": "string"}, "message": {"type": "string"}},
        "required": ["type", "message"],
    }
    d["Message"] = {
        "type": "object",
        "description": "A chat message or message chunk (LangChain's fields: type, content, id...).",
        "properties": {
            "type": {"type": "string"},
            "content": {},
            "id": {"type": ["string", "null"]},
        },
        "required": ["content"],
    }
    defs.add_type("MessageMetadata", MessageMetadata)
    d["TaskStart"] = {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "input": {},
            "triggers": {"type": "array", "items": {"type": "string"}},
            "metadata": {"type": "object"},
        },
        "required": ["id", "name", "input", "triggers"],
        "additionalProperties": False,
    }
    d["TaskResult"] = {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "error": {"anyOf": [{"type": "null"}, _ref("Error")]},
            "result": {"type": "object"},
            "interrupts": {"type": "array"},
        },
        "required": ["id", "name", "error", "result", "interrupts"],
        "additionalProperties": False,
    }
    d["NodeName"] = {
        "enum": [node for node, _ in root_nodes],
        "description": f"A node of graph {graph.name!r}.",
    }
    task = {"oneOf": [_ref("TaskStart"), _ref("TaskResult")]}
    root_task = {"allOf": [task, {"properties": {"name": _ref("NodeName")}}]}
    d["ValuesEvent"] = _event(
        "values",
        values[0],
        {"anyOf": [*values[1:], {"type": "object"}]},
        "The state after a superstep.",
    )
    d["UpdatesEvent"] = _event(
        "updates",
        _updates(root_nodes),
        {"anyOf": [*([_updates(nested_nodes)] if nested_nodes else []), _ANY_UPDATE]},
        "What one node wrote.",
    )
    d["CustomEvent"] = _event("custom", customs[0], {}, "What a node passed to its stream writer.")
    messages = {
        "type": "array",
        "prefixItems": [_ref("Message"), _ref("MessageMetadata")],
        "minItems": 2,
        "maxItems": 2,
    }
    d["MessagesEvent"] = _event(
        "messages",
        messages,
        messages,
        "A model token, a whole model reply, or a message a node returned: [message, metadata].",
    )
    d["TasksEvent"] = _event(
        "tasks", root_task, task, "A task starts, or a task finished (with its writes or error)."
    )

    def debug(payload: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {
                "step": {"type": "integer"},
                "timestamp": {"type": "string", "format": "date-time"},
                "type": {"enum": ["task", "task_result"]},
                "payload": payload,
            },
            "required": ["step", "timestamp", "type", "payload"],
            "additionalProperties": False,
        }

    d["DebugEvent"] = _event(
        "debug", debug(root_task), debug(task), "A task event with its step and a UTC timestamp."
    )
    error = {
        "type": "object",
        "properties": {
            "node": {"type": ["string", "null"]},
            "step": {"type": ["integer", "null"]},
            "error": {"type": "string"},
            "message": {"type": "string"},
        },
        "required": ["node", "step", "error", "message"],
        "additionalProperties": False,
    }
    d["ErrorEvent"] = _event(
        "error",
        error,
        error,
        "The run failed (the last line): the node, its step and the exception, when known.",
    )
    events = (
        "ValuesEvent",
        "UpdatesEvent",
        "CustomEvent",
        "MessagesEvent",
        "TasksEvent",
        "DebugEvent",
        "ErrorEvent",
    )
    return {
        "$schema": DRAFT,
        "title": f"{root} stream event",
        "description": (
            f"One line of `flowc run --format jsonl` for graph {graph.name!r}. "
            f"The input is $defs/{root}Input, the state $defs/{root}Values, "
            f"a node's update $defs/<Node>Update."
        ),
        "oneOf": [_ref(name) for name in events],
        "$defs": dict(sorted(d.items())),
    }
