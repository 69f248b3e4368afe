"""LangGraph's node policies as flowc's: what ``add_node`` and ``set_node_defaults`` take.

``retry_policy=`` takes a :class:`~flowc.runtime.policies.RetryPolicy` (which
``flowc.langgraph.types`` exports as ``RetryPolicy``), a list of them, or
LangGraph's own (``langgraph.types.RetryPolicy``, read field by field, its
``default_retry_on`` taken as flowc's, which follows the same rules).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flowc.runtime.policies import RetryPolicy, default_retry_on

__all__ = ["retry_policies"]

_FIELDS = RetryPolicy._fields


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
