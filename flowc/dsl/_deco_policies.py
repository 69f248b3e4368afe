"""The policy arguments of the decorator DSL's ``node`` / ``add_node`` as spec data.

``retry=`` takes a :class:`~flowc.runtime.policies.RetryPolicy` (or a list of
them, or LangGraph's), ``timeout=`` seconds or a ``TimeoutPolicy``, ``cache=``
a ``CachePolicy`` (or ``True``), ``defer=`` a bool: each is written as the
TOML keys of the same meaning (``retry_on`` and ``key_func`` by their
``module:name``), so that both front ends give one spec, which the checker
then checks alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ._deco_parts import _raw_ref, reference_of

__all__ = ["POLICY_OPTIONS", "policy_fields"]

POLICY_OPTIONS = ("retry", "timeout", "cache", "defer")
"""The node options this module turns into spec keys."""

_RETRY_FIELDS = ("initial_interval", "backoff_factor", "max_interval", "max_attempts", "jitter")


class PolicyError(ValueError):
    """An option of the wrong kind: ``args`` are the option and what is wrong with it."""


def _ref(obj: Any) -> str:
    return reference_of(obj) or _raw_ref(obj)


def _is_default(fn: Any, name: str) -> bool:
    # flowc's default, or LangGraph's (which follows the same rules)
    return getattr(fn, "__name__", None) == name and (
        getattr(fn, "__module__", None) or ""
    ).startswith(("flowc.", "langgraph."))


def _retry(policy: Any) -> dict[str, Any]:
    if not all(hasattr(policy, key) for key in (*_RETRY_FIELDS, "retry_on")):
        raise PolicyError(
            "retry", f"`retry` takes a RetryPolicy or a list of them, not {type(policy).__name__}"
        )
    out = {key: getattr(policy, key) for key in _RETRY_FIELDS}
    on = policy.retry_on
    if not _is_default(on, "default_retry_on"):
        given = on if isinstance(on, Sequence) and not isinstance(on, str) else (on,)
        out["retry_on"] = tuple(_ref(item) for item in given)
    return out


def policy_fields(options: dict[str, Any]) -> dict[str, Any]:
    """``options``' policy arguments as :class:`~flowc.dsl.spec.NodeSpec` data (only those set).

    Raises:
        PolicyError: for an argument of the wrong kind.
    """
    out: dict[str, Any] = {}
    retry = options.get("retry")
    if retry is not None:
        many = isinstance(retry, Sequence) and not hasattr(retry, "max_attempts")
        out["retry"] = tuple(_retry(p) for p in (retry if many else (retry,)))
    timeout = options.get("timeout")
    if isinstance(timeout, bool):
        raise PolicyError("timeout", "`timeout` takes seconds or a TimeoutPolicy, not a bool")
    if isinstance(timeout, int | float):
        out["timeout"] = {"run_timeout": float(timeout)}
    elif timeout is not None:
        if not (hasattr(timeout, "run_timeout") and hasattr(timeout, "idle_timeout")):
            raise PolicyError(
                "timeout",
                f"`timeout` takes seconds or a TimeoutPolicy, not {type(timeout).__name__}",
            )
        out["timeout"] = {"run_timeout": timeout.run_timeout, "idle_timeout": timeout.idle_timeout}
    cache = options.get("cache")
    if cache is True:
        out["cache"] = {}
    elif cache is not None and cache is not False:
        if not (hasattr(cache, "key_func") and hasattr(cache, "ttl")):
            raise PolicyError(
                "cache", f"`cache` takes a CachePolicy or True, not {type(cache).__name__}"
            )
        key = None if _is_default(cache.key_func, "default_cache_key") else _ref(cache.key_func)
        out["cache"] = {"ttl": cache.ttl, "key": key}
    defer = options.get("defer")
    if defer is not None and not isinstance(defer, bool):
        raise PolicyError("defer", f"`defer` takes a bool, not {type(defer).__name__}")
    if defer:
        out["defer"] = True
    return out
