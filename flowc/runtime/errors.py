"""Errors raised by generated runners."""

from __future__ import annotations

__all__ = [
    "EmptyInputError",
    "GraphDrained",
    "GraphRecursionError",
    "InvalidInputError",
    "InvalidUpdateError",
    "NodeCancelledError",
    "NodeError",
    "node_failure",
    "recursion_message",
]

import sys


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


class NodeCancelledError(Exception):
    """A node raised ``asyncio.CancelledError`` itself (LangGraph's ``NodeCancelledError``).

    A cancellation of the run stops its tasks silently; a node that raises the error from its
    own body has failed, and the run fails with this error (its ``__cause__`` is what the
    node raised) instead of waiting for a task that never reports.

    Attributes:
        node: the name of the node.
    """

    def __init__(self, node: str, message: str | None = None) -> None:
        super().__init__(message or f"Node {node!r} raised asyncio.CancelledError")
        self.node = node


def node_failure(node: str, exc: BaseException, in_task: bool) -> BaseException:
    """What a node's failure ``exc`` is to its run: ``exc`` itself, or a
    :class:`NodeCancelledError` when ``exc`` is an ``asyncio.CancelledError`` the node raised
    from its own body rather than a cancellation of the asyncio task running it (``in_task``:
    the node ran in that task, whose ``cancelling()`` tells the two apart)."""
    asyncio = sys.modules.get("asyncio")
    if asyncio is None:  # no event loop ever ran here: no CancelledError either
        return exc
    cancelled: type[BaseException] = asyncio.CancelledError
    if not isinstance(exc, cancelled):
        return exc
    if in_task:
        current = asyncio.current_task()
        if current is not None and current.cancelling():
            return exc
    error = NodeCancelledError(node)
    error.__cause__ = exc
    return error


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
