"""``get_graph()``: a compiled graph's picture, drawn as LangGraph draws it.

LangGraph finds a graph's edges by a dry run from START in which every
conditional edge with known targets is taken; a node is drawn with its
outgoing edges only if that run reaches it, a router with unknown targets
adds no edge, and a node that is reached but leads nowhere gets an edge to
END. :func:`drawing` does the same over the builder's record, without
running anything, and :meth:`DrawableGraph.draw_mermaid` writes the Mermaid
text LangGraph's ``draw_mermaid()`` writes (header, node shapes, classes,
escaped ids, dashed conditional edges labelled with their path-map keys,
subgraphs expanded with ``xray``). No LangChain import is needed.
"""

from __future__ import annotations

import dis
import inspect
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, get_args, get_origin

from flowc.dsl.ends import END, START
from flowc.mermaid import (
    FRONT_MATTER,
    STYLES,
    mermaid_arrow,
    mermaid_id,
    mermaid_label,
    mermaid_text,
)

from ._blueprint import Blueprint, BranchRecord

__all__ = ["DrawableGraph", "DrawnEdge", "DrawnNode", "drawing"]

_LABEL_ESCAPES = {
    "[": "#91;",
    "]": "#93;",
    "(": "#40;",
    ")": "#41;",
    "{": "#123;",
    "}": "#125;",
    '"': "#quot;",
    "<": "#60;",
    ">": "#62;",
    "|": "#124;",
}
_CALLABLE = ("langgraph", "_internal", "_runnable", "RunnableCallable")
_SUBGRAPH = ("langgraph", "graph", "state", "CompiledStateGraph")
"""How LangGraph's ``to_json()`` names what a node runs: the class of the node's runnable."""


def _runnable_kind(action: Any) -> tuple[str, ...]:
    """The LangChain id LangGraph gives a node: a runnable's own (as LangChain's graph
    drawing names it), else RunnableCallable's."""
    from ._adapt import is_runnable

    if not is_runnable(action):
        return _CALLABLE
    # LangChain is loaded: the runnable's class comes from it
    from langchain_core.load.serializable import to_json_not_implemented
    from langchain_core.runnables import RunnableSerializable

    try:
        found = (
            action.lc_id()
            if isinstance(action, RunnableSerializable)
            else to_json_not_implemented(action)["id"]
        )
    except Exception:
        return _CALLABLE
    if isinstance(found, list) and all(isinstance(part, str) for part in found):
        return tuple(found)
    return _CALLABLE


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


@dataclass(frozen=True, slots=True)
class DrawnEdge:
    """An arrow; ``data`` is its label (a path-map key)."""

    source: str
    target: str
    data: str | None = None
    conditional: bool = False


