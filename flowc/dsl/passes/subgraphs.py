"""The subgraph pass: a subgraph node → the checked graph it runs.

Takes a node that names another spec; loads that spec (through the front
end's :data:`SubgraphLoader`), checks it once per tree of graphs (a graph
named by several nodes is checked once, from a cache shared by the tree), and
checks that it fits its node: that it is not a graph it is part of, that the
tree stays within :data:`MAX_SUBGRAPH_DEPTH`, that no two graphs of the tree
would be compiled to the same module, and that the keys both states share
have the same type (a subgraph may share none: it then starts from an empty
input and gives nothing back, as in LangGraph). Gives the checked subgraph (``None`` when it does not fit)
with the diagnostics, and collects the source texts of the subgraphs' files
for the caller's result (the caller's :class:`SourceMap` is never edited).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..diagnostics import Diagnostic, Loc, Severity, SourceMap
from ..graph import CheckedGraph, CheckResult, StateInfo
from ..spec import GraphSpec, NodeSpec
from ..typerules import compatible, show_type
from .report import Pass, origin_key, short_origin
from .state import CheckedState

__all__ = ["MAX_SUBGRAPH_DEPTH", "SubgraphCache", "SubgraphLoader", "Subgraphs"]

SubgraphLoader = Callable[
    [str, str], tuple[GraphSpec | None, SourceMap, tuple[Diagnostic, ...], str]
]
"""``(reference, from_origin) -> (spec, source map, diagnostics, origin)`` for subgraph nodes."""

SubgraphCache = dict[str, CheckResult]
"""The check of each graph of a tree, by origin (shared by every graph of the tree)."""

MAX_SUBGRAPH_DEPTH = 32
"""How many graphs deep a tree of subgraphs may nest (the root counts one)."""


class Subgraphs:
    """The subgraph nodes of one graph: what they have found so far, across its nodes."""

    def __init__(
        self,
        spec: GraphSpec,
        smap: SourceMap,
        origin: str,
        load_subgraph: SubgraphLoader | None,
        stack: tuple[str, ...],
        cache: SubgraphCache,
        check_child: Callable[[GraphSpec, SourceMap, str], CheckResult],
    ) -> None:
        """``check_child`` checks a subgraph's spec as part of this graph's tree."""
        self.spec = spec
        self.smap = smap
        self.origin = origin
        self.load_subgraph = load_subgraph
        self.stack = stack
        self.cache = cache
        self.check_child = check_child
        self.warn_only: frozenset[str] = frozenset()
        """Codes the graph's check reports as warnings (a subgraph passes in spite of them)."""
        self.modules: dict[str, CheckedGraph | _Root] = {
            module: _Root(spec.name, origin) for module in (spec.name, f"{spec.name}_types")
        }
        """Module name → the graph compiled to it, for this graph's whole tree."""
        self.texts: dict[str, list[str]] = {}
        """The source lines of the subgraphs' files, for the graph's result."""

    def check(
        self, node: NodeSpec, state: StateInfo | None, checked_state: CheckedState
    ) -> tuple[CheckedGraph | None, list[Diagnostic]]:
        """Load, check and fit the subgraph that ``node`` names; see the module docstring."""
        run = _SubgraphCheck(self, checked_state)
        return run.check_subgraph(node, state), run.diags


