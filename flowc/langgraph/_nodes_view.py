"""A compiled graph's ``nodes`` as LangGraph shows them: a ``PregelNode`` per node, START's too.

Each names what triggers the node (``branch:to:<node>``, a join's channel), the channels it
reads, its tags, metadata and policies, and the callable or graph it runs (``bound``).
``copy(update)`` gives the node with some of those replaced, as LangGraph's does. What flowc
runs is the generated module's plan; these are a picture of it, read by code that inspects a
graph.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._adapt import _annotations, is_compiled_graph
from ._blueprint import Blueprint
from ._roots import is_root_state

__all__ = ["PregelNode", "pregel_nodes"]

_START = "__start__"
_HIDDEN = "langsmith:hidden"


@dataclass(frozen=True)
class PregelNode:
    """One node of a compiled graph, with the attributes of LangGraph's ``PregelNode``."""

    triggers: list[str]
    """The channels whose writes start the node."""
    channels: list[str] | str
    """The state keys the node reads (START reads its input channel, ``__start__``)."""
    bound: Any = None
    """What the node runs: its function, or the compiled graph of a subgraph node."""
    tags: list[str] | None = None
    metadata: Mapping[str, Any] | None = None
    retry_policy: Sequence[Any] | None = None
    cache_policy: Any = None
    timeout: Any = None
    subgraphs: list[Any] = field(default_factory=list)
    """The compiled graphs the node runs (a subgraph node's own)."""

    def copy(self, update: Mapping[str, Any]) -> PregelNode:
        """This node with the attributes ``update`` names replaced."""
        return dataclasses.replace(self, **update)


def _reads(bp: Blueprint, schema: Any) -> list[str] | str:
    """The keys a node reads; a root state's node reads its one channel, named alone."""
    if schema is not None and isinstance(schema, type):
        return list(_annotations(schema))
    if isinstance(bp.state, type) and not is_root_state(bp.state):
        keys = list(_annotations(bp.state))
        if keys:
            return keys
    return "__root__"


def pregel_nodes(bp: Blueprint, plan: Any) -> dict[str, PregelNode]:
    """``nodes`` of the graph compiled from ``bp`` (``plan``: its generated module's plan)."""
    triggers = {name: list(node.triggers) for name, node in plan.nodes.items()}
    out = {
        _START: PregelNode(triggers=[_START], channels=_START, tags=[_HIDDEN]),
    }
    for record in bp.nodes:
        policies = record.policies
        action = record.action
        out[record.name] = PregelNode(
            triggers=triggers.get(record.name, [f"branch:to:{record.name}"]),
            channels=_reads(bp, record.input_schema),
            bound=action,
            metadata=record.metadata,
            retry_policy=None if policies is None else policies.retry,
            cache_policy=None if policies is None else policies.cache,
            timeout=None if policies is None else policies.timeout,
            subgraphs=_subgraphs_of(action),
        )
    return out


def _subgraphs_of(action: Any) -> list[Any]:
    """A node's subgraph: the compiled graph it is, or the one its function names."""
    if is_compiled_graph(action):
        return [action]
    from ._scan import invoked_graph

    invoked = invoked_graph(action)
    return [] if invoked is None else [invoked]
