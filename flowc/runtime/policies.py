"""Node policies: retries and caching (LangGraph's ``RetryPolicy`` and ``CachePolicy``).

A node with retry policies runs through :func:`retrying` (or :func:`aretrying`
in async runs): a failed attempt whose error a policy retries on is run
again after that policy's interval, within the task, as LangGraph's
``run_with_retry`` does. So the task starts once and ends once in the
``tasks`` and ``debug`` streams, whatever the number of attempts; a failed
attempt writes nothing (a node's writes are what it returns); what an
attempt streamed while it ran (``custom`` chunks, messages) stays streamed.

A node with a :class:`CachePolicy`, in a run given a cache (:mod:`.caches`),
is looked up by its input before it runs: the engine's
:meth:`~._engine.Engine.look_up`. A hit skips the node and its routers: what
it wrote and where it led come from the cache.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from typing import Any, Final, NamedTuple, TypeVar

__all__ = [
    "CACHE",
    "CachePolicy",
    "RetryPolicy",
    "aretrying",
    "cache_key",
    "default_cache_key",
    "default_retry_on",
    "matching_policy",
    "retry_delay",
    "retrying",
]

T = TypeVar("T")


def default_retry_on(exc: Exception) -> bool:
    """LangGraph's default: retry on anything but errors that say the code is wrong.

    Connection errors are retried; an ``httpx`` or ``requests`` HTTP error
    only for a 5xx status; ``ValueError``, ``TypeError``, ``ArithmeticError``,
    ``ImportError``, ``LookupError``, ``NameError``, ``SyntaxError``,
    ``RuntimeError``, ``ReferenceError``, ``StopIteration``,
    ``StopAsyncIteration`` and ``OSError`` are not; every other exception is.
    """
    if isinstance(exc, ConnectionError):
        return True
    # an HTTP library's error can only be raised once the library is imported
    httpx = sys.modules.get("httpx")
    if httpx is not None and isinstance(exc, httpx.HTTPStatusError):
        return bool(500 <= exc.response.status_code < 600)
    requests = sys.modules.get("requests")
    if requests is not None and isinstance(exc, requests.HTTPError):
        response = exc.response
        return 500 <= response.status_code < 600 if response else True
    return not isinstance(exc, _NOT_RETRIED)


_NOT_RETRIED = (
    ValueError,
    TypeError,
    ArithmeticError,
    ImportError,
    LookupError,
    NameError,
    SyntaxError,
    RuntimeError,
    ReferenceError,
    StopIteration,
    StopAsyncIteration,
    OSError,
)


class RetryPolicy(NamedTuple):
    """How to retry a node that fails: LangGraph's ``RetryPolicy``, field for field.

    Attributes:
        initial_interval: seconds before the first retry.
        backoff_factor: what each further interval is multiplied by.
        max_interval: the longest interval, in seconds.
        max_attempts: the most attempts, the first one included.
        jitter: add a random fraction of a second to each interval.
        retry_on: the exception classes to retry on, or a function of the
            exception that says whether to retry (by default,
            :func:`default_retry_on`).
    """

    initial_interval: float = 0.5
    backoff_factor: float = 2.0
    max_interval: float = 128.0
    max_attempts: int = 3
    jitter: bool = True
    retry_on: type[Exception] | Sequence[type[Exception]] | Callable[[Exception], bool] = (
        default_retry_on
    )


def _retries_on(policy: RetryPolicy, exc: Exception) -> bool:
    retry_on = policy.retry_on
    if isinstance(retry_on, Sequence):
        return isinstance(exc, tuple(retry_on))
    if isinstance(retry_on, type) and issubclass(retry_on, Exception):
        return isinstance(exc, retry_on)
    if callable(retry_on):
        return bool(retry_on(exc))  # type: ignore[call-arg]
    raise TypeError(
        "retry_on must be an Exception class, a list or tuple of Exception classes, or a callable"
    )


def matching_policy(policies: Sequence[RetryPolicy], exc: BaseException) -> RetryPolicy | None:
    """The first of ``policies`` that retries on ``exc``, if any (only an ``Exception`` is)."""
    if not isinstance(exc, Exception):
        return None
    for policy in policies:
        if _retries_on(policy, exc):
            return policy
    return None


def retry_delay(policy: RetryPolicy, failures: int) -> float:
    """Seconds to wait after the ``failures``-th failed attempt (1 for the first)."""
    interval = min(
        policy.max_interval, policy.initial_interval * policy.backoff_factor ** (failures - 1)
    )
    if not policy.jitter:
        return interval
    import random

    return interval + random.uniform(0, 1)


def retrying(
    policies: Sequence[RetryPolicy],
    call: Callable[..., T],
    sleep: Callable[[float], Any] = time.sleep,
) -> Callable[..., T]:
    """``call`` run again under ``policies`` while it fails with an error they retry on.

    The first policy that retries on an error decides (its interval, its
    limit); failures are counted across policies, as in LangGraph. A failure
    that no policy retries on, or that reaches the deciding policy's
    ``max_attempts``, goes through unchanged.
    """
    policies = tuple(policies)

    def attempt(*args: Any) -> T:
        failures = 0
        while True:
            try:
                return call(*args)
            except Exception as exc:
                policy = matching_policy(policies, exc)
                if policy is None:
                    raise
                failures += 1
                if failures >= policy.max_attempts:
                    raise
                sleep(retry_delay(policy, failures))

    return attempt


def aretrying(
    policies: Sequence[RetryPolicy], acall: Callable[..., Awaitable[T]]
) -> Callable[..., Awaitable[T]]:
    """Async twin of :func:`retrying`: waits with ``asyncio.sleep``."""
    policies = tuple(policies)

    async def attempt(*args: Any) -> T:
        import asyncio

        failures = 0
        while True:
            try:
                return await acall(*args)
            except Exception as exc:
                policy = matching_policy(policies, exc)
                if policy is None:
                    raise
                failures += 1
                if failures >= policy.max_attempts:
                    raise
                await asyncio.sleep(retry_delay(policy, failures))

    return attempt


CACHE: Final = "__flowc_cache"
"""The ``configurable`` key of a run's node cache (a subgraph's runs use their parent's)."""


