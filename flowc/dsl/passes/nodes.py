"""The node pass: each node of a spec → the :class:`NodeInfo` generated code runs.

Takes the spec, the state pass's :class:`CheckedState` and the wiring pass's
:class:`Wiring`; for each node, imports its function (and hands it to the
signature pass, :mod:`.signatures`) or checks the subgraph it names (through
:class:`.subgraphs.Subgraphs`), checks its declared ``writes`` and ``writer``,
and gives the nodes that checked, with what the topology pass needs of every
node, wrong or not: the keys each one surely writes and where its Commands go.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from ..diagnostics import Loc, SourceMap
from ..graph import BranchInfo, JoinInfo, NodeInfo, Ref, StateInfo
from ..names import node_name
from ..spec import END, GraphSpec, NodeSpec
from ..types import RefError, parse_ref, resolve_ref
from ..usercode import is_async
from .policies import check_policies
from .report import did_you_mean, name_of, ref_hint
from .signatures import inspect_signature
from .state import CheckedState
from .subgraphs import Subgraphs
from .wiring import WiredPass, Wiring

__all__ = ["CheckedNodes", "NodePass"]


@dataclass(frozen=True, slots=True)
class CheckedNodes:
    """What the node pass found."""

    nodes: tuple[NodeInfo, ...]
    """The nodes that checked, in the spec's order."""
    definite_writes: Mapping[str, frozenset[str]]
    """Per node, the keys every one of its updates writes (for the concurrency check)."""
    destinations: Mapping[str, tuple[str, ...]]
    """Per node returning ``Command[Literal[...]]``, where its commands may go."""


