"""A checked graph → a picture (Mermaid text, Graphviz DOT, SVG, PNG): ``flowc draw``'s back end.

Takes a :class:`CheckedGraph`, gives its picture in flowc's one drawing model
(:class:`~flowc.drawing.DrawableGraph`, the drop-in's ``get_graph()`` model
too), and renders it. Mermaid is :mod:`flowc.mermaid`'s, LangGraph's
``draw_mermaid()``: the same header, node shapes, classes and escaped ids,
and conditional edges dashed with their path-map keys as labels. Join edges
(wait for all sources) are drawn thick, labelled ``join``, which LangGraph
does not show. SVG and PNG come from Graphviz's ``dot``, run on the DOT text.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from flowc.drawing import CALLABLE, SUBGRAPH, DrawableGraph, DrawnEdge, DrawnNode
from flowc.dsl.graph import CheckedGraph
from flowc.dsl.spec import END, START
from flowc.mermaid import mermaid_text, render

__all__ = [
    "DotMissing",
    "mermaid_text",
    "picture",
    "render_with_dot",
    "to_dot",
    "to_mermaid",
]

EdgeKind = Literal["edge", "conditional", "join"]


_Hop = tuple[str, EdgeKind, str | None]
"""(node id, kind, label) of an edge's open end, for subgraphs drawn expanded."""


@dataclass
class _Part:
    nodes: list[DrawnNode]
    edges: list[DrawnEdge]
    entries: list[_Hop]
    """Where an edge into this (sub)graph lands: the targets of START's edges."""
    exits: list[_Hop]
    """Where an edge out of it starts: the sources of edges to END."""


def _edge(source: str, target: str, kind: EdgeKind, label: str | None) -> DrawnEdge:
    return DrawnEdge(source, target, label, kind == "conditional", kind == "join")


def picture(graph: CheckedGraph, *, xray: bool = False) -> DrawableGraph:
    """The picture of ``graph``; with ``xray``, subgraphs are drawn expanded."""
    part = _expand(graph, "", xray)
    nodes = [DrawnNode(START, START, kind=CALLABLE), *part.nodes, DrawnNode(END, END)]
    edges = list(part.edges)
    edges.extend(_edge(START, target, kind, label) for target, kind, label in part.entries)
    edges.extend(_edge(source, END, kind, label) for source, kind, label in part.exits)
    unique = sorted(set(edges), key=lambda e: (e.source, e.target, e.data or "", _kind_of(e)))
    return DrawableGraph({n.id: n for n in nodes}, unique, graph.name)


def _kind_of(edge: DrawnEdge) -> EdgeKind:
    return "join" if edge.join else "conditional" if edge.conditional else "edge"


def _through(outer: EdgeKind, outer_label: str | None, hop: _Hop) -> _Hop:
    """An edge of the parent graph continued by a hop inside an expanded subgraph."""
    node, kind, label = hop
    if outer == "edge":
        return node, kind, label
    return node, outer, outer_label


def _expand(graph: CheckedGraph, prefix: str, xray: bool) -> _Part:
    """Nodes and edges of ``graph`` with ids under ``prefix``; START/END edges left open."""
    part = _Part([], [], [], [])
    inner: dict[str, _Part] = {}
    for node in graph.nodes:
        nid = prefix + node.name
        if node.subgraph is not None and xray:
            child = _expand(node.subgraph, f"{nid}:", xray)
            inner[node.name] = child
            part.nodes.extend(child.nodes)
            part.edges.extend(child.edges)
        else:
            runs = CALLABLE if node.subgraph is None else SUBGRAPH
            part.nodes.append(DrawnNode(nid, node.name, kind=runs))

    def ends(name: str, kind: EdgeKind, label: str | None, *, out: bool) -> list[_Hop]:
        if name in inner:
            hops = inner[name].exits if out else inner[name].entries
            return [_through(kind, label, hop) for hop in hops]
        return [(prefix + name, kind, label)]

    def connect(source: str, target: str, kind: EdgeKind, label: str | None) -> None:
        if source == START:
            if target != END:
                part.entries.extend(ends(target, kind, label, out=False))
            return
        starts = ends(source, kind, label, out=True)
        if target == END:
            part.exits.extend(starts)
            return
        for src, src_kind, src_label in starts:
            for dst, dst_kind, dst_label in ends(target, src_kind, src_label, out=False):
                part.edges.append(_edge(src, dst, dst_kind, dst_label))

    for edge in graph.spec.edges:
        kind: EdgeKind = "join" if len(edge.sources) > 1 else "edge"
        for source in edge.sources:
            for target in edge.targets:
                connect(source, target, kind, "join" if kind == "join" else None)
    branches = [(START, b) for b in graph.start_branches]
    branches += [(n.name, b) for n in graph.nodes for b in n.branches]
    for source, branch in branches:
        if branch.path_map is not None:
            for key, target in branch.path_map:
                connect(source, target, "conditional", None if key == target else key)
        else:
            for target in branch.targets:
                connect(source, target, "conditional", None)
    # as in LangGraph, a node with no way out ends the graph
    leaving = {s for edge in graph.spec.edges for s in edge.sources} | {s for s, _ in branches}
    for node in graph.nodes:
        if node.name not in leaving:
            connect(node.name, END, "edge", None)
    return part


