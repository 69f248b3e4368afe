"""Decorator front end: declare a graph in Python, get the same :class:`GraphSpec` as TOML.

Takes calls on a :class:`Graph` object; gives, through :meth:`Graph.to_spec`,
a :class:`GraphSpec`, a :class:`SourceMap` of where each part was written (the
call sites, and the ``def`` lines of node and router functions) and the
diagnostics of calls that could not be recorded.

.. code-block:: python

    from flowc import END, START, Graph

    graph = Graph("joke", State)          # LangGraph: StateGraph(State)

    @graph.node
    def refine_topic(state: State) -> TopicUpdate: ...

    graph.add_node(generate_joke)         # or add_node("name", fn)
    graph.add_edge(START, "refine_topic")
    graph.add_edge("refine_topic", "generate_joke")
    graph.add_edge("generate_joke", END)

The methods a LangGraph ``StateGraph`` builder uses (``add_node``,
``add_edge``, ``add_conditional_edges``, ``add_sequence``,
``set_entry_point``, ``set_finish_point``, ``set_conditional_entry_point``,
``compile``) keep their names and arguments, so porting is mechanical.
Nodes and routers must be module-level functions (generated code imports them).

``compile`` needs the code generator, a layer above this one: it is a method of
:class:`flowc.Graph` (:mod:`flowc.graph`), the subclass the package exports;
the :class:`Graph` here records the calls and lowers them.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import itertools
import sys
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, Self, get_args, get_origin, overload

from pydantic import ValidationError
from typing_extensions import TypeVar

from .diagnostics import Diagnostic, Loc, SourceMap, Span
from .pysource import CallSite, annotated_metadata, caller, class_fields, function_spans, source_of
from .spec import (
    END,
    REDUCER_ALIASES,
    START,
    UNNAMED,
    AgentSpec,
    BranchSpec,
    DefaultValue,
    EdgeSpec,
    FieldSpec,
    GraphSpec,
    NodeSpec,
    StateSpec,
)
from .types import import_of, normalize_type_expr

__all__ = ["END", "START", "Agent", "Graph", "field", "reference_of", "type_expr"]

S = TypeVar("S", default=dict[str, Any])
"""The state type; a graph declared with ``fields={...}`` has ``dict[str, Any]``."""
F = TypeVar("F", bound=Callable[..., Any])
StateKind = Literal["typeddict", "dataclass", "pydantic"]

_VIRTUAL = {"START": START, "END": END}
_MISSING: Any = object()
_ALIAS_OF: dict[str, str] = {}
for _alias, _target in REDUCER_ALIASES.items():
    _ALIAS_OF.setdefault(_target, _alias)


# -- references and type expressions --------------------------------------------------


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
        return "tags", f"`tags` must be a list of strings, not {_a(tags)}"
    metadata = options.get("metadata")
    if metadata is not None and not isinstance(metadata, Mapping):
        return "metadata", f"`metadata` must be a dict, not {_a(metadata)}"
    for key in ("custom_type", "interrupts", "resumes"):
        declared = options.get(key)
        if declared is not None and not _is_type(declared):
            return key, f"`{key}` must be a type, not {_a(declared)}"
    writes = options.get("writes")
    if writes is not None and (
        isinstance(writes, str | bytes)
        or not isinstance(writes, Sequence)
        or not all(isinstance(w, str) for w in writes)
    ):
        return "writes", f"`writes` must be a list of state keys, not {_a(writes)}"
    streams = options.get("streams")
    if streams is not None and not isinstance(streams, bool):
        return "streams", f"`streams` must be True or False, not {_a(streams)}"
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


# -- recording where things were written ----------------------------------------------

_Recipe = Callable[[ast.AST], dict[Loc, ast.AST]]
"""From the call's syntax node, the syntax node of each part the call declared."""


def _arg(node: ast.AST, index: int, keyword: str | None = None) -> ast.expr | None:
    if not isinstance(node, ast.Call):
        return None
    if keyword is not None:
        for kw in node.keywords:
            if kw.arg == keyword:
                return kw.value
    positional = [a for a in node.args if not isinstance(a, ast.Starred)]
    return positional[index] if index < len(positional) else None


def _kwarg(node: ast.AST, keyword: str) -> ast.expr | None:
    if isinstance(node, ast.Call):
        for kw in node.keywords:
            if kw.arg == keyword:
                return kw.value
    return None


def _element(node: ast.expr | None, index: int) -> ast.expr | None:
    """The ``index``-th element of a list/tuple literal (or the node itself if it is not one)."""
    if isinstance(node, ast.List | ast.Tuple):
        return node.elts[index] if index < len(node.elts) else None
    return node if index == 0 else None


def _dict_value(node: ast.expr | None, key: str) -> ast.expr | None:
    if isinstance(node, ast.Dict):
        for k, v in zip(node.keys, node.values, strict=True):
            if isinstance(k, ast.Constant) and k.value == key:
                return v
    return None


@dataclass(slots=True)
class _Record:
    site: CallSite | None
    recipe: _Recipe | None
    fixed: dict[Loc, Span] = dataclasses.field(default_factory=dict)
    """Spans known without the call's syntax (a function's ``def``...)."""


