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
from typing import Any, NamedTuple, TypeVar

from .config import CACHE

__all__ = [
    "CACHE",
    "CachePolicy",
    "NodeTimeoutError",
    "RetryPolicy",
    "TimeoutPolicy",
    "aretrying",
    "attempt_var",
    "cache_key",
    "current_attempt",
    "default_cache_key",
    "default_retry_on",
    "heartbeat",
    "matching_policy",
    "retry_delay",
    "retrying",
    "timed",
    "timeout_policy",
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


_attempt: Any = None


def attempt_var() -> Any:
    """The context variable holding the running attempt of a retried node: its number (from 1)
    and when the first attempt started (``time.time()``)."""
    global _attempt
    if _attempt is None:
        import contextvars

        _attempt = contextvars.ContextVar("flowc_node_attempt", default=None)
    return _attempt


def current_attempt() -> tuple[int, float | None]:
    """The running node's attempt number and its first attempt's start (``None``: not retried)."""
    current = None if _attempt is None else _attempt.get()
    return current if current is not None else (1, None)


class _Attempts:
    """The attempts of one call under retry policies, as a ``with`` block per attempt: the
    block holds the attempt's number in :func:`attempt_var`, and swallows a failure that a
    policy retries, leaving in :attr:`wait` how long to wait before the next attempt."""

    __slots__ = ("failures", "first", "policies", "token", "wait")

    def __init__(self, policies: tuple[RetryPolicy, ...]) -> None:
        self.policies = policies
        self.failures = 0
        self.first = time.time()
        self.wait = 0.0
        self.token: Any = None

    def __enter__(self) -> None:
        self.token = attempt_var().set((self.failures + 1, self.first))

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> bool:
        attempt_var().reset(self.token)
        if exc is None:
            return False
        policy = matching_policy(self.policies, exc)
        if policy is None:
            return False
        self.failures += 1
        if self.failures >= policy.max_attempts:
            return False
        self.wait = retry_delay(policy, self.failures)
        return True


def retrying(
    policies: Sequence[RetryPolicy],
    call: Callable[..., T],
    sleep: Callable[[float], Any] | None = None,
) -> Callable[..., T]:
    """``call`` run again under ``policies`` while it fails with an error they retry on.

    The first policy that retries on an error decides (its interval, its
    limit); failures are counted across policies, as in LangGraph. A failure
    that no policy retries on, or that reaches the deciding policy's
    ``max_attempts``, goes through unchanged. Without ``sleep``, ``time.sleep`` is looked up
    at each wait, so a test that patches it (as LangGraph's users do) takes the waits.
    """
    policies = tuple(policies)

    def attempt(*args: Any) -> T:
        attempts = _Attempts(policies)
        while True:
            with attempts:
                return call(*args)
            (sleep or time.sleep)(attempts.wait)

    return attempt


def aretrying(
    policies: Sequence[RetryPolicy], acall: Callable[..., Awaitable[T]]
) -> Callable[..., Awaitable[T]]:
    """Async twin of :func:`retrying`: waits with ``asyncio.sleep``."""
    import asyncio

    policies = tuple(policies)

    async def attempt(*args: Any) -> T:
        attempts = _Attempts(policies)
        while True:
            with attempts:
                return await acall(*args)
            await asyncio.sleep(attempts.wait)

    return attempt


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


# -- node timeouts


class TimeoutPolicy(NamedTuple):
    """How long one attempt of an async node may take: LangGraph's ``TimeoutPolicy``.

    Attributes:
        run_timeout: seconds an attempt may take in all.
        idle_timeout: seconds an attempt may go without progress: with
            ``refresh_on="auto"`` a ``custom`` chunk it writes or a heartbeat
            (``Runtime.heartbeat()``) is progress; with ``"heartbeat"`` only a
            heartbeat is.
        refresh_on: ``"auto"`` or ``"heartbeat"``.
    """

    run_timeout: float | None = None
    idle_timeout: float | None = None
    refresh_on: str = "auto"


def _seconds(value: Any, field: str) -> float | None:
    if value is None:
        return None
    seconds = value.total_seconds() if hasattr(value, "total_seconds") else float(value)
    if seconds <= 0:
        raise ValueError(f"{field} must be greater than 0")
    return float(seconds)


def timeout_policy(value: Any) -> TimeoutPolicy | None:
    """A node's ``timeout=`` as a policy, as LangGraph reads it: seconds (or a ``timedelta``)
    are a ``run_timeout``; ``None`` when no timeout is set.

    Raises:
        ValueError: for a timeout that is not positive, or another ``refresh_on``.
    """
    if value is None:
        return None
    if not hasattr(value, "run_timeout"):
        value = TimeoutPolicy(run_timeout=value)
    if value.refresh_on not in ("auto", "heartbeat"):
        raise ValueError("refresh_on must be 'auto' or 'heartbeat'")
    run = _seconds(value.run_timeout, "run_timeout")
    idle = _seconds(value.idle_timeout, "idle_timeout")
    if run is None and idle is None:
        return None
    return TimeoutPolicy(run, idle, value.refresh_on)


def sync_timeout_message(node: str) -> str:
    """LangGraph's error for a timeout on a node that runs sync."""
    return (
        "Node timeouts are only supported for async nodes because sync Python execution "
        f"cannot be safely cancelled in-process. Node {node!r} is sync."
    )


class NodeTimeoutError(Exception):
    """An attempt of a node took longer than its timeout allows (LangGraph's ``NodeTimeoutError``).

    Not a ``TimeoutError`` (an ``OSError``), so that the default retry policy retries it.

    Attributes:
        node: the node's name.
        elapsed: the seconds the attempt ran.
        kind: ``"run"`` or ``"idle"``: which timeout it exceeded.
        timeout: that timeout's seconds.
        run_timeout, idle_timeout: the node's timeouts.
    """

    def __init__(
        self,
        node: str,
        elapsed: float,
        *,
        kind: str,
        idle_timeout: float | None = None,
        run_timeout: float | None = None,
    ) -> None:
        if kind == "idle":
            assert idle_timeout is not None
            message = (
                f"Node '{node}' exceeded its idle timeout of {idle_timeout:.3f}s "
                f"without making progress (elapsed: {elapsed:.3f}s)."
            )
            self.timeout = idle_timeout
        else:
            assert run_timeout is not None
            message = (
                f"Node '{node}' exceeded its run timeout of {run_timeout:.3f}s "
                f"(elapsed: {elapsed:.3f}s)."
            )
            self.timeout = run_timeout
        super().__init__(message)
        self.node = node
        self.elapsed = elapsed
        self.kind = kind
        self.idle_timeout = idle_timeout
        self.run_timeout = run_timeout


class Progress:
    """When the attempt of a timed node last made progress (its idle timeout counts from it)."""

    __slots__ = ("at", "auto")

    def __init__(self, at: float, auto: bool) -> None:
        self.at = at
        self.auto = auto

    def beat(self) -> None:
        """A heartbeat: the node is still at work."""
        import time as _time

        self.at = _time.monotonic()


_progress: Any = None


def progress_var() -> Any:
    """The context variable holding the running timed attempt's :class:`Progress`."""
    global _progress
    if _progress is None:
        import contextvars

        _progress = contextvars.ContextVar("flowc_node_progress", default=None)
    return _progress


def heartbeat() -> None:
    """Tell the running node's idle timeout that the node is still at work (else nothing)."""
    if _progress is None:
        return
    current = _progress.get()
    if current is not None:
        current.beat()


def timed(
    policy: TimeoutPolicy, name: str, acall: Callable[..., Awaitable[T]]
) -> Callable[..., Awaitable[T]]:
    """``acall`` given up on with :class:`NodeTimeoutError` past ``policy``'s timeouts.

    The attempt runs as a task of its own, cancelled when it is late. Its
    ``custom`` chunks refresh the idle timeout under ``refresh_on="auto"``,
    heartbeats under both settings.
    """
    run_timeout, idle_timeout = policy.run_timeout, policy.idle_timeout
    auto = policy.refresh_on == "auto"

    async def attempt(task: Any, *args: Any) -> T:
        import asyncio
        import time as _time

        started = _time.monotonic()
        progress = Progress(started, auto)
        var = progress_var()
        token = var.set(progress)
        writer = task.writer
        if auto and idle_timeout is not None:

            def refreshing(chunk: Any) -> None:
                progress.beat()
                writer(chunk)

            task._writer = refreshing
        work = asyncio.ensure_future(acall(task, *args))
        try:
            while True:
                now = _time.monotonic()
                waits = []
                if run_timeout is not None:
                    waits.append(started + run_timeout - now)
                if idle_timeout is not None:
                    waits.append(progress.at + idle_timeout - now)
                done, _ = await asyncio.wait({work}, timeout=max(0.0, min(waits)))
                if done:
                    return work.result()
                now = _time.monotonic()
                kind = None
                if run_timeout is not None and now - started >= run_timeout:
                    kind = "run"
                elif idle_timeout is not None and now - progress.at >= idle_timeout:
                    kind = "idle"
                if kind is None:
                    continue
                work.cancel()
                await asyncio.gather(work, return_exceptions=True)
                raise NodeTimeoutError(
                    name,
                    now - started,
                    kind=kind,
                    idle_timeout=idle_timeout,
                    run_timeout=run_timeout,
                )
        finally:
            if not work.done():
                # the attempt itself was cancelled (its run ended): so is the node's task
                work.cancel()
            var.reset(token)
            if auto and idle_timeout is not None:
                task._writer = writer

    return attempt
