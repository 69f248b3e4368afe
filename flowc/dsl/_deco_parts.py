"""What the decorator front end reads from a user's calls: types, references, fields and
the source spans of call arguments.

Shared by the builder's calls (:mod:`flowc.dsl._deco_nodes`, :mod:`flowc.dsl._deco_edges`) and their lowering to a
:class:`GraphSpec` (:mod:`flowc.dsl._deco_spec`).
"""

from __future__ import annotations

import ast
import sys
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, get_args, get_origin

from pydantic import ValidationError
from typing_extensions import TypeVar

from .diagnostics import Loc
from .passes.report import a_value
from .pysource import annotated_metadata
from .recording import Recording, _arg, _kwarg
from .spec import (
    END,
    START,
    BranchSpec,
    EdgeSpec,
    NodeSpec,
)
from .types import import_of, normalize_type_expr

S = TypeVar("S", default=dict[str, Any])
"""The state type; a graph declared with ``fields={...}`` has ``dict[str, Any]``."""


F = TypeVar("F", bound=Callable[..., Any])


StateKind = Literal["typeddict", "dataclass", "pydantic"]


_VIRTUAL = {"START": START, "END": END}


_MISSING: Any = object()


@dataclass(frozen=True)
class Agent:
    """A prebuilt agent, for ``Graph(name, agent=Agent(...))`` (TOML's ``[agent]`` table).

    Args:
        model: a LangChain chat model held by a module-level name, or its
            ``module:attribute``.
        tools: functions or LangChain tools (module-level), or their
            ``module:attribute``.
        prompt: a system prompt.
        response_format: a pydantic model or TypedDict: the structured response.
    """

    model: Any
    tools: Sequence[Any] = ()
    prompt: str | None = None
    response_format: Any = None


def reference_of(obj: Any) -> str | None:
    """``module:qualified.name`` of a function or class generated code can import, or None."""
    imp = import_of(obj)
    qualname = getattr(obj, "__qualname__", None)
    if imp is None or not isinstance(qualname, str):
        return None
    # an object a module serves under a name of its own (types.serve) is imported by that name
    attr = qualname if qualname.split(".")[0] == imp.name else imp.name
    return None if "<" in attr else f"{imp.module}:{attr}"


def type_expr(tp: Any) -> str:
    """A type object written as a spec type expression (``list[str]``, ``pkg.mod.Cls``).

    The inverse of :func:`flowc.dsl.types.resolve_type` for the types a spec
    can name: builtins, typing and ``collections.abc`` names are written bare,
    other classes by their dotted import path. ``Annotated`` metadata is left
    out (a reducer is recorded separately).
    """
    return normalize_type_expr(_type_text(tp))


_BARE_MODULES = {"builtins", "typing", "typing_extensions", "collections.abc"}


def _type_text(tp: Any) -> str:
    if tp is None or tp is type(None):
        return "None"
    if tp is Any:
        return "Any"
    if tp is Ellipsis:
        return "..."
    if isinstance(tp, list):
        return "[" + ", ".join(_type_text(t) for t in tp) + "]"
    if isinstance(tp, str | typing.ForwardRef | typing.TypeVar):
        return "Any"
    origin, args = get_origin(tp), get_args(tp)
    if origin is typing.Annotated or origin in (typing.Required, typing.NotRequired):
        return _type_text(args[0])
    if origin is Literal:
        return "Literal[" + ", ".join(repr(a) for a in args) + "]"
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_type_text(a) for a in args)
    if origin is not None:
        base = _type_text(origin)
        return f"{base}[{', '.join(_type_text(a) for a in args)}]" if args else base
    if isinstance(tp, type):
        module = tp.__module__
        if module in _BARE_MODULES:
            return tp.__qualname__
        imp = import_of(tp)
        return f"{imp.module if imp else module}.{tp.__qualname__}"
    return "Any"


def _is_type(value: Any) -> bool:
    """A class, a generic alias (``list[str]``), a union or a typing special form."""
    return (
        isinstance(value, type)
        or get_origin(value) is not None
        or value is Any
        or isinstance(value, typing.TypeVar)
    )