class _SubgraphCheck(Pass):
    """The checks of one subgraph node; what lasts across nodes is in its :class:`Subgraphs`."""

    def __init__(self, tree: Subgraphs, checked_state: CheckedState) -> None:
        super().__init__(tree.smap)
        self.spec = tree.spec
        self.origin = tree.origin
        self.load_subgraph = tree.load_subgraph
        self.stack = tree.stack
        self.cache = tree.cache
        self.warn_only = tree.warn_only
        self.check_child = tree.check_child
        self.modules = tree.modules
        self.texts = tree.texts
        self.state_types = checked_state.types
        self.has_key = checked_state.has_key

    def check_subgraph(self, node: NodeSpec, state: StateInfo | None) -> CheckedGraph | None:
        loc: Loc = ("nodes", node.name, "subgraph")
        assert node.subgraph is not None
        if self.load_subgraph is None:
            self.error("E504", f"node `{node.name}`: subgraphs cannot be loaded here", loc)
            return None
        if len(self.stack) >= MAX_SUBGRAPH_DEPTH:
            self.error(
                "E006",
                f"subgraphs nest more than {MAX_SUBGRAPH_DEPTH} levels deep here, the limit",
                loc,
                f"{short_origin(self.stack[0])} down to graph `{self.spec.name}` is {len(self.stack)} "
                "graphs deep already; each level is a module that imports the next",
            )
            return None
        sub_spec, sub_map, diags, origin = self.load_subgraph(node.subgraph, self.origin)
        # the same file may be named by different paths (relative, absolute, via links)
        same = [origin_key(o) for o in self.stack]
        if origin_key(origin) in same:
            start = same.index(origin_key(origin))
            chain = " → ".join(short_origin(o) for o in [*self.stack[start:], origin])
            self.error(
                "E503",
                f"graph contains itself: {chain}",
                loc,
                "a subgraph cannot include a graph it is part of",
            )
            return None
        if sub_spec is None:
            located = [d for d in diags if d.span is not None and d.span.has_line]
            self.diags.extend(located)
            if not located:
                why = "; ".join(d.message for d in diags) or "it did not load"
                self.error(
                    "E504",
                    f"node `{node.name}`: cannot load subgraph `{node.subgraph}`: {why}",
                    loc,
                )
            return None
        result = self.cache.get(origin)
        if result is None:
            checked = self.check_child(sub_spec, sub_map, origin)
            result = CheckResult(checked.graph, (*diags, *checked.diagnostics), checked.source_map)
            self.cache[origin] = result
            self.diags.extend(result.diagnostics)
        self.texts.update(result.source_map.texts)
        if result.graph is None:
            # the subgraph's own diagnostics (in its own file) say what is wrong
            if not any(d.severity is Severity.ERROR for d in result.diagnostics):
                self.error("E504", f"subgraph `{node.subgraph}` did not check", loc)
            return None
        sub = result.graph
        if not self.check_module_names(sub, loc):
            return None
        if state is None:
            return sub
        # a subgraph may share no key at all: LangGraph runs it on an empty input and takes
        # nothing back (its node's update is `None`), so only the shared keys are checked
        shared = [f for f in sub.state.fields if self.has_key(f.name)]
        ok = True
        for f in shared:
            mine = self.state_types.get(f.name)
            theirs = f.type.obj
            if (
                mine is not None
                and theirs is not None
                and not (compatible(mine, theirs) and compatible(theirs, mine))
            ):
                self.error(
                    "E502",
                    f"key `{f.name}` is `{show_type(mine)}` here but `{show_type(theirs)}` in subgraph `{sub.name}`",
                    loc,
                    "a key both graphs share must have the same type in both",
                )
                ok = ok and "E502" in self.warn_only
        return sub if ok else None

    def check_module_names(self, sub: CheckedGraph, loc: Loc) -> bool:
        """Every graph of a tree is compiled into one package, as modules named after it."""
        for graph in sub.tree():
            for module in (graph.name, f"{graph.name}_types"):
                first = self.modules.setdefault(module, graph)
                if origin_key(first.origin) != origin_key(graph.origin):
                    self.error(
                        "E505",
                        f"graphs `{first.name}` ({first.origin}) and `{graph.name}` ({graph.origin}) "
                        f"would both be compiled to module `{module}`",
                        loc,
                        "the graphs of one tree become modules of one package, each named after "
                        "its graph: give one of them another name",
                    )
                    return False
        return True


@dataclass(frozen=True, slots=True)
class _Root:
    """The graph being checked, as :meth:`_SubgraphCheck.check_module_names` needs it."""

    name: str
    origin: str
