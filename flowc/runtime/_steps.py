"""What the engine's supersteps share: task bodies, requests, and the engine's state.

:func:`body` and :func:`abody` run a node as one of several tasks of a
superstep; :class:`Request` is what the engine asks of an async driver;
:class:`EngineState` declares every attribute of an engine with the default
it starts with (the engine's methods are split over :mod:`._supersteps`,
:mod:`._onthread` and :mod:`._engine`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, Literal

from ._persist import Thread
from .control import Send
from .events import (
    Event,
    UpdatesEvent,
)
from .interrupts import Interrupt
from .run import (
    Run,
    Task,
)

if TYPE_CHECKING:
    pass


from ._plan import Goto, Node, Plan, Writes

Failure = tuple[str, BaseException]
"""A failed task: its node's name and its error (what an error handler is given)."""


def body(
    task: Task, inp: Any, values: dict[str, Any], node: Node, plan: Plan
) -> tuple[Writes, Goto]:
    """Run ``node`` as one of several tasks of a superstep: its writes and where it leads.

    Its routers see the state with this task's own writes applied, not its
    siblings' (those are applied later, in node-name order).
    """
    plain = node.plain
    result = plain(inp) if plain is not None else node.call(task, inp, values)
    sent: Goto = ()
    # the common case, a non-empty dict of state keys, needs no call
    if type(result) is dict and result and node.keys.issuperset(result):
        update: Writes = result
    else:
        update, sent = plan.outcome(node.name, result)
    route = node.route
    if route is None:
        return update, node.then + sent if sent else node.then
    local = dict(values)
    if update:
        plan.apply(local, update)
    return update, route(local) + sent


def rescue_body(
    task: Task, inp: Any, values: dict[str, Any], node: Node, plan: Plan, failure: Failure
) -> tuple[Writes, Goto]:
    """Run error handler ``node`` for ``failure`` (the failed node's name, its error): its
    writes and its goto. A handler's ``call`` takes the failure as a fourth argument."""
    result = node.call(task, inp, values, failure)  # type: ignore[call-arg]
    return plan.outcome(node.name, result)


async def arescue_body(
    task: Task, inp: Any, values: dict[str, Any], node: Node, plan: Plan, failure: Failure
) -> tuple[Writes, Goto]:
    """Async twin of :func:`rescue_body`."""
    assert node.acall is not None
    result = await node.acall(task, inp, values, failure)  # type: ignore[call-arg]
    return plan.outcome(node.name, result)


async def abody(
    task: Task, inp: Any, values: dict[str, Any], node: Node, plan: Plan
) -> tuple[Writes, Goto]:
    """Async twin of :func:`body`."""
    acall = node.acall
    result = await acall(task, inp, values) if acall is not None else node.call(task, inp, values)
    update, sent = plan.outcome(node.name, result)
    if node.route is None and node.aroute is None:
        return update, node.then + sent
    local = dict(values)
    if update:
        plan.apply(local, update)
    aroute = node.aroute
    if aroute is not None:
        return update, await aroute(local) + sent
    assert node.route is not None
    return update, node.route(local) + sent


def _resuming(task: Task) -> bool:
    """Whether ``task`` runs again in a resumed run, to go on where it stopped."""
    resumes = task.resumes
    return resumes is not None and resumes.resuming


def _skipped(task: Task, hits: Any, done: Any) -> bool:
    """Whether a superstep's task needs no job: a cache hit, or done before a resume."""
    return bool(hits and task in hits) or bool(done and task in done)


_NOTHING: Final[tuple[Event, ...]] = ()
_NO_ANSWER: Final[list[Any]] = []
"""The scalar resume value of a superstep that has none (never added to)."""


def _interrupt_dict(interrupt: Interrupt[Any]) -> dict[str, Any]:
    # LangGraph's tasks and checkpoint payloads show interrupts as dataclasses.asdict does
    return {
        "value": interrupt.value,
        "id": interrupt.id,
        "response_schema": interrupt.response_schema,
    }


_NO_JOINS: Final[list[set[str]]] = []
_NO_WRITES: Final[dict[Any, Any]] = {}
_NO_PUSHES: Final[list[Any]] = []
_NONE_HELD: Final[frozenset[str]] = frozenset()
_NO_INTERRUPTS: Final[list[Interrupt[Any]]] = []
_NO_EVENTS: Final[list[Event]] = []
"""Shared by every engine until it needs its own (never written to)."""
STEP_TIMEOUT: Final = "__flowc_step_timeout"
"""The ``configurable`` key of a run's step timeout: ``(plan, seconds)``."""

BREAKPOINTS: Final = ("__flowc_interrupt_before", "__flowc_interrupt_after")
NODE_FINISHED: Final = "__pregel_node_finished"
"""The configurable key of LangGraph's callback told of each node that finishes."""
"""The ``configurable`` keys of a run's ``interrupt_before`` and ``interrupt_after`` nodes."""
_PUSH: Final = ("__pregel_push",)


class _PushTask(Task):
    """A ``Send``'s task; its ``path`` is LangGraph's, naming the Send by its index in the step
    (``("__pregel_push", 0, False)``), which the messages' metadata shows."""

    __slots__ = ("path",)

    path: tuple[str, int, bool]


"""The triggers of a ``Send`` task, as LangGraph shows them."""
"""The joins' progress of every plan without joins (never written to)."""


def _to_cache(update: Writes, goto: tuple[Any, ...]) -> dict[str, Any]:
    # a Send is stored as its node and argument
    return {
        "update": update,
        "goto": [t if type(t) is str else {"send": t.node, "arg": t.arg} for t in goto],
    }


