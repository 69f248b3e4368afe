"""Type rules: how the checker compares, reads and writes the user's types.

Takes resolved type objects (from annotations and type expressions); gives
whether one fits another (:func:`compatible`, lenient where it cannot tell),
the code and imports that name a type in generated code (:func:`type_code`),
and what a type says to the checker: the fields of a state class, the reducer
in an ``Annotated``, the node names of a ``Literal`` or a ``Command``. Pure:
nothing here reports a diagnostic; the passes do, with what these return.
"""

from __future__ import annotations

import collections.abc as abc
import dataclasses
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any, Literal, get_args, get_origin

import typing_extensions

from ..runtime.channels import is_untracked
from .types import Import, TypeRef, import_of
from .usercode import positional_parameters, resolve_annotations

__all__ = [
    "KEY_QUALIFIERS",
    "code_name",
    "command_destinations",
    "compatible",
    "is_command",
    "is_pydantic",
    "is_send",
    "is_typeddict",
    "is_union",
    "reducer_of",
    "router_literals",
    "send_targets",
    "show_type",
    "strip_qualifiers",
    "type_code",
    "typed_fields",
    "untracked_of",
    "unwrap",
    "update_type",
    "value_fits",
    "zero_code",
]


KEY_QUALIFIERS = (typing.Required, typing.NotRequired, typing_extensions.ReadOnly)
"""What may wrap a TypedDict key's type (typing's or typing_extensions', the same on 3.11 but
``ReadOnly``)."""


def unwrap(tp: Any) -> Any:
    """Strip ``Annotated``, ``Required``, ``NotRequired`` and ``ReadOnly``."""
    while True:
        origin = get_origin(tp)
        if origin is typing.Annotated or origin in KEY_QUALIFIERS:
            tp = get_args(tp)[0]
        else:
            return tp


def is_union(tp: Any) -> bool:
    """``A | B`` or ``Union[A, B]``."""
    return get_origin(tp) in (typing.Union, types.UnionType)


def is_command(tp: Any) -> bool:
    """Whether ``tp`` is ``Command`` or ``Command[...]`` (flowc's or LangGraph's)."""
    return _is_control(tp, "Command")


def is_send(tp: Any) -> bool:
    """Whether ``tp`` is ``Send`` or ``Send[...]`` (flowc's or LangGraph's)."""
    return _is_control(tp, "Send")


def _is_control(tp: Any, name: str) -> bool:
    """Whether ``tp`` (or its origin, when subscripted) is the class ``name`` of flowc's or
    LangGraph's, by its name: either package's, whichever module defines it."""
    origin = get_origin(tp) or tp
    return (
        isinstance(origin, type)
        and origin.__name__ == name
        and origin.__module__.startswith(("flowc.", "langgraph."))
    )


def send_targets(tp: Any) -> list[tuple[str, Any]]:
    """Each ``(node, argument type)`` a router's ``Send[Literal["node"], T]`` annotation names.

    Found in unions and in ``list`` / ``tuple`` / ``Sequence`` items; a bare
    ``Send`` (or one whose node is not a ``Literal``) names nothing.
    """
    tp = unwrap(tp)
    if is_send(tp):
        args = get_args(tp)
        if len(args) == 2 and get_origin(args[0]) is Literal:
            return [(str(name), args[1]) for name in get_args(args[0])]
        return []
    if is_union(tp) or get_origin(tp) in (list, tuple, Sequence, abc.Sequence):
        return [found for arg in get_args(tp) for found in send_targets(arg)]
    return []


def command_destinations(tp: Any) -> list[str]:
    """The node names of ``Command[Literal["a", "b"]]`` (none for a bare ``Command``)."""
    out: list[str] = []
    for arg in get_args(tp):
        for option in get_args(arg) if is_union(arg) else [arg]:
            if get_origin(option) is Literal:
                out.extend(str(v) for v in get_args(option))
    return out


def is_typeddict(tp: Any) -> bool:
    """A TypedDict class, ``typing``'s or ``typing_extensions``'."""
    # typing_extensions.TypedDict classes (what LangGraph code mostly uses) are not
    # typing TypedDicts before Python 3.13; both are dicts with declared keys
    return isinstance(tp, type) and typing_extensions.is_typeddict(tp)


def is_pydantic(tp: Any) -> bool:
    """A pydantic model class."""
    return isinstance(tp, type) and hasattr(tp, "model_fields") and hasattr(tp, "model_validate")


