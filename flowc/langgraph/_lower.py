"""Lowering: :class:`Blueprint` → :class:`GraphSpec` → checked graph → runner module.

Takes a frozen builder (and the builders of its subgraphs), gives flowc's
spec of each graph with a source map that points every part at the user's
builder call, runs flowc's checker over the whole tree, and generates and
imports the runner module. Nodes and routers (and state classes and reducers
without an importable name) are served by :mod:`flowc.langgraph._objects`;
callables that need adapting to flowc's node and router conventions (a node's
``input_schema``, a path map keyed by something else than strings) are wrapped
first. Runner modules are cached by the spec's digest and the objects they
import, so compiling the same builder again costs no generation.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

from flowc.dsl.checker import check
from flowc.dsl.diagnostics import Diagnostic, SourceMap
from flowc.dsl.graph import CheckedGraph, CheckResult
from flowc.dsl.load import load_subgraph as load_file_subgraph
from flowc.dsl.spec import END, START, BranchSpec, EdgeSpec, GraphSpec, StateSpec
from flowc.inmemory import build_checked

from ._adapt import (
    _lock,
    is_compiled_graph,
)
from ._blueprint import Blueprint
from ._errors import GraphCompileError, source_texts
from ._lowering import _identifier, _Lowering
from ._policies import cache_namespace, handler_node
from ._roots import (
    _STAND_IN_ROUTER,
)
from ._validate import _validate

__all__ = ["check_blueprint", "compile_blueprint", "is_compiled_graph"]


_LANGGRAPH_ACCEPTS = frozenset({"E201", "E501", "E502"})
"""Checks that are errors in flowc's own specs but that LangGraph's builder passes: a node
nothing leads to may still be reached by a ``Command`` or a ``Send``; a subgraph sharing no key
with its parent starts from its defaults and writes nothing back (it can still interrupt, keep
its state, steer its parent); a key a subgraph types otherwise than its parent
(``list[BaseMessage]`` and ``MessagesState``'s ``list[AnyMessage]``) passes its values as they
are."""

_modules: dict[str, ModuleType] = {}
_subgraphs: dict[str, tuple[GraphSpec, SourceMap]] = {}


def compile_blueprint(bp: Blueprint, stateful: bool = False) -> ModuleType:
    """The runner module of ``bp`` (generated once per distinct spec).

    Raises:
        GraphCompileError: listing every problem, each at the builder call it is about.
    """
    result, digest = check_blueprint(bp)
    graph = result.graph
    assert graph is not None
    # generated code imports state classes and reducers by name: a class or
    # reducer defined again under the same name needs a runner of its own
    key = digest + "".join(f":{id(obj)}" for obj in _imported_objects(graph))
    # node policies are set on the plans of the runner it generated: other policies, another runner
    policies = _policy_key(bp)
    if policies:
        key += f":policies:{policies!r}"
    # subgraphs compiled with checkpointer=True keep their state: flags on their plans
    # (the graph itself, compiled with checkpointer=True, keeps its state when a node invokes it)
    kept = _stateful_key(bp)
    if kept or stateful:
        key += f":stateful:{stateful}:{kept!r}"
    # a subgraph compiled with interrupt_before / interrupt_after stops there: on its plan
    breaks = _breakpoint_key(bp)
    if breaks:
        key += f":breakpoints:{breaks!r}"
    with _lock:
        module = _modules.get(key)
    if module is None:
        from flowc.cache import cached_files

        # the generated text is read back from the disk cache when another process made it
        module = build_checked(graph, salt=key, files=cached_files(graph))
        if policies:
            _apply_policies(module, bp, _graph_names(bp), set())
        if kept:
            _mark_stateful(module, bp, _graph_names(bp))
        if breaks:
            _mark_breakpoints(module, bp, _graph_names(bp))
        module.PLAN.stateful = stateful
        with _lock:
            module = _modules.setdefault(key, module)
    return module


def _policy_key(bp: Blueprint) -> tuple[Any, ...]:
    """The node policies of ``bp`` and of its subgraphs, as a key (empty if there are none)."""
    out: list[Any] = []
    for record in bp.nodes:
        if record.policies is not None:
            out.append((record.name, record.policies.key()))
        if is_compiled_graph(record.action):
            inner = _policy_key(record.action.blueprint)
            if inner:
                out.append((record.name, inner))
    return tuple(out)


def _stateful_key(bp: Blueprint) -> tuple[Any, ...]:
    """The subgraph nodes of ``bp`` (and of its subgraphs) compiled with ``checkpointer=True``."""
    out: list[Any] = []
    for record in bp.nodes:
        if is_compiled_graph(record.action):
            inner = _stateful_key(record.action.blueprint)
            if getattr(record.action, "stateful", False) or inner:
                out.append((record.name, getattr(record.action, "stateful", False), inner))
    return tuple(out)


def _mark_stateful(module: ModuleType, bp: Blueprint, names: dict[int, str]) -> None:
    """Flag the plans of a fresh runner's subgraphs compiled with ``checkpointer=True``."""
    for record in bp.nodes:
        if is_compiled_graph(record.action):
            child_bp = record.action.blueprint
            child = getattr(module, f"_graph_{names[id(child_bp)]}", None)
            if child is not None:
                if getattr(record.action, "stateful", False):
                    child.PLAN.stateful = True
                _mark_stateful(child, child_bp, names)


def _breakpoints_of(graph: Any) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    before = getattr(graph, "interrupt_before_nodes", ())
    after = getattr(graph, "interrupt_after_nodes", ())
    return (tuple(before), tuple(after)) if before or after else None


def _breakpoint_key(bp: Blueprint) -> tuple[Any, ...]:
    """The subgraph nodes of ``bp`` (and of its subgraphs) compiled with breakpoints."""
    out: list[Any] = []
    for record in bp.nodes:
        if is_compiled_graph(record.action):
            inner = _breakpoint_key(record.action.blueprint)
            own = _breakpoints_of(record.action)
            if own or inner:
                out.append((record.name, own, inner))
    return tuple(out)


def _mark_breakpoints(module: ModuleType, bp: Blueprint, names: dict[int, str]) -> None:
    """Give the plans of a fresh runner's subgraphs their ``compile(interrupt_before=...)``
    and ``interrupt_after``: a subgraph's run on its parent's thread stops there, as LangGraph's."""
    for record in bp.nodes:
        if is_compiled_graph(record.action):
            child_bp = record.action.blueprint
            child = getattr(module, f"_graph_{names[id(child_bp)]}", None)
            if child is not None:
                own = _breakpoints_of(record.action)
                if own is not None:
                    child.PLAN.breakpoints = (frozenset(own[0]), frozenset(own[1]))
                _mark_breakpoints(child, child_bp, names)


def _apply_policies(
    module: ModuleType, bp: Blueprint, names: dict[int, str], done: set[int]
) -> None:
    """Give the nodes of a freshly generated runner (and of its subgraphs') their policies."""
    if id(module) in done:
        return
    done.add(id(module))
    plan = module.PLAN
    handlers: dict[str, Any] = {}
    for record in bp.nodes:
        policies = record.policies
        if policies is not None:
            handler = None
            if policies.error_handler is not None:
                name, fn, retry = policies.error_handler
                handler = handlers.get(name)
                if handler is None:
                    handler = handlers[name] = handler_node(name, fn, retry)
            plan.guard(
                record.name,
                retry=policies.retry or (),
                defer=policies.defer,
                cache=policies.cache,
                cache_ns=cache_namespace(record.action, record.name),
                error_handler=handler,
                timeout=policies.timeout,
            )
        if is_compiled_graph(record.action):
            child_bp = record.action.blueprint
            child = getattr(module, f"_graph_{names[id(child_bp)]}", None)
            if child is not None:
                _apply_policies(child, child_bp, names, done)


def _imported_objects(graph: CheckedGraph) -> list[Any]:
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
    names = _graph_names(bp)
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


# -- names ------------------------------------------------------------------------------


def _graph_names(root: Blueprint) -> dict[int, str]:
    """A distinct module name for every graph of the tree (the root keeps its own)."""
    names: dict[int, str] = {}
    taken: set[str] = set()

    def visit(bp: Blueprint) -> None:
        if id(bp) in names:
            return
        base = _identifier(bp.name)
        name, n = base, 2
        while name in taken:
            name, n = f"{base}_{n}", n + 1
        taken.add(name)
        names[id(bp)] = name
        for node in bp.nodes:
            if is_compiled_graph(node.action):
                visit(node.action.blueprint)

    visit(root)
    return names


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
    )
    low.smap.texts.update(source_texts(list(low.smap.spans.values())))
    return spec, low
