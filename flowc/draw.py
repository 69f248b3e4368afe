"""A checked graph → a picture (Mermaid text, Graphviz DOT, SVG, PNG): ``flowc draw``'s back end.

Takes a :class:`CheckedGraph`, gives a small frozen :class:`Picture` (nodes,
edges, subgraph clusters), and renders it. Mermaid follows LangGraph's
``draw_mermaid()``: the same header, node shapes, classes and escaped ids, and
conditional edges dashed with their path-map keys as labels. Join edges (wait
for all sources) are drawn thick, labelled ``join``, which LangGraph does not
show. SVG and PNG come from Graphviz's ``dot``, run on the DOT text.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from flowc.dsl.ends import END, START
from flowc.dsl.graph import CheckedGraph
from flowc.mermaid import (
    FRONT_MATTER,
    STYLES,
    mermaid_arrow,
    mermaid_id,
    mermaid_label,
    mermaid_text,
)

__all__ = [
    "DotMissing",
    "Edge",
    "Node",
    "Picture",
    "mermaid_text",
    "picture",
    "render_with_dot",
    "to_dot",
    "to_mermaid",
]

EdgeKind = Literal["edge", "conditional", "join"]


@dataclass(frozen=True, slots=True)
class Node:
    """A box in the picture."""

    id: str
    """Unique in the picture: ``name``, or ``outer:inner`` inside an expanded subgraph."""
    label: str
    kind: Literal["start", "end", "node", "subgraph"]
    cluster: tuple[str, ...] = ()
    """The expanded subgraph nodes this node sits in, outermost first (ids)."""


@dataclass(frozen=True, slots=True)
class Edge:
    """An arrow: a plain edge, a conditional edge (dashed) or a join edge (thick)."""

    source: str
    target: str
    kind: EdgeKind
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Picture:
    """What is drawn: nodes in declaration order, edges sorted, clusters by id."""

    name: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    clusters: tuple[tuple[str, str], ...]
    """(id, label) of each expanded subgraph, outermost first."""


_Hop = tuple[str, EdgeKind, str | None]
"""(node id, kind, label) of an edge's open end, for subgraphs drawn expanded."""


@dataclass
class _Part:
    nodes: list[Node]
    edges: list[Edge]
    clusters: list[tuple[str, str]]
    entries: list[_Hop]
    """Where an edge into this (sub)graph lands: the targets of START's edges."""
    exits: list[_Hop]
    """Where an edge out of it starts: the sources of edges to END."""


def picture(graph: CheckedGraph, *, xray: bool = False) -> Picture:
    """The picture of ``graph``; with ``xray``, subgraphs are drawn expanded."""
    part = _expand(graph, "", (), xray)
    nodes = [Node(START, START, "start"), *part.nodes, Node(END, END, "end")]
    edges = list(part.edges)
    edges.extend(Edge(START, target, kind, label) for target, kind, label in part.entries)
    edges.extend(Edge(source, END, kind, label) for source, kind, label in part.exits)
    unique = sorted(set(edges), key=lambda e: (e.source, e.target, e.label or "", e.kind))
    return Picture(graph.name, tuple(nodes), tuple(unique), tuple(part.clusters))


def _through(outer: EdgeKind, outer_label: str | None, hop: _Hop) -> _Hop:
    """An edge of the parent graph continued by a hop inside an expanded subgraph."""
    node, kind, label = hop
    if outer == "edge":
        return node, kind, label
    return node, outer, outer_label


def _expand(graph: CheckedGraph, prefix: str, cluster: tuple[str, ...], xray: bool) -> _Part:
    """Nodes and edges of ``graph`` with ids under ``prefix``; START/END edges left open."""
    part = _Part([], [], [], [], [])
    inner: dict[str, _Part] = {}
    for node in graph.nodes:
        nid = prefix + node.name
        if node.subgraph is not None and xray:
            child = _expand(node.subgraph, f"{nid}:", (*cluster, nid), xray)
            inner[node.name] = child
            part.clusters.append((nid, node.name))
            part.clusters.extend(child.clusters)
            part.nodes.extend(child.nodes)
            part.edges.extend(child.edges)
        else:
            shape: Literal["node", "subgraph"] = "node" if node.subgraph is None else "subgraph"
            part.nodes.append(Node(nid, node.name, shape, cluster))

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
                part.edges.append(Edge(src, dst, dst_kind, dst_label))

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


def _mermaid_node(node: Node) -> str:
    nid, label = mermaid_id(node.id), mermaid_label(node.label)
    if node.kind == "start":
        return f"\t{nid}([{label}]):::first\n"
    if node.kind == "end":
        return f"\t{nid}([{label}]):::last\n"
    return f"\t{nid}({label})\n"