def typed_fields(cls: type) -> tuple[dict[str, Any], dict[str, str]]:
    """Field name → annotation (with extras) of a TypedDict, dataclass or pydantic class,
    and, for fields whose annotation does not resolve, why not."""
    if is_pydantic(cls):
        out = {}
        for name, info in cls.model_fields.items():  # type: ignore[attr-defined]
            tp = info.annotation
            if info.metadata:
                tp = typing.Annotated[(tp, *info.metadata)]
            out[name] = tp
        return out, {}
    hints, failures = resolve_annotations(cls)
    if dataclasses.is_dataclass(cls):
        names = [f.name for f in dataclasses.fields(cls)]
        return {n: hints[n] for n in names if n in hints}, {
            n: failures[n] for n in names if n in failures
        }
    return hints, failures


def compatible(value: Any, target: Any) -> bool:
    """Can a value of type ``value`` be stored where ``target`` is declared? (lenient)"""
    value, target = unwrap(value), unwrap(target)
    if value is Any or target is Any or value is target or value == target:
        return True
    if target is object:
        return True
    if isinstance(value, typing.TypeVar) or isinstance(target, typing.TypeVar):
        return True
    if is_union(value):
        return all(compatible(v, target) for v in get_args(value))
    if is_union(target):
        return any(compatible(value, t) for t in get_args(target))
    if value is None or value is type(None):
        return target is None or target is type(None)
    vo, to = get_origin(value), get_origin(target)
    if vo is Literal:
        return all(compatible(type(v), target) for v in get_args(value))
    if to is Literal:
        return vo is Literal and set(get_args(value)) <= set(get_args(target))
    if target is float and value is int:
        return True
    vbase = vo or value
    tbase = to or target
    if not (isinstance(vbase, type) and isinstance(tbase, type)):
        return True  # something we cannot reason about: do not complain
    if is_typeddict(vbase) or is_typeddict(tbase):
        return vbase is tbase or (is_typeddict(vbase) and tbase in (dict, Mapping))
    try:
        if not issubclass(vbase, tbase) and not _abc_match(vbase, tbase):
            return False
    except TypeError:
        return True
    vargs, targs = get_args(value), get_args(target)
    if not vargs or not targs or len(vargs) != len(targs):
        return True
    return all(compatible(a, b) for a, b in zip(vargs, targs, strict=True))


def code_name(obj: Any, imp: Import) -> str:
    """How code that ran ``from imp.module import imp.name`` names ``obj``.

    A class nested in a module-level class is ``Outer.Inner``; an object
    served under a name of its own (a class defined inside a function, whose
    qualname ``build.<locals>.State`` is no expression) goes by that name.
    """
    qualname = getattr(obj, "__qualname__", None)
    if isinstance(qualname, str) and "<" not in qualname and qualname.split(".")[0] == imp.name:
        return qualname
    return imp.name


def _abc_match(value: type, target: type) -> bool:

    pairs = {
        abc.Sequence: (list, tuple),
        abc.MutableSequence: (list,),
        abc.Mapping: (dict,),
        abc.MutableMapping: (dict,),
        abc.Iterable: (list, tuple, set, frozenset, dict),
    }
    return value in pairs.get(target, ())  # type: ignore[arg-type]


def type_code(tp: Any) -> TypeRef:
    """Render a resolved type object as code plus imports (for user-declared types)."""
    imports: set[Import] = set()

    def render(t: Any) -> str:
        if t is Any:
            imports.add(Import("typing", "Any"))
            return "Any"
        if t is None or t is type(None):
            return "None"
        if t is Ellipsis:
            return "..."
        if isinstance(t, list):
            return "[" + ", ".join(render(a) for a in t) + "]"
        origin = get_origin(t)
        args = get_args(t)
        if origin is typing.Annotated:
            return render(args[0])
        if origin in KEY_QUALIFIERS:
            return render(args[0])
        if origin is Literal:
            imports.add(Import("typing", "Literal"))
            return "Literal[" + ", ".join(repr(a) for a in args) + "]"
        if is_union(t):
            return " | ".join(render(a) for a in args)
        if origin is not None:
            base = render(origin)
            if not args:
                return base
            return f"{base}[{', '.join(render(a) for a in args)}]"
        if isinstance(t, typing.TypeVar | typing.ForwardRef | str):
            imports.add(Import("typing", "Any"))
            return "Any"
        if isinstance(t, type):
            if t.__module__ == "builtins":
                return t.__qualname__
            imp = import_of(t)
            if imp is None:
                imports.add(Import("typing", "Any"))
                return "Any"
            imports.add(imp)
            return code_name(t, imp)
        imports.add(Import("typing", "Any"))
        return "Any"

    code = render(tp)
    return TypeRef(code=code, imports=frozenset(imports), obj=tp)


