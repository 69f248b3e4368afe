"""The one model of a graph's picture: boxes and arrows in drawing order.

Both pictures flowc draws are made of it: ``flowc draw``'s, from a checked
graph (:func:`flowc.draw.picture`), and the drop-in's ``get_graph()``, from a
builder (:func:`flowc.langgraph._draw.drawing`, node for node as LangGraph
draws it). :mod:`flowc.mermaid` writes it as LangGraph's ``draw_mermaid()``
does; :mod:`flowc.draw` as Graphviz DOT too. An expanded subgraph's nodes
have ids ``outer:inner``, as in LangGraph.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from flowc.dsl.ends import END

__all__ = ["CALLABLE", "SUBGRAPH", "DrawableGraph", "DrawnEdge", "DrawnNode"]

CALLABLE = ("langgraph", "_internal", "_runnable", "RunnableCallable")
SUBGRAPH = ("langgraph", "graph", "state", "CompiledStateGraph")
"""How LangGraph's ``to_json()`` names what a node runs: the class of the node's runnable."""


@dataclass(frozen=True, slots=True)
class DrawnNode:
    """A box: its id (``outer:inner`` inside an expanded subgraph), name and metadata.

    ``kind`` is the LangChain id of the class LangGraph runs the node as (a
    function's ``RunnableCallable``, a subgraph's ``CompiledStateGraph``);
    ``None`` for END, which LangGraph gives no data.
    """

    id: str
    name: str
    metadata: Mapping[str, Any] | None = None
    kind: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True, eq=False)
class DrawnEdge:
    """An arrow; ``data`` is its label (a path-map key).

    ``join`` marks an edge into a node that waits for all of its sources:
    ``flowc draw`` draws it thick; LangGraph's pictures have none.

    Like LangChain's ``Edge`` (the named tuple ``(source, target, data, conditional)`` of
    LangGraph's ``get_graph().edges``), it unpacks into those four and equals such a tuple,
    so code written against LangGraph's edges reads flowc's alike.
    """

    source: str
    target: str
    data: str | None = None
    conditional: bool = False
    join: bool = False

    def __iter__(self) -> Iterator[Any]:
        return iter((self.source, self.target, self.data, self.conditional))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DrawnEdge):
            return tuple(self) == tuple(other) and self.join == other.join
        if isinstance(other, tuple):
            return tuple(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))


@dataclass(slots=True)
class DrawableGraph:
    """Nodes and edges in LangGraph's drawing order."""

    nodes: dict[str, DrawnNode] = field(default_factory=dict)
    edges: list[DrawnEdge] = field(default_factory=list)
    name: str = "LangGraph"
    """The graph's name (DOT's ``digraph`` name)."""

    def add_edge(
        self, source: str, target: str, data: str | None = None, conditional: bool = False
    ) -> None:
        """Add an edge unless one joins the same nodes already; END appears with its first edge."""
        if any(e.source == source and e.target == target for e in self.edges):
            return
        if target not in self.nodes and target == END:
            self.nodes[END] = DrawnNode(END, END)
        self.edges.append(DrawnEdge(source, target, data, conditional))

    def first_node(self, exclude: tuple[str, ...] = ()) -> DrawnNode | None:
        """The one node no edge leads to, if there is exactly one."""
        return self._lone_end(exclude, first=True)

    def last_node(self, exclude: tuple[str, ...] = ()) -> DrawnNode | None:
        """The one node no edge leaves, if there is exactly one."""
        return self._lone_end(exclude, first=False)

    def _lone_end(self, exclude: tuple[str, ...], *, first: bool) -> DrawnNode | None:
        reached = {
            e.target if first else e.source
            for e in self.edges
            if (e.source if first else e.target) not in exclude
        }
        found = [n for n in self.nodes.values() if n.id not in exclude and n.id not in reached]
        return found[0] if len(found) == 1 else None

    def trim_first_node(self) -> None:
        """Drop START when the rest still has a first node and START has one edge."""
        self._trim(first=True)

    def trim_last_node(self) -> None:
        """Drop END when the rest still has a last node and END has one edge."""
        self._trim(first=False)

    def _trim(self, *, first: bool) -> None:
        end = self._lone_end((), first=first)
        if end is None or self._lone_end((end.id,), first=first) is None:
            return
        if sum((e.source if first else e.target) == end.id for e in self.edges) == 1:
            self.nodes.pop(end.id)
            self.edges = [e for e in self.edges if end.id not in (e.source, e.target)]

    def extend(
        self, other: DrawableGraph, prefix: str
    ) -> tuple[DrawnNode | None, DrawnNode | None]:
        """Add ``other``'s nodes and edges under ``prefix:``; its first and last nodes."""

        def prefixed(node_id: str) -> str:
            return f"{prefix}:{node_id}"

        for node_id, node in other.nodes.items():
            self.nodes[prefixed(node_id)] = replace(node, id=prefixed(node_id))
        self.edges.extend(
            replace(e, source=prefixed(e.source), target=prefixed(e.target)) for e in other.edges
        )
        first, last = other.first_node(), other.last_node()
        return (
            replace(first, id=prefixed(first.id)) if first else None,
            replace(last, id=prefixed(last.id)) if last else None,
        )

    def to_json(self, *, with_schemas: bool = False) -> dict[str, list[dict[str, Any]]]:
        """The nodes and edges as LangGraph's ``get_graph().to_json()`` gives them.

        ``with_schemas`` changes nothing, as in LangGraph: it is about schema
        nodes, which a compiled graph's picture has none of.
        """
        del with_schemas
        nodes: list[dict[str, Any]] = []
        for node in self.nodes.values():
            item: dict[str, Any] = {"id": node.id}
            if node.kind is not None:
                item["type"] = "runnable"
                item["data"] = {"id": list(node.kind), "name": node.id}
            if node.metadata is not None:
                item["metadata"] = node.metadata
            nodes.append(item)
        edges: list[dict[str, Any]] = []
        for edge in self.edges:
            out: dict[str, Any] = {"source": edge.source, "target": edge.target}
            if edge.data is not None:
                out["data"] = edge.data
            if edge.conditional:
                out["conditional"] = True
            edges.append(out)
        return {"nodes": nodes, "edges": edges}

    def draw_mermaid(self, *, with_styles: bool = True, wrap_label_n_words: int = 9) -> str:
        """Mermaid flowchart text, as LangGraph's ``get_graph().draw_mermaid()`` writes it."""
        from flowc.mermaid import render  # the renderer reads this model

        first, last = self.first_node(), self.last_node()
        return render(
            self,
            first=None if first is None else first.id,
            last=None if last is None else last.id,
            with_styles=with_styles,
            wrap=wrap_label_n_words,
        )
