"""The checker: :class:`GraphSpec` → :class:`CheckedGraph`, or every diagnostic at once.

A sequence of passes (:mod:`flowc.dsl.passes`), each taking what the ones
before it produced and giving a frozen value and its diagnostics: the graph's
settings, the state (:mod:`~flowc.dsl.passes.state`), the node names, edges
and routers (:mod:`~flowc.dsl.passes.wiring`), each node's function or
subgraph (:mod:`~flowc.dsl.passes.nodes`, with
:mod:`~flowc.dsl.passes.signatures` and :mod:`~flowc.dsl.passes.subgraphs`),
and the topology (:mod:`~flowc.dsl.passes.topology`). This module runs them
with the spec's folder importable (:func:`flowc.dsl.usercode.import_root`)
and puts their diagnostics together in that order. Diagnostics are gathered,
never raised; each points at the place in the spec that is wrong. A mistake
is reported once: checks whose answer depends on a part that is already wrong
(the topology of a graph with an unknown edge target, say) are skipped rather
than guessed.

Diagnostic locations are :data:`Loc` paths into the spec, looked up in the
front end's :class:`SourceMap`; the passes ask for the most precise path
(``("nodes", "a", "call", "return")``: the return annotation of node ``a``'s
function) and the map falls back to the nearest part it knows (the TOML
``call`` value). The spec's source map is read, never edited: the result
carries a map that adds the subgraphs' source texts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from .agent import check_agent
from .diagnostics import Diagnostic, Severity, SourceMap
from .graph import CheckedGraph, CheckResult
from .names import camel, graph_name_problem, identifier
from .passes.codecs import CodecPass
from .passes.io_schemas import IoSchemaPass
from .passes.nodes import NodePass
from .passes.report import Pass
from .passes.signatures import GeneratedNames
from .passes.state import StatePass
from .passes.subgraphs import MAX_SUBGRAPH_DEPTH, SubgraphCache, SubgraphLoader, Subgraphs
from .passes.topology import TopologyPass
from .passes.wiring import WiringPass
from .spec import END, START, GraphSpec
from .typerules import command_destinations, compatible, is_command, type_code
from .usercode import import_root

__all__ = [
    "MAX_SUBGRAPH_DEPTH",
    "CheckResult",
    "SubgraphLoader",
    "camel",
    "check",
    "command_destinations",
    "compatible",
    "import_root",
    "is_command",
    "type_code",
]
# camel, compatible, command_destinations, is_command, type_code and import_root live in
# flowc.dsl.names, flowc.dsl.typerules and flowc.dsl.usercode; they are named here too so
# that code importing them from the checker keeps working


def check(
    spec: GraphSpec,
    smap: SourceMap,
    origin: str,
    *,
    load_subgraph: SubgraphLoader | None = None,
    warn_only: frozenset[str] = frozenset(),
    _stack: tuple[str, ...] = (),
    _cache: SubgraphCache | None = None,
) -> CheckResult:
    """Check a spec; see the module docstring.

    Args:
        spec: the spec, from either front end.
        smap: where its parts were written.
        origin: the spec's file path or ``module:attribute`` (names the graph
            in generated code, and decides where node modules are imported from).
        load_subgraph: loads the specs that subgraph nodes name.
        warn_only: codes reported as warnings, in this graph and its subgraphs (the drop-in
            builder accepts what LangGraph accepts, such as a node only a `Command` reaches).
    """
    cache: SubgraphCache = {} if _cache is None else _cache
    stack = (*_stack, origin)

    def check_child(sub_spec: GraphSpec, sub_map: SourceMap, sub_origin: str) -> CheckResult:
        return check(
            sub_spec,
            sub_map,
            sub_origin,
            load_subgraph=load_subgraph,
            warn_only=warn_only,
            _stack=stack,
            _cache=cache,
        )

    subgraphs = Subgraphs(spec, smap, origin, load_subgraph, stack, cache, check_child)
    subgraphs.warn_only = warn_only
    with import_root(origin):
        graph, diags = _run(spec, smap, origin, subgraphs, warn_only)
    errors = [d for d in diags if d.severity is Severity.ERROR]
    texts = subgraphs.texts
    result_map = SourceMap(smap.file, dict(smap.spans), {**smap.texts, **texts}) if texts else smap
    return CheckResult(None if errors else graph, tuple(_unique(diags)), result_map)


def _demoted(diags: list[Diagnostic], warn_only: frozenset[str]) -> list[Diagnostic]:
    """``diags`` with the codes of ``warn_only`` reported as warnings."""
    if not warn_only:
        return diags
    return [
        dataclasses.replace(d, severity=Severity.WARNING) if d.code in warn_only else d
        for d in diags
    ]


def _run(
    spec: GraphSpec,
    smap: SourceMap,
    origin: str,
    subgraphs: Subgraphs,
    warn_only: frozenset[str] = frozenset(),
) -> tuple[CheckedGraph | None, list[Diagnostic]]:
    """Run the passes in order; the graph, when nothing is wrong, and every diagnostic."""
    diags = _check_graph_settings(spec, smap)
    if spec.agent is not None:
        # a prebuilt agent: flowc makes its state and nodes
        agent_pass = StatePass(spec, smap)
        agent = check_agent(agent_pass, origin, spec.agent)
        diags = _demoted(diags + agent_pass.diags, warn_only)
        if any(d.severity is Severity.ERROR for d in diags):
            return None, diags
        return agent, diags
    state_pass = StatePass(spec, smap)
    state = state_pass.run()
    diags += state_pass.diags
    names = GeneratedNames(spec, state.types)
    wiring_pass = WiringPass(spec, smap, names)
    wiring = wiring_pass.run()
    diags += wiring_pass.diags
    node_pass = NodePass(spec, smap, state, wiring, names, subgraphs)
    nodes = node_pass.run()
    diags += node_pass.diags
    if wiring.ok:
        topology = TopologyPass(spec, smap, state, wiring, nodes)
        topology.run()
        diags += topology.diags
    codecs: tuple[tuple[str, str], ...] = ()
    if state.info is not None and state.ok:
        codec_pass = CodecPass(spec, smap, state.info)
        codecs = codec_pass.run()
        diags += codec_pass.diags
    custom_pass = Pass(smap)
    custom = custom_pass.resolve_type_expr(spec.custom_type, ("graph", "custom_type"))
    context = custom_pass.resolve_type_expr(spec.context_type, ("graph", "context_type"))
    diags += custom_pass.diags
    io_pass = IoSchemaPass(smap)
    input_keys, output_keys = io_pass.run(spec, state, state.info)
    diags += io_pass.diags
    name = identifier(spec.name)
    diags = _demoted(diags, warn_only)
    failed = any(d.severity is Severity.ERROR for d in diags)
    if failed or state.info is None or not state.ok or name is None:
        return None, diags
    graph = CheckedGraph(
        name=name,
        description=spec.description,
        origin=origin,
        digest=spec.digest(),
        recursion_limit=spec.recursion_limit,
        state=state.info,
        nodes=nodes.nodes,
        entry=tuple(t for t in wiring.succ.get(START, ()) if t != END),
        start_branches=tuple(wiring.branches.get(START, ())),
        joins=wiring.joins,
        custom_type=custom,
        spec=spec,
        interrupt_before=spec.interrupt_before or (),
        interrupt_after=spec.interrupt_after or (),
        codecs=codecs,
        step_timeout=spec.step_timeout,
        context_type=context,
        input_keys=input_keys,
        output_keys=output_keys,
    )
    return graph, diags


def _check_graph_settings(spec: GraphSpec, smap: SourceMap) -> list[Diagnostic]:
    """The graph's own name and recursion limit."""
    found = Pass(smap)
    problem = graph_name_problem(spec.name)
    if problem is not None:
        why, hint = problem
        found.error("E101", f"graph name `{spec.name}` {why}", ("graph", "name"), hint)
    if spec.recursion_limit is not None and spec.recursion_limit < 1:
        found.error(
            "E004",
            f"the recursion limit must be at least 1, not {spec.recursion_limit}",
            ("graph", "recursion_limit"),
        )
    if spec.step_timeout is not None and not spec.step_timeout > 0:
        found.error(
            "E321",
            f"`step_timeout` is {spec.step_timeout!r} seconds; a timeout is greater than 0",
            ("graph", "step_timeout"),
        )
    return found.diags


def _unique(diags: Sequence[Diagnostic]) -> list[Diagnostic]:
    return list(dict.fromkeys(diags))
