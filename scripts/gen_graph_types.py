"""Write flowc/runtime/_graph.py: the typed facade every generated module states its types with.

Usage: ``python scripts/gen_graph_types.py [--check]``

``stream``/``astream`` are overloaded on the stream modes, alone and in
pairs: mypy's only way to map a literal argument to a type. The overload
table is the same for every graph, so it is written once, as generic classes
over a graph's event types, and this script writes it (``--check`` fails if
the file is not what it would write; tests/test_engine.py runs that).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "flowc" / "runtime" / "_graph.py"

MODES = ("values", "updates", "custom", "messages", "tasks", "debug")
OWN = {m: f"{m[0].upper()}{m[1:]}T" for m in MODES}
DEEP = {m: f"Sub{m[0].upper()}{m[1:]}T" for m in MODES}

HEADER = '''\
# Written by scripts/gen_graph_types.py; run it after changing it. Do not edit.
"""The typed facade of a compiled graph: ``stream`` and friends, overloaded once for all graphs.

A generated module describes its graph as a :class:`~._engine.Plan` and
states its types by subscripting :class:`Graph` (or, for a graph with
subgraphs, :class:`GraphWithSubgraphs`) with them: the input, the final
values, and the events of each mode. mypy then types ``stream(input,
stream_mode="updates")`` as an iterator of that graph's updates events, a
pair of modes as the union of the two, and any other combination as every
event of the graph. With subgraphs, ``subgraphs=True`` adds the subgraphs'
events (the ``Sub...`` parameters).

The overloads overlap on purpose: mypy takes the first that matches, which
is the most precise one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, Literal, Self, TypeVar, overload

from . import _drive, _quick
from ._engine import Engine, Plan
from ._persist import CHECKPOINTER
from .chunks import (
    ValuesMapper,
    Version,
    ashape_chunks,
    ashape_parts,
    shape_chunks,
    shape_parts,
)
from .config import CACHE, Config
from .context import with_context
from .control import Command
from .events import StreamMode

if TYPE_CHECKING:
    from . import _state
    from .events import CustomEvent, Event, TaskEvent, TaskResultEvent, ValuesEvent
    from .parts import (
        CustomPart,
        DebugPart,
        MessagesPart,
        StreamPart,
        TasksPart,
        UpdatesPart,
        ValuesPart,
    )
from .run import Run, default_mode

__all__ = ["Graph", "GraphWithSubgraphs", "InterruptingGraph", "InterruptingGraphWithSubgraphs"]

InputT = TypeVar("InputT")
OutputT = TypeVar("OutputT")
# a graph's payload types, bound by the typed v2 overloads' ``self``
_S = TypeVar("_S")
_C = TypeVar("_C")
_N = TypeVar("_N", bound=str)
_I = TypeVar("_I")
_U = TypeVar("_U")


def _answered(answer: Any) -> Any:
    """A resume's input: ``Command(resume=answer)``, or ``None`` to go on without one."""
    return None if answer is None else Command(resume=answer)


def _check_version(version: str) -> None:
    # LangGraph takes any other version for "v1"; a typo should not pass silently
    if version not in ("v1", "v2"):
        raise ValueError(f'version={version!r}: expected "v1" or "v2"')


def _with_given(config: Config | None, given: Mapping[str, Any]) -> Config:
    """``config`` carrying the graph's checkpointer and cache where runs look for them."""
    out: dict[str, Any] = dict(config or {})
    out["configurable"] = {**out.get("configurable", {}), **given}
    return out  # type: ignore[return-value]


def _state_config(config: Mapping[str, Any]) -> dict[str, Any]:
    configurable = dict(config.get("configurable") or {})
    if configurable.get("thread_id") is None:
        raise ValueError("a thread's state needs its id: config={'configurable': {'thread_id': ...}}")
    configurable.pop(CHECKPOINTER, None)
    configurable["thread_id"] = str(configurable["thread_id"])
    configurable.setdefault("checkpoint_ns", "")
    return {"configurable": configurable}


