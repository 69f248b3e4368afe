"""How checkpoints are serialised: :class:`SerializerProtocol` and the default :class:`JsonSerializer`.

JSON for JSON values and a tagged JSON form for the rest (bytes, tuples, sets,
dates, decimals, enums, dataclasses, pydantic models...); nothing is unpickled
unless pickle was opted into. Re-exported by :mod:`flowc.runtime.checkpoint`.
Standard library only.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as _dt
import decimal
import enum
import json
import sys
import uuid
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable


class CheckpointSerializationError(ValueError):
    """A value of a checkpoint or write could not be encoded or decoded.

    The message names the channel, the checkpoint and, inside the value, the
    path to the part that failed (``messages[3].content``).
    """


@runtime_checkable
class SerializerProtocol(Protocol):
    """Turns a value into ``(type tag, bytes)`` and back (LangGraph's typed shape)."""

    def dumps_typed(self, obj: Any) -> tuple[str, bytes]:
        """Encode ``obj``; raise ``TypeError`` (with the path) when it cannot be."""
        ...

    def loads_typed(self, data: tuple[str, bytes]) -> Any:
        """Decode what :meth:`dumps_typed` gave."""
        ...


_TAG = "__flowc__"


class _Unencodable(TypeError):
    def __init__(self, path: str, value: object) -> None:
        self.path = path
        self.value = value
        super().__init__(
            f"at {path}: a value of type {type(value).__module__}.{type(value).__qualname__} "
            "cannot be stored (JSON values, tuples, sets, bytes, datetimes, UUIDs, Decimals, "
            "enums, dataclasses and pydantic models can; pickle is opt-in: "
            "JsonSerializer(pickle_fallback=True))"
        )


def _is_pydantic_model(obj: object) -> bool:
    return hasattr(type(obj), "model_fields") and hasattr(obj, "model_dump")


class JsonSerializer:
    """JSON for JSON values; a tagged JSON form for the rest; pickle only when asked.

    A value made only of ``dict`` (string keys), ``list``, ``str``, ``int``,
    ``float``, ``bool`` and ``None`` is stored as plain JSON (type ``"json"``),
    so a checkpoint can be read with any JSON tool. Tuples, named tuples, sets,
    bytes, datetimes, UUIDs, Decimals, enums, dataclasses and pydantic models are
    stored as JSON objects tagged ``{"__flowc__": kind, ...}`` (type
    ``"json+typed"``) and come back as their own types. A class is found by its
    module and name among the modules already imported: decoding never
    imports a module, so stored data cannot make code run.

    With ``pickle_fallback=True`` anything else is pickled (type ``"pickle"``);
    without it, such a value is an error naming where it is, and stored pickles
    are refused on load.
    """

    def __init__(self, *, pickle_fallback: bool = False) -> None:
        self.pickle_fallback = pickle_fallback

    def dumps_typed(self, obj: Any) -> tuple[str, bytes]:
        """Encode ``obj`` as ``("json" | "json+typed" | "bytes" | "pickle", data)``."""
        kind = type(obj)
        # most of a step's values and writes: a scalar, encoded as json.dumps would
        if kind is str:
            return "json", _quoted(obj).encode("utf-8")
        if kind is int:
            return "json", int.__repr__(obj).encode()
        if obj is None:
            return "json", b"null"
        if kind is bool:
            return "json", b"true" if obj else b"false"
        if isinstance(obj, bytes):
            return "bytes", obj
        if _is_plain(obj):
            # the common case, checked without building paths or a copy of the value
            return "json", plain_json(obj).encode("utf-8")
        typed = [False]
        try:
            tree = self._encode(obj, "$", typed)
        except _Unencodable:
            if not self.pickle_fallback:
                raise
            import pickle

            return "pickle", pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        return ("json+typed" if typed[0] else "json"), plain_json(tree).encode("utf-8")

    def loads_typed(self, data: tuple[str, bytes]) -> Any:
        """Decode what :meth:`dumps_typed` gave; refuses pickles unless opted into."""
        kind, payload = data
        if kind == "json":
            return json.loads(payload)
        if kind == "json+typed":
            return self._decode(json.loads(payload), "$")
        if kind == "bytes":
            return bytes(payload)
        if kind == "pickle":
            if not self.pickle_fallback:
                raise TypeError(
                    "the value is stored as a pickle, and loading pickles is off (unpickling "
                    "runs code); opt in with JsonSerializer(pickle_fallback=True)"
                )
            import pickle

            return pickle.loads(payload)
        if kind == "empty":
            raise TypeError("the value is an empty channel marker, not a value")
        raise TypeError(f"unknown stored type {kind!r} (written by another serializer?)")

    def _encode(self, obj: Any, path: str, typed: list[bool]) -> Any:
        if obj is None or type(obj) in (str, bool, int, float):
            return obj
        if type(obj) is list:
            return [self._encode(item, f"{path}[{i}]", typed) for i, item in enumerate(obj)]
        if type(obj) is dict:
            if all(type(key) is str for key in obj) and _TAG not in obj:
                return {
                    key: self._encode(value, f"{path}.{key}", typed) for key, value in obj.items()
                }
            typed[0] = True
            return {
                _TAG: "dict",
                "items": [
                    [
                        self._encode(key, f"{path}<key {i}>", typed),
                        self._encode(value, f"{path}[{key!r}]", typed),
                    ]
                    for i, (key, value) in enumerate(obj.items())
                ],
            }
        typed[0] = True
        if isinstance(obj, enum.Enum):
            return {
                _TAG: "enum",
                "cls": _class_path(type(obj)),
                "value": self._encode(obj.value, f"{path}.value", typed),
            }
        if type(obj) is tuple:
            return {
                _TAG: "tuple",
                "items": [self._encode(v, f"{path}[{i}]", typed) for i, v in enumerate(obj)],
            }
        if type(obj) in (set, frozenset):
            items = [self._encode(v, f"{path}<item>", typed) for v in obj]
            return {_TAG: type(obj).__name__, "items": items}
        if isinstance(obj, (bytes, bytearray)):
            return {_TAG: type(obj).__name__, "b64": base64.b64encode(bytes(obj)).decode("ascii")}
        if type(obj) is _dt.datetime:
            return {_TAG: "datetime", "iso": obj.isoformat()}
        if type(obj) is _dt.date:
            return {_TAG: "date", "iso": obj.isoformat()}
        if type(obj) is _dt.time:
            return {_TAG: "time", "iso": obj.isoformat()}
        if type(obj) is _dt.timedelta:
            return {_TAG: "timedelta", "args": [obj.days, obj.seconds, obj.microseconds]}
        if type(obj) is uuid.UUID:
            return {_TAG: "uuid", "hex": obj.hex}
        if type(obj) is decimal.Decimal:
            return {_TAG: "decimal", "str": str(obj)}
        if isinstance(obj, tuple) and hasattr(type(obj), "_fields"):
            names: tuple[str, ...] = getattr(type(obj), "_fields")  # noqa: B009
            return {
                _TAG: "namedtuple",
                "cls": _class_path(type(obj)),
                "fields": {
                    k: self._encode(v, f"{path}.{k}", typed)
                    for k, v in zip(names, obj, strict=True)
                },
            }
        if _is_pydantic_model(obj):
            fields = {name: getattr(obj, name) for name in type(obj).model_fields}
            # extra fields of a model with extra="allow" are part of its value too
            fields.update(getattr(obj, "model_extra", None) or {})
            return {
                _TAG: "pydantic",
                "cls": _class_path(type(obj)),
                "fields": {k: self._encode(v, f"{path}.{k}", typed) for k, v in fields.items()},
            }
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            fields = {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj) if f.init}
            return {
                _TAG: "dataclass",
                "cls": _class_path(type(obj)),
                "fields": {k: self._encode(v, f"{path}.{k}", typed) for k, v in fields.items()},
            }
        if isinstance(obj, str):
            # a str subclass (langchain's TextAccessor, a message's .text) is its text, as
            # LangGraph's msgpack stores it
            return str(obj)
        raise _Unencodable(path, obj)

    def _decode(self, tree: Any, path: str) -> Any:
        if isinstance(tree, list):
            return [self._decode(item, f"{path}[{i}]") for i, item in enumerate(tree)]
        if not isinstance(tree, dict):
            return tree
        kind = tree.get(_TAG)
        if kind is None:
            return {key: self._decode(value, f"{path}.{key}") for key, value in tree.items()}
        if kind == "dict":
            return {
                self._decode(key, f"{path}<key>"): self._decode(value, f"{path}[{key!r}]")
                for key, value in tree["items"]
            }
        if kind == "tuple":
            return tuple(self._decode(v, path) for v in tree["items"])
        if kind == "set":
            return {self._decode(v, path) for v in tree["items"]}
        if kind == "frozenset":
            return frozenset(self._decode(v, path) for v in tree["items"])
        if kind in ("bytes", "bytearray"):
            raw = base64.b64decode(tree["b64"])
            return raw if kind == "bytes" else bytearray(raw)
        if kind == "datetime":
            return _dt.datetime.fromisoformat(tree["iso"])
        if kind == "date":
            return _dt.date.fromisoformat(tree["iso"])
        if kind == "time":
            return _dt.time.fromisoformat(tree["iso"])
        if kind == "timedelta":
            return _dt.timedelta(*tree["args"])
        if kind == "uuid":
            return uuid.UUID(hex=tree["hex"])
        if kind == "decimal":
            return decimal.Decimal(tree["str"])
        if kind == "enum":
            return _loaded_class(tree["cls"], path, kind)(self._decode(tree["value"], path))
        if kind in ("pydantic", "dataclass", "namedtuple"):
            cls = _loaded_class(tree["cls"], path, kind)
            fields = {k: self._decode(v, f"{path}.{k}") for k, v in tree["fields"].items()}
            if kind == "pydantic":
                return cls.model_validate(fields)
            return cls(**fields)
        raise TypeError(f"at {path}: unknown tagged kind {kind!r}")


