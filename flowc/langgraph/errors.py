"""``langgraph.errors`` on flowc: :class:`NodeError`, ``NodeTimeoutError`` and the errors a run
raises.

``from langgraph.errors import NodeError`` becomes ``from flowc.langgraph.errors import
NodeError``. ``GraphRecursionError``, ``InvalidUpdateError`` and ``EmptyInputError`` are
flowc's own (what flowc runs raise).
"""

from __future__ import annotations

from flowc.runtime.errors import (
    EmptyInputError,
    GraphRecursionError,
    InvalidUpdateError,
    NodeError,
)
from flowc.runtime.interrupts import is_invalid_resume
from flowc.runtime.policies import NodeTimeoutError

__all__ = [
    "EmptyInputError",
    "GraphRecursionError",
    "InvalidUpdateError",
    "NodeError",
    "NodeTimeoutError",
    "is_invalid_resume",
]
