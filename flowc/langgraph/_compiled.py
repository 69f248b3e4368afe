"""``CompiledStateGraph``: a compiled flowc runner behind LangGraph's run API.

``stream`` / ``astream`` yield exactly the chunks LangGraph v1 yields (the
generated module's ``stream_chunks`` / ``astream_chunks`` shape them);
``invoke`` / ``ainvoke`` return what LangGraph returns. LangGraph run options
that flowc does not support fail before anything runs, naming the option.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from flowc.runtime import Config

from ._blueprint import Blueprint
from ._draw import DrawableGraph, drawing
from ._errors import UnsupportedFeatureError

if TYPE_CHECKING:
    from ._builder import StateGraph

__all__ = ["CompiledStateGraph"]

_CONFIG_KEYS = (
    "recursion_limit",
    "tags",
    "metadata",
    "configurable",
    "run_id",
    "callbacks",
    "max_concurrency",
)
# keys of a LangChain RunnableConfig that change nothing in a flowc run
_IGNORED_CONFIG_KEYS = ("run_name",)

_RUN_OPTIONS: dict[str, str] = {
    "context": "a run context (`context=`, read through `Runtime`) is",
    "print_mode": "`print_mode=` is",
    "output_keys": "`output_keys=` is",
    "interrupt_before": "interrupts (`interrupt_before=`) are",
    "interrupt_after": "interrupts (`interrupt_after=`) are",
    "durability": "`durability=` (there is no checkpointer) is",
    "checkpoint_during": "`checkpoint_during=` (there is no checkpointer) is",
    "debug": "`debug=` is",
    "control": "run controls (`control=`) are",
}
"""LangGraph's run options, each with the start of the sentence that refuses it."""


def _config(config: Mapping[str, Any] | None) -> Config | None:
    """LangGraph's ``RunnableConfig`` as flowc's run config."""
    if not config:
        return None
    unknown = [k for k in config if k not in _CONFIG_KEYS and k not in _IGNORED_CONFIG_KEYS]
    if unknown:
        raise UnsupportedFeatureError(
            f"config key {unknown[0]!r} is not supported by flowc "
            f"(supported: {', '.join(_CONFIG_KEYS)})"
        )
    out: dict[str, Any] = {k: config[k] for k in _CONFIG_KEYS if config.get(k) is not None}
    return out  # type: ignore[return-value]


def _refuse(version: str, options: Mapping[str, Any]) -> None:
    if version != "v1":
        raise UnsupportedFeatureError(
            f'version={version!r} is not supported by flowc yet; stream with version="v1" '
            "or use the generated module's typed events (`graph.module.stream`)"
        )
    for option, value in options.items():
        what = _RUN_OPTIONS.get(option)
        if what is None:
            raise TypeError(f"unexpected keyword argument {option!r}")
        if value is None or value is False or value == ():
            continue
        raise UnsupportedFeatureError(f"{what} not supported by flowc yet")


def _refuse_input(input: Any) -> None:
    cls = type(input)
    if cls.__name__ == "Command" and (cls.__module__ or "").startswith("langgraph."):
        raise UnsupportedFeatureError(
            "resuming with `Command` is not supported by flowc yet (there is no checkpointer)"
        )


class CompiledStateGraph:
    """A graph compiled by flowc, run with LangGraph's API.

    Attributes:
        name: the name given to ``compile(name=...)`` (LangGraph's default: ``LangGraph``).
        module: the generated runner module, for flowc's typed events.
        builder: the builder it was compiled from.
    """

    def __init__(self, module: ModuleType, blueprint: Blueprint, builder: StateGraph[Any]) -> None:
        self.module = module
        self.blueprint = blueprint
        self.builder = builder
        self.name = blueprint.name

    def __repr__(self) -> str:
        return f"<flowc CompiledStateGraph {self.name!r} ({len(self.blueprint.nodes)} nodes)>"

    def get_name(self) -> str:
        """The graph's name."""
        return self.name

    def stream(
        self,
        input: Any,
        config: Mapping[str, Any] | None = None,
        *,
        stream_mode: str | Sequence[str] | None = None,
        subgraphs: bool = False,
        version: str = "v1",
        **options: Any,
    ) -> Iterator[Any]:
        """Run the graph, yielding LangGraph v1's chunks for ``stream_mode``.

        Args:
            input: the state keys to start from (or a state instance).
            config: ``recursion_limit``, ``tags``, ``metadata``, ``configurable``,
                ``run_id``, ``callbacks``, ``max_concurrency``.
            stream_mode: a mode, or a list (chunks tagged with their mode) or
                tuple of modes; by default ``"updates"``.
            subgraphs: include subgraphs' chunks, each with its namespace.
        """
        _refuse(version, options)
        _refuse_input(input)
        yield from self.module.stream_chunks(
            input, stream_mode=stream_mode, subgraphs=subgraphs, config=_config(config)
        )

    async def astream(
        self,
        input: Any,
        config: Mapping[str, Any] | None = None,
        *,
        stream_mode: str | Sequence[str] | None = None,
        subgraphs: bool = False,
        version: str = "v1",
        **options: Any,
    ) -> AsyncIterator[Any]:
        """Async twin of :meth:`stream`."""
        _refuse(version, options)
        _refuse_input(input)
        chunks = self.module.astream_chunks(
            input, stream_mode=stream_mode, subgraphs=subgraphs, config=_config(config)
        )
        try:
            async for chunk in chunks:
                yield chunk
        finally:
            await chunks.aclose()

    def invoke(
        self,
        input: Any,
        config: Mapping[str, Any] | None = None,
        *,
        stream_mode: str = "values",
        version: str = "v1",
        **options: Any,
    ) -> Any:
        """Run the graph to the end: the last state (a dict), or the list of chunks of another mode."""
        _refuse(version, options)
        _refuse_input(input)
        if stream_mode != "values":
            return list(
                self.module.stream_chunks(input, stream_mode=stream_mode, config=_config(config))
            )
        latest = None
        for event in self.module.stream(input, stream_mode="values", config=_config(config)):
            latest = event.data
        return latest

    async def ainvoke(
        self,
        input: Any,
        config: Mapping[str, Any] | None = None,
        *,
        stream_mode: str = "values",
        version: str = "v1",
        **options: Any,
    ) -> Any:
        """Async twin of :meth:`invoke`."""
        _refuse(version, options)
        _refuse_input(input)
        if stream_mode != "values":
            return [
                chunk
                async for chunk in self.module.astream_chunks(
                    input, stream_mode=stream_mode, config=_config(config)
                )
            ]
        latest = None
        async for event in self.module.astream(input, stream_mode="values", config=_config(config)):
            latest = event.data
        return latest

    def get_graph(
        self, config: Mapping[str, Any] | None = None, *, xray: bool | int = False
    ) -> DrawableGraph:
        """The graph's nodes and edges, drawn as LangGraph draws them (``draw_mermaid()``)."""
        del config
        return drawing(self.blueprint, xray=xray)