def _plain_encoder() -> Callable[[Any, int], list[str]] | None:
    """The C encoder of ``json.dumps(..., ensure_ascii=False, separators=(",", ":"))``,
    made once (``json.dumps`` with arguments makes a new ``JSONEncoder`` per call)."""
    made = json.encoder.c_make_encoder  # type: ignore[attr-defined]
    if made is None:
        return None
    # no check for cycles: it is given values checked plain, trees made here and the
    # engine's own checkpoint bodies, none of which can hold one
    encoder: Callable[[Any, int], list[str]] = made(
        None, json.JSONEncoder().default, _quoted, None, ":", ",", False, False, True
    )
    return encoder


_quoted: Callable[[str], str] = json.encoder.encode_basestring
"""A string as JSON (``ensure_ascii=False``), quoted: the C function where it is built."""
_C_PLAIN = _plain_encoder()


def plain_json(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, separators=(",", ":"))`` of a value made of
    JSON types only (no cycles), without making an encoder for each value."""
    if _C_PLAIN is None:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=True)
    return "".join(_C_PLAIN(value, 0))


def _is_plain(obj: Any) -> bool:
    """Whether ``obj`` is made only of JSON types (so ``json.dumps`` round-trips it exactly)."""
    kind = type(obj)
    if kind is str or kind is int or kind is float or kind is bool or obj is None:
        return True
    if kind is list:
        return all(map(_is_plain, obj))
    if kind is dict:
        return (
            _TAG not in obj
            and all(type(key) is str for key in obj)
            and all(map(_is_plain, obj.values()))
        )
    return False


def _class_path(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


_KIND_CHECKS: dict[str, Any] = {
    "enum": lambda cls: issubclass(cls, enum.Enum),
    "dataclass": dataclasses.is_dataclass,
    "namedtuple": lambda cls: issubclass(cls, tuple) and hasattr(cls, "_fields"),
    "pydantic": lambda cls: hasattr(cls, "model_fields") and hasattr(cls, "model_validate"),
}


def _loaded_class(name: str, path: str, kind: str) -> Any:
    module_name, _, qualname = name.partition(":")
    module = sys.modules.get(module_name)
    target: Any = module
    for part in qualname.split("."):
        target = getattr(target, part, None) if target is not None else None
    if not isinstance(target, type):
        raise TypeError(
            f"at {path}: the stored value is a {name}, and that class is not loaded "
            f"(import {module_name} before reading the checkpoint; decoding never imports)"
        )
    # stored data names the class it is built with: only a class of the kind the codec
    # writes may be, so that a stored name cannot call any other loaded class
    if not _KIND_CHECKS[kind](target):
        raise TypeError(f"at {path}: the stored value names {name}, which is not a {kind} class")
    return target


def encode_value(
    serde: SerializerProtocol, value: Any, *, channel: str, checkpoint_id: str
) -> tuple[str, bytes]:
    """``serde.dumps_typed(value)``, or an error naming the channel and the checkpoint."""
    try:
        return serde.dumps_typed(value)
    except Exception as exc:
        raise CheckpointSerializationError(
            f"cannot encode channel {channel!r} of checkpoint {checkpoint_id}: {exc}"
        ) from exc


def decode_value(
    serde: SerializerProtocol, data: tuple[str, bytes], *, channel: str, checkpoint_id: str
) -> Any:
    """``serde.loads_typed(data)``, or an error naming the channel and the checkpoint."""
    try:
        return serde.loads_typed(data)
    except Exception as exc:
        raise CheckpointSerializationError(
            f"cannot decode channel {channel!r} of checkpoint {checkpoint_id}: {exc}"
        ) from exc


def encode_json(value: Any, *, what: str, checkpoint_id: str) -> str:
    """Plain JSON for a checkpoint's bookkeeping (versions, metadata), or a clear error."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise CheckpointSerializationError(
            f"cannot encode the {what} of checkpoint {checkpoint_id} as JSON: {exc}"
        ) from exc