def _values_mapper(plan: Plan) -> ValuesMapper | None:
    """What a root ``values`` part carries: the state as the class nodes receive, or the dict.

    LangGraph's v2 parts give a dataclass or pydantic state as an instance of
    its class (``State(**values)``), which is what ``plan.input`` makes for
    such states; a TypedDict state stays the dict.
    """
    make = plan.input
    if make is None:
        return None
    plain = False

    def values(data: dict[str, Any]) -> Any:
        nonlocal plain
        if plain:
            return data
        made = make(data)
        if isinstance(made, dict):
            # a TypedDict state: nodes get a dict, and so does every part
            plain = True
            return data
        return made

    return values
'''

PART = {
    "values": "ValuesPart[Any]",
    "updates": "UpdatesPart",
    "custom": "CustomPart[Any]",
    "messages": "MessagesPart",
    "tasks": "TasksPart[Any, Any, Any]",
    "debug": "DebugPart[Any, Any, Any]",
}
"""Each mode's v2 part, typed as LangGraph types it."""

TYPED_PART = {
    "values": "ValuesPart[_S | _I]",
    "updates": "UpdatesPart",
    "custom": "CustomPart[_C]",
    "messages": "MessagesPart",
    "tasks": "TasksPart[_N, _I, _U]",
    "debug": "DebugPart[_N, _I, _U]",
}
"""Each mode's v2 part with the graph's own types, read off its event types by ``self``.

A root ``values`` part holds the values dict (``_S``, a TypedDict state) or
the state class (``_I``, what nodes receive: a dataclass or pydantic state).
"""

OWN_PATTERN = {
    "ValuesT": "ValuesEvent[_S]",
    "CustomT": "CustomEvent[_C]",
    "TasksT": "TaskEvent[_N, _I] | TaskResultEvent[_N, _U]",
}
"""The event types a typed part's ``self`` matches, binding the payload types."""


def _sets() -> list[tuple[str, ...]]:
    singles = [(m,) for m in MODES]
    pairs = [(a, b) for i, a in enumerate(MODES) for b in MODES[i + 1 :]]
    return singles + pairs


def _mode_annotation(modes: tuple[str, ...]) -> str:
    literal = "Literal[" + ", ".join(f'"{m}"' for m in modes) + "]"
    annotation = f"{literal} | Sequence[{literal}]" if len(modes) == 1 else f"Sequence[{literal}]"
    if modes == ("updates",):
        annotation += " = ..."
    return annotation


def _overload(fn: str, iterator: str, mode: str, subgraphs: str, events: str) -> str:
    return f"""
    @overload
    def {fn}(
        self,
        input: InputT,
        *,
        stream_mode: {mode},
        subgraphs: {subgraphs},
        config: Config | None = ...,
        context: Any = ...,
    ) -> {iterator}[{events}]: ...
"""


def _methods(deep: bool) -> str:
    out = []
    for fn, iterator in (("stream", "Iterator"), ("astream", "AsyncIterator")):
        for modes in _sets():
            mode = _mode_annotation(modes)
            own = " | ".join(OWN[m] for m in modes)
            if deep:
                out.append(_overload(fn, iterator, mode, "Literal[False] = ...", own))
                out.append(
                    _overload(fn, iterator, mode, "bool", " | ".join(DEEP[m] for m in modes))
                )
            else:
                out.append(_overload(fn, iterator, mode, "bool = ...", own))
        catch_all = "StreamMode | Sequence[StreamMode] = ..."
        if deep:
            out.append(_overload(fn, iterator, catch_all, "Literal[False] = ...", "EventT"))
            out.append(_overload(fn, iterator, catch_all, "bool", "SubEventT"))
        else:
            out.append(_overload(fn, iterator, catch_all, "bool = ...", "EventT"))
        if fn == "stream":
            out.append(STREAM_IMPL)
        else:
            out.append(ASTREAM_IMPL)
    return "".join(out)


STREAM_IMPL = '''
    def stream(
        self,
        input: InputT,
        *,
        stream_mode: StreamMode | Sequence[StreamMode] = "updates",
        subgraphs: bool = False,
        config: Config | None = None,
        context: Any = None,
    ) -> Iterator[Any]:
        """Run the graph, yielding the events of the requested stream modes.

        Args:
            input: the state keys to start from.
            stream_mode: one mode, or several (a list or tuple).
            subgraphs: include the events of subgraphs, each with its namespace.
            config: recursion limit, tags, metadata, run id, configurable values.
            context: the run's context, which its nodes read with ``get_context()``.
        """
        if self._given is not None:
            config = _with_given(config, self._given)
        if context is not None:
            config = with_context(config, context)
        return _drive.stream(self.plan, input, stream_mode, subgraphs, config)
