"""A checked graph as canonical JSON: equal content, equal text, in any process.

Takes a :class:`~flowc.dsl.graph.CheckedGraph`; gives one line of JSON that
holds everything code generation reads from it: every field of the frozen
IR, subgraphs included, and what the generator looks up on the user's
objects (a function's name and parameters, a dataclass's fields and which of
them have defaults). Objects are written by what they are (``module:qualname``,
their parameters, a type's arguments), never by identity: no address, no
``id``, so two processes that check the same spec write the same text, and a
change that alters the generated code alters the text. The run cache keys on
it (:func:`flowc.cache.cache_key`).
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import typing
from typing import Any

from .graph import CheckedGraph

__all__ = ["canonical_json"]

_SKIPPED = {("CheckedGraph", "spec")}
"""Fields left out: the spec is in the graph's ``digest``, and every fact taken from it is
elsewhere in the IR."""


def canonical_json(graph: CheckedGraph) -> str:
    """The canonical JSON text of ``graph`` (see the module docstring)."""
    return json.dumps(_data(graph), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _data(value: Any) -> Any:
    """``value`` as JSON data: the IR's dataclasses field by field, objects by :func:`_thing`."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, tuple | list):
        return [_data(v) for v in value]
    if isinstance(value, frozenset | set):
        items = [_data(v) for v in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, dict):
        return {str(k): _data(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        out: dict[str, Any] = {"": name}
        for f in dataclasses.fields(value):
            if (name, f.name) not in _SKIPPED:
                out[f.name] = _thing(getattr(value, f.name))
        return out
    return _thing(value)


def _thing(value: Any, depth: int = 0) -> Any:
    """A user's object (a function, a class, a type expression) by what it is."""
    if depth > 20:
        return "..."  # a type that contains itself: what is above already tells it apart
    if value is None or isinstance(
        value, bool | int | float | str | tuple | list | frozenset | set
    ):
        return _data(value)
    if isinstance(value, dict):
        return _data(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _data(value)
    origin = typing.get_origin(value)
    if origin is not None:
        args = [_thing(a, depth + 1) for a in typing.get_args(value)]
        return {"origin": _thing(origin, depth + 1), "args": args}
    if isinstance(value, type):
        out: dict[str, Any] = {"class": _qualified(value)}
        if dataclasses.is_dataclass(value):
            out["fields"] = [
                [
                    f.name,
                    f.default is not dataclasses.MISSING,
                    f.default_factory is not dataclasses.MISSING,
                ]
                for f in dataclasses.fields(value)
            ]
        return out
    if callable(value):
        return {
            "callable": _qualified(value),
            "name": str(getattr(value, "__name__", "")),
            "parameters": _parameters(value, depth),
        }
    if isinstance(value, typing.TypeVar):
        return {"typevar": value.__name__}
    if isinstance(value, typing.ForwardRef):
        return {"forward": value.__forward_arg__}
    if all("__repr__" not in vars(c) for c in type(value).__mro__[:-1]):
        return {"object": _qualified(type(value))}  # its repr would be its address
    return {"object": _qualified(type(value)), "repr": repr(value)}


def _qualified(obj: Any) -> str:
    if not hasattr(obj, "__qualname__") and not hasattr(obj, "__name__"):
        obj = type(obj)  # a callable object: by its class
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    return f"{module}:{qualname}"


def _parameters(fn: Any, depth: int) -> list[Any] | None:
    """Each parameter's name, kind, whether it has a default, and its annotation."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    out: list[Any] = []
    for p in sig.parameters.values():
        ann = None if p.annotation is p.empty else _thing(p.annotation, depth + 1)
        out.append([p.name, p.kind.name, p.default is not p.empty, ann])
    ret = sig.return_annotation
    out.append(["return", None, False, None if ret is sig.empty else _thing(ret, depth + 1)])
    return out
