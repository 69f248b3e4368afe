"""``langgraph.errors`` on flowc: :class:`NodeError`, ``NodeTimeoutError`` and the errors a run
raises.

``from langgraph.errors import NodeError`` becomes ``from flowc.langgraph.errors import
NodeError``. ``GraphRecursionError``, ``InvalidUpdateError``, ``EmptyInputError`` and
``ParentCommand`` (a ``Command(graph=Command.PARENT)`` from the root graph; ``args[0]`` is the
command, as in LangGraph) are flowc's own (what flowc runs raise).
"""

from __future__ import annotations

from dataclasses import dataclass

from flowc.runtime.control import ParentCommand
from flowc.runtime.errors import EmptyInputError, GraphRecursionError, InvalidUpdateError
from flowc.runtime.interrupts import is_invalid_resume
from flowc.runtime.policies import NodeTimeoutError

__all__ = [
    "EmptyInputError",
    "GraphRecursionError",
    "InvalidUpdateError",
    "NodeError",
    "NodeTimeoutError",
    "ParentCommand",
    "is_invalid_resume",
]


@dataclass(frozen=True, slots=True)
class NodeError:
    """What a node's error handler is told of the failure (LangGraph's ``NodeError``).

    A handler receives it through a parameter ``error: NodeError``.

    Attributes:
        node: the name of the node that failed.
        error: what it raised.
    """

    node: str
    error: BaseException