def _option_problem(options: Mapping[str, Any]) -> tuple[str, str] | None:
    """The first node option whose value is of the wrong kind, and what is wrong with it.

    Python would take a string for a list of tags (each letter a tag) and
    ``dict()`` a list of pairs for metadata; a type that is not a type would
    become ``Any``. Each is refused instead.
    """
    tags = options.get("tags")
    if isinstance(tags, str | bytes) or not (
        tags is None
        or (isinstance(tags, Sequence | set | frozenset) and all(isinstance(t, str) for t in tags))
    ):
        return "tags", f"`tags` must be a list of strings, not {a_value(tags)}"
    metadata = options.get("metadata")
    if metadata is not None and not isinstance(metadata, Mapping):
        return "metadata", f"`metadata` must be a dict, not {a_value(metadata)}"
    for key in ("custom_type", "interrupts", "resumes"):
        declared = options.get(key)
        if declared is not None and not _is_type(declared):
            return key, f"`{key}` must be a type, not {a_value(declared)}"
    writes = options.get("writes")
    if writes is not None and (
        isinstance(writes, str | bytes)
        or not isinstance(writes, Sequence)
        or not all(isinstance(w, str) for w in writes)
    ):
        return "writes", f"`writes` must be a list of state keys, not {a_value(writes)}"
    streams = options.get("streams")
    if streams is not None and not isinstance(streams, bool):
        return "streams", f"`streams` must be True or False, not {a_value(streams)}"
    return None


def _reducer_of(tp: Any) -> Any:
    if get_origin(tp) is typing.Annotated:
        for meta in reversed(get_args(tp)[1:]):
            if callable(meta):
                return meta
    return None


@dataclass(frozen=True, slots=True)
class field:
    """A state field with more than a type, for ``Graph(fields={...})``.

    Args:
        type: the field's type (``Annotated[T, reducer]`` declares a reducer too).
        default: the value nodes see until the field is written.
        reducer: the function that merges updates (default: last value wins).
        description: a sentence for docs and generated docstrings.
    """

    type: Any
    default: Any = _MISSING
    reducer: Callable[..., Any] | None = None
    description: str | None = None


def _field_parts(loc: Loc, key: ast.expr, value: ast.expr) -> list[tuple[Loc, ast.expr | None]]:
    """Where a ``fields={...}`` entry writes its type, default and reducer."""
    parts: list[tuple[Loc, ast.expr | None]] = [(loc, key)]
    annotation: ast.expr | None = value
    if isinstance(value, ast.Call):
        annotation = _arg(value, 0, "type")
        parts += [
            ((*loc, "default"), _kwarg(value, "default")),
            ((*loc, "reducer"), _kwarg(value, "reducer")),
            ((*loc, "description"), _kwarg(value, "description")),
        ]
    parts.append(((*loc, "type"), annotation))
    if annotation is not None:
        parts.append(((*loc, "reducer"), annotated_metadata(annotation)))
    return parts


def _name_list(value: object) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Sequence) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _canon(name: str) -> str:
    return _VIRTUAL.get(name, name)


def _agent_parts(call: ast.expr | None) -> list[tuple[Loc, ast.expr | None]]:
    """Where ``Agent(model=..., tools=[...], ...)`` writes each of its parts."""
    if not isinstance(call, ast.Call):
        return [(("agent", "model"), call)] if call is not None else []
    parts: list[tuple[Loc, ast.expr | None]] = [
        (("agent", "model"), _arg(call, 0, "model")),
        (("agent", "response_format"), _kwarg(call, "response_format")),
    ]
    tools = _arg(call, 1, "tools")
    if isinstance(tools, ast.List | ast.Tuple):
        parts.extend((("agent", "tools", i), item) for i, item in enumerate(tools.elts))
    return parts


def _module_name_of(obj: Any) -> str | None:
    """``module:attribute`` of a module-level name holding ``obj`` (a model object has no
    qualified name of its own)."""
    for module_name, module in list(sys.modules.items()):
        namespace = getattr(module, "__dict__", None)
        if not isinstance(namespace, dict) or module_name.startswith(("flowc.", "_")):
            continue
        for attr, value in list(namespace.items()):
            if value is obj and not attr.startswith("_"):
                return f"{module_name}:{attr}"
    return None


def _raw_ref(obj: Any) -> str:
    """``module:qualname`` even for an object generated code cannot import (for the checker to report)."""
    module = getattr(obj, "__module__", None) or "__main__"
    qualname = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or repr(obj)
    return f"{module}:{qualname}"


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"`{where}`: {err['msg'].lower()}" if where else str(err["msg"]).lower()


class _GraphCore(Recording, Generic[S]):
    """What every part of a :class:`~flowc.dsl.decorators.Graph` reads and records: the graph's
    arguments, its recorded parts and calls, and the problems found in them."""

    name: str
    agent: Agent | None
    state: type[S] | None
    fields: type | Mapping[str, Any] | None
    kind: StateKind
    description: str | None
    recursion_limit: int | None
    custom_type: Any
    checkpoints: Literal["json", "pickle"] | None
    step_timeout: float | None
    context_type: Any
    input_schema: Any
    output_schema: Any
    _nodes: list[NodeSpec]
    _edges: list[EdgeSpec]
    _branches: list[BranchSpec]