'''

ASTREAM_IMPL = '''
    def astream(
        self,
        input: InputT,
        *,
        stream_mode: StreamMode | Sequence[StreamMode] = "updates",
        subgraphs: bool = False,
        config: Config | None = None,
        context: Any = None,
    ) -> AsyncIterator[Any]:
        """Async twin of :meth:`stream`."""
        if self._given is not None:
            config = _with_given(config, self._given)
        if context is not None:
            config = with_context(config, context)
        return _drive.astream(self.plan, input, stream_mode, subgraphs, config)
'''

COMMON = '''
    def __init__(self, plan: Plan, checkpointer: Any = None, cache: Any = None) -> None:
        self.plan = plan
        """The graph as the engine runs it."""
        self.checkpointer = checkpointer
        """Where runs on a thread keep their checkpoints (see :meth:`with_checkpointer`)."""
        self.cache = cache
        """Where nodes with a cache policy keep their writes (see :meth:`with_cache`)."""
        given: dict[str, Any] = {}
        if checkpointer is not None:
            given[CHECKPOINTER] = checkpointer
        if cache is not None:
            given[CACHE] = cache
        self._given = given or None

    def __repr__(self) -> str:
        return f"<graph {self.plan.name!r}>"

    def with_checkpointer(self, checkpointer: Any) -> Self:
        """This graph, with runs on a thread saving their checkpoints in ``checkpointer``.

        A run given ``config={"configurable": {"thread_id": ...}}`` then starts
        from the thread's state, and one given ``None`` as input goes on from
        the thread's checkpoint. ``checkpointer`` is any of
        :mod:`flowc.savers`' savers (or LangGraph's).
        """
        return type(self)(self.plan, checkpointer, self.cache)

    def with_cache(self, cache: Any) -> Self:
        """This graph, with its nodes' cache policies keeping their writes in ``cache``.

        ``cache`` is one of :mod:`flowc.runtime.caches`' caches (in memory, or a
        SQLite file); without one, a cache policy caches nothing, as in LangGraph.
        """
        return type(self)(self.plan, self.checkpointer, cache)

    def invoke(
        self, input: InputT, *, config: Config | None = None, context: Any = None
    ) -> OutputT:
        """Run the graph to the end and return its final values."""
        # _drive.invoke, written out: the call is a noticeable part of a short run
        plan = self.plan
        if self._given is not None:
            config = _with_given(config, self._given)
        if context is not None:
            config = with_context(config, context)
        if _quick.takes(plan, input, config):
            return _quick.invoke(plan, input)  # type: ignore[arg-type, return-value]
        run = Run.start(plan.name, (), False, config, plan.limit, plan.stateful)
        # on a thread, None (or a Command) goes on from its checkpoint
        values, wrote = plan.start(input) if type(input) is dict else _drive.start(plan, run, input)
        events: Iterator[Event] = Engine(plan, run, values, input).steps(wrote)
        if run.hooks is not None:
            events = run.hooks.traced(events, input, plan)
        # a root run streams nothing here; a nested one hands its parent what it wants
        for _ in events if run.parent is None else run.split(events):
            pass
        if plan.outputs is not None:
            return plan.output(run.result)  # type: ignore[return-value]
        return run.result  # type: ignore[return-value]

    async def ainvoke(
        self, input: InputT, *, config: Config | None = None, context: Any = None
    ) -> OutputT:
        """Async twin of :meth:`invoke`."""
        if self._given is not None:
            config = _with_given(config, self._given)
        if context is not None:
            config = with_context(config, context)
        return await _drive.ainvoke(self.plan, input, config)  # type: ignore[return-value]

    def resume(self, *, config: Config) -> OutputT:
        """Run on from the thread's checkpoint (LangGraph's ``invoke(None, config)``); its final values.

        Tasks that finished before the run stopped are not run again; with a
        ``checkpoint_id`` in ``config``, the run goes on from that checkpoint, on a branch of its own.
        """
        return self.invoke(None, config=config)  # type: ignore[arg-type]

    async def aresume(self, *, config: Config) -> OutputT:
        """Async twin of :meth:`resume`."""
        return await self.ainvoke(None, config=config)  # type: ignore[arg-type]

    def _saver(self) -> Any:
        if self.checkpointer is None:
            raise ValueError(
                f"graph {self.plan.name!r} has no checkpointer: use graph.with_checkpointer(saver)"
            )
        return self.checkpointer

    def get_state(
        self, config: Config, *, subgraphs: bool = False
    ) -> _state.StateSnapshot[OutputT]:
        """The thread's state at its latest checkpoint (or at the one ``config`` names).

        With ``subgraphs=True`` a due subgraph task's ``state`` is its subgraph's snapshot.
        """
        from . import _state  # the checkpoint code loads with the first use of a thread

        wanted = _state_config(config)
        saver = self._saver()
        saved = saver.get_tuple(wanted)
        live = "checkpoint_id" not in wanted["configurable"]
        return _state.state_of(self.plan, saver, config, saved, live=live, recurse=subgraphs)

    async def aget_state(
        self, config: Config, *, subgraphs: bool = False
    ) -> _state.StateSnapshot[OutputT]:
        """Async twin of :meth:`get_state`."""
        from . import _state

        wanted = _state_config(config)
        saver = self._saver()
        saved = await saver.aget_tuple(wanted)
        live = "checkpoint_id" not in wanted["configurable"]
        return await _state.astate_of(
            self.plan, saver, config, saved, live=live, recurse=subgraphs
        )

    def get_state_history(
        self,
        config: Config,
        *,
        filter: Mapping[str, Any] | None = None,
        before: Config | None = None,
        limit: int | None = None,
    ) -> Iterator[_state.StateSnapshot[OutputT]]:
        """The thread's snapshots, newest first (``filter``: metadata values they must have)."""
        from . import _state

        found = list(
            self._saver().list(_state_config(config), filter=filter, before=before, limit=limit)
        )
        for saved in found:
            yield _state.snapshot(self.plan, saved.config, saved, live=False)

    def update_state(
        self, config: Config, values: InputT, as_node: str | None = None
    ) -> Config:
        """Write ``values`` into the thread as if node ``as_node`` had returned them.

        Without ``as_node``, the node that ran last. The new checkpoint
        (``source: "update"``) has due the nodes ``as_node`` leads to; its
        config is returned.
        """
        return self.bulk_update_state(config, [[(values, as_node)]])

    async def aupdate_state(
        self, config: Config, values: InputT, as_node: str | None = None
    ) -> Config:
        """Async twin of :meth:`update_state`."""
        from . import _state

        saver = self._saver()
        found = await _state.aupdate_state(self.plan, saver, config, [[(values, as_node)]])
        return found  # type: ignore[return-value]

    def bulk_update_state(
        self, config: Config, supersteps: Sequence[Sequence[_state.StateUpdate]]
    ) -> Config:
        """Apply supersteps of ``(values, as_node)`` updates, one checkpoint each."""
        from . import _state

        found = _state.update_state(self.plan, self._saver(), config, supersteps)
        return found  # type: ignore[return-value]

