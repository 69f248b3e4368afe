"""Decorator front end: declare a graph in Python, get the same :class:`GraphSpec` as TOML.

.. code-block:: python

    from flowc import END, START, Graph

    graph = Graph("joke", State)

    @graph.node
    def refine_topic(state: State) -> TopicUpdate: ...

    graph.edge(START, "refine_topic")

Nodes and routers must be module-level functions (generated code imports them).
Every call records where it was made, so diagnostics point at the user's line.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar, overload

from .diagnostics import Diagnostic, Loc, SourceMap, Span
from .spec import (
    END,
    START,
    BranchSpec,
    EdgeSpec,
    GraphSpec,
    NodeSpec,
    StateSpec,
)

__all__ = ["END", "START", "Graph"]

S = TypeVar("S")
F = TypeVar("F", bound=Callable[..., Any])


def _caller_span(depth: int = 2) -> Span | None:
    frame = sys._getframe(depth)
    try:
        info = inspect.getframeinfo(frame, context=0)
    except (OSError, ValueError):
        return None
    pos = info.positions
    if pos is None or pos.lineno is None:
        return Span(info.filename, info.lineno, 1)
    col = (pos.col_offset or 0) + 1
    end = (pos.end_col_offset + 1) if pos.end_col_offset is not None and pos.end_lineno == pos.lineno else None
    return Span(info.filename, pos.lineno, col, end)


def _ref(obj: Any) -> str:
    module = getattr(obj, "__module__", None) or "<unknown>"
    qualname = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or type(obj).__name__
    return f"{module}:{qualname}"


def _type_text(tp: Any) -> str | None:
    if tp is None:
        return None
    if isinstance(tp, str):
        return tp
    from .check import type_code

    return type_code(tp).code


def _names(value: str | Sequence[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


class Graph(Generic[S]):
    """A graph declared in Python.

    Args:
        name: the graph's name (names the generated module).
        state: the state class: a TypedDict, dataclass or pydantic model;
            reducers are declared with ``Annotated[list[str], operator.add]``.
        description: a sentence for docs and generated docstrings.
        recursion_limit: the graph's default recursion limit.
        custom_type: the type of the payloads nodes pass to the stream writer.
    """

    def __init__(
        self,
        name: str,
        state: type[S],
        *,
        description: str | None = None,
        recursion_limit: int | None = None,
        custom_type: Any = None,
    ) -> None:
        self.name = name
        self.state = state
        self.description = description
        self.recursion_limit = recursion_limit
        self.custom_type = custom_type
        self._nodes: list[NodeSpec] = []
        self._edges: list[EdgeSpec] = []
        self._branches: list[BranchSpec] = []
        self._subgraphs: dict[str, Graph[Any]] = {}
        self._smap = SourceMap(_caller_span().file if _caller_span() else "<python>")
        span = _caller_span()
        if span is not None:
            self._smap.add(("graph", "name"), span)
            self._smap.add(("state", "class"), span)
            self._smap.add((), span)

    def _mark(self, loc: Loc, depth: int = 3) -> None:
        span = _caller_span(depth)
        if span is not None:
            self._smap.spans[loc] = span

    # -- nodes

    @overload
    def node(self, fn: F, /) -> F: ...

    @overload
    def node(
        self,
        *,
        name: str | None = None,
        tags: Sequence[str] = (),
        metadata: Mapping[str, Any] | None = None,
        description: str | None = None,
        writer: bool | None = None,
        custom_type: Any = None,
    ) -> Callable[[F], F]: ...

    def node(
        self,
        fn: F | None = None,
        /,
        *,
        name: str | None = None,
        tags: Sequence[str] = (),
        metadata: Mapping[str, Any] | None = None,
        description: str | None = None,
        writer: bool | None = None,
        custom_type: Any = None,
    ) -> F | Callable[[F], F]:
        """Declare a node (as a decorator, with or without arguments)."""
        span = _caller_span()

        def register(func: F) -> F:
            node_name = name or func.__name__
            self._nodes.append(
                NodeSpec(
                    name=node_name,
                    call=_ref(func),
                    description=description,
                    tags=tuple(tags),
                    metadata=dict(metadata or {}),
                    writer=writer,
                    custom_type=_type_text(custom_type),
                )
            )
            if span is not None:
                self._smap.spans[("nodes", node_name)] = span
            return func

        if fn is not None:
            return register(fn)
        return register

    def add_node(self, name_or_fn: str | Callable[..., Any], fn: Callable[..., Any] | None = None, **options: Any) -> Graph[S]:
        """Declare a node without a decorator: ``add_node(fn)`` or ``add_node("name", fn)``."""
        if isinstance(name_or_fn, str):
            if fn is None:
                raise TypeError("add_node(name, fn) needs a function")
            if isinstance(fn, Graph):
                return self.subgraph(name_or_fn, fn, **options)
            func, node_name = fn, name_or_fn
        else:
            func, node_name = name_or_fn, None
        span = _caller_span()
        self.node(name=node_name, **options)(func)
        if span is not None:
            self._smap.spans[("nodes", node_name or func.__name__)] = span
        return self

    def subgraph(self, name: str, graph: Graph[Any], *, tags: Sequence[str] = (), metadata: Mapping[str, Any] | None = None, description: str | None = None) -> Graph[S]:
        """Add another graph as a node."""
        ref = getattr(graph, "_flowc_ref", None) or _find_ref(graph)
        self._subgraphs[name] = graph
        self._nodes.append(
            NodeSpec(
                name=name,
                subgraph=ref,
                description=description,
                tags=tuple(tags),
                metadata=dict(metadata or {}),
            )
        )
        self._mark(("nodes", name))
        return self

    # -- edges

    def edge(self, source: str | Sequence[str], target: str | Sequence[str]) -> Graph[S]:
        """An edge; a list of sources is a join, a list of targets a fan-out."""
        index = len(self._edges)
        self._edges.append(EdgeSpec(sources=_names(source), targets=_names(target)))
        self._mark(("edges", index))
        return self

    add_edge = edge

    def sequence(self, *names: str) -> Graph[S]:
        """Edges ``a → b → c ...`` (``START`` and ``END`` allowed at the ends)."""
        for src, dst in zip(names, names[1:], strict=False):
            index = len(self._edges)
            self._edges.append(EdgeSpec(sources=(src,), targets=(dst,)))
            self._mark(("edges", index))
        return self

    def router(
        self,
        source: str,
        *,
        targets: Sequence[str] | None = None,
        path_map: Mapping[str, str] | None = None,
    ) -> Callable[[F], F]:
        """Declare a router for the conditional edge out of ``source``."""
        span = _caller_span()

        def register(fn: F) -> F:
            index = len(self._branches)
            self._branches.append(
                BranchSpec(
                    source=source,
                    router=_ref(fn),
                    targets=None if targets is None else tuple(targets),
                    path_map=None if path_map is None else dict(path_map),
                )
            )
            if span is not None:
                self._smap.spans[("branches", index)] = span
            return fn

        return register

    def add_conditional_edges(
        self,
        source: str,
        router: Callable[..., Any],
        path_map: Mapping[str, str] | Sequence[str] | None = None,
    ) -> Graph[S]:
        """LangGraph's form of :meth:`router`."""
        index = len(self._branches)
        if isinstance(path_map, Mapping):
            spec = BranchSpec(source=source, router=_ref(router), path_map=dict(path_map))
        else:
            targets = None if path_map is None else tuple(path_map)
            spec = BranchSpec(source=source, router=_ref(router), targets=targets)
        self._branches.append(spec)
        self._mark(("branches", index))
        return self

    # -- spec

    def to_spec(self) -> tuple[GraphSpec, SourceMap, tuple[Diagnostic, ...]]:
        """The graph's :class:`GraphSpec`, where it was written, and front-end diagnostics."""
        spec = GraphSpec(
            name=self.name,
            description=self.description,
            recursion_limit=self.recursion_limit,
            state=StateSpec.model_validate({"class": _ref(self.state)}),
            nodes=tuple(self._nodes),
            edges=tuple(self._edges),
            branches=tuple(self._branches),
            custom_type=_type_text(self.custom_type),
        )
        smap = SourceMap(self._smap.file, dict(self._smap.spans))
        for i, _ in enumerate(self._edges):
            span = smap.spans.get(("edges", i))
            if span is not None:
                for key in ("from", "to"):
                    smap.spans.setdefault(("edges", i, key), span)
        return spec, smap, ()

    def spec(self) -> GraphSpec:
        """Just the :class:`GraphSpec`."""
        return self.to_spec()[0]


def _find_ref(graph: Graph[Any]) -> str:
    """``module:attribute`` of a module-level Graph object."""
    for name, module in list(sys.modules.items()):
        namespace = getattr(module, "__dict__", None)
        if not namespace:
            continue
        for attr, value in list(namespace.items()):
            if value is graph:
                return f"{name}:{attr}"
    raise ValueError(f"graph `{graph.name}` must be assigned to a module-level name to be used as a subgraph")