class NodePass(WiredPass):
    """Checks every node; :meth:`run` gives the :class:`CheckedNodes`."""

    def __init__(
        self,
        spec: GraphSpec,
        smap: SourceMap,
        checked_state: CheckedState,
        wiring: Wiring,
        generated_names: Callable[[], Mapping[str, Any]],
        subgraphs: Subgraphs,
    ) -> None:
        super().__init__(spec, smap, wiring)
        self.checked_state = checked_state
        self.has_key = checked_state.has_key
        self.keys = checked_state.keys
        self.generated_names = generated_names
        self.subgraphs = subgraphs
        self.definite_writes: dict[str, set[str]] = {}
        self.destinations: dict[str, tuple[str, ...]] = {}

    def run(self) -> CheckedNodes:
        """Check the nodes (see the module docstring)."""
        w = self.wiring
        self.check_destinations()
        self.check_breakpoints()
        node_infos = []
        for node in self.spec.nodes:
            info = self.check_node(node, self.checked_state.info, w.succ, w.joins, w.branches)
            if info is not None:
                node_infos.append(info)
        return CheckedNodes(
            nodes=tuple(node_infos),
            definite_writes=MappingProxyType(
                {k: frozenset(v) for k, v in self.definite_writes.items()}
            ),
            destinations=MappingProxyType(dict(self.destinations)),
        )

    def check_destinations(self) -> None:
        """A node's declared ``destinations`` (where its Commands may go) must be nodes."""
        for node in self.spec.nodes:
            if not node.destinations:
                continue
            unknown = [t for t in node.destinations if t != END and t not in self.node_names]
            if unknown:
                self.error(
                    "E310",
                    f"node `{node.name}` may go to `{unknown[0]}` (its destinations), "
                    "which is not a node of the graph",
                    ("nodes", node.name, "destinations"),
                    did_you_mean(unknown[0], sorted(self.node_names)),
                )
                continue
            self.destinations[node.name] = (
                *self.destinations.get(node.name, ()),
                *node.destinations,
            )

    def check_breakpoints(self) -> None:
        """``interrupt_before`` / ``interrupt_after`` name nodes of the graph (or ``"*"``)."""
        for key in ("interrupt_before", "interrupt_after"):
            names: tuple[str, ...] = getattr(self.spec, key) or ()
            for i, name in enumerate(names):
                if name == "*" or name in self.node_names:
                    continue
                self.error(
                    "E104",
                    f"`{key}` names `{name}`, which is not a node of the graph",
                    ("graph", key, i),
                    did_you_mean(name, sorted(self.node_names)),
                )

    def check_node(
        self,
        node: NodeSpec,
        state: StateInfo | None,
        succ: Mapping[str, Sequence[str]],
        joins: Sequence[JoinInfo],
        branches: Mapping[str, Sequence[BranchInfo]],
    ) -> NodeInfo | None:
        loc: Loc = ("nodes", node.name)
        if (node.call is None) == (node.subgraph is None):
            self.error(
                "E107",
                f"node `{node.name}` needs exactly one of `call` and `subgraph`",
                loc,
                "`call` names a function (`package.module:function`), `subgraph` another spec",
            )
            return None
        triggers = self.triggers_of(node.name, succ, joins, branches)
        # a node whose name is refused (check_node_names) is still checked, never built
        name = node_name(node.name)
        common = dict(
            name=name,
            tags=node.tags,
            metadata=tuple(node.metadata.items()),
            description=node.description,
            triggers=triggers,
            successors=tuple(t for t in succ.get(node.name, ()) if t != END),
            branches=tuple(branches.get(node.name, ())),
            joins=tuple(i for i, j in enumerate(joins) if node.name in j.sources),
            streams=node.streams,
            interrupts=self.resolve_type_expr(node.interrupts, (*loc, "interrupts")),
            resumes=self.resolve_type_expr(node.resumes, (*loc, "resumes")),
            policies=check_policies(self, node),
        )
        custom = self.resolve_type_expr(node.custom_type, (*loc, "custom_type"))
        declared_writes = self.check_declared_writes(node)
        if node.subgraph is not None:
            # what its subgraph's interrupts ask and take it may declare (else its subgraph's
            # nodes' declarations count, see CheckedGraph.declared); its writes are the subgraph's
            for key in ("writer", "writes", "streams"):
                if getattr(node, key) is not None:
                    self.error(
                        "E004", f"subgraph node `{node.name}` cannot declare `{key}`", (*loc, key)
                    )
            sub, found = self.subgraphs.check(node, state, self.checked_state)
            self.diags.extend(found)
            if sub is None:
                return None
            # a subgraph with an output schema gives back those of its keys only (LangGraph's
            # node writes what the subgraph's invoke returns)
            given = sub.output_keys
            shared = tuple(
                f.name
                for f in sub.state.fields
                if self.has_key(f.name) and (given is None or f.name in given)
            )
            self.definite_writes[node.name] = set()
            if name is None:
                return None
            return NodeInfo(
                call=None,
                subgraph=sub,
                is_async=False,
                writer_arg=None,
                config_arg=None,
                input_keys=None,
                update_type=None,
                writes=shared,
                custom_type=custom,
                **common,  # type: ignore[arg-type]
            )
        assert node.call is not None
        try:
            fn = resolve_ref(node.call)
            module, attr = parse_ref(node.call)
        except RefError as exc:
            hint = exc.hint or ref_hint(node.call)
            self.error("E301", f"node `{node.name}`: {exc}", (*loc, "call"), hint)
            return None
        if not callable(fn):
            self.error("E303", f"node `{node.name}`: `{node.call}` is not callable", (*loc, "call"))
            return None
        sig, found = inspect_signature(
            node,
            fn,
            state,
            spec=self.spec,
            smap=self.smap,
            checked_state=self.checked_state,
            node_names=self.node_names,
            generated_names=self.generated_names,
            sent=self.wiring.sends.get(node.name, ()),
        )
        self.diags.extend(found)
        if sig.definite_writes is not None:
            self.definite_writes[node.name] = set(sig.definite_writes)
        if sig.destinations is not None:
            self.destinations[node.name] = (
                *self.destinations.get(node.name, ()),
                *sig.destinations,
            )
        sig_info = sig.signature
        if sig_info is None:
            return None
        writer_arg, config_arg, input_keys, update_type, writes = sig_info
        if declared_writes is False:
            return None
        if declared_writes is not None:
            writes = declared_writes
            self.definite_writes[node.name] = set(declared_writes)
        if node.writer is True and writer_arg is None:
            self.error(
                "E304",
                f"node `{node.name}` is declared with `writer = true`, but `{name_of(fn)}` has no `writer` parameter",
                (*loc, "writer"),
                "add a parameter `writer: StreamWriter`",
            )
            return None
        if node.writer is False and writer_arg is not None:
            try:
                required = (
                    inspect.signature(fn).parameters["writer"].default is inspect.Parameter.empty
                )
            except (TypeError, ValueError, KeyError):
                required = False
            if required:
                self.error(
                    "E304",
                    f"node `{node.name}` is declared with `writer = false`, but `{name_of(fn)}` requires `writer`",
                    (*loc, "writer"),
                    "give the `writer` parameter a default, or pass the writer",
                )
                return None
            writer_arg = None
        unresolved = any(
            common[key] is None and getattr(node, key) is not None
            for key in ("interrupts", "resumes")
        )
        if (custom is None and node.custom_type is not None) or name is None or unresolved:
            return None
        return NodeInfo(
            call=Ref(module, attr, fn),
            subgraph=None,
            is_async=is_async(fn),
            writer_arg=writer_arg,
            config_arg=config_arg,
            input_keys=input_keys,
            update_type=update_type,
            writes=writes,
            custom_type=custom,
            **common,  # type: ignore[arg-type]
        )

    def check_declared_writes(self, node: NodeSpec) -> tuple[str, ...] | Literal[False] | None:
        if node.writes is None:
            return None
        ok = True
        for i, key in enumerate(node.writes):
            if not self.has_key(key):
                self.error(
                    "E306",
                    f"node `{node.name}` declares that it writes `{key}`, which the state does not have",
                    ("nodes", node.name, "writes", i),
                    did_you_mean(key, self.keys()),
                )
                ok = False
        return tuple(node.writes) if ok else False

    def triggers_of(
        self,
        name: str,
        succ: Mapping[str, Sequence[str]],
        joins: Sequence[JoinInfo],
        branches: Mapping[str, Sequence[BranchInfo]],
    ) -> tuple[str, ...]:
        # LangGraph gives every node its `branch:to:` channel, even one only a join reaches
        out = [f"branch:to:{name}"]
        out.extend(j.channel for j in joins if j.target == name)
        return tuple(out)
