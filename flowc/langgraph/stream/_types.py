"""The v3 stream protocol's envelope (:class:`ProtocolEvent`) and its extension point
(:class:`StreamTransformer`), as ``langgraph.stream._types``.

A v3 run turns each v2 stream part of the graph into a protocol event; a mux passes every
event through its transformers, which build projections (``run.values``, ``run.custom``...).
"""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from collections.abc import Coroutine
from typing import Any, ClassVar, Literal, NotRequired

from typing_extensions import TypedDict

__all__ = ["ProtocolEvent", "StreamTransformer", "transformer_requires_async"]

_logger = logging.getLogger(__name__)


class _ProtocolEventParams(TypedDict):
    """What an event carries: its namespace, wall-clock milliseconds and payload."""

    namespace: list[str]
    timestamp: int
    data: Any
    interrupts: NotRequired[tuple[Any, ...]]


class ProtocolEvent(TypedDict):
    """One event of a v3 stream; ``method`` is the stream mode (or a channel's name)."""

    type: Literal["event"]
    event_id: NotRequired[str]
    seq: NotRequired[int]
    method: str
    params: _ProtocolEventParams


_ASYNC_HOOKS = ("aprocess", "afinalize", "afail")


class StreamTransformer(ABC):
    """A projection of a run's protocol events, registered with a mux.

    ``init`` returns the projection (its keys become ``run.extensions``; with
    ``_native = True`` also attributes of the run). ``process`` (or ``aprocess``) sees every
    event in registration order and returns whether the event stays in the main log.
    ``finalize``/``fail`` end the run; the mux closes or fails the projection's channels.
    ``required_stream_modes`` are the modes the graph is asked for; ``before_builtins``
    registers the transformer ahead of the others; a transformer overriding an async hook
    (or with ``requires_async``) runs only under ``astream_events``, unless it sets
    ``supports_sync``.
    """

    requires_async: ClassVar[bool] = False
    supports_sync: ClassVar[bool] = False
    required_stream_modes: ClassVar[tuple[str, ...]] = ()
    before_builtins: ClassVar[bool] = False

    def __init__(self, scope: tuple[str, ...] = ()) -> None:
        self.scope: tuple[str, ...] = scope

    @abstractmethod
    def init(self) -> dict[str, Any]:
        """The projection: names to channels (or any other values)."""

    def _on_register(self, mux: Any) -> None:  # noqa: B027
        """Called once the mux has wired this transformer in (hook for subclasses)."""

    def process(self, event: ProtocolEvent) -> bool:
        """See ``event`` (sync lane); False keeps it out of the main log."""
        raise NotImplementedError(f"{type(self).__name__} must override process() or aprocess()")

    async def aprocess(self, event: ProtocolEvent) -> bool:
        """See ``event`` (async lane); by default as :meth:`process`."""
        return self.process(event)

    def finalize(self) -> None:  # noqa: B027
        """The run ended normally (sync lane)."""

    async def afinalize(self) -> None:
        """The run ended normally (async lane), after every scheduled task finished."""
        self.finalize()

    def fail(self, err: BaseException) -> None:  # noqa: B027
        """The run ended with ``err`` (sync lane)."""

    async def afail(self, err: BaseException) -> None:
        """The run ended with ``err`` (async lane), after scheduled tasks were cancelled."""
        self.fail(err)

    def schedule(
        self, coro: Coroutine[Any, Any, Any], *, on_error: Literal["log", "raise"] = "log"
    ) -> asyncio.Task[Any]:
        """Run ``coro`` as a task the mux awaits before ``afinalize`` (cancels on failure).

        With ``on_error="log"`` a failure is logged; with ``"raise"`` it fails the run.
        """
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            raise RuntimeError(
                f"{type(self).__name__}.schedule() requires a running "
                "event loop; this transformer must run under astream(), "
                "not stream(). Set requires_async=True on the class so "
                "this fails at registration rather than at first event."
            ) from None
        task = asyncio.create_task(_logged(coro) if on_error == "log" else coro)
        tasks = self._scheduled_task_set()
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        return task

    def _scheduled_task_set(self) -> set[asyncio.Task[Any]]:
        # Kept lazily so subclasses need not call super().__init__().
        tasks: set[asyncio.Task[Any]] | None = getattr(self, "_stream_scheduled_tasks", None)
        if tasks is None:
            tasks = set()
            self._stream_scheduled_tasks = tasks
        return tasks


async def _logged(coro: Coroutine[Any, Any, Any]) -> Any:
    try:
        return await coro
    except asyncio.CancelledError:
        raise
    except BaseException:
        _logger.exception("Scheduled StreamTransformer task failed")
        return None


def transformer_requires_async(transformer: StreamTransformer) -> bool:
    """Whether ``transformer`` needs an event loop (an async hook, or ``requires_async``)."""
    if transformer.requires_async:
        return True
    if transformer.supports_sync:
        return False
    cls = type(transformer)
    return any(getattr(cls, name) is not getattr(StreamTransformer, name) for name in _ASYNC_HOOKS)
