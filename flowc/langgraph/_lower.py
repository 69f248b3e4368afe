"""Lowering: :class:`Blueprint` → :class:`GraphSpec` → checked graph.

Takes a frozen builder (and the builders of its subgraphs), gives flowc's
spec of each graph with a source map that points every part at the user's
builder call, and runs flowc's checker over the whole tree
(:mod:`flowc.langgraph._runners` then generates the runner module). Nodes and routers (and state classes and reducers
without an importable name) are served by :mod:`flowc.langgraph._objects`;
callables that need adapting to flowc's node and router conventions (a node's
``input_schema``, a path map keyed by something else than strings) are wrapped
first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flowc.dsl.checker import check
from flowc.dsl.diagnostics import Diagnostic, SourceMap
from flowc.dsl.graph import CheckedGraph, CheckResult
from flowc.dsl.load import load_subgraph as load_file_subgraph
from flowc.dsl.spec import END, START, BranchSpec, EdgeSpec, GraphSpec, StateSpec

from ._adapt import (
    _lock,
    is_compiled_graph,
)
from ._blueprint import Blueprint
from ._errors import GraphCompileError, source_texts
from ._identifiers import graph_names
from ._lowering import _Lowering
from ._roots import (
    _STAND_IN_ROUTER,
)
from ._validate import _validate

__all__ = ["check_blueprint", "imported_objects", "is_compiled_graph"]


_LANGGRAPH_ACCEPTS = frozenset({"E201", "E203", "E316", "E401", "E502", "E801"})
"""Checks that are errors in flowc's own specs but that LangGraph's builder passes: a node
nothing leads to may still be reached by a ``Command`` or a ``Send``; a loop of plain edges
runs until the recursion limit (E203); two nodes of one superstep writing a key without a
reducer fail the run only when it happens, with LangGraph's ``InvalidUpdateError`` (E401); a
key a subgraph types otherwise than its parent (``list[BaseMessage]`` and ``MessagesState``'s
``list[AnyMessage]``) passes its values as they are, and so does a key a node's schema types
otherwise than the state (E316); a field flowc's codecs cannot store may be
stored by a LangGraph saver's serializer (flowc's savers fail naming it when a value of it is
stored)."""

_subgraphs: dict[str, tuple[GraphSpec, SourceMap]] = {}


def imported_objects(graph: CheckedGraph) -> list[Any]:
    """The state classes and reducers a graph's runner modules import by name."""
    out: list[Any] = []
    seen: set[str] = set()
    todo = [graph]
    while todo:
        current = todo.pop()
        if current.name in seen:
            continue
        seen.add(current.name)
        if current.state.cls is not None:
            out.append(current.state.cls.obj)
        out.extend(f.reducer.obj for f in current.state.fields if f.reducer is not None)
        todo.extend(current.subgraphs)
    return out


def check_blueprint(bp: Blueprint) -> tuple[CheckResult, str]:
    """Lower and check ``bp`` and its subgraphs; the result and the root spec's digest.

    Raises:
        GraphCompileError: listing every problem, each at the builder call it is about.
    """
    names = graph_names(bp)
    refs: dict[int, str] = {}
    diags: list[Diagnostic] = []
    refused: list[str] = []
    superseded: list[tuple[str, str]] = []

    def child_ref(child: Blueprint) -> str:
        known = refs.get(id(child))
        if known is not None:
            return known
        spec, low = _lower(child, names[id(child)], child_ref)
        diags.extend(d for d in low.diags if d not in diags)
        refused.extend(low.refused_fields)
        superseded.extend(low.superseded)
        ref = f"<StateGraph {spec.name} sha256:{spec.digest()[:16]}>"
        with _lock:
            _subgraphs[ref] = (spec, low.smap)
        refs[id(child)] = ref
        return ref

    spec, low = _lower(bp, names[id(bp)], child_ref)
    diags[:0] = low.diags
    refused.extend(low.refused_fields)
    superseded.extend(low.superseded)
    origin = _origin(bp, spec)
    result = check(
        spec, low.smap, origin, load_subgraph=_load_subgraph, warn_only=_LANGGRAPH_ACCEPTS
    )
    # what the checker says about a field refused already repeats that problem
    noise = tuple(f"`{name}`" for name in refused)
    problems = [
        *diags,
        *(
            d
            for d in result.diagnostics
            if not any(n in d.message for n in noise)
            and not any(d.code == code and text in d.message for code, text in superseded)
            and d.code not in _LANGGRAPH_ACCEPTS
        ),
    ]
    if result.graph is None or any(d.severity.value == "error" for d in diags):
        texts = dict(result.source_map.texts)
        texts.update(source_texts([d.span for d in problems]))
        raise GraphCompileError(_unique(problems), texts)
    return result, spec.digest()


def _unique(diags: list[Diagnostic]) -> list[Diagnostic]:
    return list(dict.fromkeys(diags))


def _origin(bp: Blueprint, spec: GraphSpec) -> str:
    span = bp.compile_span or bp.state_span
    where = f" at {span.file}:{span.line}" if span is not None else ""
    return f"<StateGraph {spec.name}{where}>"


def _load_subgraph(
    ref: str, from_origin: str
) -> tuple[GraphSpec | None, SourceMap, tuple[Diagnostic, ...], str]:
    with _lock:
        found = _subgraphs.get(ref)
    if found is None:
        return load_file_subgraph(ref, from_origin)
    spec, smap = found
    return spec, SourceMap(smap.file, dict(smap.spans), dict(smap.texts)), (), ref


# -- references -------------------------------------------------------------------------


# -- lowering ---------------------------------------------------------------------------


def _lower(
    bp: Blueprint, name: str, child_ref: Callable[[Blueprint], str]
) -> tuple[GraphSpec, _Lowering]:
    low = _Lowering(bp, child_ref)
    state_ref = low.state()
    nodes = [low.node(record) for record in bp.nodes]
    bad_edges, bad_branches = _validate(low, name)
    edges: list[EdgeSpec] = []
    seen: set[tuple[tuple[str, ...], str, bool]] = set()
    for index, edge in enumerate(bp.edges):
        if index in bad_edges:
            continue
        key = (edge.sources, edge.target, edge.join)
        if key in seen:
            continue
        seen.add(key)
        if edge.join and edge.target == END:
            # waiting for several nodes to reach END changes nothing (LangGraph ignores it too)
            for source in edge.sources:
                low.mark(("edges", len(edges)), edge.span)
                edges.append(EdgeSpec(sources=(source,), targets=(END,)))
            continue
        low.mark(("edges", len(edges)), edge.span)
        edges.append(EdgeSpec(sources=edge.sources, targets=(edge.target,)))
    branches = [
        low.branch(index, branch)
        if index not in bad_branches
        else BranchSpec(
            source=branch.source, router=_STAND_IN_ROUTER, targets=(*bp.node_names(), END)
        )
        for index, branch in enumerate(bp.branches)
        if branch.source == START or branch.source in bp.node_names()
    ]
    for index in range(len(edges)):
        span = low.smap.spans.get(("edges", index))
        if span is not None:
            for part in ("from", "to"):
                low.smap.spans.setdefault(("edges", index, part), span)
    state = StateSpec.model_validate({"class": state_ref or "builtins:object"})
    spec = GraphSpec(
        name=name,
        state=state,
        nodes=tuple(nodes),
        edges=tuple(edges),
        branches=tuple(branches),
        **low.io_keys(),
    )
    low.smap.texts.update(source_texts(list(low.smap.spans.values())))
    return spec, low