'''


def _chunk_overload(
    fn: str,
    iterator: str,
    mode: str,
    version: str,
    items: str,
    self_type: str = "",
    subgraphs: str = "bool = ...",
) -> str:
    self_arg = f"self: {self_type}" if self_type else "self"
    return f"""
    @overload
    def {fn}(
        {self_arg},
        input: Any,
        *,
        stream_mode: {mode},
        subgraphs: {subgraphs},
        config: Config | None = ...,
        context: Any = ...,
        version: {version},
    ) -> {iterator}[{items}]: ...
"""


CHUNKS_IMPL = '''
    def stream_chunks(
        self,
        input: Any,
        *,
        stream_mode: StreamMode | Sequence[StreamMode] | None = None,
        subgraphs: bool = False,
        config: Config | None = None,
        context: Any = None,
        version: Version = "v1",
    ) -> Iterator[Any]:
        """LangGraph's items, exactly as ``CompiledStateGraph.stream`` yields them.

        ``version="v1"`` gives v1's chunk shapes; ``version="v2"`` gives v2's
        stream parts (``{"type", "ns", "data"}`` dicts, see :mod:`.chunks`).
        """
        _check_version(version)
        mode = default_mode() if stream_mode is None else stream_mode
        if self._given is not None:
            config = _with_given(config, self._given)
        if context is not None:
            config = with_context(config, context)
        events = _drive.stream(self.plan, input, mode, subgraphs, config)
        if version == "v2":
            return shape_parts(events, _values_mapper(self.plan))
        return shape_chunks(events, mode, subgraphs)