@dataclass(slots=True)
class DrawableGraph:
    """Nodes and edges in LangGraph's drawing order."""

    nodes: dict[str, DrawnNode] = field(default_factory=dict)
    edges: list[DrawnEdge] = field(default_factory=list)

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
        targets = {e.target for e in self.edges if e.source not in exclude}
        found = [n for n in self.nodes.values() if n.id not in exclude and n.id not in targets]
        return found[0] if len(found) == 1 else None

    def last_node(self, exclude: tuple[str, ...] = ()) -> DrawnNode | None:
        """The one node no edge leaves, if there is exactly one."""
        sources = {e.source for e in self.edges if e.target not in exclude}
        found = [n for n in self.nodes.values() if n.id not in exclude and n.id not in sources]
        return found[0] if len(found) == 1 else None

    def _remove(self, node_id: str) -> None:
        self.nodes.pop(node_id)
        self.edges = [e for e in self.edges if node_id not in (e.source, e.target)]

    def trim_first_node(self) -> None:
        """Drop START when the rest still has a first node and START has one edge."""
        first = self.first_node()
        if (
            first
            and self.first_node(exclude=(first.id,))
            and sum(e.source == first.id for e in self.edges) == 1
        ):
            self._remove(first.id)

    def trim_last_node(self) -> None:
        """Drop END when the rest still has a last node and END has one edge."""
        last = self.last_node()
        if (
            last
            and self.last_node(exclude=(last.id,))
            and sum(e.target == last.id for e in self.edges) == 1
        ):
            self._remove(last.id)

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
        first, last = self.first_node(), self.last_node()
        formats = {"": "{0}({1})"}
        if first is not None:
            formats[first.id] = "{0}([{1}]):::first"
        if last is not None:
            formats[last.id] = "{0}([{1}]):::last"
        out = [FRONT_MATTER + "graph TD;\n" if with_styles else "graph TD;\n"]
        nested: dict[str, dict[str, DrawnNode]] = {}
        regular: dict[str, DrawnNode] = {}
        for key, node in self.nodes.items():
            if ":" in key:
                nested.setdefault(key.rsplit(":", 1)[0], {})[key] = node
            else:
                regular[key] = node

        def render(key: str, node: DrawnNode) -> str:
            label = mermaid_label(node.name.split(":")[-1])
            lines = _metadata_lines(node.metadata or {})
            if lines:
                label = f"{label}<hr/><small><em>" + "\n".join(lines) + "</em></small>"
            return "\t" + formats.get(key, formats[""]).format(mermaid_id(key), label) + "\n"

        if with_styles:
            out.extend(render(k, n) for k, n in regular.items())
        groups: dict[str, list[DrawnEdge]] = {}
        for edge in self.edges:
            common = ":".join(
                s
                for s, t in zip(edge.source.split(":"), edge.target.split(":"), strict=False)
                if s == t
            )
            groups.setdefault(common, []).append(edge)
        seen: set[str] = set()

        def group(edges: list[DrawnEdge], prefix: str) -> None:
            self_loop = len(edges) == 1 and edges[0].source == edges[0].target
            if prefix and not self_loop:
                name = prefix.rsplit(":", 1)[-1]
                if name in seen:
                    raise ValueError(
                        f"Found duplicate subgraph '{name}' -- this likely means that you're reusing "
                        "a subgraph node with the same name. Please adjust your graph to have "
                        "subgraph nodes with unique names."
                    )
                seen.add(name)
                out.append(f"\tsubgraph {mermaid_text(name)}\n")
                if with_styles and prefix in nested:
                    out.extend(render(k, n) for k, n in nested[prefix].items())
            for edge in edges:
                arrow = mermaid_arrow(
                    edge.data, conditional=edge.conditional, wrap=wrap_label_n_words
                )
                out.append(f"\t{mermaid_id(edge.source)}{arrow}{mermaid_id(edge.target)};\n")
            for inner, inner_edges in groups.items():
                if not inner.startswith(prefix + ":") or inner == prefix:
                    continue
                if ":" in inner[len(prefix) + 1 :]:
                    continue
                group(inner_edges, inner)
            if prefix and not self_loop:
                out.append("\tend\n")

        group(groups.get("", []), "")
        for prefix, edges in groups.items():
            if not prefix or ":" in prefix:
                continue
            group(edges, prefix)
            seen.add(prefix)
        if with_styles:
            for prefix, members in nested.items():
                if ":" not in prefix and prefix not in seen:
                    out.append(f"\tsubgraph {mermaid_text(prefix)}\n")
                    out.extend(render(k, n) for k, n in members.items())
                    out.append("\tend\n")
            out.append(STYLES)
        return "".join(out)


def _metadata_lines(metadata: Mapping[str, Any]) -> list[str]:
    lines = []
    for key, value in metadata.items():
        shown = _metadata_value(value)
        if shown is not None:
            text = f"{key} = {shown}".replace("#", "#35;")
            for char, entity in _LABEL_ESCAPES.items():
                text = text.replace(char, entity)
            lines.append(text)
    return lines


def _metadata_value(value: Any) -> str | None:
    scalars = (str, int, float, bool)
    if isinstance(value, scalars):
        return str(value)
    if isinstance(value, list | tuple | set) and all(isinstance(v, scalars) for v in value):
        items = [str(v) for v in value]
        return ", ".join(sorted(items) if isinstance(value, set) else items)
    return None


# -- the dry run ------------------------------------------------------------------------

_Edge = tuple[str, str, bool, str]
"""(source, target, conditional, label; ``""`` for none): sortable, as LangGraph sorts them."""


def _ends(branch: BranchRecord) -> list[tuple[str, str]] | None:
    """(label, target) of each path a router may take, or ``None`` when unknown."""
    path_map = branch.path_map
    if isinstance(path_map, Mapping):
        return [(str(k), str(v)) for k, v in path_map.items()]
    if path_map is not None:
        return [(str(t), str(t)) for t in path_map]
    names = _literal_names(branch.path)
    return None if names is None else [(n, n) for n in names]


