"""The drivers of the superstep engine: where nodes run, sync and async.

:func:`drive` runs a plan's supersteps in the calling thread: a superstep of
one task whose events need not stream while it runs is called right here,
others go to the worker pool (:meth:`Run.run_threads`), which hands their
events back as they happen. :func:`adrive` is its async twin: async nodes run
as asyncio tasks, sync ones on the pool. Both only execute what the
:class:`~._engine.Engine` plans and feed the outcomes back; every rule of a
superstep is the engine's.

The entry points (:func:`stream`, :func:`astream`, :func:`invoke`,
:func:`ainvoke`) start a run of a plan, nested in the current task if a node
is running, and :func:`subgraph_node` makes the node that runs a plan as a
subgraph. The typed facade over them is :class:`~._graph.Graph`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator, Iterator, Sequence
from typing import Any, cast

from ._engine import Engine, Goto, Node, Plan, Writes, abody, body
from .config import DEFAULT_RECURSION_LIMIT, Config
from .events import Event, StreamMode, UpdatesEvent
from .messages import emit_node_output
from .run import (
    CURRENT_TASK,
    Done,
    Run,
    Task,
    adrain,
    afailing,
    drain,
    failing,
    no_sync,
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
    """Run ``plan`` superstep by superstep in this thread, yielding the requested events."""
    get_current = CURRENT_TASK.get
    engine: Engine | None = None
    try:
        # START's routers run in LangGraph's hidden first task: before the input's values
        first = plan.entry if plan.first is None else plan.first(values)
        engine = Engine(plan, run, values, first)
        event = engine.started(wrote)
        if event is not None:
            yield event
        live = run.live
        messages = run.messages
        want_tasks = engine.want_tasks
        check = engine.check
        keys = plan.keys
        while (tasks := engine.tasks) is not None:
            node = engine.ready[0]
            # one task and nothing to stream while it runs: call it right here; a lone
            # subgraph node too, whose graph's events come out of its own loop as they happen
            if len(tasks) == 1 and (not live or (node.stream is not None and not messages)):
                task = tasks[0]
                inp = node.input(values)
                if want_tasks:
                    yield from run.task_starts(tasks, (inp,))
                # the context variable is set once for the reused task, which is active only
                # while its node runs: cheaper than setting and resetting it around every node
                if get_current() is not task:
                    CURRENT_TASK.set(task)
                task.active = True
                try:
                    plain = node.plain
                    result: object
                    if plain is not None:
                        result = plain(inp)
                    elif node.stream is not None:
                        # while it yields, the code running is this run's consumer, not the node
                        task.active = False
                        result = yield from node.stream(task, inp, values)
                    else:
                        result = node.call(task, inp, values)
                    update: Writes
                    # the common case, a non-empty dict of state keys, needs no call
                    if type(result) is dict and result and keys.issuperset(result):
                        update = result
                    else:
                        update = check(task, result)
                    route = node.route
                    if route is None:
                        goto = node.then
                        committed = False
                    else:
                        # its routers see the state with its writes applied
                        if update:
                            engine.commit(update)
                        goto = route(values)
                        committed = True
                except BaseException as exc:
                    task.active = False
                    yield from engine.failed(task, exc)
                    raise
                task.active = False
                yield from engine.finish(task, update, goto, committed)
                continue
            nodes = engine.ready
            inputs = [n.input(values) for n in nodes]
            if want_tasks:
                yield from run.task_starts(tasks, inputs)
            jobs = [
                (task, body, (inp, values, n, plan))
                for task, n, inp in zip(tasks, nodes, inputs, strict=True)
            ]
            for item in run.run_threads(jobs):
                if not isinstance(item, Done):
                    yield item
                    continue
                if item.error is not None:
                    yield from engine.failed(item.task, item.error)
                    raise item.error
                update, goto = item.result
                yield from engine.record(item.task, update, goto)
            yield from engine.settle()
        engine.end()
    finally:
        lone = engine.lone if engine is not None else None
        if lone is not None and get_current() is lone:
            # hand the context back to the task this run started in (or to none)
            CURRENT_TASK.set(run.parent)
        run.close()


async def adrive(plan: Plan, run: Run, values: dict[str, Any], wrote: bool) -> AsyncIterator[Event]:
    """Async twin of :func:`drive`: async nodes are awaited, sync ones run on the pool."""
    get_current = CURRENT_TASK.get
    engine: Engine | None = None
    try:
        if plan.afirst is not None:
            first = await plan.afirst(values)
        elif plan.first is not None:
            first = plan.first(values)
        else:
            first = plan.entry
        engine = Engine(plan, run, values, first)
        event = engine.started(wrote)
        if event is not None:
            yield event
        live = run.live
        root = run.parent is None
        want_tasks = engine.want_tasks
        check = engine.check
        keys = plan.keys
        while (tasks := engine.tasks) is not None:
            node = engine.ready[0]
            # a nested graph's lone sync node still goes to a thread: inline, it would
            # block the event loop, and with it the graph's parallel siblings
            if len(tasks) == 1 and not live and (root or node.is_async):
                task = tasks[0]
                inp = node.input(values)
                if want_tasks:
                    for event in run.task_starts(tasks, (inp,)):
                        yield event
                if get_current() is not task:
                    CURRENT_TASK.set(task)
                task.active = True
                try:
                    plain = node.plain
                    result: object
                    if plain is not None:
                        result = plain(inp)
                    elif node.acall is not None:
                        result = await node.acall(task, inp, values)
                    else:
                        result = node.call(task, inp, values)
                    update: Writes
                    if type(result) is dict and result and keys.issuperset(result):
                        update = result
                    else:
                        update = check(task, result)
                    goto: Goto
                    route = node.route
                    if route is None and node.aroute is None:
                        goto = node.then
                        committed = False
                    else:
                        if update:
                            engine.commit(update)
                        if node.aroute is not None:
                            goto = await node.aroute(values)
                        else:
                            assert route is not None
                            goto = route(values)
                        committed = True
                except BaseException as exc:
                    task.active = False
                    for event in engine.failed(task, exc):
                        yield event
                    raise
                task.active = False
                for event in engine.finish(task, update, goto, committed):
                    yield event
                continue
            nodes = engine.ready
            inputs = [n.input(values) for n in nodes]
            if want_tasks:
                for event in run.task_starts(tasks, inputs):
                    yield event
            jobs = [
                (task, abody if n.is_async else body, (inp, values, n, plan), n.is_async)
                for task, n, inp in zip(tasks, nodes, inputs, strict=True)
            ]
            async for item in run.run_async(jobs):
                if not isinstance(item, Done):
                    yield item
                    continue
                if item.error is not None:
                    for event in engine.failed(item.task, item.error):
                        yield event
                    raise item.error
                update, goto = item.result
                for event in engine.record(item.task, update, goto):
                    yield event
            for event in engine.settle():
                yield event
        engine.end()
    finally:
        lone = engine.lone if engine is not None else None
        if lone is not None and get_current() is lone:
            CURRENT_TASK.set(run.parent)
        await run.aclose()


def _limit(plan: Plan) -> int:
    limit = plan.recursion_limit
    return DEFAULT_RECURSION_LIMIT if limit is None else limit


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
        run = Run.start(plan.name, stream_mode, subgraphs, config, _limit(plan))
        values, wrote = plan.start(input)
    except Exception as exc:
        return failing(exc)
    events = drive(plan, run, values, wrote)
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
        run = Run.start(plan.name, stream_mode, subgraphs, config, _limit(plan))
        values, wrote = plan.start(input)
    except Exception as exc:
        return afailing(exc)
    events = adrive(plan, run, values, wrote)
    return events if run.parent is None else run.asplit(events)


def invoke(plan: Plan, input: Any, config: Config | None) -> dict[str, Any]:
    """Run ``plan`` to the end; its final values."""
    run = Run.start(plan.name, (), False, config, _limit(plan))
    values, wrote = plan.start(input)
    events = drive(plan, run, values, wrote)
    # a root run streams nothing here; a nested one hands its parent what it wants
    for _ in events if run.parent is None else run.split(events):
        pass
    return cast(dict[str, Any], run.result)


async def ainvoke(plan: Plan, input: Any, config: Config | None) -> dict[str, Any]:
    """Async twin of :func:`invoke`."""
    run = Run.start(plan.name, (), False, config, _limit(plan))
    values, wrote = plan.start(input)
    events = adrive(plan, run, values, wrote)
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

    return Node(name, updated, call, stream=events, acall=acall, **node)


def async_only(name: str) -> Any:
    """The sync ``call`` of an async node: LangGraph's error for a sync run that reaches it."""

    def call(task: Task, inp: Any, values: dict[str, Any]) -> Writes:
        raise no_sync(name)

    return call
