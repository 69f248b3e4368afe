""":class:`StreamChannel`: one projection's queue, drained by its single consumer
(``langgraph.stream.stream_channel``).

A channel is bound by its mux to the sync or the async lane. Items pushed before anyone
subscribed are dropped (nothing accumulates for a projection nobody reads); a named channel
also forwards every push to the main event log, subscribed or not. When its buffer is empty,
a cursor asks the run's pump for one more graph event: the consumer's loop drives the run.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Generic, Literal, TypeVar

if TYPE_CHECKING:
    from ._mux import StreamMux

__all__ = ["StreamChannel"]

T = TypeVar("T")

_Step = Literal["item", "end", "pull"]


class StreamChannel(Generic[T]):
    """A single-consumer queue of a projection's items (``name``: forwarded to the main log)."""

    def __init__(self, name: str | None = None, *, maxlen: int | None = None) -> None:
        if maxlen is not None and maxlen <= 0:
            raise ValueError("StreamChannel maxlen must be a positive int or None")
        self.name = name
        self._maxlen = maxlen
        # (stamp, item): the stamp orders items across channels for interleave()
        self._items: deque[tuple[int, T]] = deque()
        self._closed = False
        self._error: BaseException | None = None
        self._is_async: bool | None = None
        self._subscribed = False
        self._request_more: Callable[[], bool] | None = None
        self._arequest_more: Callable[[], Awaitable[bool]] | None = None
        self._wire_fn: Callable[[T], None] | None = None
        self._mux: StreamMux | None = None

    def _bind_mux(self, mux: StreamMux) -> None:
        self._mux = mux

    def _bind(self, *, is_async: bool) -> None:
        """Fix the lane (once): ``for`` on the sync lane, ``async for`` on the async one."""
        if self._is_async is not None:
            raise RuntimeError("StreamChannel is already bound")
        self._is_async = is_async

    def _wire(self, fn: Callable[[T], None]) -> None:
        self._wire_fn = fn

    def push(self, item: T) -> None:
        """Queue ``item`` for the subscriber (if any) and forward it if wired."""
        if self._subscribed:
            if self._closed:
                raise RuntimeError("Cannot push to a closed StreamChannel")
            stamp = self._mux._next_push_seq() if self._mux is not None else 0
            self._items.append((stamp, item))
        if self._wire_fn is not None:
            self._wire_fn(item)

    def close(self) -> None:
        """No more items: the cursor ends once the queue is drained."""
        self._closed = True

    def fail(self, err: BaseException) -> None:
        """No more items: the cursor raises ``err`` once the queue is drained."""
        self._error = err
        self._closed = True

    def _subscribe(self, *, is_async: bool) -> None:
        if self._is_async is None:
            raise TypeError(
                "StreamChannel has not been bound yet. "
                "Register the transformer with a StreamMux first."
            )
        if self._is_async != is_async:
            if self._is_async:
                raise TypeError(
                    "This StreamChannel is bound to async mode — use 'async for' instead."
                )
            raise TypeError("This StreamChannel is bound to sync mode — use 'for' instead.")
        if self._subscribed:
            fan_out = ".atee(n)" if is_async else ".tee(n)"
            raise RuntimeError(
                f"StreamChannel already has a subscriber; use {fan_out} for fan-out."
            )
        self._subscribed = True

    def __iter__(self) -> Iterator[T]:
        """The sync cursor (one per channel; :meth:`tee` for more)."""
        self._subscribe(is_async=False)
        return self._sync_cursor()

    def _next_step(self) -> _Step:
        """What a cursor does next: take a queued item, end (raising the run's error), or pull."""
        if self._items:
            return "item"
        if self._closed:
            if self._error is not None:
                raise self._error
            return "end"
        return "pull"

    def _sync_cursor(self) -> Iterator[T]:
        while (step := self._next_step()) != "end":
            if step == "item":
                yield self._items.popleft()[1]
            else:
                pulled = self._request_more is not None and self._request_more()
                if not pulled and self._next_step() == "pull":
                    return  # the pump had nothing more for this channel

    def __aiter__(self) -> AsyncIterator[T]:
        """The async cursor (one per channel; :meth:`atee` for more)."""
        self._subscribe(is_async=True)
        return self._async_cursor()

    async def _async_cursor(self) -> AsyncIterator[T]:
        while (step := self._next_step()) != "end":
            if step == "item":
                yield self._items.popleft()[1]
            else:
                pulled = self._arequest_more is not None and await self._arequest_more()
                if not pulled and self._next_step() == "pull":
                    return

    def tee(self, n: int = 2) -> tuple[Iterator[T], ...]:
        """``n`` sync cursors over the same items, each with its own buffer."""
        if n < 1:
            raise ValueError("tee() requires n >= 1")
        source = iter(self)
        buffers: list[deque[T]] = [deque() for _ in range(n)]
        done = [False]

        def branch(buffer: deque[T]) -> Iterator[T]:
            while True:
                if buffer:
                    yield buffer.popleft()
                    continue
                if done[0]:
                    return
                try:
                    item = next(source)
                except StopIteration:
                    done[0] = True
                    return
                for other in buffers:
                    other.append(item)

        return tuple(branch(buffer) for buffer in buffers)

    def atee(self, n: int = 2) -> tuple[AsyncIterator[T], ...]:
        """``n`` async cursors over the same items; one pulls at a time."""
        if n < 1:
            raise ValueError("atee() requires n >= 1")
        source = self.__aiter__()
        buffers: list[deque[T]] = [deque() for _ in range(n)]
        done = [False]
        error: list[BaseException | None] = [None]
        lock = asyncio.Lock()

        async def branch(buffer: deque[T]) -> AsyncIterator[T]:
            while True:
                if buffer:
                    yield buffer.popleft()
                    continue
                if done[0]:
                    if error[0] is not None:
                        raise error[0]
                    return
                async with lock:
                    if buffer or done[0]:
                        continue
                    try:
                        item = await source.__anext__()
                    except StopAsyncIteration:
                        done[0] = True
                        continue
                    except Exception as exc:
                        error[0] = exc
                        done[0] = True
                        continue
                    for other in buffers:
                        other.append(item)

        return tuple(branch(buffer) for buffer in buffers)