def _literal_names(fn: Any) -> list[str] | None:
    target = fn if inspect.isfunction(fn) or inspect.ismethod(fn) else getattr(fn, "__call__", fn)  # noqa: B004
    try:
        ret = typing.get_type_hints(target).get("return")
    except Exception:
        return None
    if ret is None or get_origin(ret) is not typing.Literal:
        return None
    return [str(a) for a in get_args(ret)]


_DRY_RUN_STEPS = 251
"""How many steps LangGraph's dry run takes at most (from step -1 to its limit of 250)."""


def _discover(bp: Blueprint) -> tuple[set[_Edge], set[str]]:
    """The edges LangGraph's dry run finds, and the nodes of its last step.

    An edge goes out of a node the run reaches into a node it reaches; in each
    step every known path of every router is taken.
    """
    writes: dict[str, list[_Edge]] = {}
    joins: list[tuple[frozenset[str], str]] = []
    for record in bp.edges:
        if record.join:
            joins.append((frozenset(record.sources), record.target))
        elif record.target != END:
            src = record.sources[0]
            writes.setdefault(src, []).append((src, record.target, False, ""))
    end_edges: dict[str, list[_Edge]] = {}
    for branch in bp.branches:
        for label, target in _ends(branch) or ():
            item = (branch.source, target, True, "" if label == target else label)
            (end_edges if target == END else writes).setdefault(branch.source, []).append(item)
    for node_record in bp.nodes:
        # a node annotated `-> Command[Literal[...]]` (or given `destinations=`) may go to
        # those nodes, as a router does
        ends = node_record.destinations
        if ends is None:
            ends = tuple((t, "") for t in _command_ends(node_record.action))
        for target, label in ends:
            item = (node_record.name, target, True, label)
            (end_edges if target == END else writes).setdefault(node_record.name, []).append(item)
    reached = {START}
    todo = [START]
    found: set[_Edge] = set()
    while todo:
        node = todo.pop()
        found.update(end_edges.get(node, ()))
        for _, target, _, _ in writes.get(node, ()):
            if target not in reached:
                reached.add(target)
                todo.append(target)
        for sources, target in joins:
            if sources <= reached and target not in reached and target != END:
                reached.add(target)
                todo.append(target)
    for src, edges in writes.items():
        if src in reached:
            found.update(e for e in edges if e[1] in reached)
    for sources, target in joins:
        if sources <= reached and target != END:
            found.update((s, target, False, "") for s in sources)
    return found, _last_step(writes, joins)


def _command_ends(action: Any) -> tuple[str, ...]:
    """Where a node's ``Command[Literal[...]]`` return annotation says it may go."""
    import typing

    from flowc.dsl.typerules import command_destinations, is_command

    target = action if inspect.isfunction(action) or inspect.ismethod(action) else None
    if target is None:
        return ()
    try:
        ret = typing.get_type_hints(target).get("return")
    except Exception:
        return ()
    if ret is None:
        return ()
    options = (
        typing.get_args(ret)
        if typing.get_origin(ret) in (typing.Union, types.UnionType)
        else (ret,)
    )
    return tuple(t for o in options if is_command(o) for t in command_destinations(o))


def _last_step(writes: dict[str, list[_Edge]], joins: list[tuple[frozenset[str], str]]) -> set[str]:
    """The nodes of the last step of LangGraph's dry run."""
    step: set[str] = {START}
    waiting: list[set[str]] = [set() for _ in joins]
    last = step
    for _ in range(_DRY_RUN_STEPS):
        if not step:
            break
        last = step
        following = {target for node in step for _, target, _, _ in writes.get(node, ())}
        for index, (sources, target) in enumerate(joins):
            waiting[index] |= step & sources
            if waiting[index] >= sources and target != END:
                following.add(target)
                waiting[index] = set()
        step = following
    return last


