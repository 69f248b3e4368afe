"""The wiring pass: a spec's node names, edges and routers → who runs after whom.

Takes the spec and the names of the types flowc generates for it (router
annotations may use them); checks that node names can be Python names and
are declared once, that every edge and router target names a node (or START
and END where they may stand), and what each router may return; gives the
:class:`Wiring`: the plain successors of each node, the joins, the routers of
each node, and whether all of it checked (the topology pass runs only then).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from ..diagnostics import Loc, SourceMap
from ..graph import BranchInfo, JoinInfo, Ref
from ..names import node_name_problem
from ..spec import END, START, BranchSpec, GraphSpec
from ..typerules import compatible, router_literals, send_targets, show_type
from ..types import RefError, parse_ref, resolve_ref
from ..usercode import is_async, positional_parameters, resolve_annotations
from .report import Pass, did_you_mean, name_of, node_list, ref_hint, show_node

__all__ = ["RESERVED", "Wiring", "WiringPass"]

RESERVED = frozenset({START, END, "START", "END"})
"""Names no node may have."""


@dataclass(frozen=True, slots=True)
class Wiring:
    """What the wiring pass found, for the passes after it."""

    node_names: frozenset[str]
    succ: Mapping[str, Sequence[str]]
    """Each node's plain successors (START's too; END among them where an edge leads there)."""
    joins: tuple[JoinInfo, ...]
    end_joins: tuple[tuple[str, ...], ...]
    """The sources of each join that leads to END."""
    branches: Mapping[str, Sequence[BranchInfo]]
    """Each node's routers (START's too)."""
    multi_routers: frozenset[int]
    """``id`` of the :class:`BranchInfo` of routers that can pick several targets."""
    ok: bool
    """Whether every edge and router checked (else the topology is not analysed)."""
    sends: Mapping[str, tuple[Any, ...]]
    """Per node, the argument types routers' ``Send[Literal[node], T]`` annotations send it."""


class WiredPass(Pass):
    """A pass that runs once the wiring is known: the spec, its wiring and its node names
    at hand."""

    def __init__(self, spec: GraphSpec, smap: SourceMap, wiring: Wiring) -> None:
        super().__init__(smap)
        self.spec = spec
        self.wiring = wiring
        self.node_names = wiring.node_names


