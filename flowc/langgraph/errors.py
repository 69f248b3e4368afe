"""``langgraph.errors`` on flowc: :class:`NodeError`, ``NodeTimeoutError`` and the errors a run
raises.

``from langgraph.errors import NodeError`` becomes ``from flowc.langgraph.errors import
NodeError``. ``GraphRecursionError``, ``InvalidUpdateError``, ``EmptyInputError``,
``GraphDrained``, ``NodeCancelledError`` (a node raised ``asyncio.CancelledError`` itself) and
``ParentCommand`` (a ``Command(graph=Command.PARENT)`` from the root graph;
``args[0]`` is the command, as in LangGraph) are flowc's own (what flowc runs raise).
"""

from __future__ import annotations

from flowc.runtime.control import ParentCommand
from flowc.runtime.errors import (
    EmptyInputError,
    GraphDrained,
    GraphRecursionError,
    InvalidUpdateError,
    NodeCancelledError,
    NodeError,
)
from flowc.runtime.interrupts import is_invalid_resume
from flowc.runtime.policies import NodeTimeoutError

__all__ = [
    "EmptyInputError",
    "GraphDrained",
    "GraphRecursionError",
    "InvalidUpdateError",
    "NodeCancelledError",
    "NodeError",
    "NodeTimeoutError",
    "ParentCommand",
    "is_invalid_resume",
]
