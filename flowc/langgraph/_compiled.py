"""``CompiledStateGraph``: a compiled flowc runner behind LangGraph's run API.

``stream`` / ``astream`` yield exactly the chunks LangGraph yields, v1's
shapes or, with ``version="v2"``, v2's stream parts (the generated module's
``stream_chunks`` / ``astream_chunks`` shape them); ``invoke`` / ``ainvoke``
return what LangGraph returns (with ``version="v2"``, a :class:`GraphOutput`). LangGraph run options
that flowc does not support fail before anything runs, naming the option.
"""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from flowc.runtime import Config, _state
from flowc.runtime._persist import CHECKPOINTER, DURABILITY

from ._blueprint import Blueprint
from ._draw import DrawableGraph, drawing
from ._errors import UnsupportedFeatureError
from ._schema import schema_name, state_json_schema

if TYPE_CHECKING:
    from ._builder import StateGraph

__all__ = ["CompiledStateGraph", "GraphOutput", "PregelTask", "StateSnapshot"]

OutputT = TypeVar("OutputT")
_INTERRUPT = "__interrupt__"


@dataclass(frozen=True)
class GraphOutput(Generic[OutputT]):
    """What ``invoke`` / ``ainvoke`` return with ``version="v2"``: LangGraph's ``GraphOutput``.

    Attributes:
        value: the final state (a dict, or the dataclass / pydantic state's class).
        interrupts: always ``()``: flowc has no interrupts.
    """

    value: OutputT
    interrupts: tuple[Any, ...] = ()

    def __getitem__(self, key: str) -> Any:
        """Deprecated in LangGraph too: ``result[key]`` reads ``value`` (or the interrupts)."""
        warnings.warn(_KEY_ACCESS, DeprecationWarning, stacklevel=2)
        if key == _INTERRUPT:
            return self.interrupts
        if isinstance(self.value, dict):
            return self.value[key]
        try:
            return getattr(self.value, key)
        except AttributeError:
            raise KeyError(key) from None

    def __contains__(self, key: object) -> bool:
        """Deprecated in LangGraph too: ``key in result`` looks in ``value``."""
        warnings.warn(
            _KEY_ACCESS.replace("`result[key]`", "`key in result`"),
            DeprecationWarning,
            stacklevel=2,
        )
        if key == _INTERRUPT:
            return bool(self.interrupts)
        if isinstance(self.value, dict):
            return key in self.value
        return isinstance(key, str) and hasattr(self.value, key)


class PregelTask(NamedTuple):
    """A task of a :class:`StateSnapshot`: LangGraph's ``PregelTask``."""

    id: str
    name: str
    path: tuple[Any, ...]
    error: Any = None
    interrupts: tuple[Any, ...] = ()
    state: Any = None
    result: Any = None


class StateSnapshot(NamedTuple):
    """A thread's state at one checkpoint: LangGraph's ``StateSnapshot``."""

    values: dict[str, Any] | Any
    next: tuple[str, ...]
    config: dict[str, Any]
    metadata: dict[str, Any] | None
    created_at: str | None
    parent_config: dict[str, Any] | None
    tasks: tuple[PregelTask, ...]
    interrupts: tuple[Any, ...]


_KEY_ACCESS = (
    "Accessing GraphOutput via `result[key]` is deprecated. "
    "Use `result.value` to access the output value directly, "
    "or `result.interrupts` for interrupts."
)

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
    "checkpoint_during": "`checkpoint_during=` (LangGraph's older name of `durability=`) is",
    "debug": "`debug=` is",
    "control": "run controls (`control=`) are",
}
"""LangGraph's run options, each with the start of the sentence that refuses it."""


def _config(config: Mapping[str, Any] | None, checkpointer: Any = None) -> Config | None:
    """LangGraph's ``RunnableConfig`` as flowc's run config (carrying the graph's checkpointer)."""
    if checkpointer is not None:
        # the run reads its checkpointer where LangGraph keeps it, in `configurable`
        config = dict(config or {})
        config["configurable"] = {**config.get("configurable", {}), CHECKPOINTER: checkpointer}
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


def _thread_config(config: Mapping[str, Any]) -> dict[str, Any]:
    configurable = dict(config.get("configurable") or {})
    if configurable.get("thread_id") is None:
        raise ValueError("get_state needs a thread: config={'configurable': {'thread_id': ...}}")
    configurable.setdefault("checkpoint_ns", "")
    return {"configurable": configurable}


