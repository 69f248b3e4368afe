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

from collections.abc import AsyncIterator, Generator, Iterator, Mapping, Sequence
from typing import Any, cast

from . import _quick
from ._engine import Engine, Node, Plan, Writes
from ._persist import CHECKPOINTER, Thread
from ._saver_io import put_through
from ._steps import _PUSH
from .config import Config
from .control import Command, ParentCommand, as_command
from .events import Event, StreamMode, UpdatesEvent
from .interrupts import GraphInterrupt
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
    On a thread whose saver is not flowc's, it awaits the stores the run queued
    (:func:`~._saver_io.put_through`) before it passes an event on or does what
    the loop asks, and as the run ends, however it ends.
    """
    steps: Generator[Any, Any, None] | None = None
    thread: Thread | None = None
    try:
        engine = Engine(plan, run, values, input)
        first: Any = None
        if run.config or plan.breakpoints is not None:
            # on a thread, START's routers see the thread's state with the input applied
            # (only a run given a config can be on one; breakpoints refuse to run without one)
            thread = await engine.aon_thread()
            if thread is not None and thread.outbox is None:
                thread = None  # nothing to await: its saver is called as the run goes
            if engine.resumed is not None:
                # a resumed run goes on with the nodes its checkpoint has due
                first = ()
            elif plan.afirst is not None or (plan.first is not None and run.hooks is not None):
                # START's routers (a run's hooks report them, to callbacks it awaits)
                hooks = run.hooks
                first = await (plan.afirst(values) if hooks is None else hooks.afirst(plan, values))  # type: ignore[misc]
            elif plan.first is not None:
                first = plan.first(values)
            else:
                first = plan.entry
        elif plan.afirst is not None:
            first = await plan.afirst(values)
        # else (``first`` left ``None``) the loop finds START's nodes itself
        steps = engine.steps(wrote, first, asynchronous=True)
        # the loop yields events, and now and then None: a request (engine.request), which
        # is done here and its answer sent back, which gives the loop's next item
        for item in steps:
            if item is not None:
                if thread is not None:
                    await put_through(thread)
                yield item
                continue
            while item is None:
                if thread is not None:
                    await put_through(thread)
                request = engine.request
                assert request is not None
                reply: Any = None
                error: BaseException | None = None
                if request.kind == "await":
                    try:
                        reply = await request.work
                    except BaseException as exc:
                        error = exc
                else:
                    async for done in run.run_async(request.work, request.timeout, request.more):
                        if not isinstance(done, Done):
                            yield done
                        elif done.error is not None:
                            if type(done.error) is GraphInterrupt and engine.thread is not None:
                                for event in engine.interrupted(done.task, done.error):
                                    yield event
                                continue
                            taken = engine.taken(done.task, done.error)
                            if taken is not None:
                                for event in engine.record(done.task, *taken):
                                    yield event
                                continue
                            for event in engine.failed(done.task, done.error):
                                yield event
                            if not engine.rescue(done.task, done.error, asynchronous=True):
                                raise done.error
                        else:
                            for event in engine.record(done.task, *done.result):
                                yield event
                engine.request = None
                try:
                    item = steps.send(reply) if error is None else steps.throw(error)
                except StopIteration:
                    return
            if thread is not None:
                await put_through(thread)
            yield item
    finally:
        if steps is not None:
            # its own finally hands the current task back (and queues a run's last stores)
            steps.close()
        try:
            if not run.settled:
                # a node still running is cancelled before the stores, as in LangGraph
                await run.aclose()
        finally:
            if thread is not None:
                await put_through(thread)


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
        run = Run.start(plan.name, stream_mode, subgraphs, config, plan.limit, plan.stateful)
        # the common input, a dict, goes straight to the plan
        values, wrote = plan.start(input) if type(input) is dict else start(plan, run, input)
    except Exception as exc:
        return failing(exc)
    events: Iterator[Event] = Engine(plan, run, values, input).steps(wrote)
    if run.hooks is not None:
        events = run.hooks.traced(events, input, plan)
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
        run = Run.start(plan.name, stream_mode, subgraphs, config, plan.limit, plan.stateful)
        values, wrote = plan.start(input) if type(input) is dict else start(plan, run, input)
    except Exception as exc:
        return afailing(exc)
    events = adrive(plan, run, values, wrote, input)
    if run.hooks is not None:
        events = run.hooks.atraced(events, input, plan)
    return events if run.parent is None else run.asplit(events)


def invoke(plan: Plan, input: Any, config: Config | None) -> dict[str, Any]:
    """Run ``plan`` to the end; its final values."""
    if _quick.takes(plan, input, config):
        return cast(dict[str, Any], _quick.invoke(plan, input))
    run = Run.start(plan.name, (), False, config, plan.limit, plan.stateful)
    values, wrote = plan.start(input) if type(input) is dict else start(plan, run, input)
    events: Iterator[Event] = Engine(plan, run, values, input).steps(wrote)
    if run.hooks is not None:
        events = run.hooks.traced(events, input, plan)
    # a root run streams nothing here; a nested one hands its parent what it wants
    for _ in events if run.parent is None else run.split(events):
        pass
    return cast(dict[str, Any], plan.output(run.result))


async def ainvoke(plan: Plan, input: Any, config: Config | None) -> dict[str, Any]:
    """Async twin of :func:`invoke`."""
    run = Run.start(plan.name, (), False, config, plan.limit, plan.stateful)
    values, wrote = plan.start(input) if type(input) is dict else start(plan, run, input)
    events = adrive(plan, run, values, wrote, input)
    if run.hooks is not None:
        events = run.hooks.atraced(events, input, plan)
    async for _ in events if run.parent is None else run.asplit(events):
        pass
    return cast(dict[str, Any], plan.output(run.result))


def start(plan: Plan, run: Run, input: Any) -> tuple[dict[str, Any], bool]:
    """The state a run starts from and whether its input wrote (see :meth:`Plan.start`).

    On a thread, ``None`` or a ``Command`` goes on from the thread's
    checkpoint, whose state the engine loads: the run starts empty here.

    Raises:
        RuntimeError: for a ``Command(resume=...)`` without a checkpointer.
    """
    if input is None or (type(input) is not dict and as_command(input) is not None):
        configurable = run.config.get("configurable") if run.parent is None else None
        if configurable and configurable.get(CHECKPOINTER) is not None:
            return {}, False
        if input is not None:
            command = as_command(input)
            if command is not None and command.resume is not None:
                # LangGraph's words
                raise RuntimeError("Cannot use Command(resume=...) without checkpointer")
            raise RuntimeError(
                "Command as input needs a checkpointer: compile the graph with "
                "checkpointer=... and run it on a thread"
            )
    return plan.start(input)


_PUSHED = ("__pregel_push",)
"""The triggers of a ``Send``'s task."""


