"""LangGraph's node policies as flowc's: what ``add_node`` and ``set_node_defaults`` take.

``retry_policy=`` takes a :class:`~flowc.runtime.policies.RetryPolicy` (which
``flowc.langgraph.types`` exports as ``RetryPolicy``), a list of them, or
LangGraph's own (``langgraph.types.RetryPolicy``, read field by field, its
``default_retry_on`` taken as flowc's, which follows the same rules).
``cache_policy=`` takes a :class:`~flowc.runtime.policies.CachePolicy` or
LangGraph's (its ``default_cache_key`` taken as flowc's, the same function).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

from flowc.runtime import UpdatesEvent
from flowc.runtime._engine import Node
from flowc.runtime.policies import CachePolicy, RetryPolicy, default_cache_key, default_retry_on

__all__ = ["cache_namespace", "cache_policy", "handler_node", "retry_policies"]

_FIELDS = RetryPolicy._fields


def _is_langgraphs(fn: Any, name: str) -> bool:
    return getattr(fn, "__name__", None) == name and (
        getattr(fn, "__module__", None) or ""
    ).startswith("langgraph.")


def cache_policy(value: Any) -> CachePolicy:
    """``cache_policy=`` as flowc's policy.

    Raises:
        TypeError: for anything but a cache policy.
    """
    if isinstance(value, CachePolicy):
        return value
    if not (hasattr(value, "key_func") and hasattr(value, "ttl")):
        raise TypeError(f"cache_policy takes a CachePolicy, not {type(value).__name__}")
    key_func = value.key_func
    if _is_langgraphs(key_func, "default_cache_key"):
        key_func = default_cache_key
    return CachePolicy(key_func, value.ttl)


def cache_namespace(action: Any, node: str) -> tuple[str, ...]:
    """Where a node's cache entries live: its function's ``module.qualname`` and its name, so
    that graphs sharing a cache (one file, say) keep apart nodes of the same name."""
    module = getattr(action, "__module__", None)
    name = getattr(action, "__qualname__", None) or getattr(action, "name", None)
    where = f"{module}.{name}" if module and name else "__dynamic__"
    return ("__flowc_writes", where, node)


def _retry_policy(value: Any) -> RetryPolicy:
    if isinstance(value, RetryPolicy):
        policy = value
    elif all(hasattr(value, name) for name in _FIELDS):
        policy = RetryPolicy(*(getattr(value, name) for name in _FIELDS))
    else:
        raise TypeError(
            f"retry_policy takes a RetryPolicy or a list of them, not {type(value).__name__}"
        )
    retry_on = policy.retry_on
    if getattr(retry_on, "__name__", None) == "default_retry_on" and (
        getattr(retry_on, "__module__", None) or ""
    ).startswith("langgraph."):
        # LangGraph's default imports httpx and requests on every call; flowc's has its rules
        return policy._replace(retry_on=default_retry_on)
    if isinstance(retry_on, list):
        return policy._replace(retry_on=tuple(retry_on))
    return policy


def retry_policies(value: Any) -> tuple[RetryPolicy, ...]:
    """``retry_policy=`` as a tuple of flowc's policies (none for ``None``).

    Raises:
        TypeError: for anything but a policy or a sequence of them.
    """
    if value is None:
        return ()
    if isinstance(value, Sequence) and not hasattr(value, "max_attempts"):
        return tuple(_retry_policy(v) for v in value)
    return (_retry_policy(value),)


def _takes_error(param: inspect.Parameter) -> bool:
    # LangGraph passes the failure to a parameter `error` annotated NodeError (its own or ours)
    annotation = param.annotation
    return bool(getattr(annotation, "__name__", annotation) == "NodeError")


def handler_node(name: str, fn: Any, retry: tuple[RetryPolicy, ...] | None) -> Node:
    """The engine node of an error handler ``fn``: called with the failed node's input and,
    by name, ``error`` (a :class:`~flowc.langgraph.errors.NodeError`), ``config``, ``writer``
    and ``runtime``, as LangGraph calls it."""
    from flowc.dsl.usercode import is_async as _is_async

    from ._adapt import _with_runtime
    from .errors import NodeError

    fn = _with_runtime(fn)
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
    if _is_async(fn):

        async def acall(task: Any, inp: Any, values: Any, failure: Any) -> Any:
            return await fn(inp, **arguments(task, failure))

        def call(task: Any, inp: Any, values: Any, failure: Any) -> Any:
            raise TypeError(
                f'No synchronous function provided to "{name}".\nEither initialize with a '
                "synchronous function or invoke via the async API (ainvoke, astream, etc.)"
            )

    else:

        def call(task: Any, inp: Any, values: Any, failure: Any) -> Any:
            return fn(inp, **arguments(task, failure))

    # a handler's call takes the failure as a fourth argument (the engine's rescue_body)
    return Node(name, UpdatesEvent, call, acall=acall, retry=retry or ())  # type: ignore[arg-type]
