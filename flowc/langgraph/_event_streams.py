"""The event streams of a compiled graph: LangChain's ``astream_events`` (v1, v2) and
``astream_log``, and LangGraph's v3 runs (``stream_events`` / ``astream_events`` with
``version="v3"``).

v1/v2 are LangChain's own: a stream handler is added to the run's callbacks and
the graph is run with ``astream``; a run given callbacks reports the graph and
each task as chain runs (:mod:`flowc.integrations.langchain_callbacks`), which
is what the handler turns into events and run logs, exactly as for LangGraph's
graphs. LangChain is imported on the first call only.

v3 is flowc's own (:mod:`flowc.langgraph.stream`): the graph's ``stream`` in v2 parts, with
the subgraphs' and the modes the transformers ask for, pulled part by part through a
:class:`~flowc.langgraph.stream._mux.StreamMux` of the built-in transformers, the graph's
(``compile(transformers=...)``) and the call's.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from typing import Any

__all__ = ["_EventStreams"]

_V3_OWNED = ("stream_mode", "subgraphs")
"""What a v3 run decides itself: the modes (its transformers'), and subgraphs (always)."""

_Factory = Callable[[tuple[str, ...]], Any]

_CONTENT_BLOCKS = "__pregel_stream_messages_v2"
"""LangGraph's ``configurable`` key asking chat models for content-block events (what
``run.messages`` projects) instead of token chunks (read by flowc's LangChain handler)."""


def _with_content_blocks(config: Any) -> dict[str, Any]:
    given: dict[str, Any] = dict(config or {})
    given["configurable"] = {**(given.get("configurable") or {}), _CONTENT_BLOCKS: True}
    return given


def _refuse_owned(kwargs: Mapping[str, Any]) -> None:
    given = [key for key in _V3_OWNED if key in kwargs]
    if given:
        raise TypeError(
            "stream_events(version='v3') / astream_events(version='v3') do "
            f"not accept {', '.join(given)}; v3 owns these "
            "(stream_mode is built from the transformer mux, subgraphs is "
            "forced True so nested namespaces flow through scoped muxes)."
        )


def _factories(specs: Sequence[Any] | None) -> list[_Factory]:
    from .stream import StreamTransformer

    factories: list[_Factory] = []
    for spec in specs or ():
        if isinstance(spec, StreamTransformer):
            raise TypeError(
                "stream_events(version='v3') transformers must be scope-aware callables, "
                f"got pre-built instance {type(spec).__name__}. Pass the "
                "transformer class or a factory like "
                "`lambda scope: MyTransformer(scope, ...)`."
            )
        if not callable(spec):
            raise TypeError(
                "stream_events(version='v3') transformers must be scope-aware callables, "
                f"got {type(spec).__name__}."
            )
        factories.append(spec)
    return factories


def _parent_ns(*configs: Any) -> tuple[str, ...]:
    # a v3 run started inside a node projects its own level: the node's namespace
    ns = ""
    for config in configs:
        ns = ((config or {}).get("configurable") or {}).get("checkpoint_ns") or ns
    return tuple(ns.split("|")) if ns else ()


def _is_tool_message(part: Mapping[str, Any]) -> bool:
    # a v3 run leaves tool results to the state (LangGraph's v3 handler does not stream them)
    if part.get("type") != "messages":
        return False
    try:
        from langchain_core.messages import ToolMessage
    except ImportError:
        return False
    return isinstance(part["data"][0], ToolMessage)


def _v3_parts(parts: Iterator[Any]) -> Iterator[Any]:
    try:
        for part in parts:
            if not _is_tool_message(part):
                yield part
    finally:  # an aborted v3 run stops the graph's run
        close = getattr(parts, "close", None)
        if close is not None:
            close()


async def _av3_parts(parts: AsyncIterator[Any]) -> AsyncIterator[Any]:
    try:
        async for part in parts:
            if not _is_tool_message(part):
                yield part
    finally:
        aclose = getattr(parts, "aclose", None)
        if aclose is not None:
            await aclose()


def _modes(mux: Any) -> list[str]:
    modes: set[str] = set()
    for transformer in mux._transformers:
        modes.update(getattr(transformer, "required_stream_modes", ()))
    return sorted(modes)


class _EventStreams:
    """``astream_events`` / ``stream_events`` / ``astream_log`` for a compiled graph."""

    def astream_events(
        self,
        input: Any,
        config: Any = None,
        *,
        version: str = "v2",
        include_names: Sequence[str] | None = None,
        include_types: Sequence[str] | None = None,
        include_tags: Sequence[str] | None = None,
        exclude_names: Sequence[str] | None = None,
        exclude_types: Sequence[str] | None = None,
        exclude_tags: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> Any:
        """LangChain's event stream of a run (``version`` ``"v1"`` or ``"v2"``); with
        ``"v3"``, an awaitable of LangGraph's :class:`~flowc.langgraph.stream.AsyncGraphRunStream`.

        Every event LangGraph's graph gives: the graph's chain run, each task's
        (``on_chain_start`` / ``on_chain_stream`` / ``on_chain_end``), its routers',
        and those of the LangChain runnables and chat models its nodes call.
        ``kwargs`` go to :meth:`astream` (``stream_mode``, ``context``...).
        """
        if version == "v3":
            _refuse_owned(kwargs)
            return self._v3_run(input, config, kwargs.pop("transformers", None), kwargs)
        kwargs.pop("transformers", None)
        from langchain_core.runnables import Runnable

        # LangChain's implementation, for any object with astream and get_name
        as_runnable: Any = self
        return Runnable._astream_events_v1_v2(
            as_runnable,
            input,
            config=config,
            version=version,  # type: ignore[arg-type]
            include_names=include_names,
            include_types=include_types,
            include_tags=include_tags,
            exclude_names=exclude_names,
            exclude_types=exclude_types,
            exclude_tags=exclude_tags,
            **kwargs,
        )

    def stream_events(
        self,
        input: Any,
        config: Any = None,
        *,
        version: str = "v2",
        transformers: Sequence[Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        """A v3 run (:class:`~flowc.langgraph.stream.GraphRunStream`); v1/v2 are async only,
        as in LangChain.

        ``transformers``: factories ``(scope) -> StreamTransformer`` (or classes) added to
        the graph's; ``kwargs`` go to :meth:`stream` (``context``, ``durability``...).
        """
        if version == "v3":
            _refuse_owned(kwargs)
            from .stream import GraphRunStream

            mux, options = self._v3_mux(config, transformers, kwargs, is_async=False)
            stream = as_any(self).stream(input, _with_content_blocks(config), **options)
            return GraphRunStream(_v3_parts(iter(stream)), mux)
        raise NotImplementedError(
            f"stream_events(version={version!r}) is not supported. "
            "Use astream_events() for v1/v2, or stream_events(version='v3') "
            "on a supported subclass."
        )

    def _v3_mux(
        self,
        config: Any,
        transformers: Sequence[Any] | None,
        kwargs: dict[str, Any],
        *,
        is_async: bool,
    ) -> tuple[Any, dict[str, Any]]:
        from .stream._mux import StreamMux
        from .stream.transformers import (
            LifecycleTransformer,
            MessagesTransformer,
            SubgraphTransformer,
            ValuesTransformer,
        )

        graph: Any = self
        mux = StreamMux(
            factories=[
                ValuesTransformer,
                MessagesTransformer,
                LifecycleTransformer,
                SubgraphTransformer,
                *_factories(getattr(graph, "stream_transformers", ())),
                *_factories(transformers),
            ],
            scope=_parent_ns(getattr(graph, "config", None), config),
            is_async=is_async,
        )
        options = {**kwargs, "stream_mode": _modes(mux), "subgraphs": True, "version": "v2"}
        return mux, options

    def _v3_run(
        self, input: Any, config: Any, transformers: Sequence[Any] | None, kwargs: dict[str, Any]
    ) -> Awaitable[Any]:
        from .stream import AsyncGraphRunStream

        mux, options = self._v3_mux(config, transformers, kwargs, is_async=True)

        async def started() -> Any:
            parts = as_any(self).astream(input, _with_content_blocks(config), **options)
            return AsyncGraphRunStream(_av3_parts(parts.__aiter__()), mux)

        return started()

    def astream_log(self, input: Any, config: Any = None, **kwargs: Any) -> AsyncIterator[Any]:
        """LangChain's run log of a run: ``RunLogPatch`` es (``diff=False``: ``RunLog`` s)."""
        from langchain_core.runnables import Runnable

        as_runnable: Any = self
        stream: AsyncIterator[Any] = Runnable.astream_log(as_runnable, input, config, **kwargs)
        return stream


def as_any(graph: object) -> Any:
    """The compiled graph this mixin is part of (its ``stream``/``astream``)."""
    return graph
