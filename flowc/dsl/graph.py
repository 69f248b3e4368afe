"""The checked graph: a small, frozen IR between the checker and code generation.

Everything here has been resolved and validated: references are imported,
types are rendered as code with their imports, edges are grouped per node, and
the trigger channels of every node are known. Code generation reads only this.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .diagnostics import Diagnostic, SourceMap
from .names import Identifier, NodeName
from .spec import GraphSpec
from .types import Import, TypeRef

__all__ = [
    "AgentInfo",
    "BranchInfo",
    "CheckResult",
    "CheckedGraph",
    "JoinInfo",
    "NodeInfo",
    "PolicyInfo",
    "Ref",
    "RetryInfo",
    "StateField",
    "StateInfo",
    "ToolInfo",
]


@dataclass(frozen=True, slots=True)
class Ref:
    """A resolved ``module:attr`` reference and the object it names."""

    module: str
    attr: str
    obj: Any = field(compare=False, repr=False, default=None)

    @property
    def ref(self) -> str:
        """``module:attr``."""
        return f"{self.module}:{self.attr}"

    @property
    def top(self) -> str:
        """The module-level name that must be imported."""
        return self.attr.split(".")[0]

    def as_import(self, alias: str | None = None) -> Import:
        """The import that brings the reference's top-level name in."""
        return Import(self.module, self.top, alias)


@dataclass(frozen=True, slots=True)
class StateField:
    """One resolved state field."""

    name: Identifier
    type: TypeRef
    reducer: Ref | None = None
    initial: str | None = None
    """Code of the value a reducer field starts at (``[]``, ``0``), if any."""
    default: str | None = None
    """Code of the value nodes see while the field is unwritten, if any."""
    description: str | None = None
    untracked: bool = False
    """No checkpoint stores the field (see :mod:`flowc.runtime.channels`)."""


StateKind = Literal["typeddict", "dataclass", "pydantic"]


@dataclass(frozen=True, slots=True)
class StateInfo:
    """The state schema: the user's class, or fields flowc generates a class for."""

    kind: StateKind
    cls: Ref | None
    fields: tuple[StateField, ...]

    @property
    def generated(self) -> bool:
        """True when flowc generates the state class (TOML fields)."""
        return self.cls is None

    def field(self, name: str) -> StateField | None:
        """The field called ``name``, if any."""
        for f in self.fields:
            if f.name == name:
                return f
        return None


@dataclass(frozen=True, slots=True)
class BranchInfo:
    """A conditional edge out of a node (or out of START)."""

    source: str
    router: Ref
    is_async: bool
    targets: tuple[str, ...]
    """Every node (or END) the router can lead to, in declaration order."""
    path_map: tuple[tuple[str, str], ...] | None
    config_arg: bool = False


@dataclass(frozen=True, slots=True)
class JoinInfo:
    """A join edge: ``target`` runs once every source has finished."""

    sources: tuple[str, ...]
    target: str

    @property
    def channel(self) -> str:
        """LangGraph's name of the join's trigger channel."""
        return f"join:{'+'.join(self.sources)}:{self.target}"


@dataclass(frozen=True, slots=True)
class ToolInfo:
    """A resolved tool of an agent: its reference and the arguments the model sends."""

    ref: Ref
    name: str
    args: tuple[tuple[str, TypeRef], ...]


@dataclass(frozen=True, slots=True)
class AgentInfo:
    """A resolved prebuilt agent (:class:`flowc.dsl.spec.AgentSpec`)."""

    model: Ref
    tools: tuple[ToolInfo, ...]
    prompt: str | None
    response_format: TypeRef | None


@dataclass(frozen=True, slots=True)
class RetryInfo:
    """A checked retry policy (see :class:`~flowc.dsl.spec.RetrySpec`)."""

    initial_interval: float
    backoff_factor: float
    max_interval: float
    max_attempts: int
    jitter: bool
    retry_on: tuple[Ref, ...] | Ref | None
    """The exception classes to retry, a function deciding from the exception, or
    ``None`` for LangGraph's default rules."""


@dataclass(frozen=True, slots=True)
class PolicyInfo:
    """A node's checked policies."""

    retry: tuple[RetryInfo, ...] = ()
    timeout: tuple[float | None, float | None] | None = None
    """``(run_timeout, idle_timeout)`` of each attempt, if the node is timed."""
    cache: tuple[int | None, Ref | None] | None = None
    """``(ttl, key function)`` of the node's cache policy, if it has one."""
    defer: bool = False
    error_handler: Ref | None = None
    """What runs in the node's place when it fails."""
    handler_async: bool = False
    """Whether the error handler is a coroutine function."""