def _langgraph_snapshot(state: Any) -> StateSnapshot:
    """flowc's snapshot as LangGraph's named tuples (a subgraph task's state too)."""
    return StateSnapshot(
        state.values,
        state.next,
        state.config,
        state.metadata,
        state.created_at,
        state.parent_config,
        tuple(
            PregelTask(
                t.id,
                t.name,
                t.path,
                t.error,
                t.interrupts,
                t.state if isinstance(t.state, dict | None) else _langgraph_snapshot(t.state),
                t.result,
            )
            for t in state.tasks
        ),
        state.interrupts,
    )


def _updates(supersteps: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """LangGraph's ``StateUpdate``s (named tuples) or plain tuples, as plain tuples."""
    return [[tuple(update) for update in updates] for updates in supersteps]


def _refuse(version: str, options: Mapping[str, Any]) -> None:
    if version not in ("v1", "v2"):
        raise UnsupportedFeatureError(
            f'version={version!r} is not supported by flowc; use "v1" or "v2"'
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


def _result(chunks: list[Any], stream_mode: str, version: str) -> Any:
    """What ``invoke`` returns, given every chunk of its run."""
    if stream_mode != "values":
        return chunks
    # v2 (a v1 run in "values" mode reads events, not chunks)
    latest = chunks[-1]["data"] if chunks else None
    return GraphOutput(latest)


class CompiledStateGraph:
    """A graph compiled by flowc, run with LangGraph's API.

    Attributes:
        name: the name given to ``compile(name=...)`` (LangGraph's default: ``LangGraph``).
        module: the generated runner module, for flowc's typed events.
        builder: the builder it was compiled from.
    """

    def __init__(
        self,
        module: ModuleType,
        blueprint: Blueprint,
        builder: StateGraph[Any],
        *,
        checkpointer: Any = None,
    ) -> None:
        self.module = module
        self.blueprint = blueprint
        self.builder = builder
        self.name = blueprint.name
        self.checkpointer = checkpointer
        """The saver runs on a thread keep their checkpoints in (flowc's or LangGraph's)."""

    def _config(
        self, config: Mapping[str, Any] | None, options: dict[str, Any] | None = None
    ) -> Config | None:
        durability = options.pop("durability", None) if options else None
        out = _config(config, self.checkpointer)
        if durability is not None:
            if durability not in ("sync", "async", "exit"):
                raise ValueError(
                    f"durability={durability!r}: use 'sync', 'async' (the default) or 'exit'"
                )
            if out is not None and self.checkpointer is not None:
                out["configurable"] = {**out["configurable"], DURABILITY: durability}
        return out

    def _saver(self) -> Any:
        if self.checkpointer is None:
            raise ValueError("No checkpointer set")
        return self.checkpointer

    def get_state(self, config: Mapping[str, Any], *, subgraphs: bool = False) -> StateSnapshot:
        """The thread's state at its latest checkpoint (or at the one ``config`` names).

        With ``subgraphs=True``, a due subgraph task's ``state`` is the snapshot
        of its subgraph (else the config of the subgraph's checkpoints).
        """
        wanted = _thread_config(config)
        saver = self._saver()
        saved = saver.get_tuple(wanted)
        live = "checkpoint_id" not in wanted["configurable"]
        return _langgraph_snapshot(
            _state.state_of(self.module.PLAN, saver, config, saved, live=live, recurse=subgraphs)
        )

    async def aget_state(
        self, config: Mapping[str, Any], *, subgraphs: bool = False
    ) -> StateSnapshot:
        """Async twin of :meth:`get_state`."""
        wanted = _thread_config(config)
        saver = self._saver()
        saved = await saver.aget_tuple(wanted)
        live = "checkpoint_id" not in wanted["configurable"]
        state = await _state.astate_of(
            self.module.PLAN, saver, config, saved, live=live, recurse=subgraphs
        )
        return _langgraph_snapshot(state)

    def get_state_history(
        self,
        config: Mapping[str, Any],
        *,
        filter: Mapping[str, Any] | None = None,
        before: Mapping[str, Any] | None = None,
        limit: int | None = None,
    ) -> Iterator[StateSnapshot]:
        """The thread's snapshots, newest first."""
        for saved in list(
            self._saver().list(_thread_config(config), filter=filter, before=before, limit=limit)
        ):
            yield self._snapshot(saved.config, saved)

    async def aget_state_history(
        self,
        config: Mapping[str, Any],
        *,
        filter: Mapping[str, Any] | None = None,
        before: Mapping[str, Any] | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[StateSnapshot]:
        """Async twin of :meth:`get_state_history`."""
        found = [
            saved
            async for saved in self._saver().alist(
                _thread_config(config), filter=filter, before=before, limit=limit
            )
        ]
        for saved in found:
            yield self._snapshot(saved.config, saved)

    def update_state(
        self,
        config: Mapping[str, Any],
        values: Any,
        as_node: str | None = None,
        task_id: str | None = None,
    ) -> dict[str, Any]:
        """Write ``values`` into the thread as if node ``as_node`` had returned them.

        Without ``as_node``, the node that ran last; the new checkpoint
        (``source: "update"``) has due the nodes ``as_node`` leads to. Its config is returned.
        """
        return self.bulk_update_state(config, [[(values, as_node, task_id)]])

    async def aupdate_state(
        self,
        config: Mapping[str, Any],
        values: Any,
        as_node: str | None = None,
        task_id: str | None = None,
    ) -> dict[str, Any]:
        """Async twin of :meth:`update_state`."""
        return await self.abulk_update_state(config, [[(values, as_node, task_id)]])

    def bulk_update_state(
        self, config: Mapping[str, Any], supersteps: Sequence[Sequence[Any]]
    ) -> dict[str, Any]:
        """Apply supersteps of updates (``(values, as_node[, task_id])`` each), one checkpoint each."""
        saver = self._saver()
        return _state.update_state(self.module.PLAN, saver, config, _updates(supersteps))

    async def abulk_update_state(
        self, config: Mapping[str, Any], supersteps: Sequence[Sequence[Any]]
    ) -> dict[str, Any]:
        """Async twin of :meth:`bulk_update_state`."""
        saver = self._saver()
        return await _state.aupdate_state(self.module.PLAN, saver, config, _updates(supersteps))

    def _snapshot(self, config: Mapping[str, Any], saved: Any, live: bool = False) -> StateSnapshot:
        return _langgraph_snapshot(_state.snapshot(self.module.PLAN, config, saved, live=live))

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
            version: ``"v1"``'s chunk shapes, or ``"v2"``'s stream parts
                (``{"type", "ns", "data"}`` dicts).
        """
        run_config = self._config(config, options)
        _refuse(version, options)
        _refuse_input(input)
        yield from self.module.stream_chunks(
            input,
            stream_mode=stream_mode,
            subgraphs=subgraphs,
            config=run_config,
            version=version,
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
        run_config = self._config(config, options)
        _refuse(version, options)
        _refuse_input(input)
        chunks = self.module.astream_chunks(
            input,
            stream_mode=stream_mode,
            subgraphs=subgraphs,
            config=run_config,
            version=version,
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
        """Run the graph to the end: the last state, or the list of chunks of another mode.

        With ``version="v2"`` the last state comes as a :class:`GraphOutput`
        and other modes' chunks as stream parts.
        """
        run_config = self._config(config, options)
        _refuse(version, options)
        _refuse_input(input)
        if stream_mode != "values" or version == "v2":
            chunks = self.module.stream_chunks(
                input, stream_mode=stream_mode, config=run_config, version=version
            )
            return _result(list(chunks), stream_mode, version)
        latest = None
        for event in self.module.stream(input, stream_mode="values", config=run_config):
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
        run_config = self._config(config, options)
        _refuse(version, options)
        _refuse_input(input)
        if stream_mode != "values" or version == "v2":
            chunks = self.module.astream_chunks(
                input, stream_mode=stream_mode, config=run_config, version=version
            )
            return _result([chunk async for chunk in chunks], stream_mode, version)
        latest = None
        async for event in self.module.astream(input, stream_mode="values", config=run_config):
            latest = event.data
        return latest

    def get_input_jsonschema(self, config: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The JSON Schema of the graph's input, as LangGraph gives it (the state's)."""
        del config
        return state_json_schema(self.builder.state_schema, schema_name(self.name, "Input"))

    def get_output_jsonschema(self, config: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The JSON Schema of the graph's output, as LangGraph gives it (the state's)."""
        del config
        return state_json_schema(self.builder.state_schema, schema_name(self.name, "Output"))

    def get_graph(
        self, config: Mapping[str, Any] | None = None, *, xray: bool | int = False
    ) -> DrawableGraph:
        """The graph's nodes and edges as LangGraph gives them (``to_json()``, ``draw_mermaid()``)."""
        del config
        return drawing(self.blueprint, xray=xray)
