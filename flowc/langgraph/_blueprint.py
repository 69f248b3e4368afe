"""What a :class:`~flowc.langgraph.StateGraph` recorded: plain, frozen data.

``compile()`` freezes the builder into a :class:`Blueprint`; lowering it to a
:class:`~flowc.dsl.spec.GraphSpec`, drawing it and using it as a subgraph
all read this, never the (still mutable) builder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flowc.dsl.diagnostics import Diagnostic, Span

__all__ = ["Blueprint", "BranchRecord", "EdgeRecord", "NodeRecord"]


@dataclass(frozen=True, slots=True)
class NodeRecord:
    """An ``add_node`` call."""

    name: str
    action: Any
    """A callable, or a compiled flowc graph (a subgraph node)."""
    metadata: dict[str, Any] | None
    input_schema: Any
    span: Span | None
    destinations: tuple[tuple[str, str], ...] = ()
    """``add_node(destinations=...)``: where a node that returns ``Command`` may go, each
    with the label its drawn edge shows (the name itself when not given)."""


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

    def node_names(self) -> tuple[str, ...]:
        """Node names in the order they were added (without duplicates)."""
        return tuple(dict.fromkeys(n.name for n in self.nodes))
