"""LangChain's event streams of a compiled graph: ``astream_events`` (v1, v2) and ``astream_log``.

They are LangChain's own: a stream handler is added to the run's callbacks and
the graph is run with ``astream``; a run given callbacks reports the graph and
each task as chain runs (:mod:`flowc.integrations.langchain_callbacks`), which
is what the handler turns into events and run logs, exactly as for LangGraph's
graphs. LangChain is imported on the first call only.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from ._errors import UnsupportedFeatureError

__all__ = ["_EventStreams"]

_V3 = (
    "LangGraph's v3 event streams (`version='v3'`, transformers) are not supported by flowc yet; "
    "use astream_events(version='v2') or stream(stream_mode=...)"
)


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
    ) -> AsyncIterator[Any]:
        """LangChain's event stream of a run (``version`` ``"v1"`` or ``"v2"``).

        Every event LangGraph's graph gives: the graph's chain run, each task's
        (``on_chain_start`` / ``on_chain_stream`` / ``on_chain_end``), its routers',
        and those of the LangChain runnables and chat models its nodes call.
        ``kwargs`` go to :meth:`astream` (``stream_mode``, ``context``...).
        """
        if version == "v3" or kwargs.get("transformers") is not None:
            raise UnsupportedFeatureError(_V3)
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
        self, input: Any, config: Any = None, *, version: str = "v2", **kwargs: Any
    ) -> Any:
        """LangGraph's v3 event stream is not supported; v1/v2 are async only, as in LangChain."""
        if version == "v3":
            raise UnsupportedFeatureError(_V3)
        raise NotImplementedError(
            f"stream_events(version={version!r}) is not supported. "
            "Use astream_events() for v1/v2, or stream_events(version='v3') "
            "on a supported subclass."
        )

    def astream_log(self, input: Any, config: Any = None, **kwargs: Any) -> AsyncIterator[Any]:
        """LangChain's run log of a run: ``RunLogPatch`` es (``diff=False``: ``RunLog`` s)."""
        from langchain_core.runnables import Runnable

        as_runnable: Any = self
        stream: AsyncIterator[Any] = Runnable.astream_log(as_runnable, input, config, **kwargs)
        return stream
