"""Errors raised by generated runners."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "EmptyInputError",
    "GraphRecursionError",
    "InvalidInputError",
    "InvalidUpdateError",
    "NodeError",
    "recursion_message",
]


def recursion_message(limit: int) -> str:
    """The message of :class:`GraphRecursionError`, word for word LangGraph's."""
    return (
        f"Recursion limit of {limit} reached without hitting a stop condition. "
        "You can increase the limit by setting the `recursion_limit` config key.\n"
        "For troubleshooting, visit: "
        "https://docs.langchain.com/oss/python/langgraph/errors/GRAPH_RECURSION_LIMIT"
    )


class GraphRecursionError(RecursionError):
    """A run needed more supersteps than its recursion limit allows."""


class EmptyInputError(Exception):
    """A run was started with ``None`` as its input."""


class InvalidUpdateError(Exception):
    """A node or router produced something the graph cannot apply."""


class InvalidInputError(ValueError):
    """The input of a run does not fit the graph's input type."""


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
