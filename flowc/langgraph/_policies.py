"""LangGraph's node policies as flowc's: what ``add_node`` and ``set_node_defaults`` take.

``retry_policy=`` takes a :class:`~flowc.runtime.policies.RetryPolicy` (which
``flowc.langgraph.types`` exports as ``RetryPolicy``), a list of them, or
LangGraph's own (``langgraph.types.RetryPolicy``, read field by field, its
``default_retry_on`` taken as flowc's, which follows the same rules).
``cache_policy=`` takes a :class:`~flowc.runtime.policies.CachePolicy` or
LangGraph's (its ``default_cache_key`` taken as flowc's, the same function).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flowc.runtime._engine import Node
from flowc.runtime.handlers import error_handler
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


def handler_node(name: str, fn: Any, retry: tuple[RetryPolicy, ...] | None) -> Node:
    """The engine node of an error handler ``fn`` (see :mod:`flowc.runtime.handlers`), also
    given ``runtime`` by name, as LangGraph calls it."""
    from flowc.dsl.usercode import is_async as _is_async

    from ._adapt import _with_runtime

    fn = _with_runtime(fn)
    return error_handler(name, fn, is_async=_is_async(fn), retry=retry or ())
