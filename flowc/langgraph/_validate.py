"""The checks LangGraph's ``compile()`` makes of a builder, in LangGraph's words."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from flowc.dsl.diagnostics import Diagnostic
from flowc.dsl.spec import END, START

from ._adapt import _literal_targets
from ._blueprint import BranchRecord

if TYPE_CHECKING:
    from ._lowering import _Lowering


def _validate(low: _Lowering, graph: str) -> tuple[set[int], set[int]]:
    """LangGraph's ``compile()`` checks of edges and routers, with its messages.

    Every problem is reported (LangGraph raises the first: its messages come in its order),
    at the call that made the edge or router; the edges and routers in question are left
    out of the spec, so that flowc's checker does not report them again. Returns the
    indexes of those edges and routers.
    """
    bp = low.bp
    known = set(bp.node_names())
    sources: list[Diagnostic] = []
    targets: list[Diagnostic] = []
    ends: list[Diagnostic] = []
    bad_edges: set[int] = set()
    bad_branches: set[int] = set()
    for index, edge in enumerate(bp.edges):
        for source in edge.sources:
            if source != START and source not in known:
                bad_edges.add(index)
                sources.append(
                    Diagnostic.error(
                        "E104",
                        f"Found edge starting at unknown node '{source}'",
                        edge.span,
                        _did_you_mean(source, [*sorted(known), "START"]),
                    )
                )
        if edge.target != END and edge.target not in known:
            bad_edges.add(index)
            ends.append(
                Diagnostic.error(
                    "E104",
                    f"Found edge ending at unknown node `{edge.target}`",
                    edge.span,
                    _did_you_mean(edge.target, [*sorted(known), "END"]),
                )
            )
    for index, branch in enumerate(bp.branches):
        if branch.source != START and branch.source not in known:
            bad_branches.add(index)
            sources.append(
                Diagnostic.error(
                    "E104",
                    f"Found edge starting at unknown node '{branch.source}'",
                    branch.span,
                    _did_you_mean(branch.source, [*sorted(known), "START"]),
                )
            )
        name = _router_name(branch.path) or "condition"
        for target in _branch_ends(branch):
            if target != END and target not in known:
                bad_branches.add(index)
                targets.append(
                    Diagnostic.error(
                        "E104",
                        f"At '{branch.source}' node, '{name}' branch found unknown target "
                        f"'{target}'",
                        branch.span,
                        _did_you_mean(target, [*sorted(known), "END"]),
                    )
                )
    for record in bp.nodes:
        # where a node's Command may go (`destinations=`, or `-> Command[Literal[...]]`)
        named = (
            [t for t, _ in record.destinations]
            if record.destinations is not None
            else list(_command_ends(record.action))
        )
        unknown = [t for t in named if t != END and t not in known]
        for target in unknown:
            ends.append(
                Diagnostic.error(
                    "E104",
                    f"Found edge ending at unknown node `{target}`",
                    record.span,
                    _did_you_mean(target, [*sorted(known), "END"]),
                )
            )
        if unknown:
            low.superseded.append(("E310", f"node `{record.name}` returns a Command"))
    entry: list[Diagnostic] = []
    if any(START in bp.edges[i].sources for i in bad_edges):
        # the edge from START is reported: that nothing leaves START repeats it
        low.superseded.append(("E204", f"graph `{graph}`"))
    if not any(START in e.sources for e in bp.edges) and not any(
        b.source == START for b in bp.branches
    ):
        entry.append(
            Diagnostic.error(
                "E204",
                "Graph must have an entrypoint: add at least one edge from START to another node",
                bp.compile_span or bp.state_span,
                "add an edge from START to the first node",
            )
        )
        low.superseded.append(("E204", f"graph `{graph}`"))
    low.diags.extend([*sources, *entry, *targets, *ends])
    return bad_edges, bad_branches


def _command_ends(action: Any) -> tuple[str, ...]:
    from ._draw import _command_ends as ends

    return ends(action)


def _router_name(path: Any) -> str | None:
    from ._builder import router_name

    return router_name(path)


def _branch_ends(branch: BranchRecord) -> tuple[str, ...]:
    """The nodes a router may lead to, as LangGraph reads them (none if it does not say)."""
    path_map = branch.path_map
    if isinstance(path_map, Mapping):
        return tuple(v for v in path_map.values() if isinstance(v, str))
    if path_map is not None:
        return tuple(t for t in path_map if isinstance(t, str))
    return _literal_targets(branch.path) or ()


def _did_you_mean(name: str, options: list[str]) -> str | None:
    close = difflib.get_close_matches(name, options, n=1)
    return f"did you mean `{close[0]}`?" if close else None


def _show(name: str) -> str:
    return {"__start__": "START", "__end__": "END"}.get(name, name)
