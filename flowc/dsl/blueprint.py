"""The frozen blueprint both builders make, and its one lowering to a spec and its source map.

A builder (the decorator DSL's :class:`~flowc.dsl.decorators.Graph`, the drop-in
:class:`flowc.langgraph.StateGraph`) records calls with their source spans and
turns them, by its own conventions (how a function becomes a reference, which
call a span underlines), into a :class:`Blueprint`: an immutable tree of the
graph's parts, each with the spans of its own pieces. :func:`lower` is the one
place where parts become a :class:`~flowc.dsl.spec.GraphSpec` and spans are
placed in its :class:`~flowc.dsl.diagnostics.SourceMap`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .diagnostics import Diagnostic, Loc, SourceMap, Span
from .spec import BranchSpec, EdgeSpec, GraphSpec, NodeSpec, StateSpec

__all__ = ["Blueprint", "Part", "Schema", "Spans", "lower", "spans_of"]

T = TypeVar("T")

Spans = tuple[tuple[Loc, Span], ...]
"""Where pieces of a part were written, each keyed by its place within the part
(``()`` for the whole part, ``("call",)`` for a node's callable...)."""


def spans_of(*spans: tuple[Loc, Span | None]) -> Spans:
    """The spans given, without the pieces whose span is unknown."""
    return tuple((loc, span) for loc, span in spans if span is not None)


@dataclass(frozen=True, slots=True)
class Part(Generic[T]):
    """One part of a graph (a node, an edge, a router, a schema) and where it was written."""

    spec: T
    spans: Spans = ()


@dataclass(frozen=True, slots=True)
class Schema:
    """The keys of one of a graph's schemas besides its state, by role (``"input"``: the keys
    it takes as a subgraph, ``"output"``: those it gives back); lowered to the spec's
    ``<role>_keys``."""

    role: str
    keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Blueprint:
    """A builder's graph, frozen: what :func:`lower` makes the spec and its source map of."""

    name: str
    file: str
    """The file the graph was declared in (the source map's)."""
    state: StateSpec
    nodes: tuple[Part[NodeSpec], ...] = ()
    """Each node with its options (a subgraph node names its graph by reference)."""
    edges: tuple[Part[EdgeSpec], ...] = ()
    routers: tuple[Part[BranchSpec], ...] = ()
    schemas: tuple[Part[Schema], ...] = ()
    subgraphs: tuple[tuple[str, Blueprint], ...] = ()
    """The blueprints of subgraph nodes whose reference no loader can find (a graph given as
    an object), by that reference; subgraphs a loader imports are not here."""
    options: tuple[tuple[str, Any], ...] = ()
    """The spec's other graph keys (``description``, ``recursion_limit``...), as the builder
    gives them: a key it leaves out stays unset in the spec."""
    spans: Spans = ()
    """Where the graph's own pieces were written (keyed by their place in the spec), and those
    of calls that made no part."""
    texts: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Source lines of files a diagnostic may quote, by file."""
    diagnostics: tuple[Diagnostic, ...] = ()
    """The problems the builder found in its calls."""

    def tree(self) -> Iterator[tuple[str, Blueprint]]:
        """The subgraphs' blueprints at every depth, each once, by reference."""
        seen: set[str] = set()
        todo = list(self.subgraphs)
        while todo:
            ref, bp = todo.pop(0)
            if ref in seen:
                continue
            seen.add(ref)
            yield ref, bp
            todo.extend(bp.subgraphs)


def lower(bp: Blueprint) -> tuple[GraphSpec, SourceMap]:
    """The blueprint's spec, and its source map: each part's spans placed at the part's place
    (``("nodes", name, ...)``, ``("edges", i, ...)``, ``("branches", i, ...)``)."""
    smap = SourceMap(bp.file, texts={file: list(lines) for file, lines in bp.texts})
    _place(smap, (), bp.spans)
    for node in bp.nodes:
        _place(smap, ("nodes", node.spec.name), node.spans)
    for index, edge in enumerate(bp.edges):
        _place(smap, ("edges", index), edge.spans)
    for index, router in enumerate(bp.routers):
        _place(smap, ("branches", index), router.spans)
    for schema in bp.schemas:
        _place(smap, ("graph", f"{schema.spec.role}_keys"), schema.spans)
    spec = GraphSpec(
        name=bp.name,
        state=bp.state,
        nodes=tuple(node.spec for node in bp.nodes),
        edges=tuple(edge.spec for edge in bp.edges),
        branches=tuple(router.spec for router in bp.routers),
        **dict(bp.options),
        **{f"{schema.spec.role}_keys": schema.spec.keys for schema in bp.schemas},
    )
    return spec, smap


def _place(smap: SourceMap, at: Loc, spans: Spans) -> None:
    for loc, span in spans:
        smap.spans[(*at, *loc)] = span
