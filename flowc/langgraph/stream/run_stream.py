"""A v3 run: :class:`GraphRunStream` (sync), :class:`AsyncGraphRunStream` and the
subgraph handles (``langgraph.stream.run_stream``).

No thread or background task runs the graph: reading any projection, the raw events or
``output`` pulls the graph's next stream part (the *pump*) when nothing is queued.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from types import MappingProxyType, TracebackType
from typing import TYPE_CHECKING, Any, Generic, NoReturn, TypeVar

from ._convert import convert_to_protocol_event
from ._mux import StreamMux
from ._types import ProtocolEvent
from .stream_channel import StreamChannel

if TYPE_CHECKING:
    from .transformers import LifecyclePayload, SubgraphStatus

_SubgraphT = TypeVar("_SubgraphT")

__all__ = ["AsyncGraphRunStream", "AsyncSubgraphRunStream", "GraphRunStream", "SubgraphRunStream"]


def _missing_projection(run: object, name: str) -> NoReturn:
    mux = run.__dict__.get("_mux")
    names = ", ".join(sorted(mux.native_keys)) if mux is not None else ""
    raise AttributeError(
        f"{type(run).__name__!r} object has no attribute {name!r} "
        f"(registered projections: {names or 'none'})"
    )


class _RunState(Generic[_SubgraphT]):
    """What both lanes track: the last values at the run's own level, and its interrupts.

    The native projections are set from the mux in :meth:`_start`; ``_SubgraphT`` is the
    lane's subgraph handle.
    """

    values: StreamChannel[dict[str, Any]]
    messages: StreamChannel[Any]
    lifecycle: StreamChannel[LifecyclePayload]
    subgraphs: StreamChannel[_SubgraphT]
    updates: StreamChannel[dict[str, Any]]
    custom: StreamChannel[Any]
    checkpoints: StreamChannel[dict[str, Any]]
    debug: StreamChannel[dict[str, Any]]
    tasks: StreamChannel[dict[str, Any]]

    _mux: StreamMux
    _scope_list: list[str]
    _latest: dict[str, Any] | None
    _interrupted: bool
    _interrupts: list[Any]

    def _start(self, mux: StreamMux) -> None:
        self._mux = mux
        self.extensions: Mapping[str, Any] = MappingProxyType(mux.extensions)
        self._exhausted = False
        self._latest = None
        self._interrupted = False
        self._interrupts = []
        self._scope_list = list(mux.scope)
        for key in mux.native_keys:
            setattr(self, key, mux.extensions[key])

    def _observe_event(self, event: ProtocolEvent) -> None:
        if event["method"] != "values" or event["params"]["namespace"] != self._scope_list:
            return
        self._latest = event["params"]["data"]
        interrupts = event["params"].get("interrupts", ())
        if interrupts:
            self._interrupted = True
            self._interrupts.extend(interrupts)

    def _raise_error(self) -> None:
        if (err := self._mux._events._error) is not None:
            raise err

    def __getattr__(self, name: str) -> StreamChannel[Any]:
        _missing_projection(self, name)


class GraphRunStream(_RunState["SubgraphRunStream"]):
    """A sync v3 run; the caller's ``for`` loop runs the graph.

    Native projections are attributes (``run.values``, ``run.messages``, ``run.lifecycle``,
    ``run.subgraphs``, and those of transformers registered on demand); all projections are
    in ``extensions``. Each projection takes one consumer (``tee(n)`` for more).
    """

    def __init__(
        self, graph_iter: Iterator[Any] | None, mux: StreamMux, *, wire_pump: bool = True
    ) -> None:
        self._graph_iter = graph_iter
        self._start(mux)
        if wire_pump:
            mux.bind_pump(self._pump_next)

    def _pump_next(self) -> bool:
        """Feed the graph's next part through the mux; False once the run is over."""
        if self._exhausted or self._graph_iter is None:
            return False
        try:
            part = next(self._graph_iter)
            event = convert_to_protocol_event(part)
            self._observe_event(event)
            self._mux.push(event)
            return True
        except StopIteration:
            self._mux.close()
            self._exhausted = True
            return False
        except Exception as exc:
            self._mux.fail(exc)
            self._exhausted = True
            return False

    def abort(self) -> None:
        """Stop the run (its generator is closed, cancelling running nodes); idempotent."""
        if self._exhausted:
            return
        self._exhausted = True
        graph_iter, self._graph_iter = self._graph_iter, None
        close = getattr(graph_iter, "close", None)
        if close is not None:
            with contextlib.suppress(Exception):
                close()
        with contextlib.suppress(Exception):
            self._mux.close()

    def __enter__(self) -> GraphRunStream:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.abort()

    def _drain(self) -> None:
        while self._pump_next():
            pass
        self._raise_error()

    @property
    def output(self) -> dict[str, Any] | None:
        """Run to the end; the last values of the run's own level (the run's error raises)."""
        self._drain()
        return self._latest

    @property
    def interrupted(self) -> bool:
        """Run to the end; whether the run stopped at an interrupt."""
        self._drain()
        return self._interrupted

    @property
    def interrupts(self) -> list[Any]:
        """Run to the end; the interrupts it stopped at."""
        self._drain()
        return self._interrupts

    def __iter__(self) -> Iterator[ProtocolEvent]:
        """The main event log."""
        return iter(self._mux._events)

    def interleave(self, *names: str) -> Iterator[tuple[str, Any]]:
        """``(name, item)`` of the named projections in the order their items were pushed."""
        from ._interleave import interleave

        return interleave(self, names)


