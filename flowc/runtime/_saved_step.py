"""A superstep of one task of a sync run on a thread, taken the short way.

A run on a thread stores each task's writes before they are applied, so its
lone tasks do not take the engine's lone-task path. Most of its supersteps
still have one task and nothing that streams while it runs (a chain of
nodes): :func:`saved_step` runs such a superstep with the rules of the
general one — the task's id from the checkpoint that scheduled it, its
``interrupt()`` answers, its writes stored, then applied, the checkpoint
after it — without the lists, the generators and the ordering a superstep of
several tasks needs. A failed, interrupted or commanding task's outcome is
taken by the general rules (:meth:`~._interrupting.Interrupting.outcome`).

:func:`takes_saved_steps` says once per run whether its lone tasks may go
this way: not when the run streams live, has a step timeout, caches tasks,
handles errors, defers nodes or stops at breakpoints, which the general
superstep handles.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING

from ._executor import _work
from ._steps import _NO_INTERRUPTS, _NO_PUSHES, _NO_WRITES, body
from .events import Event, ValuesEvent
from .interrupts import GraphInterrupt
from .run import Task, ignore

if TYPE_CHECKING:
    from ._engine import Engine, Node

__all__ = ["saved_step", "takes_saved_steps"]


def takes_saved_steps(engine: Engine, asynchronous: bool) -> bool:
    """Whether the run's lone tasks on its thread may go through :func:`saved_step`."""
    plan = engine.plan
    run = engine.run
    return (
        engine.thread is not None
        and not asynchronous
        and not run.live
        and engine.timeout is None
        and engine.cache is None
        and engine.breaks is None
        and not (plan.caching or plan.handling or plan.timing or plan.deferring)
    )


def saved_step(engine: Engine, node: Node, step: int) -> Generator[Event, None, bool]:
    """Run superstep ``step``, ``node``'s task alone, and save the checkpoint after it.

    Yields the superstep's events; returns whether the run goes on (``False``: a task
    stopped at an interrupt, and the run with it).
    """
    run = engine.run
    thread = engine.thread
    assert thread is not None
    plan = engine.plan
    values = engine.values
    engine.step = step
    task = Task(run, node.name, step, node.triggers, ignore, node.metadata, node.tags)
    tasks = (task,)
    # what the general rules read of a superstep (an interrupt, a failure, a command)
    engine.running = (node,)
    engine.order = tasks
    engine.pushes_running = _NO_PUSHES
    if engine.writes is _NO_WRITES:
        engine.writes = {}
    thread.started(tasks, _NO_PUSHES)
    inp = node.input(values)
    if run.tasks or run.debug:
        yield from run.task_starts(tasks, (inp,))
    yield from engine.prepare(tasks)
    done = _work(task, body, (inp, values, node, plan))
    if done.error is None:
        update, goto = done.result
        yield from engine.record(task, update, goto)
    else:
        yield from engine.outcome(done, thread)
    if engine.interrupts is not _NO_INTERRUPTS:
        yield from engine.halt()
        if run.parent is not None:
            # the task that runs this graph stops at the same interrupts
            raise GraphInterrupt(tuple(engine.interrupts))
        return False
    if plan.overwrites or engine.rescued or engine.held:
        yield from engine.settle()
    else:
        yield from _settle(engine, task, node)
    yield from engine.save(thread, step)
    return True


def _settle(engine: Engine, task: Task, node: Node) -> tuple[Event, ...]:
    """The superstep's end, as :meth:`~._supersteps.Supersteps.settle` has it for one task:
    its writes applied, the next superstep's nodes; its events."""
    writes = engine.writes
    _, update, goto = writes.pop(task)
    plan = engine.plan
    values = engine.values
    if update:
        plan.apply(values, update)
    if len(goto) == 1 and type(goto[0]) is str and not node.joins:
        engine.ready = plan.alone[goto[0]]
        engine.pushes = _NO_PUSHES
    else:
        engine.ready = engine._successors(((node, goto),))
    run = engine.run
    if update and run.values:
        return (ValuesEvent(dict(values), run.ns),)
    return ()