def _freeze(obj: Any, depth: int = 10) -> Any:
    # a mapping's items sorted, sequences as tuples: equal inputs make equal keys
    if depth <= 0 or isinstance(obj, Hashable):
        return obj
    if isinstance(obj, Mapping):
        return tuple(sorted((k, _freeze(v, depth - 1)) for k, v in obj.items()))
    if isinstance(obj, Sequence):
        return tuple(_freeze(x, depth - 1) for x in obj)
    if hasattr(obj, "tobytes"):
        return (type(obj).__name__, obj.tobytes(), getattr(obj, "shape", None))
    return obj


def default_cache_key(*args: Any, **kwargs: Any) -> bytes:
    """LangGraph's default cache key: the pickled input, dicts taken in sorted key order."""
    import pickle

    return pickle.dumps((_freeze(args), _freeze(kwargs)), protocol=5, fix_imports=False)


class CachePolicy(NamedTuple):
    """How to cache a node's writes: LangGraph's ``CachePolicy``.

    Attributes:
        key_func: makes the key of a node's input (bytes or text, hashed).
        ttl: seconds an entry lives (``None``: for good).
    """

    key_func: Callable[..., str | bytes] = default_cache_key
    ttl: int | None = None


def cache_key(
    policy: CachePolicy, namespace: tuple[str, ...], input: Any
) -> tuple[tuple[str, ...], str]:
    """The cache's key of a node's ``input``: its namespace and the hash of ``key_func(input)``."""
    import hashlib

    key = policy.key_func(input)
    data = key.encode() if isinstance(key, str) else key
    return namespace, hashlib.blake2b(data, digest_size=16).hexdigest()