def _from_cache(value: Mapping[str, Any]) -> tuple[Writes, Any]:
    goto = tuple(t if type(t) is str else Send(t["send"], t["arg"]) for t in value["goto"])
    return value["update"], goto


class CachedUpdates:
    """The ``updates`` event of a task whose writes came from the cache.

    Its chunk is the node's, with LangGraph's ``"__metadata__": {"cached": True}``;
    :attr:`event` is the node's own updates event.
    """

    __slots__ = ("event",)
    mode: Final = "updates"

    def __init__(self, event: UpdatesEvent[Any, Any]) -> None:
        self.event = event

    @property
    def ns(self) -> Any:
        """The namespace of the graph the task ran in."""
        return self.event.ns

    @property
    def node(self) -> Any:
        """The node's name."""
        return self.event.node

    @property
    def data(self) -> Any:
        """What the node wrote (from the cache)."""
        return self.event.data

    def chunk(self) -> Any:
        """LangGraph's chunk: ``{node: update, "__metadata__": {"cached": True}}``."""
        return {self.event.node: self.event.data, "__metadata__": {"cached": True}}


class Request:
    """What the engine asks of an async driver, between the events it yields.

    The engine's loop announces one by yielding ``None`` (never an event) with
    the request in :attr:`EngineState.request`: a driver tells the two apart
    with one test of identity per event.

    ``await``: await :attr:`work` (a lone async node or router) and send the
    result back, or throw its error in. ``superstep``: run :attr:`work`, the
    jobs of a superstep, with :meth:`Run.run_async`; pass their live events
    on, give each finished task to :meth:`Engine.record` (or its error to
    :meth:`Engine.failed`, then raise it), and send ``None`` back.
    """

    __slots__ = ("kind", "more", "timeout", "work")

    def __init__(
        self,
        kind: Literal["await", "superstep"],
        work: Any,
        timeout: float | None = None,
        more: list[Any] | None = None,
    ) -> None:
        self.kind = kind
        self.work = work
        self.timeout = timeout
        """Seconds the superstep's tasks may take (the run's step timeout), if limited."""
        self.more = more
        """Jobs that join the superstep while it runs (error handlers), if it may have any."""


class EngineState:
    """The state of one run of one plan (see :class:`~._engine.Engine`)."""

    plan: Plan
    """The graph."""
    run: Run
    """The run (its modes, config and namespace)."""
    values: dict[str, Any]
    """The state; the engine updates it in place."""
    given: Any
    """The run's input as given (on a thread, only its keys are written over the state)."""

    # Only the plan, the run, its state and its input are set per engine: every other
    # attribute starts as the class's default (shared, never written to) until a run
    # needs its own, so a run of lone tasks makes an engine in four stores.
    step: int = 0
    """The superstep running now (0 before the first)."""
    seen: list[set[str]] = _NO_JOINS
    """Per join, the sources that ran since its target last ran."""
    # made by the first superstep of several tasks: a run of lone tasks needs none
    writes: dict[Task, tuple[Task, Writes, Goto]] = _NO_WRITES
    """This superstep's recorded writes, by task, until :meth:`settle` applies them."""
    pushes: list[Send] = _NO_PUSHES
    """The next superstep's ``Send``s, in the order they were sent."""
    pushes_running: list[Send] = _NO_PUSHES
    """The ``Send``s of the superstep of several tasks that runs now."""
    order: tuple[Task, ...] = ()
    """The tasks of a superstep of several, in LangGraph's order."""
    running: tuple[Node, ...] = ()
    """The node of each task of :attr:`order`."""
    _lone: Task | None = None
    request: Request | None = None
    """What the loop asks of its async driver when it yields ``None`` (see :class:`Request`)."""
    ready: tuple[Node, ...] = ()
    """The next superstep's nodes, in order."""
    thread: Thread | None = None
    """The run's thread, when it runs on one with a checkpointer (see :meth:`on_thread`)."""
    # what only plans with policies use
    held: frozenset[str] = _NONE_HELD
    """Deferred nodes triggered while other nodes still run (see :meth:`hold`)."""
    cache: Any = None
    """The run's node cache, when its plan caches and its config carries one."""
    cache_keys: dict[Task, Any] = _NO_WRITES
    """The cache keys of this superstep's cached tasks that missed, until they finish."""
    timeout: float | None = None
    """The seconds a superstep may take, if the run limits them (see :meth:`use_timeout`)."""
    rescues: list[Any] | None = None
    """The jobs of the error handlers of this superstep's failed tasks, for the executor to
    start (a list in runs of plans with error handlers, see :meth:`rescue`)."""
    rescued: dict[Task, Task] = _NO_WRITES
    """Each handler's task of this superstep, and the failed task it stands in for."""
    resumed: Any = None
    """A run that goes on from its thread's checkpoint: what it takes from it
    (a :class:`~._resume.Resumed`, until its first superstep has started)."""
    interrupts: list[Interrupt[Any]] = _NO_INTERRUPTS
    """The interrupts this superstep's tasks raised: the run stops after it."""
    breaks: tuple[frozenset[str], frozenset[str]] | None = None
    """The run's ``interrupt_before`` and ``interrupt_after`` nodes (``"*"``: all)."""
    unsorted: bool = False
    """The superstep running now started its nodes in the graph's order, not by name (a
    resumed run's first, at an update's checkpoint): its writes are still applied by name."""
    node_finished: Any = None
    """Called with a node's name when its task finishes, in a run on a thread whose config
    has one (LangGraph's ``__pregel_node_finished``; its subgraphs' runs call it too)."""
