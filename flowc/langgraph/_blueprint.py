"""What a :class:`~flowc.langgraph.StateGraph` recorded: plain, frozen data.

``compile()`` freezes the builder into a :class:`Blueprint`; lowering it to a
:class:`~flowc.dsl.spec.GraphSpec`, drawing it and using it as a subgraph
all read this, never the (still mutable) builder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flowc.dsl.diagnostics import Diagnostic, Span
from flowc.dsl.usercode import is_async as is_async_callable

__all__ = ["Blueprint", "BranchRecord", "EdgeRecord", "NodePolicies", "NodeRecord", "NodeRunnable"]


@dataclass(frozen=True, slots=True)
class NodePolicies:
    """What ``add_node`` asked of a node besides running it: flowc's policy objects."""

    retry: tuple[Any, ...] | None = None
    """Retry policies (:class:`flowc.runtime.policies.RetryPolicy`), the first matching wins;
    ``None`` if not given (``set_node_defaults`` may then give some)."""
    defer: bool = False
    """Run the node only when nothing else is left to run."""
    cache: Any = None
    """A cache policy (:class:`flowc.runtime.policies.CachePolicy`); ``None`` if not given."""
    error_handler: tuple[str, Any, tuple[Any, ...] | None] | None = None
    """The node's error handler: its node's name, its function and its retry policies."""
    timeout: Any = None
    """The timeout of each attempt (:class:`flowc.runtime.policies.TimeoutPolicy`), if any."""

    def key(self) -> tuple[Any, ...]:
        """What tells these policies apart, for the cache of runner modules (functions and
        classes by identity)."""
        retry = tuple(
            (
                *p[:5],
                tuple(map(id, p.retry_on)) if isinstance(p.retry_on, tuple) else id(p.retry_on),
            )
            for p in self.retry or ()
        )
        cache = None if self.cache is None else (id(self.cache.key_func), self.cache.ttl)
        handler = self.error_handler
        handled = None if handler is None else (handler[0], id(handler[1]), handler[2])
        return (retry, self.defer, cache, handled, self.timeout)


@dataclass(frozen=True, slots=True)
class NodeRecord:
    """An ``add_node`` call."""

    name: str
    action: Any
    """A callable, or a compiled flowc graph (a subgraph node)."""
    metadata: dict[str, Any] | None
    input_schema: Any
    span: Span | None
    destinations: tuple[tuple[str, str], ...] | None = None
    """``add_node(destinations=...)``: where a node's ``Command`` may go, each with the label
    of its edge in drawings (``""`` for none)."""
    policies: NodePolicies | None = None
    """Retry policies and the like, if the call gave any."""
    trace_policy: Any = None
    """``add_node(trace_policy=...)``: what the node's task run records to tracers."""

    # LangGraph's `StateNodeSpec` attributes, read by code that inspects `builder.nodes`

    @property
    def runnable(self) -> Any:
        """What runs the node, as LangGraph's ``StateNodeSpec.runnable``: a graph or LangChain
        runnable as it is, else a :class:`NodeRunnable` whose ``func`` (``afunc`` for an
        async function) is the function given."""
        action = self.action
        if callable(getattr(action, "invoke", None)) and callable(getattr(action, "ainvoke", None)):
            return action
        if is_async_callable(action):
            return NodeRunnable(None, action, _name_of(action))
        return NodeRunnable(action, None, _name_of(action))

    @property
    def retry_policy(self) -> Any:
        """The node's retry policies as given (one, or a tuple), ``None`` if it has none."""
        retry = None if self.policies is None else self.policies.retry
        return retry[0] if retry is not None and len(retry) == 1 else retry

    @property
    def cache_policy(self) -> Any:
        """The node's cache policy, ``None`` if it has none."""
        return None if self.policies is None else self.policies.cache

    @property
    def defer(self) -> bool:
        """Whether the node runs only when nothing else is left to run."""
        return self.policies is not None and self.policies.defer

    @property
    def timeout(self) -> Any:
        """The node's timeout policy, ``None`` if it has none."""
        return None if self.policies is None else self.policies.timeout

    @property
    def ends(self) -> tuple[str, ...]:
        """``add_node(destinations=...)``'s node names (``()`` if not given)."""
        return tuple(name for name, _ in self.destinations or ())


@dataclass(frozen=True, slots=True)
class NodeRunnable:
    """A node's function as LangGraph's builder holds it (``builder.nodes[name].runnable``)."""

    func: Any
    """The function given, if it is synchronous."""
    afunc: Any
    """The function given, if it is asynchronous."""
    name: str | None


def _name_of(action: Any) -> str | None:
    name = getattr(action, "__name__", None)
    return name if isinstance(name, str) and name != "<lambda>" else None


@dataclass(frozen=True, slots=True)
class EdgeRecord:
    """An ``add_edge`` call; a list of sources (even of one) is a join."""

    sources: tuple[str, ...]
    target: str
    join: bool
    span: Span | None


@dataclass(frozen=True, slots=True)
class BranchRecord:
    """An ``add_conditional_edges`` call."""

    source: str
    path: Any
    path_map: Any
    """As given: a dict, a list, or ``None``."""
    span: Span | None


@dataclass(frozen=True, slots=True)
class Blueprint:
    """A builder, frozen by ``compile()``."""

    name: str
    state: Any
    state_span: Span | None
    compile_span: Span | None
    nodes: tuple[NodeRecord, ...]
    edges: tuple[EdgeRecord, ...]
    branches: tuple[BranchRecord, ...]
    problems: tuple[Diagnostic, ...]
    """Unsupported features asked for in the builder and ``compile()`` calls."""
    input_schema: Any = None
    """``StateGraph(input_schema=...)``, if not the state: the keys an input may set."""
    output_schema: Any = None
    """``StateGraph(output_schema=...)``, if not the state: the keys ``invoke`` returns."""

    def node_names(self) -> tuple[str, ...]:
        """Node names in the order they were added (without duplicates)."""
        return tuple(dict.fromkeys(n.name for n in self.nodes))
