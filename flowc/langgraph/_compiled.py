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

from flowc.runtime import Config
from flowc.runtime._engine import BREAKPOINTS
from flowc.runtime._persist import (
    CHECKPOINTER,
    DURABILITY,
    NULL_TASK_ID,
    TASKS,
    next_of,
    task_id,
)
from flowc.runtime.control import as_send
from flowc.runtime.events import InterruptEvent

from ._blueprint import Blueprint
from ._draw import DrawableGraph, drawing
from ._errors import UnsupportedFeatureError
from ._schema import schema_name, state_json_schema

if TYPE_CHECKING:
    from ._builder import StateGraph

__all__ = ["CompiledStateGraph", "GraphOutput", "PregelTask", "StateSnapshot"]

OutputT = TypeVar("OutputT")
_INTERRUPT = "__interrupt__"
PUSH = "__pregel_push"
PULL = "__pregel_pull"


@dataclass(frozen=True)
class GraphOutput(Generic[OutputT]):
    """What ``invoke`` / ``ainvoke`` return with ``version="v2"``: LangGraph's ``GraphOutput``.

    Attributes:
        value: the final state (a dict, or the dataclass / pydantic state's class).
        interrupts: the interrupts the run stopped at (``Interrupt`` s), else ``()``.
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


def _live(config: Mapping[str, Any]) -> bool:
    # LangGraph's snapshot of a thread's latest checkpoint shows its current status
    return "checkpoint_id" not in (config.get("configurable") or {})


def _nodes(given: Any) -> tuple[str, ...]:
    """``interrupt_before`` / ``interrupt_after`` as a tuple of node names (``"*"``: every node)."""
    if not given:
        return ()
    if given == "*":
        return ("*",)
    return tuple(given)


def _thread_config(config: Mapping[str, Any]) -> dict[str, Any]:
    configurable = dict(config.get("configurable") or {})
    if configurable.get("thread_id") is None:
        raise ValueError("get_state needs a thread: config={'configurable': {'thread_id': ...}}")
    configurable.setdefault("checkpoint_ns", "")
    return {"configurable": configurable}


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


def _result(chunks: list[Any], stream_mode: str, version: str) -> Any:
    """What ``invoke`` returns, given every chunk of its run."""
    if stream_mode != "values":
        return chunks
    # v2 (a v1 run in "values" mode reads events, not chunks): values parts carry interrupts
    latest = chunks[-1]["data"] if chunks else None
    interrupts = tuple(i for chunk in chunks for i in chunk.get("interrupts", ()))
    return GraphOutput(latest, interrupts)


def _latest(events: list[Any]) -> Any:
    """What a v1 ``invoke`` in ``values`` mode returns: the last state, with its interrupts.

    As LangGraph's: the interrupts of every ``{"__interrupt__": ...}`` update,
    as a list under ``"__interrupt__"`` (none for a breakpoint's empty one).
    """
    latest = None
    interrupts: list[Any] = []
    for event in events:
        if event.mode == "values":
            latest = event.chunk()
        elif type(event) is InterruptEvent:
            interrupts.extend(event.interrupts)
    if interrupts:
        return (
            {**latest, _INTERRUPT: interrupts}
            if isinstance(latest, dict)
            else {_INTERRUPT: interrupts}
        )
    return latest


def _task_result(output: Sequence[tuple[str, Any]], keys: frozenset[str]) -> dict[str, Any]:
    """A finished task's result as LangGraph's snapshots give it: its writes of state keys.

    A key written twice shows as ``{"$writes": [first, second]}``.
    """
    written: dict[str, list[Any]] = {}
    for channel, value in output:
        if channel in keys:
            written.setdefault(channel, []).append(value)
    return {k: v[0] if len(v) == 1 else {"$writes": v} for k, v in written.items()}


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
        interrupt_before: Any = None,
        interrupt_after: Any = None,
    ) -> None:
        self.module = module
        self.blueprint = blueprint
        self.builder = builder
        self.name = blueprint.name
        self.checkpointer = checkpointer
        """The saver runs on a thread keep their checkpoints in (flowc's or LangGraph's)."""
        self.interrupt_before_nodes = _nodes(interrupt_before)
        """The nodes a run stops before (``("*",)``: every node), unless a call names others."""
        self.interrupt_after_nodes = _nodes(interrupt_after)
        """The nodes a run stops after, unless a call names others."""

    def _config(
        self, config: Mapping[str, Any] | None, options: dict[str, Any] | None = None
    ) -> Config | None:
        durability = options.pop("durability", None) if options else None
        before = options.pop("interrupt_before", None) if options else None
        after = options.pop("interrupt_after", None) if options else None
        out = _config(config, self.checkpointer)
        breaks = (
            _nodes(before) if before is not None else self.interrupt_before_nodes,
            _nodes(after) if after is not None else self.interrupt_after_nodes,
        )
        if breaks[0] or breaks[1]:
            if out is None or self.checkpointer is None:
                raise ValueError(
                    "interrupt_before / interrupt_after need a checkpointer: compile the graph "
                    "with checkpointer=... and run it on a thread, so that the run can be resumed"
                )
            out["configurable"] = {
                **out["configurable"],
                **{key: nodes for key, nodes in zip(BREAKPOINTS, breaks, strict=True) if nodes},
            }
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
        """The thread's state at its latest checkpoint (or at the one ``config`` names)."""
        del subgraphs
        saved = self._saver().get_tuple(_thread_config(config))
        return self._snapshot(config, saved, _live(config))

    async def aget_state(
        self, config: Mapping[str, Any], *, subgraphs: bool = False
    ) -> StateSnapshot:
        """Async twin of :meth:`get_state`."""
        del subgraphs
        saved = await self._saver().aget_tuple(_thread_config(config))
        return self._snapshot(config, saved, _live(config))

    def get_state_history(
        self,
        config: Mapping[str, Any],
        *,
        filter: Mapping[str, Any] | None = None,
        before: Mapping[str, Any] | None = None,
        limit: int | None = None,
    ) -> Iterator[StateSnapshot]:
        """The thread's snapshots, newest first."""
        for saved in self._saver().list(
            _thread_config(config), filter=filter, before=before, limit=limit
        ):
            yield self._snapshot(config, saved, live=False)

    async def aget_state_history(
        self,
        config: Mapping[str, Any],
        *,
        filter: Mapping[str, Any] | None = None,
        before: Mapping[str, Any] | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[StateSnapshot]:
        """Async twin of :meth:`get_state_history`."""
        async for saved in self._saver().alist(
            _thread_config(config), filter=filter, before=before, limit=limit
        ):
            yield self._snapshot(config, saved, live=False)

    def _snapshot(self, config: Mapping[str, Any], saved: Any, live: bool) -> StateSnapshot:
        """The snapshot of a stored checkpoint, as LangGraph makes it.

        ``live`` (the thread's latest, not a named checkpoint): the writes of
        the tasks that finished are applied to ``values``, ``next`` names only
        the tasks still to run, and tasks show only unanswered interrupts.
        Otherwise it is a record of the step.
        """
        if saved is None:
            return StateSnapshot({}, (), dict(config), None, None, None, (), ())
        from flowc.runtime._resume import task_statuses

        checkpoint = saved.checkpoint
        stored = checkpoint["channel_values"]
        plan = self.module.PLAN
        values = plan.stored(stored)
        # outside a run LangGraph lists a checkpoint's tasks in the order nodes were added
        order = {name: index for index, name in enumerate(("__start__", *plan.nodes))}
        due = tuple(sorted(next_of(stored), key=lambda name: order.get(name, len(order))))
        checkpoint_id = checkpoint["id"]
        ns = saved.config["configurable"].get("checkpoint_ns", "")
        statuses = task_statuses(saved.pending_writes or ())
        # the run's own writes (a Command's update) are the state's, as LangGraph shows them
        null = {
            channel: value
            for tid, channel, value in saved.pending_writes or ()
            if tid == NULL_TASK_ID and channel in plan.keys
        }
        if null:
            plan.apply(values, null)
        tasks = []
        still = []
        # the checkpoint's Send tasks come first, as LangGraph lists them
        sends = [send for send in map(as_send, stored.get(TASKS) or ()) if send is not None]
        paths: list[tuple[Any, ...]] = [(PUSH, index, False) for index in range(len(sends))]
        paths.extend((PULL, name) for name in due)
        for path, name in zip(paths, [*(send.node for send in sends), *due], strict=True):
            tid = task_id(checkpoint_id, ns, name, f"push:{path[1]}" if path[0] == PUSH else "pull")
            status = statuses.get(tid)
            if status is None:
                tasks.append(PregelTask(tid, name, path))
                still.append(name)
                continue
            result = None
            if status.finished:
                result = _task_result(status.output, plan.keys)
                if live:
                    update = {k: v for k, v in status.output if k in plan.keys}
                    if update:
                        plan.apply(values, update)
            else:
                still.append(name)
            raised = status.pending if live else status.interrupts
            tasks.append(PregelTask(tid, name, path, status.error, raised, None, result))
        return StateSnapshot(
            values,
            tuple(still) if live else tuple(task.name for task in tasks),
            dict(saved.config),
            dict(saved.metadata),
            checkpoint["ts"],
            None if saved.parent_config is None else dict(saved.parent_config),
            tuple(tasks),
            tuple(i for task in tasks for i in task.interrupts),
        )

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
        if stream_mode != "values" or version == "v2":
            chunks = self.module.stream_chunks(
                input, stream_mode=stream_mode, config=run_config, version=version
            )
            return _result(list(chunks), stream_mode, version)
        if self.checkpointer is not None:
            modes = ["updates", "values"]
            return _latest(list(self.module.stream(input, stream_mode=modes, config=run_config)))
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
        if stream_mode != "values" or version == "v2":
            chunks = self.module.astream_chunks(
                input, stream_mode=stream_mode, config=run_config, version=version
            )
            return _result([chunk async for chunk in chunks], stream_mode, version)
        if self.checkpointer is not None:
            modes = ["updates", "values"]
            events = self.module.astream(input, stream_mode=modes, config=run_config)
            return _latest([event async for event in events])
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