# -- Mermaid ----------------------------------------------------------------------


def to_mermaid(pic: DrawableGraph) -> str:
    """Mermaid flowchart text, as LangGraph's ``draw_mermaid()`` writes it."""
    return render(pic, first=START, last=END)


# -- Graphviz ---------------------------------------------------------------------


def _q(text: str) -> str:
    """A DOT quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


_DOT_NODE = {
    "start": 'shape=oval, style="filled,dashed", fillcolor="#ffffff"',
    "end": 'shape=oval, style="filled", fillcolor="#bfb6fc"',
    "node": 'shape=box, style="rounded,filled", fillcolor="#f2f0ff"',
    "subgraph": 'shape=box, style="rounded,filled", fillcolor="#f2f0ff", peripheries=2',
}


def _dot_edge(edge: DrawnEdge) -> str:
    attrs: list[str] = []
    if edge.conditional:
        attrs.append("style=dashed")
    elif edge.join:
        attrs.append("style=bold")
        attrs.append("penwidth=2")
    if edge.data:
        attrs.append(f"label={_q(' ' + edge.data + ' ')}")
    tail = f" [{', '.join(attrs)}]" if attrs else ""
    return f"\t{_q(edge.source)} -> {_q(edge.target)}{tail};\n"


def _dot_kind(node: DrawnNode) -> str:
    if node.id in (START, END):
        return "start" if node.id == START else "end"
    return "subgraph" if node.kind == SUBGRAPH else "node"


def _cluster_of(node_id: str) -> str:
    """The id of the expanded subgraph a node sits in (``""``: none)."""
    return node_id.rpartition(":")[0]


def to_dot(pic: DrawableGraph) -> str:
    """Graphviz DOT text: the same picture as :func:`to_mermaid`, for ``dot``."""
    out = [
        f"digraph {_q(pic.name)} {{\n",
        '\tgraph [rankdir=TB, fontname="Helvetica", fontsize=12];\n',
        '\tnode [fontname="Helvetica", fontsize=12];\n',
        '\tedge [fontname="Helvetica", fontsize=10];\n',
    ]

    def node_line(node: DrawnNode, indent: str) -> str:
        return f"{indent}{_q(node.id)} [label={_q(node.name)}, {_DOT_NODE[_dot_kind(node)]}];\n"

    # every expanded subgraph, outermost first, in the order its nodes come
    clusters: dict[str, None] = {}
    for node_id in pic.nodes:
        parts = node_id.split(":")
        clusters.update((":".join(parts[:i]), None) for i in range(1, len(parts)))

    def block(cluster_id: str, depth: int) -> Iterator[str]:
        indent = "\t" * depth
        yield f"{indent}subgraph {_q('cluster_' + cluster_id)} {{\n"
        yield f'{indent}\tlabel={_q(cluster_id.rpartition(":")[2])}; style="rounded,dashed";\n'
        for node in pic.nodes.values():
            if _cluster_of(node.id) == cluster_id:
                yield node_line(node, indent + "\t")
        for child in clusters:
            if _cluster_of(child) == cluster_id:
                yield from block(child, depth + 1)
        yield f"{indent}}}\n"

    out.extend(node_line(n, "\t") for n in pic.nodes.values() if not _cluster_of(n.id))
    for cluster_id in clusters:
        if not _cluster_of(cluster_id):
            out.extend(block(cluster_id, 1))
    out.extend(_dot_edge(e) for e in pic.edges)
    out.append("}\n")
    return "".join(out)


class DotMissing(Exception):
    """Graphviz's ``dot`` is not installed."""


def render_with_dot(dot_text: str, fmt: Literal["svg", "png"]) -> bytes:
    """Run Graphviz's ``dot`` on DOT text.

    Raises:
        DotMissing: when ``dot`` is not on ``PATH``.
        RuntimeError: when ``dot`` fails (its message is included).
    """
    exe = shutil.which("dot")
    if exe is None:
        raise DotMissing(
            f"--format {fmt} needs Graphviz's `dot`, which is not installed; install the "
            "`graphviz` package (Debian/Ubuntu: apt-get install graphviz; macOS: brew install "
            "graphviz; conda: conda install graphviz), or use --format mermaid"
        )
    proc = subprocess.run(
        [exe, f"-T{fmt}"], input=dot_text.encode("utf-8"), capture_output=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"dot failed: {proc.stderr.decode('utf-8', 'replace').strip()}")
    return proc.stdout
