""":class:`StreamMux`: a v3 run's transformers, their projections and its main event log
(``langgraph.stream._mux``).

The root mux numbers the events that reach its main log (``seq``); a subgraph handle's mux
(built with :meth:`StreamMux._make_child`, fresh transformers from the same factories)
shares the forwarded events and does not renumber them.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from typing import Any

from ._types import ProtocolEvent, StreamTransformer, transformer_requires_async
from .stream_channel import StreamChannel

__all__ = ["StreamMux", "TransformerFactory"]

TransformerFactory = Callable[[tuple[str, ...]], StreamTransformer]
"""Builds a mux's transformer for its scope (a transformer class is one)."""


class StreamMux:
    """Routes protocol events through transformers into the main log.

    Args:
        transformers: built transformers, for this mux only.
        is_async: the lane every channel is bound to.
        factories: ``(scope) -> transformer``, called for this mux and again for each child.
        scope: the namespace this mux projects (``()`` at the root).
    """

    def __init__(
        self,
        transformers: list[StreamTransformer] | None = None,
        *,
        is_async: bool = False,
        factories: list[TransformerFactory] | None = None,
        scope: tuple[str, ...] = (),
        _assign_seq: bool = True,
    ) -> None:
        self.is_async = is_async
        self.scope: tuple[str, ...] = scope
        self._assign_seq = _assign_seq
        self._events: StreamChannel[ProtocolEvent] = StreamChannel()
        self._events._bind(is_async=is_async)
        self._events._bind_mux(self)
        self._transformers: list[StreamTransformer] = []
        self._channels: list[StreamChannel[Any]] = []
        self._seq = 0
        self._push_seq = 0
        self.extensions: dict[str, Any] = {}
        self.native_keys: set[str] = set()
        self._projection_owners: dict[str, str] = {}
        self._transformer_by_key: dict[str, StreamTransformer] = {}
        self._factories: list[TransformerFactory] | None = (
            list(factories) if factories is not None else None
        )
        self._pump_fn: Callable[[], bool] | None = None
        self._apump_fn: Callable[[], Awaitable[bool]] | None = None
        # factories first (they reach child muxes), then the built ones; in each group the
        # before_builtins transformers come first, the rest in the order given
        if factories is not None:
            self._register_all([factory(scope) for factory in factories])
        self._register_all(list(transformers or ()))

    def _register_all(self, transformers: list[StreamTransformer]) -> None:
        early = [t for t in transformers if getattr(t, "before_builtins", False)]
        late = [t for t in transformers if not getattr(t, "before_builtins", False)]
        for transformer in (*early, *late):
            self._register(transformer)

    def transformer_by_key(self, key: str) -> StreamTransformer | None:
        """The transformer whose projection holds ``key``."""
        return self._transformer_by_key.get(key)

    def _next_push_seq(self) -> int:
        self._push_seq += 1
        return self._push_seq

    def bind_pump(self, fn: Callable[[], bool]) -> None:
        """Let every cursor of this mux (and of its children) pull the run with ``fn``."""
        self._pump_fn = fn
        self._events._request_more = fn
        for channel in self._channels:
            channel._request_more = fn
        for transformer in self._transformers:
            bind = getattr(transformer, "_bind_pump", None)
            if bind is not None:
                bind(fn)

    def bind_apump(self, fn: Callable[[], Awaitable[bool]]) -> None:
        """The async lane's :meth:`bind_pump`."""
        self._apump_fn = fn
        self._events._arequest_more = fn
        for channel in self._channels:
            channel._arequest_more = fn
        for transformer in self._transformers:
            bind = getattr(transformer, "_bind_apump", None)
            if bind is not None:
                bind(fn)

    def _make_child(self, scope: tuple[str, ...]) -> StreamMux:
        """A mux for a subgraph's namespace, with fresh transformers and this mux's pump."""
        if self._factories is None:
            raise RuntimeError(
                "StreamMux._make_child requires the mux to be constructed "
                "with `factories=`; pre-built transformers can't be "
                "cloned to a new scope."
            )
        child = StreamMux(
            factories=self._factories, is_async=self.is_async, scope=scope, _assign_seq=False
        )
        if self._pump_fn is not None:
            child.bind_pump(self._pump_fn)
        if self._apump_fn is not None:
            child.bind_apump(self._apump_fn)
        return child

    def _register(self, transformer: StreamTransformer) -> None:
        if transformer_requires_async(transformer) and not self.is_async:
            raise RuntimeError(
                f"{type(transformer).__name__} requires an async run — "
                "it overrides aprocess/afinalize/afail or sets "
                "requires_async=True. Use astream(), not stream()."
            )
        projection = transformer.init()
        if not isinstance(projection, dict):
            raise TypeError(
                f"StreamTransformer.init() must return a dict, got {type(projection).__name__}"
            )
        conflicts = sorted(set(projection) & set(self.extensions))
        if conflicts:
            owners = ", ".join(
                f"{key!r} (owned by {self._projection_owners[key]})" for key in conflicts
            )
            raise ValueError(
                f"Transformer {type(transformer).__name__} returned projection keys "
                f"that conflict with already-registered keys: {owners}"
            )
        native = bool(getattr(transformer, "_native", False))
        self._transformers.append(transformer)
        self._bind_and_wire(projection, native=native)
        self.extensions.update(projection)
        for key in projection:
            self._projection_owners[key] = type(transformer).__name__
            self._transformer_by_key[key] = transformer
        if native:
            self.native_keys.update(projection)
        transformer._on_register(self)

    def _bind_and_wire(self, projection: dict[str, Any], *, native: bool = False) -> None:
        # a named channel forwards its pushes to the main log: as its name for a native
        # transformer's, as custom:<name> for a user's
        for value in projection.values():
            if not isinstance(value, StreamChannel):
                continue
            value._bind(is_async=self.is_async)
            value._bind_mux(self)
            self._channels.append(value)
            if value.name is not None:
                method = value.name if native else f"custom:{value.name}"
                value._wire(self._forwarder(method))

    def _forwarder(self, method: str) -> Callable[[Any], None]:
        def forward(item: Any) -> None:
            self._forward(method, item)

        return forward

    def _append(self, event: ProtocolEvent) -> None:
        if self._assign_seq:
            self._seq += 1
            event["seq"] = self._seq
        self._events.push(event)

    def _forward(self, method: str, item: Any) -> None:
        # forwarded events skip the transformers (a transformer pushing from process()
        # would otherwise see its own output)
        self._append(
            {
                "type": "event",
                "method": method,
                "params": {"namespace": [], "timestamp": int(time.time() * 1000), "data": item},
            }
        )

    def push(self, event: ProtocolEvent) -> None:
        """Show ``event`` to every transformer, then log it unless one of them said False.

        ``seq`` is given when the event enters the log, so the events a transformer
        forwards while processing it come first.
        """
        keep = True
        for transformer in self._transformers:
            if not transformer.process(event):
                keep = False
        if keep:
            self._append(event)

    async def apush(self, event: ProtocolEvent) -> None:
        """:meth:`push` on the async lane (each ``aprocess`` awaited in turn)."""
        keep = True
        for transformer in self._transformers:
            if not await transformer.aprocess(event):
                keep = False
        if keep:
            self._append(event)

    def close(self) -> None:
        """Finalize every transformer, then close the channels and the log.

        Every step runs even if a ``finalize`` raises; the first error is raised at the end.
        """
        first = _first_error(transformer.finalize for transformer in self._transformers)
        self._close_channels()
        if first is not None:
            raise first

    async def aclose(self) -> None:
        """:meth:`close` on the async lane, after every scheduled task finished."""
        pending = self._collect_scheduled_tasks()
        if pending:
            results = await asyncio.gather(*pending, return_exceptions=True)
            for result in results:
                if isinstance(result, BaseException) and not isinstance(
                    result, asyncio.CancelledError
                ):
                    raise result
        first: BaseException | None = None
        for transformer in self._transformers:
            try:
                await transformer.afinalize()
            except BaseException as exc:
                first = first or exc
        self._close_channels()
        if first is not None:
            raise first

    def _close_channels(self) -> None:
        for channel in self._channels:
            if not channel._closed:
                channel.close()
        self._events.close()

    def fail(self, err: BaseException) -> None:
        """Tell every transformer the run failed, then fail the channels and the log."""
        for transformer in self._transformers:
            with contextlib.suppress(BaseException):
                transformer.fail(err)
        self._fail_channels(err)

    async def afail(self, err: BaseException) -> None:
        """:meth:`fail` on the async lane, after cancelling the scheduled tasks."""
        pending = self._collect_scheduled_tasks()
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
        for transformer in self._transformers:
            with contextlib.suppress(BaseException):
                await transformer.afail(err)
        self._fail_channels(err)

    def _fail_channels(self, err: BaseException) -> None:
        for channel in self._channels:
            if not channel._closed:
                channel.fail(err)
        if not self._events._closed:
            self._events.fail(err)

    def _collect_scheduled_tasks(self) -> list[asyncio.Task[Any]]:
        return [
            task
            for transformer in self._transformers
            for task in getattr(transformer, "_stream_scheduled_tasks", ())
            if not task.done()
        ]


def _first_error(calls: Any) -> BaseException | None:
    first: BaseException | None = None
    for call in calls:
        try:
            call()
        except BaseException as exc:
            first = first or exc
    return first
