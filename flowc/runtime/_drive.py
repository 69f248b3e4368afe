"""The entry points of a compiled graph, and the async driver of the engine's loop.

A sync run is the engine's loop itself (:meth:`Engine.steps`): it calls
lone tasks in its own frame and hands other supersteps to the run's worker
pool. :func:`adrive` drives the same loop for an async run: it passes the
loop's events on and does what the loop asks between them (awaits a lone
async node or router; runs a superstep's tasks as asyncio tasks or on the
pool, feeding each outcome back to the engine). Every rule of a superstep is
the engine's.

:func:`stream`, :func:`astream`, :func:`invoke` and :func:`ainvoke` start a
run of a plan, nested in the current task if a node is running, and
:func:`subgraph_node` makes the node that runs a plan as a subgraph. The
typed facade over them is :class:`~._graph.Graph`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator, Iterator, Sequence
from typing import Any, cast

from ._engine import Engine, Node, Plan, Request, Writes
from ._persist import CHECKPOINTER
from .config import Config
from .events import Event, StreamMode, UpdatesEvent
from .messages import emit_node_output
from .run import (
    Done,
    Run,
    Task,
    adrain,
    afailing,
    drain,
    failing,
    shared_input,
)

__all__ = [
    "adrive",
    "ainvoke",
    "astream",
    "drive",
    "invoke",
    "stream",
    "subgraph_node",
]


def resumed(plan: Plan, config: Config | None) -> tuple[dict[str, Any], bool]:
    """A run given no input: on a thread it goes on from the thread's checkpoint (the engine
    loads it); anywhere else, ``None`` is refused as the plan refuses it."""
    configurable = config.get("configurable") if config else None
    if configurable and configurable.get(CHECKPOINTER) is not None:
        return {}, False
    return plan.start(None)


def drive(
    plan: Plan, run: Run, values: dict[str, Any], wrote: bool
) -> Generator[Event, None, None]:
    """Run ``plan`` superstep by superstep in this thread, yielding the requested events.

    The engine's loop is the whole of a sync run: it calls lone tasks itself
    and hands other supersteps to the run's worker pool.
    """
    return Engine(plan, run, values).steps(wrote)


async def adrive(
    plan: Plan, run: Run, values: dict[str, Any], wrote: bool, input: Any = None
) -> AsyncIterator[Event]:
    """Async twin of :func:`drive`: does what the engine asks between its events.

    It awaits lone async nodes and routers, and runs supersteps of several
    tasks as asyncio tasks (async nodes) or on the worker pool (sync ones).
    """
    steps: Generator[Any, Any, None] | None = None
    try:
        engine = Engine(plan, run, values, input)
        # on a thread, START's routers see the thread's state with the input applied
        thread = engine.on_thread()
        if thread is not None and thread.resumed is not None:
            # a resumed run goes on with the nodes its checkpoint has due
            first = thread.resumed
        elif plan.afirst is not None:
            first = await plan.afirst(values)
        elif plan.first is not None:
            first = plan.first(values)
        else:
            first = plan.entry
        steps = engine.steps(wrote, first, asynchronous=True)
        # the loop yields events, and now and then a request: what it asks is done here and
        # the answer sent back, which gives the loop's next item
        for item in steps:
            while type(item) is Request:
                reply: Any = None
                error: BaseException | None = None
                if item.kind == "await":
                    try:
                        reply = await item.work
                    except BaseException as exc:
                        error = exc
                else:
                    async for done in run.run_async(item.work):
                        if not isinstance(done, Done):
                            yield done
                        elif done.error is not None:
                            for event in engine.failed(done.task, done.error):
                                yield event
                            raise done.error
                        else:
                            for event in engine.record(done.task, *done.result):
                                yield event
                try:
                    item = steps.send(reply) if error is None else steps.throw(error)
                except StopIteration:
                    break
            else:
                yield item
    finally:
        if steps is not None:
            # its own finally hands the current task back
            steps.close()
        await run.aclose()


def stream(
    plan: Plan,
    input: Any,
    stream_mode: StreamMode | Sequence[StreamMode],
    subgraphs: bool,
    config: Config | None,
) -> Iterator[Event]:
    """A run of ``plan``, yielding the events of ``stream_mode``.

    The run starts at the call, and the superstep loop itself is handed back;
    an argument it refuses raises on the first ``next()``, as in LangGraph.
    """
    try:
        run = Run.start(plan.name, stream_mode, subgraphs, config, plan.limit)
        values, wrote = plan.start(input) if input is not None else resumed(plan, config)
    except Exception as exc:
        return failing(exc)
    events = Engine(plan, run, values, input).steps(wrote)
    return events if run.parent is None else run.split(events)


def astream(
    plan: Plan,
    input: Any,
    stream_mode: StreamMode | Sequence[StreamMode],
    subgraphs: bool,
    config: Config | None,
) -> AsyncIterator[Event]:
    """Async twin of :func:`stream`: a refused argument raises on the first ``anext()``."""
    try:
        run = Run.start(plan.name, stream_mode, subgraphs, config, plan.limit)
        values, wrote = plan.start(input) if input is not None else resumed(plan, config)
    except Exception as exc:
        return afailing(exc)
    events = adrive(plan, run, values, wrote, input)
    return events if run.parent is None else run.asplit(events)


def invoke(plan: Plan, input: Any, config: Config | None) -> dict[str, Any]:
    """Run ``plan`` to the end; its final values."""
    run = Run.start(plan.name, (), False, config, plan.limit)
    values, wrote = plan.start(input) if input is not None else resumed(plan, config)
    events = Engine(plan, run, values, input).steps(wrote)
    # a root run streams nothing here; a nested one hands its parent what it wants
    for _ in events if run.parent is None else run.split(events):
        pass
    return cast(dict[str, Any], run.result)


async def ainvoke(plan: Plan, input: Any, config: Config | None) -> dict[str, Any]:
    """Async twin of :func:`invoke`."""
    run = Run.start(plan.name, (), False, config, plan.limit)
    values, wrote = plan.start(input) if input is not None else resumed(plan, config)
    events = adrive(plan, run, values, wrote, input)
    async for _ in events if run.parent is None else run.asplit(events):
        pass
    return cast(dict[str, Any], run.result)


def subgraph_node(
    name: str,
    updated: type[UpdatesEvent[Any, Any]],
    child: Plan,
    shared: tuple[str, ...],
    *,
    instance: bool = False,
    **node: Any,
) -> Node:
    """The node that runs ``child`` as a subgraph on the keys it shares with its parent.

    Args:
        name: the node's name.
        updated: the node's updates-event class.
        child: the subgraph's plan.
        shared: the keys the two graphs share: the subgraph starts from them
            and the node writes them back.
        instance: the parent's state is a dataclass or pydantic model: the
            shared keys are read from the instance the node receives, as
            LangGraph reads them (defaults filled in).
        node: the rest of :class:`~._engine.Node`'s arguments.
    """

    def start(task: Task, inp: Any, values: dict[str, Any]) -> tuple[Run, dict[str, Any], bool]:
        run = Run.nested(child.name, task)
        if instance:
            state = shared_input(inp, shared)
        else:
            state = {key: values[key] for key in shared if key in values}
        return (run, *child.start(state))

    def end(task: Task, run: Run) -> Writes:
        final = cast(dict[str, Any], run.result)
        # LangGraph streams the messages of the subgraph's whole output, not only the shared keys
        emit_node_output(task, final)
        return {key: final[key] for key in shared if key in final} or None

    def events(task: Task, inp: Any, values: dict[str, Any]) -> Generator[Event, None, Writes]:
        run, state, wrote = start(task, inp, values)
        yield from drive(child, run, state, wrote)
        return end(task, run)

    def call(task: Task, inp: Any, values: dict[str, Any]) -> Writes:
        return drain(events(task, inp, values), task.emit)

    async def acall(task: Task, inp: Any, values: dict[str, Any]) -> Writes:
        run, state, wrote = start(task, inp, values)
        await adrain(adrive(child, run, state, wrote), task.emit)
        return end(task, run)

    made = Node(name, updated, call, stream=events, acall=acall, **node)
    made.subgraph = child
    return made
