"""``langgraph.graph.state`` on flowc: the builder and the compiled graph."""

from __future__ import annotations

from .._builder import StateGraph
from .._compiled import CompiledStateGraph

__all__ = ["CompiledStateGraph", "StateGraph"]