@dataclass(frozen=True, slots=True)
class _At:
    """One argument of a recorded call (by position or keyword), for a diagnostic's caret."""

    site: CallSite | None
    index: int | None = None
    keyword: str | None = None


_Where = Loc | CallSite | _At | None


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


# -- the graph ------------------------------------------------------------------------


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


class Graph(Generic[S]):
    """A graph declared in Python.

    Args:
        name: the graph's name (names the generated module).
        state: the state class, used as is: a TypedDict, dataclass or pydantic
            model; reducers are declared with ``Annotated[list[str], operator.add]``.
        fields: instead of ``state``, the fields of a state flowc generates
            (as TOML's ``[state.fields]`` does): a TypedDict class, or a
            mapping of names to types or :class:`field` values.
        kind: the kind of class flowc generates for ``fields``.
        description: a sentence for docs and generated docstrings.
        recursion_limit: the graph's default recursion limit.
        custom_type: the type of the payloads nodes pass to the stream writer.
        interrupt_before: the nodes a run on a thread stops before (``"*"``: every
            node); it is resumed with ``graph.resume(config=...)``.
        interrupt_after: the nodes a run on a thread stops after.
        agent: instead of a state and nodes, a prebuilt :class:`Agent`, whose
            graph flowc makes.
    """

    @overload
    def __init__(
        self,
        name: str,
        state: type[S],
        *,
        description: str | None = None,
        recursion_limit: int | None = None,
        custom_type: Any = None,
        interrupt_before: Sequence[str] | None = None,
        interrupt_after: Sequence[str] | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        name: str,
        state: None = None,
        *,
        agent: Agent,
        description: str | None = None,
        recursion_limit: int | None = None,
        custom_type: Any = None,
        interrupt_before: Sequence[str] | None = None,
        interrupt_after: Sequence[str] | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self: Graph[dict[str, Any]],
        name: str,
        state: None = None,
        *,
        fields: type | Mapping[str, Any],
        kind: StateKind = "typeddict",
        description: str | None = None,
        recursion_limit: int | None = None,
        custom_type: Any = None,
        interrupt_before: Sequence[str] | None = None,
        interrupt_after: Sequence[str] | None = None,
    ) -> None: ...

    def __init__(
        self,
        name: str,
        state: type[S] | None = None,
        *,
        fields: type | Mapping[str, Any] | None = None,
        kind: StateKind = "typeddict",
        description: str | None = None,
        recursion_limit: int | None = None,
        custom_type: Any = None,
        agent: Agent | None = None,
        interrupt_before: Sequence[str] | None = None,
        interrupt_after: Sequence[str] | None = None,
    ) -> None:
        self.name = name
        self.interrupt_before = interrupt_before
        self.interrupt_after = interrupt_after
        self.agent = agent
        self.state = state
        self.fields = fields
        self.kind = kind
        self.description = description
        self.recursion_limit = recursion_limit
        self.custom_type = custom_type
        self._nodes: list[NodeSpec] = []
        self._edges: list[EdgeSpec] = []
        self._branches: list[BranchSpec] = []
        self._records: list[_Record] = []
        self._diags: list[tuple[str, str, _Where, str | None]] = []
        site = caller(1)
        self._site = site

        def recipe(call: ast.AST) -> dict[Loc, ast.AST]:
            out: dict[Loc, ast.AST] = {(): call}
            parts: list[tuple[Loc, ast.expr | None]] = [
                (("graph", "name"), _arg(call, 0, "name")),
                (("state", "class"), _arg(call, 1, "state")),
                (("state", "fields"), _kwarg(call, "fields")),
                (("state", "kind"), _kwarg(call, "kind")),
                (("graph", "description"), _kwarg(call, "description")),
                (("graph", "recursion_limit"), _kwarg(call, "recursion_limit")),
                (("graph", "custom_type"), _kwarg(call, "custom_type")),
                (("graph", "interrupt_before"), _kwarg(call, "interrupt_before")),
                (("graph", "interrupt_after"), _kwarg(call, "interrupt_after")),
                *_agent_parts(_kwarg(call, "agent")),
            ]
            for breakpoints in ("interrupt_before", "interrupt_after"):
                names = _kwarg(call, breakpoints)
                if isinstance(names, ast.List | ast.Tuple):
                    parts.extend(
                        (("graph", breakpoints, i), elt) for i, elt in enumerate(names.elts)
                    )
            mapping = _kwarg(call, "fields")
            if isinstance(mapping, ast.Dict):
                for key, value in zip(mapping.keys, mapping.values, strict=True):
                    if isinstance(key, ast.Constant) and isinstance(key.value, str):
                        parts.extend(_field_parts(("state", "fields", key.value), key, value))
            out.update({loc: node for loc, node in parts if node is not None})
            return out

        self._records.append(_Record(site, recipe))
        if not isinstance(name, str):
            self._error(
                "E004",
                f"a graph's name must be a string, not {type(name).__name__}",
                ("graph", "name"),
            )
        if recursion_limit is not None and (
            not isinstance(recursion_limit, int) or isinstance(recursion_limit, bool)
        ):
            self._error(
                "E004", "`recursion_limit` must be an integer", ("graph", "recursion_limit")
            )
            self.recursion_limit = None
        if description is not None and not isinstance(description, str):
            self._error("E004", "`description` must be a string", ("graph", "description"))
            self.description = None
        if state is not None and not isinstance(state, type):
            self._error(
                "E004",
                f"the state must be a class (a TypedDict, dataclass or pydantic model), not {type(state).__name__}",
                ("state", "class"),
            )
        if state is not None and fields is not None:
            self._error(
                "E004",
                "a graph has either a `state` class or `fields`, not both",
                ("state", "fields"),
            )
        if state is None and fields is None and agent is None:
            self._error(
                "E002",
                f"graph `{name}` has no state",
                ("graph", "name"),
                "pass the state class (`Graph(name, State)`) or `fields={...}`",
            )

    @property
    def file(self) -> str | None:
        """The file the graph was declared in (as Python names it: ``module.__file__``)."""
        return self._site.filename if self._site is not None else None

    # -- diagnostics

    def _error(self, code: str, message: str, where: _Where, hint: str | None = None) -> None:
        self._diags.append((code, message, where, hint))

    def _record(
        self, site: CallSite | None, recipe: _Recipe | None, fixed: dict[Loc, Span] | None = None
    ) -> None:
        self._records.append(_Record(site, recipe, fixed or {}))

    # -- nodes

    @overload
    def node(self, fn: F, /) -> F: ...

    @overload
    def node(
        self,
        fn: str | None = None,
        /,
        *,
        name: str | None = None,
        tags: Sequence[str] = (),
        metadata: Mapping[str, Any] | None = None,
        description: str | None = None,
        writer: bool | None = None,
        custom_type: Any = None,
        writes: Sequence[str] | None = None,
        streams: bool | None = None,
        interrupts: Any = None,
        resumes: Any = None,
    ) -> Callable[[F], F]: ...

    def node(
        self,
        fn: F | str | None = None,
        /,
        *,
        name: str | None = None,
        tags: Sequence[str] = (),
        metadata: Mapping[str, Any] | None = None,
        description: str | None = None,
        writer: bool | None = None,
        custom_type: Any = None,
        writes: Sequence[str] | None = None,
        streams: bool | None = None,
        interrupts: Any = None,
        resumes: Any = None,
    ) -> F | Callable[[F], F]:
        """Declare a node; use as ``@graph.node``, ``@graph.node("name")`` or ``@graph.node(tags=...)``."""
        site = caller(1)
        if isinstance(fn, str):
            name, fn = fn, None
        options: dict[str, Any] = {
            "tags": tags,
            "metadata": metadata,
            "description": description,
            "writer": writer,
            "custom_type": custom_type,
            "writes": writes,
            "streams": streams,
            "interrupts": interrupts,
            "resumes": resumes,
        }

        def register(func: F) -> F:
            self._add_function_node(name, func, options, site, decorator=True)
            return func

        if fn is not None:
            return register(fn)
        return register

    def add_node(
        self,
        node: str | Callable[..., Any] | Graph[Any],
        action: Callable[..., Any] | Graph[Any] | None = None,
        *,
        tags: Sequence[str] = (),
        metadata: Mapping[str, Any] | None = None,
        description: str | None = None,
        writer: bool | None = None,
        custom_type: Any = None,
        writes: Sequence[str] | None = None,
        streams: bool | None = None,
        interrupts: Any = None,
        resumes: Any = None,
        **unsupported: Any,
    ) -> Self:
        """Add a node: ``add_node(fn)``, ``add_node("name", fn)`` or ``add_node("name", graph)``.

        A :class:`Graph` as the action makes a subgraph node.
        """
        site = caller(1)
        for option in unsupported:
            self._error(
                "E003",
                f"`add_node` option `{option}` is not supported by flowc",
                _At(site, keyword=option),
            )
        options: dict[str, Any] = {
            "tags": tags,
            "metadata": metadata,
            "description": description,
            "writer": writer,
            "custom_type": custom_type,
            "writes": writes,
            "streams": streams,
            "interrupts": interrupts,
            "resumes": resumes,
        }
        if isinstance(node, str):
            if action is None:
                self._error(
                    "E004",
                    f"`add_node({node!r})` needs a function or a graph",
                    site,
                    "pass the node's function too",
                )
                return self
            if isinstance(action, Graph):
                self._add_subgraph(node, action, options, site, name_arg=0, graph_arg=1)
            else:
                self._add_function_node(node, action, options, site, decorator=False, fn_arg=1)
        elif isinstance(node, Graph):
            self._add_subgraph(node.name, node, options, site, name_arg=None, graph_arg=0)
        else:
            self._add_function_node(None, node, options, site, decorator=False, fn_arg=0)
        return self

    def subgraph(
        self,
        name: str,
        graph: Graph[Any],
        *,
        tags: Sequence[str] = (),
        metadata: Mapping[str, Any] | None = None,
        description: str | None = None,
    ) -> Self:
        """Add another graph as a node (the same as ``add_node(name, graph)``)."""
        options: dict[str, Any] = {"tags": tags, "metadata": metadata, "description": description}
        site = caller(1)
        if not isinstance(name, str) or not isinstance(graph, Graph):
            self._error("E004", "`subgraph` takes a node name and a Graph", site)
            return self
        self._add_subgraph(name, graph, options, site, name_arg=0, graph_arg=1)
        return self

    def add_sequence(
        self, nodes: Sequence[Callable[..., Any] | tuple[str, Callable[..., Any]]]
    ) -> Self:
        """Add nodes and the edges that run them one after the other (LangGraph's ``add_sequence``)."""
        site = caller(1)
        names: list[str] = []
        if isinstance(nodes, str | bytes) or not isinstance(nodes, Sequence):
            self._error(
                "E004", "`add_sequence` takes a list of functions or (name, function) pairs", site
            )
            return self
        for i, item in enumerate(nodes):
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
                name, fn = item
                arg = self._sequence_item(i, 0)
                self._add_function_node(
                    name,
                    fn,
                    {},
                    site,
                    decorator=False,
                    name_node=arg,
                    fn_node=self._sequence_item(i, 1),
                )
            else:
                name = getattr(item, "__name__", None)  # type: ignore[assignment]
                self._add_function_node(
                    None, item, {}, site, decorator=False, fn_node=self._sequence_item(i, None)
                )
            if not isinstance(name, str):
                return self
            names.append(name)
        for i, (src, dst) in enumerate(itertools.pairwise(names)):
            self._add_edge_spec((src,), dst, site, self._sequence_edge(i))
        return self

    @staticmethod
    def _sequence_item(index: int, part: int | None) -> _Recipe:
        def recipe(call: ast.AST) -> dict[Loc, ast.AST]:
            item = _element(_arg(call, 0, "nodes"), index)
            if part is not None:
                item = _element(item, part) if isinstance(item, ast.Tuple) else item
            return {(): item} if item is not None else {}

        return recipe

    @staticmethod
    def _sequence_edge(index: int) -> Callable[[ast.AST], dict[str, ast.AST]]:
        def recipe(call: ast.AST) -> dict[str, ast.AST]:
            seq = _arg(call, 0, "nodes")
            out: dict[str, ast.AST] = {}
            for key, i in (("from", index), ("to", index + 1)):
                item = _element(seq, i)
                if isinstance(item, ast.Tuple):
                    item = _element(item, 0)
                if item is not None:
                    out[key] = item
            return out

        return recipe

    def _add_function_node(
        self,
        name: str | None,
        fn: Any,
        options: Mapping[str, Any],
        site: CallSite | None,
        *,
        decorator: bool,
        fn_arg: int | None = None,
        name_node: _Recipe | None = None,
        fn_node: _Recipe | None = None,
    ) -> None:
        fn_at = _At(
            site, fn_arg, ("action" if fn_arg == 1 else "node") if fn_arg is not None else None
        )
        if not callable(fn):
            what = f"node `{name}`" if name is not None else "a node"
            self._error("E303", f"{what} must be a function, not {type(fn).__name__}", fn_at)
            return
        node_name = name if name is not None else getattr(fn, "__name__", None)
        if not isinstance(node_name, str):
            self._error(
                "E004",
                f"cannot name a node after {fn!r}",
                site,
                'pass a name: `add_node("name", fn)`',
            )
            return
        loc: Loc = ("nodes", node_name)
        spans = function_spans(fn)
        fixed: dict[Loc, Span] = {}
        if spans is not None:
            defs = spans[1]
            if decorator:
                # the decorated `def` is where the node's callable is named
                fixed[(*loc, "call")] = defs["def"]
                if name is None:
                    fixed[loc] = defs["def"]
            if "return" in defs:
                fixed[(*loc, "call", "return")] = defs["return"]
            for key, span in defs.items():
                kind, _, pname = key.partition(":")
                if kind in ("param", "annotation"):
                    fixed[(*loc, "call", kind, pname)] = span

        def recipe(call: ast.AST) -> dict[Loc, ast.AST]:
            out: dict[Loc, ast.AST] = {}
            if name_node is not None:
                for named in name_node(call).values():
                    out[loc] = named
            if fn_node is not None:
                found = fn_node(call).get(())
                if found is not None:
                    out.setdefault(loc, found)
                    out[(*loc, "call")] = found
            if decorator:
                out.setdefault(loc, _kwarg(call, "name") or _arg(call, 0) or call)
            elif fn_arg is not None:
                name_expr = _arg(call, 0, "node") if fn_arg == 1 else None
                fn_expr = _arg(call, fn_arg, "action" if fn_arg == 1 else "node")
                out[loc] = name_expr or fn_expr or call
                if fn_expr is not None:
                    out[(*loc, "call")] = fn_expr
            out.setdefault(loc, call)
            for key in (
                "tags",
                "metadata",
                "description",
                "writer",
                "custom_type",
                "writes",
                "streams",
                "interrupts",
                "resumes",
            ):
                value = _kwarg(call, key)
                if value is not None:
                    out[(*loc, key)] = value
                    if key == "writes" and isinstance(value, ast.List | ast.Tuple):
                        for i, elt in enumerate(value.elts):
                            out[(*loc, key, i)] = elt
            return out

        self._record(site, recipe, fixed)
        # a function generated code cannot import keeps its name here; the checker reports it
        ref = reference_of(fn) or _raw_ref(fn)
        name_at = (
            _At(site, 0, "node")
            if fn_arg == 1
            else fn_at
            if not decorator
            else _At(site, 0, "name")
        )
        self._append_node(node_name, site, name_at, call=ref, **options)

    def _add_subgraph(
        self,
        name: str,
        graph: Graph[Any],
        options: Mapping[str, Any],
        site: CallSite | None,
        *,
        name_arg: int | None,
        graph_arg: int,
    ) -> None:
        loc: Loc = ("nodes", name)

        def recipe(call: ast.AST) -> dict[Loc, ast.AST]:
            out: dict[Loc, ast.AST] = {}
            graph_expr = _arg(call, graph_arg, "action" if graph_arg == 1 else "node")
            name_expr = _arg(call, name_arg, "node") if name_arg is not None else None
            out[loc] = name_expr or graph_expr or call
            if graph_expr is not None:
                out[(*loc, "subgraph")] = graph_expr
            return out

        self._record(site, recipe)
        ref = graph.reference()
        if ref is None:
            self._error(
                "E504",
                f"node `{name}`: graph `{graph.name}` must be assigned to a module-level name to be a subgraph",
                (*loc, "subgraph"),
            )
            return
        name_at = _At(site, name_arg, "node") if name_arg is not None else _At(site, graph_arg)
        self._append_node(name, site, name_at, subgraph=ref, **options)

    def _append_node(self, name: str, site: CallSite | None, name_at: _At, **fields: Any) -> None:
        if any(n.name == name for n in self._nodes):
            self._error(
                "E103",
                f"node `{name}` is declared more than once",
                name_at,
                "a name names one node; give the second one another name",
            )
            return
        data: dict[str, Any] = {"name": name}
        wrong = _option_problem(fields)
        if wrong is not None:
            key, message = wrong
            self._error("E004", f"node `{name}`: {message}", ("nodes", name, key))
            return
        for key, value in fields.items():
            if key in ("custom_type", "interrupts", "resumes"):
                data[key] = None if value is None else type_expr(value)
            elif key == "tags":
                data[key] = tuple(value or ())
            elif key == "metadata":
                data[key] = dict(value or {})
            elif key == "writes":
                data[key] = None if value is None else tuple(value)
            elif value is not None:
                data[key] = value
        try:
            self._nodes.append(NodeSpec.model_validate(data))
        except ValidationError as exc:
            self._error("E004", f"node `{name}`: {_first_error(exc)}", site)

    # -- edges

    def add_edge(self, start_key: str | Sequence[str], end_key: str | Sequence[str]) -> Self:
        """An edge; a list of sources is a join (wait for all), a list of targets a fan-out."""
        site = caller(1)
        self._edge(start_key, end_key, site)
        return self

    edge = add_edge

    def _edge(self, start_key: object, end_key: object, site: CallSite | None) -> None:
        sources, targets = _name_list(start_key), _name_list(end_key)
        if sources is None or targets is None:
            bad = "source" if sources is None else "target"
            at = _At(site, 0, "start_key") if sources is None else _At(site, 1, "end_key")
            self._error("E004", f"an edge's {bad} must be a node name or a list of names", at)
            return
        for j, target in enumerate(targets):

            def recipe(call: ast.AST, j: int = j) -> dict[str, ast.AST]:
                out: dict[str, ast.AST] = {}
                src, dst = _arg(call, 0, "start_key"), _arg(call, 1, "end_key")
                if src is not None:
                    out["from"] = src
                    for i in range(len(sources)):
                        elt = _element(src, i)
                        if elt is not None:
                            out[f"from.{i}"] = elt
                elt = _element(dst, j)
                if elt is not None:
                    out["to"] = elt
                return out

            self._add_edge_spec(sources, target, site, recipe)

    def _add_edge_spec(
        self,
        sources: Sequence[str],
        target: str,
        site: CallSite | None,
        parts: Callable[[ast.AST], dict[str, ast.AST]],
    ) -> None:
        if not sources or not all(isinstance(n, str) for n in (*sources, target)):
            self._error("E004", "an edge joins node names (strings)", site)
            return
        index = len(self._edges)
        self._edges.append(EdgeSpec(sources=tuple(map(_canon, sources)), targets=(_canon(target),)))

        def recipe(call: ast.AST) -> dict[Loc, ast.AST]:
            out: dict[Loc, ast.AST] = {("edges", index): call}
            for key, node in parts(call).items():
                if key == "to":
                    out[("edges", index, "to")] = node
                    out[("edges", index, "to", 0)] = node
                elif key == "from":
                    out[("edges", index, "from")] = node
                    if len(sources) == 1:
                        out[("edges", index, "from", 0)] = node
                else:
                    out[("edges", index, "from", int(key.split(".")[1]))] = node
            return out

        self._record(site, recipe)

    def sequence(self, *names: str) -> Self:
        """Edges ``a → b → c ...`` between declared nodes (TOML's ``chain``)."""
        site = caller(1)
        if any(not isinstance(n, str) for n in names):
            self._error("E004", "`sequence` takes node names", site)
            return self
        if len(names) < 2:
            self._error("E005", "a sequence needs at least two nodes", site)
            return self
        for i, (src, dst) in enumerate(itertools.pairwise(names)):

            def parts(call: ast.AST, i: int = i) -> dict[str, ast.AST]:
                out: dict[str, ast.AST] = {}
                for key, k in (("from", i), ("to", i + 1)):
                    node = _arg(call, k)
                    if node is not None:
                        out[key] = node
                return out

            self._add_edge_spec((src,), dst, site, parts)
        return self

    def set_entry_point(self, key: str) -> Self:
        """The same as ``add_edge(START, key)``."""
        site = caller(1)
        self._add_edge_spec(
            (START,), key, site, lambda call: {"to": n} if (n := _arg(call, 0, "key")) else {}
        )
        return self

    def set_finish_point(self, key: str) -> Self:
        """The same as ``add_edge(key, END)``."""
        site = caller(1)
        self._add_edge_spec(
            (key,), END, site, lambda call: {"from": n} if (n := _arg(call, 0, "key")) else {}
        )
        return self

    # -- conditional edges

    def router(
        self,
        source: str,
        *,
        targets: Sequence[str] | None = None,
        path_map: Mapping[str, str] | None = None,
    ) -> Callable[[F], F]:
        """Declare the decorated function as the router of a conditional edge out of ``source``.

        The targets come from ``targets``, from ``path_map`` (router result →
        node), or from the function's ``Literal[...]`` return annotation.
        """
        site = caller(1)

        def register(fn: F) -> F:
            self._branch(source, fn, targets, path_map, site, decorator=True)
            return fn

        return register

    def add_conditional_edges(
        self,
        source: str,
        path: Callable[..., Any],
        path_map: Mapping[str, str] | Sequence[str] | None = None,
    ) -> Self:
        """A conditional edge: ``path(state)`` names the next node(s); ``path_map`` maps or lists them."""
        self._conditional(source, path, path_map, caller(1), offset=0)
        return self

    def set_conditional_entry_point(
        self,
        path: Callable[..., Any],
        path_map: Mapping[str, str] | Sequence[str] | None = None,
    ) -> Self:
        """The same as ``add_conditional_edges(START, path, path_map)``."""
        self._conditional(START, path, path_map, caller(1), offset=-1)
        return self

    def _conditional(
        self, source: str, path: Any, path_map: object, site: CallSite | None, *, offset: int
    ) -> None:
        if path_map is None:
            self._branch(source, path, None, None, site, decorator=False, offset=offset)
        elif isinstance(path_map, Mapping):
            self._branch(source, path, None, path_map, site, decorator=False, offset=offset)
        elif isinstance(path_map, Sequence) and not isinstance(path_map, str | bytes):
            self._branch(source, path, list(path_map), None, site, decorator=False, offset=offset)
        else:
            self._error(
                "E004",
                f"`path_map` must be a list or a dict of node names, not {_a(path_map)}",
                _At(site, 2 + offset, "path_map"),
            )

    def _branch(
        self,
        source: str,
        fn: Any,
        targets: Sequence[str] | None,
        path_map: Mapping[str, str] | None,
        site: CallSite | None,
        *,
        decorator: bool,
        offset: int = 0,
    ) -> None:
        index = len(self._branches)
        loc: Loc = ("branches", index)
        fixed: dict[Loc, Span] = {}
        spans = function_spans(fn) if callable(fn) else None
        if spans is not None:
            defs = spans[1]
            if decorator:
                fixed[(*loc, "router")] = defs["def"]
            if "return" in defs:
                fixed[(*loc, "router", "return")] = defs["return"]
            for key, span in defs.items():
                if key.startswith("literal:"):
                    fixed[(*loc, "router", "return", key.partition(":")[2])] = span

        def recipe(call: ast.AST) -> dict[Loc, ast.AST]:
            out: dict[Loc, ast.AST] = {loc: call}
            src = _arg(call, 0, "source") if offset == 0 else None
            if src is not None:
                out[(*loc, "from")] = src
            if not decorator:
                router = _arg(call, 1 + offset, "path")
                if router is not None:
                    out[(*loc, "router")] = router
            listed = (
                _arg(call, 2 + offset, "path_map") if not decorator else _kwarg(call, "targets")
            )
            mapping = (
                _arg(call, 2 + offset, "path_map") if not decorator else _kwarg(call, "path_map")
            )
            if targets is not None and isinstance(listed, ast.List | ast.Tuple):
                out[(*loc, "targets")] = listed
                for j, elt in enumerate(listed.elts):
                    out[(*loc, "targets", j)] = elt
            if path_map is not None and isinstance(mapping, ast.Dict):
                out[(*loc, "path_map")] = mapping
                for key in path_map:
                    value = _dict_value(mapping, str(key))
                    if value is not None:
                        out[(*loc, "path_map", str(key))] = value
            return out

        self._record(site, recipe, fixed)
        if not isinstance(source, str):
            self._error("E004", "a conditional edge's source must be a node name", site)
            return
        if not callable(fn):
            self._error("E303", f"a router must be a function, not {type(fn).__name__}", site)
            return
        ref = reference_of(fn) or _raw_ref(fn)
        if targets is not None and _name_list(list(targets)) is None:
            self._error("E004", "a router's targets must be node names", site)
            return
        if path_map is not None and not all(isinstance(v, str) for v in path_map.values()):
            self._error("E004", "the values of a path map must be node names", site)
            return
        self._branches.append(
            BranchSpec(
                source=_canon(source),
                router=ref,
                targets=None if targets is None else tuple(map(_canon, targets)),
                path_map=None
                if path_map is None
                else {str(k): _canon(v) for k, v in path_map.items()},
            )
        )

    # -- the spec

    def reference(self) -> str | None:
        """``module:attribute`` of this graph, if a module-level name holds it.

        The module the graph was declared in is looked at first, so a graph
        another module imports keeps its own name.
        """
        modules = list(sys.modules.items())
        home = self._site.filename if self._site is not None else None
        modules.sort(key=lambda item: getattr(item[1], "__file__", None) != home)
        found: list[str] = []
        for module_name, module in modules:
            namespace = getattr(module, "__dict__", None)
            if not isinstance(namespace, dict):
                continue
            for attr, value in list(namespace.items()):
                if value is self:
                    found.append(f"{module_name}:{attr}")
            if found:
                return min(found, key=lambda ref: ref.partition(":")[2].startswith("_"))
        return None

    def to_spec(self) -> tuple[GraphSpec, SourceMap, tuple[Diagnostic, ...]]:
        """The graph's :class:`GraphSpec`, where each part was written, and front-end diagnostics."""
        smap = self._source_map()
        diags = [
            Diagnostic.error(code, message, self._span(where, smap), hint)
            for code, message, where, hint in self._diags
        ]
        state, state_diags = self._state_spec(smap)
        diags.extend(state_diags)
        custom = self.custom_type
        if custom is not None and not _is_type(custom):
            where = smap.get(("graph", "custom_type"))
            message = f"`custom_type` must be a type, not {_a(custom)}"
            diags.append(Diagnostic.error("E004", message, where))
            custom = None
        spec = GraphSpec(
            name=str(self.name),
            description=self.description,
            recursion_limit=self.recursion_limit,
            state=state,
            nodes=tuple(self._nodes),
            edges=tuple(self._edges),
            branches=tuple(self._branches),
            custom_type=None if custom is None else type_expr(custom),
            agent=None if self.agent is None else self._agent_spec(self.agent, smap, diags),
            interrupt_before=self._breakpoints("interrupt_before", smap, diags),
            interrupt_after=self._breakpoints("interrupt_after", smap, diags),
        )
        return spec, smap, tuple(diags)

    def _breakpoints(
        self, key: str, smap: SourceMap, diags: list[Diagnostic]
    ) -> tuple[str, ...] | None:
        given = getattr(self, key)
        if given is None:
            return None
        if given == "*":
            return ("*",)
        if isinstance(given, str | bytes) or not (
            isinstance(given, Sequence) and all(isinstance(n, str) for n in given)
        ):
            message = f'`{key}` must be a list of node names or "*", not {_a(given)}'
            diags.append(Diagnostic.error("E004", message, smap.get(("graph", key))))
            return None
        return tuple(given)

    def _agent_spec(self, agent: Agent, smap: SourceMap, diags: list[Diagnostic]) -> AgentSpec:
        def ref(value: Any, loc: Loc, what: str) -> str:
            if isinstance(value, str):
                return value
            found = reference_of(value) if inspect.isfunction(value) else _module_name_of(value)
            if found is None:
                diags.append(
                    Diagnostic.error(
                        "E301",
                        f"the agent's {what} is not held by a module-level name flowc can import",
                        smap.get(loc),
                        "assign it to a name at the top of a module, or pass `module:attribute`",
                    )
                )
                return UNNAMED
            return found

        response = agent.response_format
        return AgentSpec(
            model=ref(agent.model, ("agent", "model"), "model"),
            tools=tuple(
                ref(tool, ("agent", "tools", i), f"tool #{i + 1}")
                for i, tool in enumerate(agent.tools)
            ),
            prompt=agent.prompt,
            response_format=None
            if response is None
            else (response if isinstance(response, str) else type_expr(response)),
        )

    def spec(self) -> GraphSpec:
        """Just the :class:`GraphSpec`."""
        return self.to_spec()[0]

    def _span(self, where: _Where, smap: SourceMap) -> Span | None:
        if isinstance(where, CallSite):
            return _site_span(where)
        if isinstance(where, _At):
            return _arg_span(where) if where.site is not None else None
        if where is None:
            return None
        return smap.get(where)

    def _source_map(self) -> SourceMap:
        file = self._site.file if self._site is not None else "<python>"
        smap = SourceMap(file)
        for record in self._records:
            for loc, span in record.fixed.items():
                smap.spans[loc] = span
                _add_text(smap, span.file)
        for record in self._records:
            if record.site is None or record.recipe is None:
                continue
            src = source_of(record.site.filename)
            node = src.node_at(record.site) if src is not None else None
            if src is None or node is None:
                span = _site_span(record.site)
                for loc in record.recipe(ast.Call(func=ast.Name("_"), args=[], keywords=[])):
                    smap.spans.setdefault(loc, span)
                continue
            _add_text(smap, record.site.filename)
            for loc, sub in record.recipe(node).items():
                smap.spans.setdefault(loc, src.span(sub))
        return smap

    def _state_spec(self, smap: SourceMap) -> tuple[StateSpec, list[Diagnostic]]:
        diags: list[Diagnostic] = []
        if self.state is not None:
            ref = reference_of(self.state) or _raw_ref(self.state)
            found = class_fields(self.state)
            if found is not None:
                src, _, spans = found
                _add_text(smap, src.filename)
                for key, span in spans.items():
                    kind, _, name = key.partition(":")
                    smap.spans.setdefault(("state", "class", kind, name), span)
            return StateSpec.model_validate({"class": ref}), diags
        if self.fields is None:
            return StateSpec(), diags
        fields, field_diags = self._field_specs(smap)
        diags.extend(field_diags)
        return StateSpec(kind=self.kind, fields=tuple(fields)), diags

    def _field_specs(self, smap: SourceMap) -> tuple[list[FieldSpec], list[Diagnostic]]:
        diags: list[Diagnostic] = []
        declared: dict[str, Any]
        if isinstance(self.fields, Mapping):
            declared = dict(self.fields)
        elif isinstance(self.fields, type):
            try:
                declared = typing.get_type_hints(self.fields, include_extras=True)
            except Exception as exc:
                diags.append(
                    Diagnostic.error(
                        "E302",
                        f"cannot read the fields of `{self.fields.__qualname__}`: {type(exc).__name__}: {exc}",
                        smap.get(("state", "fields")),
                    )
                )
                return [], diags
            found = class_fields(self.fields)
            if found is not None:
                src, _, spans = found
                _add_text(smap, src.filename)
                for key, span in spans.items():
                    kind, _, name = key.partition(":")
                    sub = {"field": (), "type": ("type",), "reducer": ("reducer",)}[kind]
                    smap.spans.setdefault(("state", "fields", name, *sub), span)
            if dataclasses.is_dataclass(self.fields):
                for f in dataclasses.fields(self.fields):
                    if f.default is not dataclasses.MISSING:
                        declared[f.name] = field(declared[f.name], default=f.default)
        else:
            diags.append(
                Diagnostic.error(
                    "E004",
                    f"`fields` must be a TypedDict class or a mapping, not {type(self.fields).__name__}",
                    smap.get(("state", "fields")),
                )
            )
            return [], diags
        out: list[FieldSpec] = []
        for name, value in declared.items():
            spec = value if isinstance(value, field) else field(value)
            reducer = spec.reducer or _reducer_of(spec.type)
            reducer_ref = None
            if reducer is not None:
                reducer_ref = reference_of(reducer) or _raw_ref(reducer)
                # the short name a TOML spec would use (`add`), so both front ends agree
                reducer_ref = _ALIAS_OF.get(reducer_ref, reducer_ref)
            try:
                out.append(
                    FieldSpec(
                        name=str(name),
                        type=type_expr(spec.type),
                        default=None
                        if spec.default is _MISSING
                        else DefaultValue(value=spec.default),
                        reducer=reducer_ref,
                        description=spec.description,
                    )
                )
            except ValidationError as exc:
                diags.append(
                    Diagnostic.error(
                        "E004",
                        f"field `{name}`: {_first_error(exc)}",
                        smap.get(("state", "fields", str(name))),
                    )
                )
        return out, diags


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


