"""The topology pass: the shape of a graph whose wiring checked.

Takes the wiring pass's :class:`Wiring` (plain edges, joins, routers), the
node pass's :class:`CheckedNodes` (where Commands go, which keys each node
surely writes) and the state pass's :class:`CheckedState`; reports what would
go wrong at run time whatever the nodes do: nothing leaves START (E204), a
node no run reaches (E201), a loop of plain edges (E203), a node from which no
run can end (E202), and two nodes that can run in one superstep and both write
a key that keeps only the last value (E401). Gives only diagnostics.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from ..diagnostics import Loc, SourceMap
from ..graph import BranchInfo, JoinInfo
from ..spec import END, START, GraphSpec
from .nodes import CheckedNodes
from .report import and_list, node_list
from .state import CheckedState
from .wiring import RESERVED, WiredPass, Wiring

__all__ = ["TopologyPass"]

_MAX_CONCURRENCY_STATES = 5000
"""How many (running nodes, join progress) states the superstep analysis explores at most."""


class TopologyPass(WiredPass):
    """Analyses a graph's topology; :meth:`run` reports what it finds."""

    def __init__(
        self,
        spec: GraphSpec,
        smap: SourceMap,
        checked_state: CheckedState,
        wiring: Wiring,
        nodes: CheckedNodes,
    ) -> None:
        super().__init__(spec, smap, wiring)
        self.multi_routers = wiring.multi_routers
        self.state_types = checked_state.types
        self.reducer_fields = checked_state.reducer_fields
        self.definite_writes = nodes.definite_writes
        self.destinations = nodes.destinations

    def run(self) -> None:
        """Check the topology, then which nodes can write one key in one superstep."""
        w = self.wiring
        self.check_topology(w.succ, w.joins, w.end_joins, w.branches)
        self.check_concurrent_writes(w.succ, w.joins, w.branches)

    def check_topology(
        self,
        succ: Mapping[str, Sequence[str]],
        joins: Sequence[JoinInfo],
        end_joins: Sequence[tuple[str, ...]],
        branches: Mapping[str, Sequence[BranchInfo]],
    ) -> None:
        names = [n.name for n in self.spec.nodes]
        if not succ.get(START) and not branches.get(START):
            self.error(
                "E204",
                f"nothing starts graph `{self.spec.name}`: no edge leaves START",
                ("graph", "name"),
                "add an edge from START to the first node",
            )
            return
        forward: dict[str, set[str]] = {n: set() for n in [START, *names]}
        for src, targets in succ.items():
            forward.setdefault(src, set()).update(targets)
        for src, bs in branches.items():
            for b in bs:
                forward.setdefault(src, set()).update(b.targets)
        for src, goto in self.destinations.items():
            forward.setdefault(src, set()).update(goto)
        for sources in end_joins:
            for s in sources:
                forward[s].add(END)
        reached = _reachable(forward, joins)
        for name in names:
            if name not in reached and name not in RESERVED:
                waits = [j for j in joins if j.target == name and not set(j.sources) <= reached]
                hint = "add an edge or a router target that leads to it, or remove it"
                if waits:
                    missing = [s for s in waits[0].sources if s not in reached]
                    hint = f"it runs after a join that also waits for {node_list(missing)}, which no run reaches"
                self.error(
                    "E201", f"node `{name}` is unreachable from START", ("nodes", name), hint
                )
        for j in joins:
            for s in j.sources:
                forward[s].add(j.target)
        # plain edges always fire: a cycle made of them never stops
        static: dict[str, list[str]] = {n: [t for t in succ.get(n, ()) if t != END] for n in names}
        loops = _static_cycles(static)
        for cycle in loops:
            self.error(
                "E203",
                "cycle with no conditional exit: " + " → ".join([*cycle, cycle[0]]),
                self._edge_loc(cycle[-1], cycle[0]),
                "plain edges always fire, so this loop never stops; leave it through a router",
            )
        in_loops = {n for cycle in loops for n in cycle}
        # a node with no way out ends the run there (as in LangGraph)
        terminal = {n for n in names if not forward.get(n) or END in forward[n]}
        backward: dict[str, set[str]] = {}
        for src, dsts in forward.items():
            for d in dsts:
                backward.setdefault(d, set()).add(src)
        can_end = _closure_of(backward, terminal)
        # nodes that lead into a plain-edge cycle are covered by that cycle's diagnostic
        leads_to_loop = _closure_of(backward, in_loops)
        dead = {n for n in names if n in reached and n not in can_end and n not in leads_to_loop}
        for name in names:
            # report where a run enters the region it cannot leave, not every node in it
            if name not in dead or backward.get(name, set()) <= dead:
                continue
            self.error(
                "E202",
                f"a run that reaches node `{name}` can never end",
                ("nodes", name),
                "no path from it leads to END; give a router in its loop an END target",
            )

    def _edge_loc(self, src: str, dst: str) -> Loc:
        for i, edge in enumerate(self.spec.edges):
            if edge.sources == (src,) and dst in edge.targets:
                return ("edges", i, "to", edge.targets.index(dst))
        return ("nodes", src)

    def check_concurrent_writes(
        self,
        succ: Mapping[str, Sequence[str]],
        joins: Sequence[JoinInfo],
        branches: Mapping[str, Sequence[BranchInfo]],
    ) -> None:
        writes = self.definite_writes
        last_value = {name for name in self.state_types if name not in self.reducer_fields}
        if not any(writes.get(n, set()) & last_value for n in self.node_names):
            return
        conflicts: dict[str, set[frozenset[str]]] = {}
        for step in _possible_steps(
            succ, joins, branches, self.multi_routers, _MAX_CONCURRENCY_STATES
        ):
            for key in last_value:
                writers = frozenset(n for n in step if key in writes.get(n, ()))
                if len(writers) > 1:
                    conflicts.setdefault(key, set()).add(writers)
        order = {n.name: i for i, n in enumerate(self.spec.nodes)}
        found: list[tuple[int, int, str, list[str]]] = []
        for key, groups in conflicts.items():
            for group in groups:
                if any(group < other for other in groups):
                    continue
                members = sorted(group, key=lambda n: order.get(n, 0))
                found.append((order.get(members[1], 0), order.get(members[0], 0), key, members))
        for _, _, key, members in sorted(found):
            second = members[1]
            node = self.spec.node(second)
            where: Loc = ("nodes", second, "call", "return")
            if node is not None and node.writes is not None and key in node.writes:
                where = ("nodes", second, "writes", node.writes.index(key))
            both = "both" if len(members) == 2 else "all"
            self.error(
                "E401",
                f"nodes {and_list(members)} can run in the same superstep and {both} write `{key}`, "
                "which keeps only the last value",
                where,
                f"LangGraph fails at run time with InvalidUpdateError; give `{key}` a reducer, "
                "or let only one of them write it",
            )


