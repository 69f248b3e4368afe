"""Lowering: the builder's records → flowc's :class:`~flowc.dsl.blueprint.Blueprint` →
:class:`GraphSpec` → checked graph.

Takes a frozen builder (and the builders of its subgraphs), makes the blueprint of
each graph by the drop-in's conventions (every part's span is the builder call
that made it), lowers it with :func:`flowc.dsl.blueprint.lower` as the decorator
DSL does, and runs flowc's checker over the whole tree
(:mod:`flowc.langgraph._runners` then generates the runner module). Nodes and routers (and state classes and reducers
without an importable name) are served by :mod:`flowc.langgraph._objects`;
callables that need adapting to flowc's node and router conventions (a node's
``input_schema``, a path map keyed by something else than strings) are wrapped
first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flowc.dsl.blueprint import Blueprint as SpecBlueprint
from flowc.dsl.blueprint import Part, Spans, lower, spans_of
from flowc.dsl.checker import check
from flowc.dsl.diagnostics import Diagnostic, SourceMap
from flowc.dsl.graph import CheckedGraph, CheckResult
from flowc.dsl.load import load_subgraph as load_file_subgraph
from flowc.dsl.spec import END, START, BranchSpec, EdgeSpec, GraphSpec, StateSpec

from ._adapt import is_compiled_graph
from ._blueprint import Blueprint
from ._errors import GraphCompileError, source_texts
from ._identifiers import graph_names
from ._lowering import _Lowering
from ._roots import _STAND_IN_ROUTER
from ._validate import _validate

__all__ = ["blueprint_tree", "check_blueprint", "imported_objects", "is_compiled_graph"]


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
    root, diags, refused, superseded = blueprint_tree(bp)
    spec, smap = lower(root)
    subgraphs = dict(root.tree())

    def load_subgraph(
        ref: str, from_origin: str
    ) -> tuple[GraphSpec | None, SourceMap, tuple[Diagnostic, ...], str]:
        found = subgraphs.get(ref)
        if found is None:
            return load_file_subgraph(ref, from_origin)
        return (*lower(found), (), ref)

    result = check(
        spec, smap, _origin(bp, spec), load_subgraph=load_subgraph, warn_only=_LANGGRAPH_ACCEPTS
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


def blueprint_tree(
    bp: Blueprint,
) -> tuple[SpecBlueprint, list[Diagnostic], list[str], list[tuple[str, str]]]:
    """The blueprint of ``bp`` (its subgraphs' in its tree, each made once), the problems
    found, the state fields refused and the (code, text) of checker diagnostics that would
    repeat a problem found."""
    names = graph_names(bp)
    made: dict[int, SpecBlueprint] = {}
    diags: list[Diagnostic] = []
    refused: list[str] = []
    superseded: list[tuple[str, str]] = []

    def child(sub: Blueprint) -> SpecBlueprint:
        known = made.get(id(sub))
        if known is not None:
            return known
        blueprint, low = _blueprint(sub, names[id(sub)], child)
        diags.extend(d for d in low.diags if d not in diags)
        refused.extend(low.refused_fields)
        superseded.extend(low.superseded)
        made[id(sub)] = blueprint
        return blueprint

    root, low = _blueprint(bp, names[id(bp)], child)
    diags[:0] = low.diags
    refused.extend(low.refused_fields)
    superseded.extend(low.superseded)
    return root, diags, refused, superseded


def _unique(diags: list[Diagnostic]) -> list[Diagnostic]:
    return list(dict.fromkeys(diags))


def _origin(bp: Blueprint, spec: GraphSpec) -> str:
    span = bp.compile_span or bp.state_span
    where = f" at {span.file}:{span.line}" if span is not None else ""
    return f"<StateGraph {spec.name}{where}>"


def _blueprint(
    bp: Blueprint, name: str, child: Callable[[Blueprint], SpecBlueprint]
) -> tuple[SpecBlueprint, _Lowering]:
    """The builder's parts by the drop-in's conventions: every part's span is the builder
    call that made it (an edge's ends too), the state's and the graph's name's the
    ``StateGraph(...)`` call (or ``compile()``)."""
    subgraphs: dict[str, SpecBlueprint] = {}

    def child_ref(sub: Blueprint) -> str:
        made = child(sub)
        spec, _ = lower(made)
        ref = f"<StateGraph {spec.name} sha256:{spec.digest()[:16]}>"
        subgraphs[ref] = made
        return ref

    low = _Lowering(bp, child_ref)
    state_ref = low.state()
    nodes = [Part(low.node(record), spans_of(((), record.span))) for record in bp.nodes]
    bad_edges, bad_branches = _validate(low, name)
    edges: list[Part[EdgeSpec]] = []
    seen: set[tuple[tuple[str, ...], str, bool]] = set()
    for index, edge in enumerate(bp.edges):
        if index in bad_edges:
            continue
        key = (edge.sources, edge.target, edge.join)
        if key in seen:
            continue
        seen.add(key)
        spans = spans_of(((), edge.span), (("from",), edge.span), (("to",), edge.span))
        if edge.join and edge.target == END:
            # waiting for several nodes to reach END changes nothing (LangGraph ignores it too)
            edges.extend(
                Part(EdgeSpec(sources=(source,), targets=(END,)), spans) for source in edge.sources
            )
            continue
        edges.append(Part(EdgeSpec(sources=edge.sources, targets=(edge.target,)), spans))
    routers = [
        Part(low.branch(branch), spans_of(((), branch.span)))
        if index not in bad_branches
        else Part(
            BranchSpec(
                source=branch.source, router=_STAND_IN_ROUTER, targets=(*bp.node_names(), END)
            )
        )
        for index, branch in enumerate(bp.branches)
        if branch.source == START or branch.source in bp.node_names()
    ]
    state = StateSpec.model_validate({"class": state_ref or "builtins:object"})
    graph_span = bp.compile_span or bp.state_span
    spans = spans_of(
        ((), bp.state_span), (("state", "class"), bp.state_span), (("graph", "name"), graph_span)
    )
    placed: list[Spans] = [
        spans,
        *(node.spans for node in nodes),
        *(edge.spans for edge in edges),
        *(router.spans for router in routers),
    ]
    first = bp.state_span or bp.compile_span
    made = SpecBlueprint(
        name=name,
        file=first.file if first is not None else "<StateGraph>",
        state=state,
        nodes=tuple(nodes),
        edges=tuple(edges),
        routers=tuple(routers),
        schemas=low.schemas(),
        subgraphs=tuple(subgraphs.items()),
        spans=spans,
        texts=tuple(
            (file, tuple(lines))
            for file, lines in source_texts([span for group in placed for _, span in group]).items()
        ),
    )
    return made, low