'''

ACHUNKS_IMPL = '''
    def astream_chunks(
        self,
        input: Any,
        *,
        stream_mode: StreamMode | Sequence[StreamMode] | None = None,
        subgraphs: bool = False,
        config: Config | None = None,
        context: Any = None,
        version: Version = "v1",
    ) -> AsyncIterator[Any]:
        """Async twin of :meth:`stream_chunks`."""
        _check_version(version)
        mode = default_mode() if stream_mode is None else stream_mode
        if self._given is not None:
            config = _with_given(config, self._given)
        if context is not None:
            config = with_context(config, context)
        events = _drive.astream(self.plan, input, mode, subgraphs, config)
        if version == "v2":
            return ashape_parts(events, _values_mapper(self.plan))
        return ashape_chunks(events, mode, subgraphs)
'''


def _self_pattern(name: str, deep: bool) -> str:
    params = ["InputT", "OutputT", *OWN.values(), "EventT"]
    if deep:
        params += [*DEEP.values(), "SubEventT"]
    return f"{name}[{', '.join(OWN_PATTERN.get(p, 'Any') for p in params)}]"


def _chunk_methods(name: str, deep: bool) -> str:
    """``stream_chunks`` / ``astream_chunks``: v2's parts typed by mode, v1's chunks as Any.

    A mode (or pair) first gets its parts with the graph's own types (bound
    through ``self``; a subgraph's parts are of other types, hence only with
    ``subgraphs=False`` when there are subgraphs), then LangGraph's typing.
    """
    own_subgraphs = "Literal[False] = ..." if deep else "bool = ..."
    pattern = _self_pattern(name, deep)
    out = []
    for fn, iterator, impl in (
        ("stream_chunks", "Iterator", CHUNKS_IMPL),
        ("astream_chunks", "AsyncIterator", ACHUNKS_IMPL),
    ):
        for modes in _sets():
            literal = "Literal[" + ", ".join(f'"{m}"' for m in modes) + "]"
            mode = f"{literal} | Sequence[{literal}]" if len(modes) == 1 else f"Sequence[{literal}]"
            typed = " | ".join(TYPED_PART[m] for m in modes)
            out.append(
                _chunk_overload(fn, iterator, mode, 'Literal["v2"]', typed, pattern, own_subgraphs)
            )
            parts = " | ".join(PART[m] for m in modes)
            out.append(_chunk_overload(fn, iterator, mode, 'Literal["v2"]', parts))
        catch_all = "StreamMode | Sequence[StreamMode] | None = ..."
        out.append(_chunk_overload(fn, iterator, catch_all, 'Literal["v2"]', "StreamPart"))
        out.append(_chunk_overload(fn, iterator, catch_all, 'Literal["v1"] = ...', "Any"))
        out.append(impl)
    return "".join(out)


def _class(name: str, deep: bool) -> str:
    params = ["InputT", "OutputT", *OWN.values(), "EventT"]
    if deep:
        params += [*DEEP.values(), "SubEventT"]
    doc = (
        "A compiled graph with subgraphs: ``subgraphs=True`` adds their events."
        if deep
        else "A compiled graph: typed entry points over its plan."
    )
    return (
        f"\n\nclass {name}(Generic[{', '.join(params)}]):\n"
        f'    """{doc}"""\n\n    __slots__ = ("_given", "cache", "checkpointer", "plan")\n'
        + COMMON
        + _chunk_methods(name, deep)
        + _methods(deep)
    )


RESUME = '''
    __slots__ = ()

    def resume(
        self, answer: ResumeT | Mapping[str, ResumeT] | None = None, *, config: Config
    ) -> OutputT:
        """Run on from the thread's checkpoint, answering its pending interrupts; its final values.

        ``answer`` is what the one pending ``interrupt()`` call returns when its
        node runs again, typed as the spec's ``resumes``; a map ``{interrupt_id:
        answer}`` answers several by id (:attr:`~.events.InterruptEvent.ids`);
        without one, the run goes on from a breakpoint (LangGraph's
        ``invoke(Command(resume=answer), config)`` and ``invoke(None, config)``).
        """
        return self.invoke(_answered(answer), config=config)

    async def aresume(
        self, answer: ResumeT | Mapping[str, ResumeT] | None = None, *, config: Config
    ) -> OutputT:
        """Async twin of :meth:`resume`."""
        return await self.ainvoke(_answered(answer), config=config)