@dataclass(frozen=True, slots=True)
class NodeInfo:
    """A resolved node."""

    name: NodeName
    call: Ref | None
    subgraph: CheckedGraph | None
    is_async: bool
    writer_arg: str | None
    config_arg: str | None
    input_keys: tuple[str, ...] | None
    """Keys of a node-specific input schema (a TypedDict narrower than the state)."""
    update_type: Ref | None
    """The user's TypedDict the node's return annotation names, if any."""
    writes: tuple[str, ...] | None
    """Every state key the node can write, when known."""
    custom_type: TypeRef | None
    tags: tuple[str, ...]
    metadata: tuple[tuple[str, Any], ...]
    description: str | None
    triggers: tuple[str, ...]
    successors: tuple[str, ...]
    """Targets of plain edges out of this node (END left out)."""
    branches: tuple[BranchInfo, ...]
    joins: tuple[int, ...]
    """Indices of the joins (in :attr:`CheckedGraph.joins`) this node is a source of."""
    streams: bool | None = None
    """The spec's ``streams``: whether the node may emit while it runs (``None``: not said)."""
    interrupts: TypeRef | None = None
    """The type of the value the node passes to ``interrupt()``, if the spec says."""
    resumes: TypeRef | None = None
    """The type of the answer the node's ``interrupt()`` is resumed with, if the spec says."""
    policies: PolicyInfo | None = None
    """Retry, timeout, cache and defer, if the spec gives the node any."""


@dataclass(frozen=True, slots=True)
class CheckedGraph:
    """A graph that passed every check."""

    name: Identifier
    description: str | None
    origin: str
    """Where the spec came from: a file path, or ``module:attribute``."""
    digest: str
    recursion_limit: int | None
    state: StateInfo
    nodes: tuple[NodeInfo, ...]
    entry: tuple[str, ...]
    start_branches: tuple[BranchInfo, ...]
    joins: tuple[JoinInfo, ...]
    custom_type: TypeRef | None
    spec: GraphSpec = field(compare=False, repr=False)
    agent: AgentInfo | None = None
    """The prebuilt agent the graph is, if it is one (its nodes are the agent's)."""
    interrupt_before: tuple[str, ...] = ()
    """The nodes a run on a thread stops before (``("*",)``: every node)."""
    interrupt_after: tuple[str, ...] = ()
    """The nodes a run on a thread stops after."""
    codecs: tuple[tuple[str, str], ...] = ()
    """The state fields only pickle stores, as ``(field, "pickle")`` (the spec opted into
    pickle): a run on a thread checks its saver can store them (see
    :mod:`flowc.dsl.passes.codecs`)."""
    step_timeout: float | None = None
    """Seconds a superstep may take, if the graph limits them."""
    context_type: TypeRef | None = None
    """The type of a run's context, if the spec declares one."""
    input_keys: tuple[str, ...] | None = None
    """The keys a run's input may set (its input schema's), when not every key of the state."""
    output_keys: tuple[str, ...] | None = None
    """The keys ``invoke`` returns (its output schema's), when not every key of the state."""

    @property
    def interrupting(self) -> bool:
        """Whether a run of the graph can stop to be resumed: a node declares an interrupt,
        the graph has breakpoints, or a subgraph of it can stop."""
        return bool(self.interrupt_before or self.interrupt_after) or any(
            n.interrupts is not None
            or n.resumes is not None
            or (n.subgraph is not None and n.subgraph.interrupting)
            for n in self.nodes
        )

    def declared(self, key: str) -> list[TypeRef]:
        """What the graph's interrupts ask (``key`` ``"interrupts"``) or take (``"resumes"``):
        each node's declaration, in node order; a subgraph node without one counts its
        subgraph's (the subgraph's interrupts stop this graph's run, and its resume answers
        them)."""
        out: list[TypeRef] = []
        for node in self.nodes:
            declared = getattr(node, key)
            if declared is not None:
                out.append(declared)
            elif node.subgraph is not None:
                out.extend(node.subgraph.declared(key))
        return out

    def node(self, name: str) -> NodeInfo:
        """The node called ``name``."""
        for node in self.nodes:
            if node.name == name:
                return node
        raise KeyError(name)

    @property
    def subgraphs(self) -> tuple[CheckedGraph, ...]:
        """Direct subgraphs, one per graph (by name), in node order."""
        seen: dict[str, CheckedGraph] = {}
        for node in self.nodes:
            if node.subgraph is not None:
                seen.setdefault(node.subgraph.name, node.subgraph)
        return tuple(seen.values())

    def tree(self, *, children_first: bool = False) -> tuple[CheckedGraph, ...]:
        """This graph and every graph below it, each once (by name): each before its own
        subgraphs, or with ``children_first`` after them."""
        out: list[CheckedGraph] = []
        seen: set[str] = set()

        def visit(graph: CheckedGraph) -> None:
            if graph.name in seen:
                return
            seen.add(graph.name)
            if not children_first:
                out.append(graph)
            for sub in graph.subgraphs:
                visit(sub)
            if children_first:
                out.append(graph)

        visit(self)
        return tuple(out)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """A checked graph, or the diagnostics that stop it."""

    graph: CheckedGraph | None
    diagnostics: tuple[Diagnostic, ...]
    source_map: SourceMap

    @property
    def ok(self) -> bool:
        """True when there is a graph and no error."""
        return self.graph is not None