def _mermaid_edge(edge: Edge) -> str:
    src, dst = mermaid_id(edge.source), mermaid_id(edge.target)
    if edge.kind == "join":
        # LangGraph draws no joins: a thick arrow of flowc's own
        label = mermaid_text(edge.label) if edge.label else "join"
        return f"\t{src} == &nbsp;{label}&nbsp; ==> {dst};\n"
    arrow = mermaid_arrow(edge.label or None, conditional=edge.kind == "conditional")
    return f"\t{src}{arrow}{dst};\n"


def to_mermaid(pic: Picture) -> str:
    """Mermaid flowchart text, as LangGraph's ``draw_mermaid()`` writes it."""
    out = [FRONT_MATTER, "graph TD;\n"]
    by_id = {n.id: n for n in pic.nodes}
    out.extend(_mermaid_node(n) for n in pic.nodes if not n.cluster and n.kind != "end")

    # edges whose ends are in one expanded subgraph are written inside its block
    def home(edge: Edge) -> tuple[str, ...]:
        a, b = by_id[edge.source].cluster, by_id[edge.target].cluster
        common = 0
        while common < min(len(a), len(b)) and a[common] == b[common]:
            common += 1
        return a[:common]

    out.extend(_mermaid_node(n) for n in pic.nodes if n.kind == "end")
    out.extend(_mermaid_edge(e) for e in pic.edges if not home(e))
    labels = dict(pic.clusters)

    def block(cluster_id: str, path: tuple[str, ...]) -> Iterator[str]:
        yield f"\tsubgraph {mermaid_text(labels[cluster_id])}\n"
        for node in pic.nodes:
            if node.cluster == path:
                yield _mermaid_node(node)
        for edge in pic.edges:
            if home(edge) == path:
                yield _mermaid_edge(edge)
        for child, _ in pic.clusters:
            if _parent(pic, child) == path:
                yield from block(child, (*path, child))
        yield "\tend\n"

    for cluster_id, _ in pic.clusters:
        if _parent(pic, cluster_id) == ():
            out.extend(block(cluster_id, (cluster_id,)))
    out.append(STYLES)
    return "".join(out)


def _parent(pic: Picture, cluster_id: str) -> tuple[str, ...]:
    """The clusters enclosing expanded subgraph ``cluster_id``."""
    path: list[str] = []
    for other, _ in pic.clusters:
        if other != cluster_id and cluster_id.startswith(other + ":"):
            path.append(other)
    return tuple(sorted(path, key=len))


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


def _dot_edge(edge: Edge) -> str:
    attrs: list[str] = []
    if edge.kind == "conditional":
        attrs.append("style=dashed")
    elif edge.kind == "join":
        attrs.append("style=bold")
        attrs.append("penwidth=2")
    if edge.label:
        attrs.append(f"label={_q(' ' + edge.label + ' ')}")
    tail = f" [{', '.join(attrs)}]" if attrs else ""
    return f"\t{_q(edge.source)} -> {_q(edge.target)}{tail};\n"


def to_dot(pic: Picture) -> str:
    """Graphviz DOT text: the same picture as :func:`to_mermaid`, for ``dot``."""
    out = [
        f"digraph {_q(pic.name)} {{\n",
        '\tgraph [rankdir=TB, fontname="Helvetica", fontsize=12];\n',
        '\tnode [fontname="Helvetica", fontsize=12];\n',
        '\tedge [fontname="Helvetica", fontsize=10];\n',
    ]

    def node_line(node: Node, indent: str) -> str:
        return f"{indent}{_q(node.id)} [label={_q(node.label)}, {_DOT_NODE[node.kind]}];\n"

    out.extend(node_line(n, "\t") for n in pic.nodes if not n.cluster)
    labels = dict(pic.clusters)

    def block(cluster_id: str, path: tuple[str, ...], depth: int) -> Iterator[str]:
        indent = "\t" * depth
        yield f"{indent}subgraph {_q('cluster_' + cluster_id)} {{\n"
        yield f'{indent}\tlabel={_q(labels[cluster_id])}; style="rounded,dashed";\n'
        for node in pic.nodes:
            if node.cluster == path:
                yield node_line(node, indent + "\t")
        for child, _ in pic.clusters:
            if _parent(pic, child) == path:
                yield from block(child, (*path, child), depth + 1)
        yield f"{indent}}}\n"

    for cluster_id, _ in pic.clusters:
        if _parent(pic, cluster_id) == ():
            out.extend(block(cluster_id, (cluster_id,), 1))
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