'''


def _interrupting(name: str, base: str, deep: bool) -> str:
    params = ["InputT", "OutputT", *OWN.values(), "EventT"]
    if deep:
        params += [*DEEP.values(), "SubEventT"]
    what = "A graph with subgraphs" if deep else "A graph"
    return (
        f"\n\nclass {name}({base}[{', '.join(params)}], Generic[{', '.join([*params, 'ResumeT'])}]):\n"
        f'    """{what} whose runs stop at interrupts: :meth:`resume` takes the declared answer.\n\n'
        "    ``ResumeT`` is the type of the answers its spec's nodes declare (``resumes``).\n"
        '    """\n' + RESUME
    )


def render() -> str:
    typevars = "".join(
        f'{v} = TypeVar("{v}")\n'
        for v in [*OWN.values(), "EventT", *DEEP.values(), "SubEventT", "ResumeT"]
    )
    return (
        HEADER
        + typevars
        + _class("Graph", False)
        + _class("GraphWithSubgraphs", True)
        + _interrupting("InterruptingGraph", "Graph", False)
        + _interrupting("InterruptingGraphWithSubgraphs", "GraphWithSubgraphs", True)
    )


def main() -> int:
    import subprocess

    text = render()
    formatted = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(TARGET), "-"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    if "--check" in sys.argv[1:]:
        if TARGET.read_text() != formatted:
            print(f"{TARGET} is stale: run python scripts/gen_graph_types.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(formatted)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
