"""``get_graph()``: a compiled graph's picture, drawn as LangGraph draws it.

LangGraph finds a graph's edges by a dry run from START in which every
conditional edge with known targets is taken; a node is drawn with its
outgoing edges only if that run reaches it, a router with unknown targets
adds no edge, and a node that is reached but leads nowhere gets an edge to
END. :func:`drawing` does the same over the builder's record, without
running anything, into flowc's one picture model (:mod:`flowc.drawing`),
whose :meth:`~flowc.drawing.DrawableGraph.draw_mermaid` writes the Mermaid
text LangGraph's ``draw_mermaid()`` writes (:mod:`flowc.mermaid`). No
LangChain import is needed.
"""

from __future__ import annotations

import dis
import inspect
import types
import typing
from collections.abc import Collection, Mapping
from dataclasses import replace
from typing import Any, get_args, get_origin

from flowc.drawing import CALLABLE, SUBGRAPH, DrawableGraph, DrawnEdge, DrawnNode
from flowc.dsl.ends import END, START

from ._blueprint import Blueprint, BranchRecord
from ._scan import closure_values

__all__ = ["DrawableGraph", "DrawnEdge", "DrawnNode", "drawing"]


def _runnable_kind(action: Any) -> tuple[str, ...]:
    """The LangChain id LangGraph gives a node: a runnable's own (as LangChain's graph
    drawing names it), else RunnableCallable's."""
    from ._adapt import is_runnable

    own = getattr(type(action), "LANGCHAIN_ID", None)
    if own is not None:
        # a prebuilt node of the drop-in's stands for LangGraph's
        return tuple(own)
    if not is_runnable(action):
        return CALLABLE
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
        return CALLABLE
    if isinstance(found, list) and all(isinstance(part, str) for part in found):
        return tuple(found)
    return CALLABLE


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
    deferred = {n.name for n in bp.nodes if n.policies is not None and n.policies.defer}
    last, implicit = _last_step(writes, joins, deferred)
    return found | implicit, last


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


def _last_step(
    writes: dict[str, list[_Edge]],
    joins: list[tuple[frozenset[str], str]],
    deferred: Collection[str] = (),
) -> tuple[set[str], set[_Edge]]:
    """The nodes of the last step of LangGraph's dry run, and the dotted edges it adds into
    deferred nodes.

    A deferred node runs once nothing else is triggered; when the nodes that triggered it ran
    before the step just done, LangGraph's dry run draws a conditional edge into it from every
    node of that step (which then has no edge to END).
    """
    step: set[str] = {START}
    waiting: list[set[str]] = [set() for _ in joins]
    held: dict[str, set[str]] = {}
    implicit: set[_Edge] = set()
    last = step
    for _ in range(_DRY_RUN_STEPS):
        if not step:
            break
        last = step
        following: set[str] = set()
        for node in step:
            for _, target, _, _ in writes.get(node, ()):
                if target in deferred:
                    held.setdefault(target, set()).add(node)
                else:
                    following.add(target)
        for index, (sources, target) in enumerate(joins):
            waiting[index] |= step & sources
            if waiting[index] >= sources and target != END:
                if target in deferred:
                    held.setdefault(target, set()).update(sources)
                else:
                    following.add(target)
                waiting[index] = set()
        if not following and held:
            for target, triggers in held.items():
                if not triggers & step:
                    implicit.update((src, target, True, "") for src in step)
            following = set(held)
            held = {}
        step = following
    return last, implicit


def drawing(
    bp: Blueprint,
    *,
    xray: bool | int = False,
    before: Collection[str] = (),
    after: Collection[str] = (),
) -> DrawableGraph:
    """The picture of a compiled graph (``get_graph()``); ``before``/``after``: the nodes its
    compile() interrupts before and after, which LangGraph marks in their boxes."""
    from ._adapt import is_compiled_graph

    graph = DrawableGraph()
    graph.nodes[START] = DrawnNode(START, START, kind=CALLABLE)
    default_handler: str | None = None
    for record in bp.nodes:
        handler = record.policies.error_handler if record.policies is not None else None
        if handler is not None:
            # LangGraph adds a node's own handler right before it, and the default one last
            if handler[0].startswith("__error_handler__"):
                graph.nodes[handler[0]] = DrawnNode(handler[0], handler[0], kind=CALLABLE)
            else:
                default_handler = handler[0]
        kind = SUBGRAPH if is_compiled_graph(record.action) else _runnable_kind(record.action)
        metadata = record.metadata
        tools = getattr(record.action, "tools_by_name", None)
        if isinstance(tools, Mapping) and tools:
            # LangGraph lists a tool node's tools in its box
            metadata = {**(metadata or {}), "__tools": list(tools)}
        if record.policies is not None and record.policies.defer:
            metadata = {**(metadata or {}), "defer": True}
        stops = ",".join(
            when for when, nodes in (("before", before), ("after", after)) if record.name in nodes
        )
        if stops:
            metadata = {**(metadata or {}), "__interrupt": stops}
        graph.nodes[record.name] = DrawnNode(record.name, record.name, metadata, kind)
    if default_handler is not None:
        graph.nodes[default_handler] = DrawnNode(default_handler, default_handler, kind=CALLABLE)
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
        sub = drawing(
            inner.blueprint,
            xray=deeper,
            before=inner.interrupt_before_nodes,
            after=inner.interrupt_after_nodes,
        )
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
    cells = closure_values(func)
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