def _possible_steps(
    succ: Mapping[str, Sequence[str]],
    joins: Sequence[JoinInfo],
    branches: Mapping[str, Sequence[BranchInfo]],
    multi: frozenset[int],
    limit: int,
) -> Iterator[frozenset[str]]:
    """Every set of nodes that can make up one superstep (explored up to ``limit`` states).

    A state is the set of nodes that ran in a step and how far each join has
    got; from it, plain edges always fire, each router picks one of its
    targets (or all of them, for a router that returns a list), and a join
    fires once all its sources have run.
    """
    Barrier = tuple[frozenset[str], ...]

    def next_steps(ran: frozenset[str], barrier: Barrier) -> list[tuple[frozenset[str], Barrier]]:
        fixed: set[str] = set()
        choices: list[tuple[tuple[str, ...], ...]] = []
        options: tuple[tuple[str, ...], ...]
        for name in sorted(ran):
            fixed.update(t for t in succ.get(name, ()) if t != END)
            for br in branches.get(name, ()):
                options = tuple((t,) for t in br.targets)
                if id(br) in multi:
                    options = (*options, br.targets)
                choices.append(options)
        new_barrier = list(barrier)
        for i, j in enumerate(joins):
            seen = barrier[i] | (ran & set(j.sources))
            if seen >= set(j.sources):
                fixed.add(j.target)
                seen = frozenset()
            new_barrier[i] = frozenset(seen)
        combos: list[frozenset[str]] = [frozenset(fixed)]
        for options in choices:
            combos = list(dict.fromkeys(c | set(o) for c in combos for o in options))[:64]
        return [(frozenset(t for t in combo if t != END), tuple(new_barrier)) for combo in combos]

    start: Barrier = tuple(frozenset() for _ in joins)
    frontier = next_steps(frozenset({START}), start)
    seen: set[tuple[frozenset[str], Barrier]] = set()
    while frontier and len(seen) < limit:
        state = frontier.pop()
        if state in seen or not state[0]:
            continue
        seen.add(state)
        yield state[0]
        frontier.extend(next_steps(*state))


def _reachable(forward: Mapping[str, set[str]], joins: Sequence[JoinInfo]) -> set[str]:
    """Nodes a run can reach from START; a join's target only once all its sources can run."""
    reached: set[str] = set()
    starts = {START}
    pending = list(joins)
    while starts:
        reached |= _closure_of(forward, starts)
        ready = [j for j in pending if set(j.sources) <= reached]
        pending = [j for j in pending if j not in ready]
        starts = {j.target for j in ready}
    return reached


def _closure_of(graph: Mapping[str, set[str]], starts: set[str]) -> set[str]:
    """Every node reachable from ``starts`` (included) in ``graph``."""
    seen: set[str] = set()
    todo = list(starts)
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(graph.get(node, ()))
    return seen


def _static_cycles(graph: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """One cycle for each strongly connected part of ``graph`` that has one.

    Tarjan's algorithm, written without recursion so graphs of any size are fine.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    parts: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(graph.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph.get(child, ()))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                part: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    part.append(member)
                    if member == node:
                        break
                if len(part) > 1 or node in graph.get(node, ()):
                    parts.append(part)
    cycles: list[list[str]] = []
    for part in parts:
        members = set(part)
        sub = {
            n: [m for m in graph.get(n, ()) if m in members]
            for n in sorted(members, key=list(graph).index)
        }
        cycle = _find_cycle(sub)
        if cycle is not None:
            cycles.append(cycle)
    return sorted(cycles, key=lambda c: list(graph).index(c[0]))


def _find_cycle(graph: Mapping[str, Sequence[str]]) -> list[str] | None:
    """One cycle of ``graph`` (as a node list), if it has any.

    Iterative depth-first search, so graphs of any size are fine.
    """
    color: dict[str, int] = {}
    for root in graph:
        if root in color:
            continue
        path: list[str] = [root]
        children: list[Iterator[str]] = [iter(graph.get(root, ()))]
        color[root] = 1
        while children:
            nxt = next(children[-1], None)
            if nxt is None:
                color[path.pop()] = 2
                children.pop()
                continue
            state = color.get(nxt)
            if state == 1:
                return path[path.index(nxt) :]
            if state is None:
                color[nxt] = 1
                path.append(nxt)
                children.append(iter(graph.get(nxt, ())))
    return None
