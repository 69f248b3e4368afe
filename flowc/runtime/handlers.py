"""Node error handlers: what runs in a failed node's place (LangGraph's ``error_handler=``).

A handler is called with the failed node's input and, by name, ``error`` (a
:class:`~flowc.runtime.errors.NodeError`: the node's name and what it raised)
when it has a parameter ``error`` annotated ``NodeError``, ``config`` and
``writer`` when it has them. It runs in the failed node's superstep, streams
its updates and task result under its own name (``__error_handler__<node>``),
and its writes stand in for the node's (see ``Engine.rescue``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

from ._outcomes import no_sync
from ._plan import Node
from .errors import NodeError
from .events import UpdatesEvent
from .policies import RetryPolicy

__all__ = ["error_handler", "handler_name"]


def handler_name(node: str) -> str:
    """The name a node's error handler runs and streams under (LangGraph's)."""
    return f"__error_handler__{node}"


def _takes_error(param: inspect.Parameter) -> bool:
    # the failure goes to a parameter `error` annotated NodeError (LangGraph's, or flowc's)
    annotation = param.annotation
    return bool(getattr(annotation, "__name__", annotation) == "NodeError")


def error_handler(
    name: str,
    fn: Callable[..., Any],
    *,
    is_async: bool,
    updated: type[UpdatesEvent[Any, Any]] = UpdatesEvent,
    retry: Sequence[RetryPolicy] = (),
) -> Node:
    """The engine node of the error handler ``fn``, called ``name`` (see the module docstring).

    Args:
        name: the handler's name, :func:`handler_name` of its node's.
        fn: the handler.
        is_async: ``fn`` is a coroutine function (a sync run of it fails, as a node's would).
        updated: the class of its updates events.
        retry: its own retry policies.
    """
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        params = {}  # type: ignore[assignment]
    error = "error" in params and _takes_error(params["error"])
    config = "config" in params
    writer = "writer" in params

    def arguments(task: Any, failure: tuple[str, BaseException]) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        if error:
            kwargs["error"] = NodeError(*failure)
        if config:
            kwargs["config"] = task.node_config()
        if writer:
            kwargs["writer"] = task.writer
        return kwargs

    call: Callable[..., Any]
    acall: Callable[..., Any] | None = None
    if is_async:

        async def acall(task: Any, inp: Any, values: Any, failure: Any) -> Any:
            return await fn(inp, **arguments(task, failure))

        def call(task: Any, inp: Any, values: Any, failure: Any) -> Any:
            raise no_sync(name)

    else:

        def call(task: Any, inp: Any, values: Any, failure: Any) -> Any:
            return fn(inp, **arguments(task, failure))

    # a handler's call takes the failure as a fourth argument (the engine's rescue_body)
    return Node(name, updated, call, acall=acall, retry=tuple(retry))  # type: ignore[arg-type]
