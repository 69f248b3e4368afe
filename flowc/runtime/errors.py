"""Errors raised by generated runners."""

from __future__ import annotations

__all__ = [
    "EmptyInputError",
    "GraphDrained",
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


class NodeError:
    """What a node's error handler is told of the failure (LangGraph's ``NodeError``).

    A handler receives it through a parameter ``error: NodeError``. Immutable, compared
    and shown as LangGraph's dataclass (written out: a runner imports no ``dataclasses``).

    Attributes:
        node: the name of the node that failed.
        error: what it raised.
    """

    __slots__ = ("error", "node")

    node: str
    error: BaseException

    def __init__(self, node: str, error: BaseException) -> None:
        object.__setattr__(self, "node", node)
        object.__setattr__(self, "error", error)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __eq__(self, other: object) -> bool:
        if type(other) is not NodeError:
            return NotImplemented
        return (self.node, self.error) == (other.node, other.error)

    def __hash__(self) -> int:
        return hash((self.node, self.error))

    def __repr__(self) -> str:
        return f"NodeError(node={self.node!r}, error={self.error!r})"


class GraphDrained(Exception):
    """A run stopped between supersteps because its ``RunControl`` asked it to drain.

    The checkpoint before the superstep it did not start is saved: a run on a
    thread goes on from there when given ``None`` as its input.
    """

    def __init__(self, reason: str = "shutdown") -> None:
        self.reason = reason
        super().__init__(f"Graph drained: {reason}")
