"""``invoke`` as a function call: a run that asks for no events does no event work.

A root ``invoke`` without a config, of a plan without breakpoints, policies or
deferred nodes (:attr:`Plan.quick`), has nothing to stream, no thread to save
to and no run control to ask: :func:`invoke` calls its lone supersteps here,
one after the other, without a run object, an engine, a task object, events
or a mode test. What it can take is a superstep of one node proven quiet
(``reads_task`` false: it reads no task, so none is made for it) that takes the
state alone (``plain``) and feeds no join. At the first superstep it cannot
take (several tasks, a node that may read its task or takes more, a ``Send``, the
recursion limit) it hands the run over to the engine (:meth:`Engine.steps`
with ``onward``), which goes on from that step with every rule of a
superstep: the outcome is the same run, the first steps only cheaper.
"""

from __future__ import annotations

from typing import Any

from ._engine import Engine, Node, Plan
from .errors import node_failure
from .run import CURRENT_TASK, Run, current_task

__all__ = ["invoke", "takes"]


def takes(plan: Plan, input: Any, config: Any) -> bool:
    """Whether a call ``invoke(input, config=config)`` of ``plan`` can start here."""
    return (
        not config
        and plan.quick
        and plan.entry_lone is not None
        and type(input) is dict
        and (CURRENT_TASK.get() is None or current_task() is None)
    )


def invoke(plan: Plan, input: dict[str, Any]) -> dict[str, Any] | None:
    """Run ``plan`` from ``input`` to the end (see the module docstring); its final values
    (the plan's output keys, if it has any)."""
    values, _ = plan.start(input)
    alone = plan.alone
    full = plan.width
    merge = plan.merge_writes
    limit = plan.limit
    ready = plan.entry_lone
    assert ready is not None
    outcome: tuple[Node, tuple[Any, ...]] | None = None
    step = 0
    node: Node | None = None
    try:
        while ready is not None:
            # LangGraph checks the limit before it looks for work: the engine raises
            if step >= limit:
                break
            if not ready:
                return plan.output(dict(values))
            node = ready[0]
            plain = node.plain
            if len(ready) > 1 or plain is None or node.reads_task or node.joins or node.is_async:
                break
            step += 1
            input_of = node.input
            result = plain(input_of(values))
            if type(result) is dict and result and node.keys.issuperset(result):
                # as the engine's lone step: the writes go straight into the state
                if len(values) != full:
                    plan.apply(values, result)
                elif merge is None:
                    values.update(result)
                else:
                    merge(values, result)
                after = node.after
                if after is not None:
                    ready = after
                    continue
                sent: tuple[Any, ...] = ()
            else:
                # a Command, a list of updates, None
                update, sent = plan.outcome(node.name, result)
                if update:
                    plan.apply(values, update)
                after = node.after
                if after is not None and not sent:
                    ready = after
                    continue
            route = node.direct if node.direct is not None else node.route
            goto = (node.then if route is None else route(values)) + sent
            if len(goto) == 1 and type(goto[0]) is str:
                ready = alone[goto[0]]
                continue
            # several nodes, or a Send: the engine makes the next superstep from the goto
            outcome, ready = (node, goto), None
    except BaseException as exc:
        if type(exc).__name__ == "CancelledError" and node is not None:
            raise node_failure(node.name, exc, False)  # noqa: B904 (as the engine raises it)
        raise
    # the engine goes on from here
    run = Run.start(plan.name, (), False, None, plan.limit, plan.stateful)
    engine = Engine(plan, run, values, input)
    engine.step = step
    # the superstep it could not take: the next one after its node's goto, or its nodes
    if outcome is not None:
        engine.ready = engine._successors((outcome,))
    elif ready is not None:
        engine.ready = ready
    for _ in engine.steps(False, (), onward=True):
        pass
    return plan.output(run.result)
