"""``langgraph.errors`` on flowc: the errors a flowc run raises where LangGraph raises these.

``GraphRecursionError`` (a :class:`RecursionError`, with LangGraph's message),
``InvalidUpdateError`` and ``EmptyInputError``; LangGraph's other errors (interrupts, parent
commands) belong to features flowc does not have yet.
"""

from __future__ import annotations

from flowc.runtime.errors import EmptyInputError, GraphRecursionError, InvalidUpdateError

__all__ = ["EmptyInputError", "GraphRecursionError", "InvalidUpdateError"]