class AsyncGraphRunStream(_RunState["AsyncSubgraphRunStream"]):
    """An async v3 run; awaiting cursors run the graph, one pull at a time.

    ``output()``, ``interrupted()`` and ``interrupts()`` are coroutines here. As an async
    context manager it aborts the run on exit.
    """

    def __init__(
        self, graph_aiter: AsyncIterator[Any] | None, mux: StreamMux, *, wire_pump: bool = True
    ) -> None:
        self._graph_aiter = graph_aiter
        self._start(mux)
        self._pump_cond = asyncio.Condition()
        self._pumping = False
        self._anext_task: asyncio.Future[Any] | None = None
        self._aborting = False
        if wire_pump:
            mux.bind_apump(self._apump_next)

    async def _apump_next(self) -> bool:
        """Pull one part, or wait while another cursor pulls one; False once over."""
        async with self._pump_cond:
            if self._exhausted or self._graph_aiter is None:
                return False
            if self._pumping:
                await self._pump_cond.wait()
                return not self._exhausted
            self._pumping = True
        try:
            return await self._pull()
        finally:
            async with self._pump_cond:
                self._pumping = False
                self._pump_cond.notify_all()

    async def _pull(self) -> bool:
        assert self._graph_aiter is not None
        try:
            # a task of its own, so that abort() can cancel a pull in flight (and with it
            # the running nodes and subgraphs)
            self._anext_task = asyncio.ensure_future(self._graph_aiter.__anext__())
            try:
                part = await self._anext_task
            except asyncio.CancelledError:
                if self._aborting:
                    self._exhausted = True
                    return False
                self._anext_task.cancel()
                raise
            finally:
                self._anext_task = None
            event = convert_to_protocol_event(part)
            self._observe_event(event)
            await self._mux.apush(event)
            return True
        except StopAsyncIteration:
            self._exhausted = True
            await self._mux.aclose()
            return False
        except Exception as exc:
            self._exhausted = True
            await self._mux.afail(exc)
            return False

    async def abort(self) -> None:
        """Stop the run, cancelling a pull in flight; idempotent."""
        async with self._pump_cond:
            if self._exhausted:
                return
            self._exhausted = True
            self._aborting = True
            graph_aiter, self._graph_aiter = self._graph_aiter, None
            anext_task = self._anext_task
            self._pump_cond.notify_all()
        if anext_task is not None and not anext_task.done():
            anext_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await anext_task
        aclose = getattr(graph_aiter, "aclose", None)
        if aclose is not None:
            with contextlib.suppress(Exception):
                await aclose()
        with contextlib.suppress(Exception):
            await self._mux.aclose()

    async def __aenter__(self) -> AsyncGraphRunStream:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.abort()

    async def _drain(self) -> None:
        while await self._apump_next():
            pass
        self._raise_error()

    async def output(self) -> dict[str, Any] | None:
        """Run to the end; the last values of the run's own level."""
        await self._drain()
        return self._latest

    async def interrupted(self) -> bool:
        """Run to the end; whether the run stopped at an interrupt."""
        await self._drain()
        return self._interrupted

    async def interrupts(self) -> list[Any]:
        """Run to the end; the interrupts it stopped at."""
        await self._drain()
        return self._interrupts

    def __aiter__(self) -> AsyncIterator[ProtocolEvent]:
        """The main event log."""
        return self._mux._events.__aiter__()


class _SubgraphHandle:
    """A subgraph's place in the run; ``status`` is kept by the :class:`SubgraphTransformer`."""

    path: tuple[str, ...]
    graph_name: str | None
    trigger_call_id: str | None
    status: SubgraphStatus
    error: str | None
    _seen_terminal: bool

    def _describe(
        self, path: tuple[str, ...], graph_name: str | None, trigger_call_id: str | None
    ) -> None:
        self.path = path
        self.graph_name = graph_name
        self.trigger_call_id = trigger_call_id
        self.status = "started"
        self.error = None
        self._seen_terminal = False


class SubgraphRunStream(GraphRunStream, _SubgraphHandle):
    """A subgraph's projections, fed by the parent run (reading them pulls the root run)."""

    def __init__(
        self,
        mux: StreamMux,
        *,
        path: tuple[str, ...],
        graph_name: str | None = None,
        trigger_call_id: str | None = None,
    ) -> None:
        self._parent_pump_fn: Callable[[], bool] | None = mux._pump_fn
        super().__init__(graph_iter=None, mux=mux, wire_pump=False)
        self._describe(path, graph_name, trigger_call_id)

    def _pump_next(self) -> bool:
        if self._exhausted or self._seen_terminal or self._mux._events._closed:
            return False
        return self._parent_pump_fn is not None and self._parent_pump_fn()


class AsyncSubgraphRunStream(AsyncGraphRunStream, _SubgraphHandle):
    """The async lane's :class:`SubgraphRunStream`."""

    def __init__(
        self,
        mux: StreamMux,
        *,
        path: tuple[str, ...],
        graph_name: str | None = None,
        trigger_call_id: str | None = None,
    ) -> None:
        self._parent_apump_fn: Callable[[], Awaitable[bool]] | None = mux._apump_fn
        super().__init__(graph_aiter=None, mux=mux, wire_pump=False)
        self._describe(path, graph_name, trigger_call_id)

    async def _apump_next(self) -> bool:
        if self._exhausted or self._seen_terminal or self._mux._events._closed:
            return False
        return self._parent_apump_fn is not None and await self._parent_apump_fn()