def subgraph_node(
    name: str,
    updated: type[UpdatesEvent[Any, Any]],
    child: Plan,
    shared: tuple[str, ...],
    *,
    instance: bool = False,
    inputs: tuple[str, ...] | None = None,
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
        inputs: the keys the subgraph starts from, when not ``shared`` (its input
            schema's keys that the parent has; ``shared`` is then its output
            schema's).
        node: the rest of :class:`~._engine.Node`'s arguments.
    """

    taken = shared if inputs is None else inputs

    def begin(task: Task, inp: Any, values: dict[str, Any]) -> tuple[Run, dict[str, Any], bool]:
        run = Run.nested(child.name, task, stateful=child.stateful)
        if task.triggers == _PUSH:
            # a Send's argument is the subgraph's input as it is (its keys the subgraph has),
            # not the keys it shares with this graph, as LangGraph gives it
            given = inp if isinstance(inp, Mapping) else shared_input(inp, child.fields)
            state = {key: given[key] for key in child.fields if key in given}
        elif instance:
            state = shared_input(inp, taken)
        elif task.triggers == _PUSHED and isinstance(inp, Mapping):
            # a Send's task runs the subgraph on the Send's payload, not on the parent's state
            state = {key: inp[key] for key in taken if key in inp}
        else:
            state = {key: values[key] for key in taken if key in values}
        return (run, *child.start(state))

    def end(task: Task, run: Run) -> Writes:
        final = cast(dict[str, Any], run.result)
        # LangGraph streams the messages of the subgraph's whole output, not only the shared keys
        emit_node_output(task, final)
        return {key: final[key] for key in shared if key in final} or None

    def events(task: Task, inp: Any, values: dict[str, Any]) -> Generator[Event, None, Any]:
        run, state, wrote = begin(task, inp, values)
        steps = drive(child, run, state, wrote)
        try:
            yield from steps if run.hooks is None else run.hooks.traced(steps, inp, child)
        except ParentCommand as sent:
            return up(sent)
        return end(task, run)

    def call(task: Task, inp: Any, values: dict[str, Any]) -> Any:
        return drain(events(task, inp, values), task.emit)

    async def acall(task: Task, inp: Any, values: dict[str, Any]) -> Any:
        run, state, wrote = begin(task, inp, values)
        steps = adrive(child, run, state, wrote)
        try:
            await adrain(
                steps if run.hooks is None else run.hooks.atraced(steps, inp, child), task.emit
            )
        except ParentCommand as sent:
            return up(sent)
        return end(task, run)

    def up(sent: ParentCommand) -> Command[str]:
        # a node of the subgraph returned Command(graph=PARENT): the graph stopped there,
        # and the command is this node's outcome here (the subgraph's state is not written)
        command = sent.command
        return Command(update=command.update, goto=command.goto)

    made = Node(name, updated, call, stream=events, acall=acall, **node)
    made.subgraph = child
    return made