def drawing(bp: Blueprint, *, xray: bool | int = False) -> DrawableGraph:
    """The picture of a compiled graph (``get_graph()``)."""
    from ._adapt import is_compiled_graph

    graph = DrawableGraph()
    graph.nodes[START] = DrawnNode(START, START, kind=_CALLABLE)
    default_handler: str | None = None
    for record in bp.nodes:
        handler = record.policies.error_handler if record.policies is not None else None
        if handler is not None:
            # LangGraph adds a node's own handler right before it, and the default one last
            if handler[0].startswith("__error_handler__"):
                graph.nodes[handler[0]] = DrawnNode(handler[0], handler[0], kind=_CALLABLE)
            else:
                default_handler = handler[0]
        kind = _SUBGRAPH if is_compiled_graph(record.action) else _runnable_kind(record.action)
        metadata = record.metadata
        tools = getattr(record.action, "tools_by_name", None)
        if isinstance(tools, Mapping) and tools:
            # LangGraph lists a tool node's tools in its box
            metadata = {**(metadata or {}), "__tools": list(tools)}
        if record.policies is not None and record.policies.defer:
            metadata = {**(metadata or {}), "defer": True}
        graph.nodes[record.name] = DrawnNode(record.name, record.name, metadata, kind)
    if default_handler is not None:
        graph.nodes[default_handler] = DrawnNode(default_handler, default_handler, kind=_CALLABLE)
    edges, last_step = _discover(bp)
    for src, dst, conditional, label in sorted(edges):
        graph.add_edge(src, dst, label or None, conditional)
    termini = {d for _, d, _, _ in edges if d != END} - {s for s, _, _, _ in edges}
    for src in sorted(termini):
        graph.add_edge(src, END)
    if not termini and len(last_step) == 1 and not any(d == END for _, d, _, _ in edges):
        # a run that stops after one node may well end there
        graph.add_edge(next(iter(last_step)), END, conditional=True)
    if not xray:
        return graph
    deeper = xray if isinstance(xray, bool) or xray <= 0 else xray - 1
    for record in bp.nodes:
        inner = record.action if is_compiled_graph(record.action) else _graph_in_node(record.action)
        if inner is None or record.name not in graph.nodes:
            continue
        sub = drawing(inner.blueprint, xray=deeper)
        if len(sub.nodes) <= 1 or not sub.first_node() or not sub.last_node():
            continue
        sub.trim_first_node()
        sub.trim_last_node()
        graph.nodes.pop(record.name)
        first, last = graph.extend(sub, record.name)
        for index, edge in enumerate(graph.edges):
            if edge.source == record.name and last is not None:
                edge = replace(edge, source=last.id)
            if edge.target == record.name and first is not None:
                edge = replace(edge, target=first.id)
            graph.edges[index] = edge
    return graph


def _graph_in_node(action: Any) -> Any:
    """A compiled graph a node function refers to, which LangGraph draws in the node's place."""
    from ._adapt import is_compiled_graph

    for value in _nonlocals(action):
        value = getattr(value, "__self__", value)
        if is_compiled_graph(value):
            return value
    return None


def _nonlocals(func: Any) -> list[Any]:
    """What a function reaches outside its own scope: closure cells, globals, attribute paths.

    The same walk as LangGraph's ``get_function_nonlocals``, so that the same
    subgraphs are found.
    """
    func = getattr(func, "__func__", func)
    wrapped = getattr(func, "__wrapped__", None)
    if callable(wrapped):
        func = getattr(wrapped, "__func__", wrapped)
    if not isinstance(func, types.FunctionType):
        return []
    code = func.__code__
    cells: dict[str, Any] = {}
    for name, cell in zip(code.co_freevars, func.__closure__ or (), strict=False):
        try:
            cells[name] = cell.cell_contents
        except ValueError:
            continue
    values: list[Any] = list(cells.values())
    scope = func.__globals__
    names = {name: scope[name] for name in code.co_names if name in scope}
    codes = [code]
    for current in codes:
        codes.extend(c for c in current.co_consts if isinstance(c, types.CodeType))
        value: Any = None
        for ins in dis.get_instructions(current):
            if ins.opname == "LOAD_GLOBAL":
                value = names.get(ins.argval)
            elif ins.opname == "LOAD_DEREF":
                value = cells.get(ins.argval)
            elif ins.opname in ("LOAD_ATTR", "LOAD_METHOD"):
                value = getattr(value, ins.argval, None)
            else:
                value = None
                continue
            if value is not None:
                values.append(value)
    return values