class WiringPass(Pass):
    """Checks node names, edges and routers; :meth:`run` gives the :class:`Wiring`."""

    def __init__(
        self,
        spec: GraphSpec,
        smap: SourceMap,
        generated_names: Callable[[], Mapping[str, Any]],
    ) -> None:
        super().__init__(smap)
        self.spec = spec
        self.generated_names = generated_names
        self.node_names: set[str] = set()
        self.multi_routers: set[int] = set()
        self.sends: dict[str, list[Any]] = {}

    def run(self) -> Wiring:
        """Check the wiring (see the module docstring)."""
        self.check_node_names()
        succ, joins, end_joins, edges_ok = self.check_edges()
        branches, branches_ok = self.check_branches()
        return Wiring(
            node_names=frozenset(self.node_names),
            succ=MappingProxyType({k: tuple(v) for k, v in succ.items()}),
            joins=tuple(joins),
            end_joins=tuple(end_joins),
            branches=MappingProxyType({k: tuple(v) for k, v in branches.items()}),
            multi_routers=frozenset(self.multi_routers),
            ok=edges_ok and branches_ok,
            sends=MappingProxyType({k: tuple(v) for k, v in self.sends.items()}),
        )

    def check_node_names(self) -> None:
        seen: set[str] = set()
        for node in self.spec.nodes:
            loc: Loc = ("nodes", node.name)
            if node.name in RESERVED:
                self.error(
                    "E102",
                    f"`{node.name}` is reserved and cannot name a node",
                    loc,
                    "START and END are the graph's virtual entry and exit",
                )
            elif (why := node_name_problem(node.name)) is not None:
                self.error(
                    "E101",
                    f"node name `{node.name}`: {why}",
                    loc,
                    "LangGraph keeps `|` and `:` for the namespaces of subgraphs' tasks",
                )
            if node.name in seen:
                self.error("E103", f"node `{node.name}` is declared more than once", loc)
            seen.add(node.name)
        self.node_names = seen

    # -- edges and branches

    def check_name_ref(self, name: str, loc: Loc, *, role: Literal["source", "target"]) -> bool:
        if name in self.node_names:
            return True
        if name == START and role == "source":
            return True
        if name == END and role == "target":
            return True
        if name == START:
            self.error("E106", "an edge cannot lead to START", loc, "START is where a run begins")
            return False
        if name == END:
            self.error("E106", "an edge cannot start at END", loc, "END is where a run stops")
            return False
        virtual = ["START"] if role == "source" else ["END"]
        hint = did_you_mean(name, [*sorted(self.node_names), *virtual])
        if hint is None and name.upper() in ("START", "END"):
            hint = f"write `{name.upper()}` (in Python: flowc's `{name.upper()}` constant)"
        self.error("E104", f"unknown node `{name}`", loc, hint or "declare it as a node first")
        return False

    def check_edges(
        self,
    ) -> tuple[dict[str, list[str]], list[JoinInfo], list[tuple[str, ...]], bool]:
        succ: dict[str, list[str]] = {}
        joins: list[JoinInfo] = []
        end_joins: list[tuple[str, ...]] = []
        ok_all = True
        for i, edge in enumerate(self.spec.edges):
            ok = True
            for j, src in enumerate(edge.sources):
                ok &= self.check_name_ref(src, ("edges", i, "from", j), role="source")
            for j, dst in enumerate(edge.targets):
                ok &= self.check_name_ref(dst, ("edges", i, "to", j), role="target")
            if not ok:
                ok_all = False
                continue
            if len(edge.sources) > 1:
                if START in edge.sources:
                    self.error(
                        "E106",
                        "START cannot be part of a join",
                        ("edges", i, "from", edge.sources.index(START)),
                        "START's edges run at the start anyway; join the nodes after it",
                    )
                    ok_all = False
                    continue
                for dst in edge.targets:
                    if dst == END:
                        end_joins.append(tuple(edge.sources))
                        continue
                    join = JoinInfo(tuple(edge.sources), dst)
                    if join not in joins:
                        joins.append(join)
                continue
            src = edge.sources[0]
            for dst in edge.targets:
                targets = succ.setdefault(src, [])
                if dst not in targets:
                    targets.append(dst)
        return succ, joins, end_joins, ok_all

    def check_branches(self) -> tuple[dict[str, list[BranchInfo]], bool]:
        out: dict[str, list[BranchInfo]] = {}
        ok = True
        for i, br in enumerate(self.spec.branches):
            info = self.check_branch(i, br)
            if info is None:
                ok = False
            else:
                out.setdefault(br.source, []).append(info)
        return out, ok

    def check_send(self, router: Any, name: str, arg: Any, loc: Loc) -> bool:
        """A router's ``Send[Literal[name], arg]``: ``name`` is a node that takes an ``arg``."""
        if name not in self.node_names:
            self.error(
                "E313",
                f"router `{name_of(router)}` sends to `{name}`, which is not a node of the graph",
                loc,
                did_you_mean(name, sorted(self.node_names)),
            )
            return False
        # the node takes what is sent to it, not the state (the node pass does not say it
        # cannot take the state, even when what is sent is wrong)
        self.sends.setdefault(name, []).append(arg)
        node = self.spec.node(name)
        takes = None if node is None or node.call is None else self.first_parameter_type(node.call)
        if takes is not None and not compatible(arg, takes):
            self.error(
                "E314",
                f"router `{name_of(router)}` sends `{show_type(arg)}` to node `{name}`, "
                f"which takes `{show_type(takes)}`",
                loc,
                f"send what `{name}` takes, or annotate its first parameter with `{show_type(arg)}`",
            )
            return False
        return True

    def first_parameter_type(self, call: str) -> Any:
        """The annotation of a node function's first parameter (``None``: unknown; the node pass
        reports a node that does not resolve)."""
        try:
            fn = resolve_ref(call)
        except (RefError, TypeError, ValueError):
            return None
        params = positional_parameters(fn)
        if not params:
            return None
        hints, _ = resolve_annotations(fn, self.generated_names())
        return hints.get(params[0].name)

    def check_branch(self, i: int, br: BranchSpec) -> BranchInfo | None:
        loc: Loc = ("branches", i)
        router_loc: Loc = (*loc, "router")
        ok = self.check_name_ref(br.source, (*loc, "from"), role="source")
        try:
            fn = resolve_ref(br.router)
            module, attr = parse_ref(br.router)
        except RefError as exc:
            self.error("E301", f"router: {exc}", router_loc, exc.hint or ref_hint(br.router))
            return None
        if not callable(fn):
            self.error("E303", f"router `{br.router}` is not callable", router_loc)
            return None
        try:
            params = list(inspect.signature(fn).parameters.values())
        except (TypeError, ValueError):
            params = []
        else:
            takes = [
                p
                for p in params
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
            ]
            if not takes:
                self.error(
                    "E304",
                    f"router `{name_of(fn)}` takes no argument, but a router is called with the state",
                    router_loc,
                    "add a first parameter `state`",
                )
                ok = False
        hints, failures = resolve_annotations(fn, self.generated_names())
        for pname, why in failures.items():
            self.error(
                "E302",
                f"router `{name_of(fn)}`: the annotation of `{pname}` does not resolve: {why}",
                (*router_loc, "return") if pname == "return" else router_loc,
            )
            ok = False
        literal = router_literals(hints["return"]) if "return" in hints else None
        declared: list[str] = []
        for name, arg in send_targets(hints.get("return")):
            # a Send names its node itself, whatever the router's targets or path map
            ok &= self.check_send(fn, name, arg, (*router_loc, "return", name))
            declared.append(name)
        if br.targets is not None and br.path_map is not None:
            self.error(
                "E004",
                "a conditional edge has either `targets` or `path_map`, not both",
                (*loc, "path_map"),
            )
            return None
        if br.path_map is not None:
            for key, dst in br.path_map.items():
                ok &= self.check_name_ref(dst, (*loc, "path_map", key), role="target")
                declared.append(dst)
            if literal is not None:
                for name in dict.fromkeys(literal[0]):
                    if name not in br.path_map:
                        self.error(
                            "E309",
                            f"router `{name_of(fn)}` can return `{name}`, which its path map does not map",
                            (*router_loc, "return", name),
                            f"path map keys: {node_list(br.path_map)}",
                        )
                        ok = False
        elif br.targets is not None:
            for j, dst in enumerate(br.targets):
                ok &= self.check_name_ref(dst, (*loc, "targets", j), role="target")
                declared.append(dst)
            if literal is not None:
                for name in dict.fromkeys(literal[0]):
                    if name not in declared:
                        self.error(
                            "E309",
                            f"router `{name_of(fn)}` can return `{show_node(name)}`, which is not among its targets",
                            (*router_loc, "return", name),
                            f"declared targets: {', '.join(show_node(t) for t in declared)}",
                        )
                        ok = False
        elif literal is not None:
            for name in dict.fromkeys(literal[0]):
                if name in self.node_names or name == END:
                    declared.append(name)
                    continue
                hint = did_you_mean(name, sorted(self.node_names))
                if name in ("END", "START", START):
                    hint = (
                        'a router ends the run by returning END (`"__end__"`)'
                        if name == "END"
                        else "a router cannot lead to START"
                    )
                self.error(
                    "E309",
                    f"router `{name_of(fn)}` can return `{name}`, which is not a node",
                    (*router_loc, "return", name),
                    hint,
                )
                ok = False
        else:
            self.error(
                "E310",
                f"the targets of router `{name_of(fn)}` are unknown",
                router_loc,
                "annotate its return type with `Literal[...]` of node names, or declare `targets`",
            )
            return None
        if not ok:
            return None
        info = BranchInfo(
            source=br.source,
            router=Ref(module, attr, fn),
            is_async=is_async(fn),
            targets=tuple(dict.fromkeys(declared)),
            path_map=None if br.path_map is None else tuple(br.path_map.items()),
            config_arg=any(p.name == "config" for p in params),
        )
        if literal is not None and literal[1]:
            self.multi_routers.add(id(info))
        return info