def _a(value: object) -> str:
    """``value``'s type with an article: `a string`, `an integer`."""
    names = {
        str: "a string",
        bytes: "bytes",
        int: "an integer",
        float: "a float",
        bool: "a boolean",
    }
    return names.get(type(value), f"a {type(value).__name__}")


def _raw_ref(obj: Any) -> str:
    """``module:qualname`` even for an object generated code cannot import (for the checker to report)."""
    module = getattr(obj, "__module__", None) or "__main__"
    qualname = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or repr(obj)
    return f"{module}:{qualname}"


def _site_span(site: CallSite) -> Span:
    src = source_of(site.filename)
    if src is not None and src.tree is not None:
        node = src.node_at(site)
        if node is not None:
            return src.span(node)
        line = src.lines[site.line - 1] if 0 < site.line <= len(src.lines) else ""
        indent = len(line) - len(line.lstrip())
        return Span(site.file, site.line, indent + 1, len(line.rstrip()) + 1)
    return Span(site.file, site.line, site.col + 1)


def _arg_span(at: _At) -> Span:
    """The span of an argument of a recorded call (the whole call if it cannot be found)."""
    assert at.site is not None
    src = source_of(at.site.filename)
    call = src.node_at(at.site) if src is not None else None
    if src is not None and call is not None:
        if at.keyword is not None:
            node = _kwarg(call, at.keyword) or (
                _arg(call, at.index) if at.index is not None else None
            )
        else:
            node = _arg(call, at.index) if at.index is not None else None
        if node is not None:
            return src.span(node)
    return _site_span(at.site)


def _add_text(smap: SourceMap, filename: str) -> None:
    src = source_of(filename)
    if src is not None and src.file not in smap.texts:
        smap.texts[src.file] = src.lines


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"`{where}`: {err['msg'].lower()}" if where else str(err["msg"]).lower()
