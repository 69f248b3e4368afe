"""Which checkpoint codec stores each state field, decided from its declared type.

Takes a resolved type (the object a spec's type expression names) and gives
the codec a checkpoint stores its values with:

- ``"json"``: plain JSON (strings, numbers, booleans, ``None``, lists, dicts
  with string keys, TypedDicts and ``Literal`` s of those), readable in SQL;
- ``"typed"``: flowc's tagged JSON, which brings back tuples, sets, bytes,
  dates and times, UUIDs, Decimals, enums, named tuples, dataclasses and
  pydantic models as their own types;
- ``"value"``: decided per value when it is stored (``Any``, ``object``, a
  bare ``list``, an abstract ``Sequence``: the type does not say);
- ``None``: no codec can store it (a plain class, a callable, a file...):
  such a field needs the pickle fallback (``[graph] checkpoints = "pickle"``)
  on a graph that keeps checkpoints.

Pure: it reads types, imports nothing and runs no user code.
"""

from __future__ import annotations

import collections.abc as cabc
import dataclasses
import datetime as _dt
import decimal
import enum
import types
import typing
import uuid
from typing import Any, Literal

__all__ = ["Codec", "codec_of", "unstorable_part"]

Codec = Literal["json", "typed", "value"]

_JSON_SCALARS = (str, int, float, bool, type(None))
_TYPED_SCALARS = (
    bytes,
    bytearray,
    _dt.datetime,
    _dt.date,
    _dt.time,
    _dt.timedelta,
    uuid.UUID,
    decimal.Decimal,
)
_ABSTRACT = (
    cabc.Sequence,
    cabc.MutableSequence,
    cabc.Mapping,
    cabc.MutableMapping,
    cabc.Set,
    cabc.MutableSet,
    cabc.Collection,
    cabc.Iterable,
)
_RANK = {"json": 0, "typed": 1, "value": 2}
_WRAPPERS = (typing.Annotated, typing.NotRequired, typing.Required, typing.Final, typing.ClassVar)


def codec_of(tp: Any) -> Codec | None:
    """The codec that stores values of ``tp``; ``None`` when none can (see the module)."""
    return _codec(tp, set())[0]


def unstorable_part(tp: Any) -> str | None:
    """The part of ``tp`` no codec can store (``Conn``, ``list[Conn]``'s ``Conn``), if any."""
    return _codec(tp, set())[1]


def _worst(parts: list[tuple[Codec | None, str | None]]) -> tuple[Codec | None, str | None]:
    for codec, part in parts:
        if codec is None:
            return None, part
    if not parts:
        return "json", None
    return max((codec for codec, _ in parts), key=lambda c: _RANK[c or "json"]), None


def _name(tp: Any) -> str:
    return getattr(tp, "__qualname__", None) or repr(tp)


def _codec(tp: Any, seen: set[int]) -> tuple[Codec | None, str | None]:
    if tp is Any or tp is object or isinstance(tp, (typing.TypeVar, typing.ForwardRef, str)):
        return "value", None
    if tp is None or tp is type(None):
        return "json", None
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in _WRAPPERS:
        return _codec(args[0], seen)
    if origin is Literal:
        plain = all(type(arg) in (str, int, bool) or arg is None for arg in args)
        return ("json" if plain else "typed"), None
    if origin is typing.Union or origin is types.UnionType:
        return _worst([_codec(arg, seen) for arg in args])
    if origin in (list, dict):
        if not args:
            return "value", None
        inner = _worst([_codec(arg, seen) for arg in args])
        if inner[0] is None:
            return inner
        if origin is dict and args[0] is not str:
            return "typed", None
        return inner
    if origin in (tuple, set, frozenset):
        inner = _worst([_codec(arg, seen) for arg in args if arg is not Ellipsis])
        return (None, inner[1]) if inner[0] is None else ("typed", None)
    if origin is not None:
        if origin in _ABSTRACT:
            inner = _worst([_codec(arg, seen) for arg in args])
            return (None, inner[1]) if inner[0] is None else ("value", None)
        if origin is type or origin in (cabc.Callable, cabc.Iterator, cabc.Generator):
            return None, _name(tp)
        return _codec(origin, seen)
    if tp in (list, dict):
        return "value", None
    if tp in (tuple, set, frozenset):
        return "typed", None
    if tp in _ABSTRACT:
        return "value", None
    if not isinstance(tp, type):
        return None, repr(tp)
    if issubclass(tp, enum.Enum):
        return "typed", None
    if tp in _JSON_SCALARS:
        return "json", None
    if issubclass(tp, _TYPED_SCALARS):
        return "typed", None
    if id(tp) in seen:
        # a recursive type: its other parts decide
        return "json", None
    if issubclass(tp, dict) and hasattr(tp, "__total__"):
        # a TypedDict (typing's or typing_extensions')
        return _fields_codec(tp, seen, "json")
    if issubclass(tp, tuple) and hasattr(tp, "_fields"):
        return _fields_codec(tp, seen, "typed")
    if dataclasses.is_dataclass(tp):
        return _fields_codec(tp, seen, "typed")
    if hasattr(tp, "model_fields") and hasattr(tp, "model_validate"):
        return _pydantic_codec(tp, seen)
    return None, _name(tp)


def _hints(tp: type) -> dict[str, Any]:
    try:
        return typing.get_type_hints(tp, include_extras=True)
    except Exception:
        # an annotation that does not resolve: its values are decided one by one
        return {}


def _fields_codec(tp: type, seen: set[int], least: Codec) -> tuple[Codec | None, str | None]:
    seen = {*seen, id(tp)}
    parts = [_codec(hint, seen) for hint in _hints(tp).values()]
    found = _worst(parts)
    if found[0] is None:
        return found
    return max((found[0], least), key=lambda c: _RANK[c or "json"]), None


def _pydantic_codec(tp: type, seen: set[int]) -> tuple[Codec | None, str | None]:
    seen = {*seen, id(tp)}
    fields: dict[str, Any] = getattr(tp, "model_fields", {})
    parts = [_codec(getattr(info, "annotation", Any), seen) for info in fields.values()]
    found = _worst(parts)
    return found if found[0] is None else ("typed", None)