def zero_code(tp: Any) -> str | None:
    """Code of the value a reducer field starts at: its type called with no arguments."""
    base = get_origin(unwrap(tp)) or unwrap(tp)
    zeros = {list: "[]", dict: "{}", set: "set()", int: "0", float: "0.0", str: '""', tuple: "()"}

    zeros_abc = {
        abc.Sequence: "[]",
        abc.MutableSequence: "[]",
        abc.Mapping: "{}",
        abc.MutableMapping: "{}",
    }
    if base in zeros:
        return zeros[base]
    if base in zeros_abc:
        return zeros_abc[base]
    return None


def router_literals(tp: Any) -> tuple[list[str], bool] | None:
    """The names a router's return annotation allows, and whether it returns several."""
    tp = unwrap(tp)
    if tp is Any or tp is None:
        return None
    origin = get_origin(tp)
    if origin is Literal:
        return [str(a) for a in get_args(tp)], False
    if is_send(tp):
        # a Send names its node in its own Literal (see send_targets); a bare one, nothing
        return ([], True) if send_targets(tp) else None
    if is_union(tp):
        names: list[str] = []
        multi = False
        for arg in get_args(tp):
            if arg is type(None):
                continue
            sub = router_literals(arg)
            if sub is None:
                return None
            names.extend(sub[0])
            multi = multi or sub[1]
        return names, multi
    if origin in (list, tuple, Sequence):
        args = get_args(tp)
        if args:
            sub = router_literals(args[0])
            if sub is not None:
                return sub[0], True
        return None
    return None


def strip_qualifiers(tp: Any) -> Any:
    """``tp`` without the ``Required``, ``NotRequired`` and ``ReadOnly`` around it."""
    while get_origin(tp) in KEY_QUALIFIERS:
        tp = get_args(tp)[0]
    return tp


def reducer_of(tp: Any) -> Any:
    """The reducer an ``Annotated`` state key names (its last callable extra), if any."""
    # `Required[Annotated[int, add]]` has its reducer one level down, as LangGraph finds it
    tp = strip_qualifiers(tp)
    if get_origin(tp) is typing.Annotated:
        for meta in reversed(get_args(tp)[1:]):
            # LangGraph's `UntrackedValue` class is callable, and no reducer
            if callable(meta) and not is_untracked(meta):
                return meta
    return None


def untracked_of(tp: Any) -> bool:
    """Whether an ``Annotated`` state key is marked untracked (see :mod:`flowc.runtime.channels`)."""
    tp = strip_qualifiers(tp)
    return get_origin(tp) is typing.Annotated and any(map(is_untracked, get_args(tp)[1:]))


def update_type(reducer: Any) -> Any:
    """The annotation of a reducer's second parameter (the update), if it has one."""
    params = positional_parameters(reducer)
    if params is None or len(params) < 2:
        return None
    hints, _ = resolve_annotations(reducer)
    return hints.get(params[1].name)


def value_fits(value: Any, tp: Any) -> bool:
    """Can a field of type ``tp`` hold ``value`` (a default)? A ``Literal`` by its values."""
    tp = unwrap(tp)
    if get_origin(tp) is Literal:
        return any(value == arg and type(value) is type(arg) for arg in get_args(tp))
    if is_union(tp):
        return any(value_fits(value, arg) for arg in get_args(tp))
    return compatible(_json_type(value), tp)


def _json_type(value: Any) -> Any:
    """The type a JSON-like default value has, element types included (``list[int]``)."""
    if isinstance(value, list) and value:
        inner = {_json_type(v) for v in value}
        return list[inner.pop()] if len(inner) == 1 else list  # type: ignore[misc]
    if isinstance(value, dict) and value:
        inner = {_json_type(v) for v in value.values()}
        return dict[str, inner.pop()] if len(inner) == 1 else dict  # type: ignore[misc]
    return type(value)


def show_type(tp: Any) -> str:
    """A type as messages show it: as generated code would write it."""
    return type_code(tp).code
