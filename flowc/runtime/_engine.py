"""The superstep engine: LangGraph's step semantics, written once.

A generated module describes its graph as a :class:`Plan` of :class:`Node`
objects (its functions: what a node receives, what it does, where it leads).
An :class:`Engine` runs one plan for one run, in the manner of LangGraph's
``PregelLoop``: it plans each superstep's tasks in LangGraph's order, takes
each task's outcome, records its writes, applies them with the reducers in
node-name order, decides the next step, enforces the recursion limit and
makes the events of the requested modes.

It knows no threads and no asyncio. What needs an executor it hands out: a
sync run's supersteps of several tasks go to the run's worker pool
(:meth:`Run.run_threads`, the executor interface), and an async run asks
its driver (:mod:`._drive`) through a :class:`Request` for what must be
awaited. Only a lone sync task, which needs no executor, is called right in
the superstep loop: a step of one task is what most runs take most often,
and a call into an engine object and back per step would cost more than the
step itself (docs/design.md). So one loop, :meth:`Engine.steps`, serves
``stream``, ``astream``, ``invoke``, ``ainvoke`` and nested graphs.

A run on a thread (its config names a ``thread_id`` and carries a
checkpointer) starts from the thread's state and takes LangGraph's
checkpoints at the step boundaries (:mod:`._persist`); its supersteps all go
through :meth:`Engine.record` and :meth:`Engine.settle`, which store each
task's writes before they are applied, so the lone-task path costs a run
without a checkpointer nothing more. The seams of what comes next: a resumed
run starts at the step boundary (the top of the loop); writes of a
superstep of several tasks are recorded per task (:attr:`Engine.writes`)
before :meth:`Engine.settle` applies them; a task's outcome comes in whole
(a result, or an error thrown in), so a retry or a timeout is one more kind
of outcome, as an interrupt is (:meth:`Engine.interrupted`, then
:meth:`Engine.halt` ends the run after the superstep); push tasks (``Send``)
join the planned nodes ahead of the triggered ones.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal

from ._persist import BRANCH, CHECKPOINTER, DURABILITY, START, TASKS, Thread, task_id
from .config import DEFAULT_RECURSION_LIMIT
from .control import PARENT, ParentCommand, Send, as_command, as_send
from .errors import (
    EmptyInputError,
    GraphRecursionError,
    InvalidInputError,
    InvalidUpdateError,
    recursion_message,
)
from .events import (
    CustomEvent,
    Event,
    InterruptEvent,
    InterruptValuesEvent,
    ReplayedUpdatesEvent,
    UpdatesEvent,
    ValuesEvent,
)
from .interrupts import GraphInterrupt, Interrupt, Resumes
from .run import (
    CURRENT_TASK,
    Done,
    Run,
    Task,
    check_concurrent_writes,
    check_update,
    ignore,
    no_sync,
    route,
)

if TYPE_CHECKING:
    from .policies import CachePolicy, RetryPolicy, TimeoutPolicy

__all__ = [
    "BREAKPOINTS",
    "Engine",
    "Node",
    "Plan",
    "Request",
    "Task",
    "abody",
    "body",
    "keyed_input",
    "no_sync",
    "route",
]

Writes = dict[str, Any] | None
"""What a task wrote: a dict of state keys, or ``None`` for nothing."""
Goto = tuple[str, ...]
"""The nodes a task leads to (from its edges and routers)."""


class Node:
    """One node of a plan: its name, what it runs and where it leads.

    Args:
        name: the node's name.
        updated: the node's ``@final`` updates-event class.
        call: runs the node on a task: ``call(task, input, values)`` returns
            what the node returned (the engine checks it against the state's
            keys). Made from ``plain`` if not given.
        then: the nodes its plain edges lead to (END left out).
        plain: the node's own function, when it takes the state alone: the
            drivers call it directly, and the engine checks what it returns.
        acall: the async twin of ``call`` (async nodes and subgraph nodes).
        stream: a subgraph node's body as a generator of its graph's events
            that returns its writes, which a lone sync task runs in the loop.
        route: ``route(state)`` gives where the node leads (edges and
            routers) from the state with its writes applied.
        aroute: the async twin of ``route``, when a router is async.
        input: what the node receives, made from the state (the plan's
            ``input`` if not given).
        triggers, metadata, tags: what ``tasks`` and ``debug`` events show.
        joins: the indices of the plan's joins this node feeds.
        streams: the node may emit while it runs (the safe default); ``False``
            when the compiler proved it quiet.
        writes: the keys the spec declares the node writes: writing another
            is an error at run time (else any of the state's keys).
        retry: the node's retry policies (see :meth:`guard`).
        defer: the node waits until nothing else is left to run (see :meth:`guard`).
    """

    __slots__ = (
        "acall",
        "after",
        "aroute",
        "cache",
        "cache_ns",
        "call",
        "defer",
        "direct",
        "handler",
        "input",
        "is_async",
        "joins",
        "keys",
        "metadata",
        "name",
        "plain",
        "retry",
        "route",
        "routed",
        "stream",
        "streams",
        "subgraph",
        "tags",
        "then",
        "triggers",
        "updated",
        "writes",
    )

    def __init__(
        self,
        name: str,
        updated: type[UpdatesEvent[Any, Any]],
        call: Callable[[Task, Any, dict[str, Any]], object] | None = None,
        *,
        then: Goto = (),
        plain: Callable[[Any], object] | None = None,
        acall: Callable[[Task, Any, dict[str, Any]], Awaitable[object]] | None = None,
        stream: Callable[[Task, Any, dict[str, Any]], Generator[Event, None, Writes]] | None = None,
        route: Callable[[dict[str, Any]], Goto] | None = None,
        aroute: Callable[[dict[str, Any]], Awaitable[Goto]] | None = None,
        input: Callable[[dict[str, Any]], Any] | None = None,
        triggers: tuple[str, ...] | None = None,
        metadata: dict[str, Any] | None = None,
        tags: tuple[str, ...] = (),
        joins: tuple[int, ...] = (),
        writes: tuple[str, ...] | None = None,
        streams: bool = True,
        retry: Sequence[RetryPolicy] = (),
        defer: bool = False,
    ) -> None:
        self.name = name
        self.updated = updated
        if call is None:
            if plain is not None:
                call = _plain_call(plain)
            elif acall is not None:
                call = _async_only(name)
            else:
                raise TypeError(f"node {name!r} needs a call, a plain function or an acall")
        self.call = call
        self.then = then
        self.plain = plain
        self.acall = acall
        self.stream = stream
        self.route = route
        self.aroute = aroute
        self.input: Callable[[dict[str, Any]], Any] = input or dict
        self.triggers = triggers if triggers is not None else (f"branch:to:{name}",)
        self.metadata = metadata
        self.tags = tags
        self.joins = joins
        self.writes = None if writes is None else frozenset(writes)
        self.streams = streams
        """Whether the node (or a router of it) may emit while it runs: custom events,
        a graph's events. ``False`` (proven by the compiler) lets it run in the loop in
        every mode; a subgraph node streams."""
        """The keys the spec declares the node writes; it may write no other."""
        self.keys: frozenset[str] = self.writes or frozenset()
        """The keys the node may write (its declared writes, else the plan's state keys)."""
        self.after: tuple[Node, ...] | None = None
        """The nodes of ``then``, sorted, when they alone decide where the node leads
        (no routers, no joins): the plan resolves them."""
        self.subgraph: Plan | None = None
        """A subgraph node's graph (its state is read from its own checkpoints)."""
        self.is_async = acall is not None or aroute is not None
        self.routed = route is not None or aroute is not None
        self.direct: Callable[[dict[str, Any]], Goto] | None = None
        """``route`` when it alone decides where the node leads (a sync router, no
        joins): a lone task's next superstep is then the one node it names."""
        """Whether routers decide where the node leads (else its plain edges do)."""
        """Whether the node's task awaits something (an async node, subgraph or router)."""
        self.retry: tuple[RetryPolicy, ...] = ()
        """The node's retry policies (none: a failure fails the run)."""
        self.cache: CachePolicy | None = None
        """The node's cache policy, if any (see :meth:`Engine.look_up`)."""
        self.cache_ns: tuple[str, ...] = ()
        """Where the node's cache entries live."""
        self.handler: Node | None = None
        """The node that runs in this node's place when it fails (see :meth:`Engine.rescue`)."""
        self.defer = defer
        """Whether the node, once triggered, waits until no other node is triggered (LangGraph's
        ``defer=True``): it then runs, with the ``Send`` tasks of that step if any."""
        if retry:
            self.guard(retry=retry)

    def guard(
        self,
        *,
        retry: Sequence[RetryPolicy] = (),
        defer: bool = False,
        cache: CachePolicy | None = None,
        cache_ns: tuple[str, ...] = (),
        error_handler: Node | None = None,
        timeout: TimeoutPolicy | None = None,
    ) -> None:
        """Give the node policies (before it runs): ``retry`` runs a failed attempt again;
        ``defer`` makes it wait until nothing else is left to run; ``cache`` takes what it
        wrote from the run's cache when its input was seen before (its entries under
        ``cache_ns``, by default ``("__flowc_writes", node name)``); ``error_handler``
        runs when the node fails, in its place (see :meth:`Engine.rescue`); ``timeout``
        gives up on an attempt of an async node that takes too long (a sync run of it fails,
        as in LangGraph).

        A node with retry policies is called through its ``call`` (and ``acall``), which
        retry within the task (:mod:`.policies`): the engine no longer calls its ``plain``
        function or its ``stream`` directly.
        """
        if timeout is not None:
            from .policies import sync_timeout_message, timed

            # each attempt is timed: the retries go around the timed call
            if self.acall is not None:
                self.acall = timed(timeout, self.name, self.acall)
            self.call = _failing_call(sync_timeout_message(self.name))
            self.plain = None
            self.stream = None
        if retry:
            # only graphs with policies load them
            from .policies import aretrying, retrying

            self.retry = tuple(retry)
            if not getattr(self.call, "async_only", False):
                self.call = retrying(self.retry, self.call)
            if self.acall is not None:
                self.acall = aretrying(self.retry, self.acall)
            self.plain = None
            self.stream = None
        if defer:
            self.defer = True
        if cache is not None:
            self.cache = cache
            self.cache_ns = cache_ns or ("__flowc_writes", self.name)
        if error_handler is not None:
            self.handler = error_handler

    def __repr__(self) -> str:
        return f"Node({self.name!r})"


def _plain_call(plain: Callable[[Any], object]) -> Callable[[Task, Any, dict[str, Any]], object]:
    def call(task: Task, inp: Any, values: dict[str, Any]) -> object:
        return plain(inp)

    return call


def _async_only(name: str) -> Callable[[Task, Any, dict[str, Any]], object]:
    def call(task: Task, inp: Any, values: dict[str, Any]) -> object:
        raise no_sync(name)

    call.async_only = True  # type: ignore[attr-defined]
    return call


def _failing_call(message: str) -> Callable[[Task, Any, dict[str, Any]], object]:
    def call(task: Task, inp: Any, values: dict[str, Any]) -> object:
        raise ValueError(message)

    return call


def _merge(values: dict[str, Any], update: dict[str, Any]) -> None:
    values.update(update)


class Plan:
    """A compiled graph as the engine runs it.

    Args:
        name: the graph's name.
        fields: the state's keys in declaration order (the order of ``values``).
        nodes: the graph's nodes.
        entry: the nodes of the first superstep (START's plain edges).
        start: the state a run starts from, given its input, and whether the
            input wrote anything (checks the input; a dict of the plan's keys
            is taken as it is if not given).
        merge: writes one task's writes into the state, through each field's
            reducer (a plain ``update`` if not given).
        first: START's routers, if any: the first superstep's nodes from the
            input's state. ``afirst`` is its async twin.
        joins: each join (an edge from several nodes at once): its sources
            and its target.
        last_value: the keys without a reducer: two tasks of one superstep
            may not both write one.
        input: what a node receives by default, made from the state.
        recursion_limit: the graph's default recursion limit.
        writes: per node, the keys its spec declares it writes (see :class:`Node`).
        breakpoints: the nodes a run on a thread stops before and after (``"*"``:
            every node), unless its config names others: the spec's
            ``interrupt_before`` and ``interrupt_after``.
    """

    __slots__ = (
        "afirst",
        "alone",
        "breakpoints",
        "caching",
        "deferring",
        "entry",
        "fields",
        "first",
        "guarded",
        "handling",
        "input",
        "joins",
        "keys",
        "last_value",
        "limit",
        "merge",
        "merge_writes",
        "name",
        "nodes",
        "recursion_limit",
        "start",
        "stateful",
        "subgraphs",
        "timing",
    )

    def __init__(
        self,
        name: str,
        fields: tuple[str, ...],
        nodes: tuple[Node, ...],
        entry: Goto = (),
        *,
        start: Callable[[Any], tuple[dict[str, Any], bool]] | None = None,
        merge: Callable[[dict[str, Any], dict[str, Any]], None] | None = None,
        first: Callable[[dict[str, Any]], Goto] | None = None,
        afirst: Callable[[dict[str, Any]], Awaitable[Goto]] | None = None,
        joins: tuple[tuple[frozenset[str], str], ...] = (),
        last_value: frozenset[str] = frozenset(),
        input: Callable[[dict[str, Any]], Any] | None = None,
        recursion_limit: int | None = None,
        writes: Mapping[str, tuple[str, ...]] | None = None,
        breakpoints: tuple[tuple[str, ...], tuple[str, ...]] | None = None,
    ) -> None:
        self.name = name
        self.breakpoints = (
            None if breakpoints is None else (frozenset(breakpoints[0]), frozenset(breakpoints[1]))
        )
        self.fields = fields
        self.keys = frozenset(fields)
        self.nodes: Mapping[str, Node] = {node.name: node for node in nodes}
        self.entry = entry
        self.merge = merge or _merge
        self.alone = {node.name: (node,) for node in nodes}
        """Each node as a superstep of its own (a tuple made once)."""
        self.merge_writes = merge
        """The graph's own merge; ``None`` when writes are a plain ``update``."""
        for node in nodes:
            if writes and node.name in writes:
                node.writes = frozenset(writes[node.name])
                node.keys = node.writes
            elif node.writes is None:
                node.keys = self.keys
            if not node.routed and not node.joins:
                node.after = tuple(self.nodes[name] for name in sorted(set(node.then)))
            elif node.aroute is None and not node.joins:
                node.direct = node.route
        self.first = first
        self.afirst = afirst
        self.joins = joins
        self.last_value = last_value if len(nodes) > 1 else frozenset()
        self.input = input
        self.recursion_limit = recursion_limit
        self.limit = DEFAULT_RECURSION_LIMIT if recursion_limit is None else recursion_limit
        """The recursion limit of a run that sets none."""
        self.start = start or self._start
        self.subgraphs = frozenset(node.name for node in nodes if node.stream is not None)
        """The nodes that run a subgraph (their tasks' states are the subgraphs')."""
        self.stateful = False
        """As a subgraph, the graph keeps one state per thread from one run of it to the next
        (LangGraph's ``compile(checkpointer=True)``): its checkpoints' namespace is its node's
        name, without the task id."""
        if input is not None:
            for node in nodes:
                if node.input is dict:
                    node.input = input
        self.guarded = any(node.retry for node in nodes)
        """Whether a node has a policy: then an async run's lone sync tasks run on a worker
        (a retry's wait would block the event loop)."""
        self.deferring = any(node.defer for node in nodes)
        """Whether a node is deferred (see :meth:`Engine.hold`)."""
        self.caching = False
        """Whether a node has a cache policy (see :meth:`Engine.look_up`)."""
        self.timing = False
        """Whether runs may limit the time of a superstep (see :meth:`Engine.use_timeout`)."""
        self.handling = False
        """Whether a node has an error handler (see :meth:`Engine.rescue`)."""

    def guard(
        self,
        node: str,
        *,
        retry: Sequence[RetryPolicy] = (),
        defer: bool = False,
        cache: CachePolicy | None = None,
        cache_ns: tuple[str, ...] = (),
        error_handler: Node | None = None,
        timeout: TimeoutPolicy | None = None,
    ) -> None:
        """Give ``node`` policies, before the plan runs (see :meth:`Node.guard`).

        An error handler becomes one of the plan's nodes (its updates and task results
        name it), which no edge leads to.
        """
        self.nodes[node].guard(
            retry=retry,
            defer=defer,
            cache=cache,
            cache_ns=cache_ns,
            error_handler=error_handler,
            timeout=timeout,
        )
        if error_handler is not None:
            error_handler.keys = error_handler.writes or self.keys
            self.nodes[error_handler.name] = error_handler  # type: ignore[index]
            self.handling = True
        self.guarded = self.guarded or bool(retry)
        self.deferring = self.deferring or defer
        self.caching = self.caching or cache is not None

    def stored(self, channels: Mapping[str, Any]) -> dict[str, Any]:
        """The state a checkpoint's ``channels`` hold, in declaration order.

        A key never written has the value an empty input starts it with (an
        empty list for a list reducer, as LangGraph's channels start), if any.
        """
        try:
            state = self.start({})[0]
        except (EmptyInputError, InvalidInputError, TypeError, ValueError):
            # a state whose class requires fields has no empty start
            state = {}
        state.update((key, channels[key]) for key in self.fields if key in channels)
        return {key: state[key] for key in self.fields if key in state}

    def _start(self, input: Any) -> tuple[dict[str, Any], bool]:
        # the common input, a dict of state keys, needs no call
        if type(input) is not dict or not self.keys.issuperset(input):
            input = self.checked_input(input)
        # into an empty state every key is written as it is, in declaration order
        return {key: input[key] for key in self.fields if key in input}, bool(input)

    def checked_input(self, input: Any) -> Mapping[str, Any]:
        """A run's input, checked: a mapping of the state's keys.

        Raises:
            EmptyInputError: for ``None``, as LangGraph says it.
            InvalidInputError: for anything but a mapping, or a key the state does not have.
        """
        if input is None:
            raise EmptyInputError("Received no input for __start__")
        if type(input) is not dict and not isinstance(input, Mapping):
            raise InvalidInputError(
                f"graph {self.name!r} takes a mapping of state keys as input, "
                f"not {type(input).__name__}"
            )
        if not self.keys.issuperset(input):
            unknown = [key for key in input if key not in self.keys]
            raise InvalidInputError(
                f"graph {self.name!r} has no state key {unknown[0]!r} "
                f"(its keys: {', '.join(self.fields)})"
            )
        return input

    def check(self, node: str, result: object) -> Writes:
        """What ``node`` returned, as its writes (see :func:`check_update`)."""
        declared = self.nodes[node].writes
        if type(result) is dict and result and (declared or self.keys).issuperset(result):
            return result
        writes = check_update(node, result, self.keys)
        if writes and declared is not None and not declared.issuperset(writes):
            extra = sorted(str(k) for k in writes if k not in declared)
            raise InvalidUpdateError(
                f"node {node!r} wrote {', '.join(repr(k) for k in extra)}, which its spec "
                f"does not declare in `writes` (it writes {', '.join(sorted(declared))})"
            )
        return writes

    def outcome(self, node: str, result: object) -> tuple[Writes, Goto]:
        """What ``node`` returned, as its writes and where it sends the run besides its edges.

        A :class:`~.control.Command` gives both (its ``update`` and its
        ``goto``: node names and ``Send``s); anything else is writes alone.
        """
        command = as_command(result)
        if command is None:
            return self.check(node, result), ()
        if command.graph == PARENT:
            raise ParentCommand(node, command)
        if command.graph is not None:
            raise InvalidUpdateError(
                f"node {node!r} returned a Command for graph {command.graph!r}: "
                "commands to a parent graph are not supported by flowc yet"
            )
        if command.resume is not None:
            raise InvalidUpdateError(
                f"node {node!r} returned a Command with resume: resuming needs a checkpointer, "
                "which flowc runs do not have yet"
            )
        update = command.update
        if isinstance(update, list | tuple):
            update = dict(update)
        goto = command.goto
        targets: tuple[Any, ...] = (
            tuple(goto) if isinstance(goto, list | tuple) else (goto,) if goto else ()
        )
        out: list[Any] = []
        for target in targets:
            send = as_send(target) if not isinstance(target, str) else None
            if send is not None:
                out.append(send)
            elif target not in ("__end__", "END"):
                if target not in self.nodes:
                    raise InvalidUpdateError(
                        f"node {node!r} returned a Command to go to {target!r}, "
                        "which is not a node of the graph"
                    )
                out.append(target)
        return self.check(node, update), tuple(out)

    def apply(self, values: dict[str, Any], update: dict[str, Any]) -> None:
        """Write ``update`` into ``values``, keeping ``values`` in declaration order."""
        known = len(values)
        self.merge(values, update)
        if len(values) != known:
            self.reorder(values)

    def reorder(self, values: dict[str, Any]) -> None:
        """Put the keys back in declaration order after a key was written for the first time.

        That happens at most once per key and run.
        """
        ordered = [(key, values[key]) for key in self.fields if key in values]
        values.clear()
        values.update(ordered)


def keyed_input(
    keys: tuple[str, ...], defaults: Mapping[str, Any] | None = None
) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """What a node with an input schema of its own receives: only those keys."""
    if defaults:

        def with_defaults(values: dict[str, Any]) -> dict[str, Any]:
            state = {**defaults, **values}
            return {key: state[key] for key in keys if key in state}

        return with_defaults

    def only(values: dict[str, Any]) -> dict[str, Any]:
        return {key: values[key] for key in keys if key in values}

    return only


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
    task: Task,
    inp: Any,
    values: dict[str, Any],
    node: Node,
    plan: Plan,
    failed: str,
    error: BaseException,
) -> tuple[Writes, Goto]:
    """Run error handler ``node`` for the failed node ``failed``: its writes and its goto.

    A handler's ``call`` takes the failure as a fourth argument: ``(failed, error)``.
    """
    result = node.call(task, inp, values, (failed, error))  # type: ignore[call-arg]
    return plan.outcome(node.name, result)


async def arescue_body(
    task: Task,
    inp: Any,
    values: dict[str, Any],
    node: Node,
    plan: Plan,
    failed: str,
    error: BaseException,
) -> tuple[Writes, Goto]:
    """Async twin of :func:`rescue_body`."""
    assert node.acall is not None
    result = await node.acall(task, inp, values, (failed, error))  # type: ignore[call-arg]
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
"""Shared by every engine until it needs its own (never written to)."""
STEP_TIMEOUT: Final = "__flowc_step_timeout"
"""The ``configurable`` key of a run's step timeout: ``(plan, seconds)``."""

BREAKPOINTS: Final = ("__flowc_interrupt_before", "__flowc_interrupt_after")
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


class Engine:
    """One run of one plan, superstep by superstep.

    :meth:`steps` is the superstep loop. A superstep of one task that needs
    no executor (a sync node whose events need not stream while it runs) is
    called right in the loop's frame, through one task object reused from
    step to step; every other superstep is handed to an executor: the sync
    run's worker pool (:meth:`Run.run_threads`), or the async driver, which
    the loop asks through :class:`Request`. The rules of a superstep of
    several tasks are also methods of their own (:meth:`record`,
    :meth:`settle`), which the drivers and tests call.

    Args:
        plan: the graph.
        run: the run (its modes, config and namespace).
        values: the state after the input was applied; the engine updates it
            in place.
    """

    __slots__ = (
        "_lone",
        "breaks",
        "cache",
        "cache_keys",
        "given",
        "held",
        "interrupts",
        "order",
        "plan",
        "pushes",
        "pushes_running",
        "ready",
        "rescued",
        "rescues",
        "resumed",
        "run",
        "running",
        "seen",
        "step",
        "thread",
        "timeout",
        "values",
        "writes",
    )

    def __init__(self, plan: Plan, run: Run, values: dict[str, Any], given: Any = None) -> None:
        self.plan = plan
        self.given = given
        """The run's input as given (on a thread, only its keys are written over the state)."""
        self.run = run
        self.values = values
        self.step = 0
        """The superstep running now (0 before the first)."""
        self.seen: list[set[str]] = [set() for _ in plan.joins] if plan.joins else _NO_JOINS
        """Per join, the sources that ran since its target last ran."""
        # made by the first superstep of several tasks: a run of lone tasks needs none
        self.writes: dict[Task, tuple[Task, Writes, Goto]] = _NO_WRITES
        """This superstep's recorded writes, by task, until :meth:`settle` applies them."""
        self.pushes: list[Send] = _NO_PUSHES
        """The next superstep's ``Send``s, in the order they were sent."""
        self.pushes_running: list[Send] = _NO_PUSHES
        """The ``Send``s of the superstep of several tasks that runs now."""
        self.order: tuple[Task, ...] = ()
        """The tasks of a superstep of several, in LangGraph's order."""
        self.running: tuple[Node, ...] = ()
        """The node of each task of :attr:`order`."""
        self._lone: Task | None = None
        self.ready: tuple[Node, ...] = ()
        """The next superstep's nodes, in order."""
        self.thread: Thread | None = None
        """The run's thread, when it runs on one with a checkpointer (see :meth:`on_thread`)."""
        # what only plans with policies use, shared until a run needs its own
        self.held: frozenset[str] = _NONE_HELD
        """Deferred nodes triggered while other nodes still run (see :meth:`hold`)."""
        self.cache: Any = None
        """The run's node cache, when its plan caches and its config carries one."""
        self.cache_keys: dict[Task, Any] = _NO_WRITES
        """The cache keys of this superstep's cached tasks that missed, until they finish."""
        self.timeout: float | None = None
        """The seconds a superstep may take, if the run limits them (see :meth:`use_timeout`)."""
        self.rescues: list[Any] | None = None
        """The jobs of the error handlers of this superstep's failed tasks, for the executor to
        start (a list in runs of plans with error handlers, see :meth:`rescue`)."""
        self.rescued: dict[Task, Task] = _NO_WRITES
        """Each handler's task of this superstep, and the failed task it stands in for."""
        self.resumed: Any = None
        """A run that goes on from its thread's checkpoint: what it takes from it
        (a :class:`~._resume.Resumed`, until its first superstep has started)."""
        self.interrupts: list[Interrupt[Any]] = []
        """The interrupts this superstep's tasks raised: the run stops after it."""
        self.breaks: tuple[frozenset[str], frozenset[str]] | None = None
        """The run's ``interrupt_before`` and ``interrupt_after`` nodes (``"*"``: all)."""

    @property
    def lone(self) -> Task | None:
        """The one task object the run reuses for its supersteps of a single task."""
        return self._lone

    def on_thread(self) -> Thread | None:
        """Put the run on its thread, if its config names one and carries a checkpointer.

        The thread's latest state becomes the run's, with the input applied
        on top of it through the reducers (as LangGraph applies it), and the
        step numbers go on from the thread's. Nested runs keep no thread of
        their own.
        """
        run = self.run
        if run.parent is not None:
            return self._nested_thread()
        configurable = run.config.get("configurable")
        if not configurable or configurable.get(CHECKPOINTER) is None:
            if self.plan.breakpoints is not None:
                raise ValueError(
                    f"graph {self.plan.name!r} has interrupt_before / interrupt_after, which need "
                    "a checkpointer: run graph.with_checkpointer(saver) on a thread "
                    "(config={'configurable': {'thread_id': ...}}) so that the run can be resumed"
                )
            return None
        if configurable.get("thread_id") is None:
            raise ValueError(
                "a graph with a checkpointer needs a thread to run on: pass "
                'config={"configurable": {"thread_id": ...}}'
            )
        thread = self.thread = run.thread = Thread(
            configurable[CHECKPOINTER],
            run.config,
            self.plan.fields,
            stream="checkpoints" in run.modes,
            debug=run.debug,
            durability=configurable.get(DURABILITY) or "async",
            subgraphs=self.plan.subgraphs,
        )
        before, after = (configurable.get(key) for key in BREAKPOINTS)
        if before or after:
            self.breaks = (frozenset(before or ()), frozenset(after or ()))
        elif self.plan.breakpoints is not None:
            self.breaks = self.plan.breakpoints
        saved, step = thread.load()
        given = self.given
        if given is None or (type(given) is not dict and as_command(given) is not None):
            return self.resume_thread(thread, saved, step)
        return self._started(thread, saved, step)

    def _nested_thread(self) -> Thread | None:
        """A subgraph's run inside a run on a thread keeps its checkpoints in its own namespace.

        As in LangGraph, its namespace is its task's (``node:task id``), and a
        run of a task that ran before (the parent resumed it) goes on from the
        subgraph's latest checkpoint there instead of starting from its input.
        """
        run = self.run
        parent = run.parent
        assert parent is not None
        outer = parent.run.thread
        if outer is None:
            return None
        thread = self.thread = run.thread = Thread(
            outer.saver,
            outer.config,
            self.plan.fields,
            stream="checkpoints" in run.modes,
            debug=run.debug,
            durability=outer.durability,
            subgraphs=self.plan.subgraphs,
            ns=run.checkpoint_ns,
            parents={**outer.parents, outer.ns: outer.config["configurable"]["checkpoint_id"]},
            event_ns=run.ns,
            mapped=outer.mapped,
        )
        saved, step = thread.load()
        if thread.loaded is not None and (
            not self.plan.stateful or _resuming(parent) or thread.addressed is not None
        ):
            return self.resume_thread(thread, saved, step)
        return self._started(thread, saved, step)

    def _started(self, thread: Thread, saved: dict[str, Any], step: int) -> Thread:
        """A run with input on its thread: the input applied on top of the thread's state."""
        values = self.values
        given = self.given
        self.step = step + 2
        # the input writes the keys it has; `values` also holds the defaults it starts a state with
        thread.given = (
            {key: value for key, value in values.items() if key in given}
            if isinstance(given, Mapping)
            else dict(values)
        )
        # savers keep only channels that were written: the others have their start values
        saved = self.plan.stored(saved)
        thread.saved = dict(saved)
        values.clear()
        values.update(saved)
        if thread.given:
            self.plan.apply(values, thread.given)
        return thread

    def resume_thread(self, thread: Thread, saved: dict[str, Any], step: int) -> Thread:
        """Go on from the thread's checkpoint (the input is ``None`` or a ``Command``).

        The run's state is the checkpoint's, its first superstep the one the
        checkpoint names (or, at a checkpoint its config names, a fork of it:
        see :meth:`Thread.resume`), numbered after it; nothing is written for
        the input. A run that stopped right after its input checkpoint takes
        that input again: the hidden ``__start__`` task runs (see :meth:`begin`).
        A subgraph's run whose task ran before goes on the same way from the
        subgraph's own checkpoint.
        """
        from ._resume import Resumed, no_checkpoint

        loaded = thread.loaded
        if loaded is None:
            raise no_checkpoint()
        values = self.values
        values.clear()
        values.update(self.plan.stored(saved))
        thread.saved = dict(values)
        # the due tasks run now: none of them is discarded, as a new input would
        thread.ran.clear()
        command = None if self.given is None else as_command(self.given)
        due, self.step, latest = thread.resume(command is not None and command.resume is not None)
        if START in due:
            thread.restarted = True
            thread.given = dict(loaded.checkpoint["channel_values"].get(START) or {})
            if thread.given:
                self.plan.apply(values, thread.given)
            self.step += 1
        else:
            # only the root run's input is the resume's (a subgraph's is its task's input)
            given = self.given if self.run.parent is None else None
            # the pending writes of a checkpoint the run replays are not its tasks'
            pending = (loaded.pending_writes or ()) if latest else ()
            resumed = self.resumed = Resumed(
                thread, pending, given, self.plan.fields, self.plan.nodes
            )
            for target in (*resumed.goto, *(send.node for send in resumed.sends)):
                if target not in self.plan.nodes:
                    raise InvalidUpdateError(
                        f"Command(goto={target!r}) as input: {target!r} is not a node of the graph"
                    )
            for key, value in resumed.update:
                self.plan.apply(values, {key: value})
        # LangGraph counts a resumed run's recursion limit from its checkpoint
        thread.bound = 2 + step - self.step
        return thread

    def resume(self, thread: Thread) -> Generator[Event, None, None]:
        """A resumed run's start: the state it goes on from, its checkpoint's event; its tasks."""
        from ._persist import next_of

        loaded = thread.loaded
        if self.run.values:
            yield ValuesEvent(dict(self.values), self.run.ns)
        stored = loaded.checkpoint["channel_values"]
        due = {name for name in next_of(stored) if name in self.plan.nodes}
        due.update(self.resumed.goto)
        self.ready = self.nodes(due) if due else ()
        sends = [as_send(send) for send in stored.get(TASKS) or ()]
        self.pushes = [send for send in sends if send is not None]
        if self.resumed.sends:
            # a Command(goto=Send(...)) input's tasks come first, as LangGraph's null task's
            self.pushes[:0] = self.resumed.sends
        if thread.stream or thread.debug:
            pushed = [send.node for send in self.pushes]
            names = (*pushed, *(node.name for node in self.ready))
            yield from self.resumed_checkpoint(thread, names, len(pushed), self.values, self.step)

    def resumed_checkpoint(
        self,
        thread: Thread,
        names: Sequence[str],
        pushed: int,
        values: Mapping[str, Any],
        step: int,
    ) -> tuple[Event, ...]:
        """The events of the checkpoint a resumed run goes on from, as LangGraph streams it again.

        Its tasks (``pushed`` ``Send`` tasks first) show what their stored
        writes say: a finished task's result, a failed one's error, an
        interrupted one's interrupts.
        """
        from ._resume import task_statuses

        resumed = self.resumed
        loaded = thread.loaded
        statuses = (
            resumed.statuses if resumed is not None else task_statuses(loaded.pending_writes or ())
        )
        checkpoint_id = thread.config["configurable"]["checkpoint_id"]
        reports: list[dict[str, Any]] = []
        for index, name in enumerate(names):
            kind = f"push:{index}" if index < pushed else "pull"
            status = statuses.get(task_id(checkpoint_id, thread.ns, name, kind))
            if status is None:
                reports.append({"interrupts": ()})
                continue
            if status.error is not None:
                reports.append({"error": status.error})
                continue
            raised = tuple(_interrupt_dict(i) for i in status.interrupts)
            result = None
            if status.finished:
                result = {k: v for k, v in status.output if k in self.plan.keys}
            reports.append(
                {"result": result, "interrupts": raised} if result else {"interrupts": raised}
            )
        return thread.reopened(values, names, pushed, reports, step)

    def prepare(self, tasks: tuple[Task, ...]) -> Generator[Event, None, None]:
        """Ready a superstep's tasks on a thread for ``interrupt()``; hand back finished ones' writes.

        Every task gets its :class:`~.interrupts.Resumes` (a subgraph's tasks
        share the answers of the task that runs their graph). In
        the first superstep of a resumed run, a task that finished before the
        run stopped does not run again: its stored writes are its outcome,
        and its update streams marked as cached, as LangGraph streams it.
        """
        resumed = self.resumed
        run = self.run
        given, by_id = self.answers_given()
        if resumed is None:
            for task in tasks:
                task.resumes = Resumes(task.checkpoint_ns, [], given, by_id)
            return
        self.resumed = None
        from ._resume import stored_goto, stored_update

        fields = self.plan.fields
        thread = self.thread
        assert thread is not None
        for task in tasks:
            output = resumed.finished.get(task.id)
            if output is None:
                task.resumes = Resumes(
                    task.checkpoint_ns, resumed.answers(task.id), given, by_id, resuming=True
                )
                continue
            update = stored_update(output, fields)
            goto = stored_goto(output)
            self.writes[task] = (task, update, goto)
            # the next checkpoint holds them as it holds the writes of the tasks that run
            thread.written.update(update or ())
            thread.written.update(BRANCH + name for name in goto)
            if run.updates:
                yield ReplayedUpdatesEvent(task.name, update, run.ns)

    def answers_given(self) -> tuple[list[Any], Mapping[str, Any] | None]:
        """The run's resume value (scalar, as a list the first unanswered call empties) and map.

        A root run's are its ``Command(resume=...)``'s. A subgraph's run shares
        those of the task that runs it: an ``interrupt()`` anywhere below a
        resumed task takes the answer the root run was given, as in LangGraph.
        """
        resumed = self.resumed
        parent = self.run.parent
        if parent is None:
            if resumed is None:
                return _NO_ANSWER, None
            return resumed.given, resumed.by_id
        outer = parent.resumes
        if outer is None:
            return _NO_ANSWER, None
        return outer.given, outer.by_id

    def interrupted(self, task: Task, error: GraphInterrupt) -> tuple[Event, ...]:
        """A task stopped at an interrupt: record it (the run stops after the superstep); its events."""
        raised = error.interrupts
        self.interrupts.extend(raised)
        resumes = task.resumes
        thread = self.thread
        assert thread is not None
        thread.put_interrupt(task.id, raised, None if resumes is None else resumes.written())
        run = self.run
        events: list[Event] = []
        if run.updates:
            events.append(InterruptEvent(raised, run.ns))
        if run.values:
            events.append(InterruptValuesEvent(dict(self.values), raised, run.ns))
        if run.tasks or run.debug:
            events.extend(
                run.task_result_interrupted(task, tuple(_interrupt_dict(i) for i in raised))
            )
        return tuple(events)

    def halt(self) -> tuple[Event, ...]:
        """End a superstep that raised interrupts: the run stops here.

        The writes of the tasks that finished are stored (they are not run
        again on resume) and applied to the state the run ends with; if they
        wrote state keys, ``values`` streams it, as LangGraph does.
        """
        writes = self.writes
        pushed = len(self.pushes_running)
        order = self.order[pushed:] + self.order[:pushed]
        wrote = False
        for task in order:
            done = writes.get(task)
            if done is not None and done[1]:
                self.plan.apply(self.values, done[1])
                wrote = True
        writes.clear()
        self.ready = ()
        self.pushes = _NO_PUSHES
        if wrote and self.run.values:
            return (ValuesEvent(dict(self.values), self.run.ns),)
        return _NOTHING

    def breakpoint(self, names: frozenset[str], nodes: tuple[Node, ...]) -> bool:
        """Whether a breakpoint (``interrupt_before`` / ``interrupt_after``) names one of ``nodes``."""
        return bool(names) and ("*" in names or any(node.name in names for node in nodes))

    def breaks_before(self, names: frozenset[str], ready: tuple[Node, ...]) -> bool:
        """Whether ``interrupt_before`` names a task of the next superstep: one of ``ready``,
        or a node a ``Send`` goes to (LangGraph stops before those too)."""
        return self.breakpoint(names, ready) or (
            bool(names) and any(send.node in names for send in self.pushes)
        )

    def begin(self, thread: Thread, first: Goto) -> tuple[Event, ...]:
        """The input checkpoint and the hidden ``__start__`` task's writes (where START leads).

        A run resumed at its input checkpoint (see :meth:`resume_thread`) has
        that checkpoint already: its first events are the state and that
        checkpoint's, as LangGraph streams them again.
        """
        if thread.restarted:
            events: tuple[Event, ...] = ()
            if self.run.values:
                events = (ValuesEvent(dict(self.values), self.run.ns),)
            if thread.stream or thread.debug:
                events += self.resumed_checkpoint(thread, (START,), 0, thread.saved, self.step - 1)
            checkpoint_id = thread.config["configurable"]["checkpoint_id"]
        else:
            checkpoint_id, events = thread.checkpoint(
                "input", self.step - 1, thread.saved, (), start=thread.given
            )
        thread.ran_task(START, (START,))
        thread.put_writes(task_id(checkpoint_id, "", START), thread.given, first)
        return events

    def save(self, thread: Thread, step: int) -> tuple[Event, ...]:
        """The checkpoint after superstep ``step``; it names the next superstep's tasks."""
        checkpoint_id, events = thread.checkpoint(
            "loop",
            step,
            self.values,
            tuple(node.name for node in self.ready),
            tuple(send.node for send in self.pushes),
            sends=self.pushes,
        )
        del checkpoint_id
        return events

    def steps(
        self, wrote: bool, first: Goto | None = None, asynchronous: bool = False
    ) -> Generator[Any, Any, None]:
        """Run the supersteps, yielding the requested events (and, if ``asynchronous``, requests).

        Args:
            wrote: whether the input wrote something (then ``values`` streams it first).
            first: the nodes of the first superstep; if not given, START's
                edges and (sync) routers, which run in LangGraph's hidden
                first task, before the input's values.
            asynchronous: the run is an async driver's, which does what the
                loop asks of it.

        LangGraph checks the recursion limit before it looks for work: limit N
        allows N supersteps, and the step after the Nth fails even with
        nothing left to run. When the run ends, ``run.result`` is the state.

        A sync run (``asynchronous`` false) yields only events: it calls its
        lone tasks here and hands other supersteps to the worker pool. An
        async run calls its lone sync tasks here only at the root (nested, a
        sync node would block the event loop, and with it the graph's
        parallel siblings) and asks its driver for the rest.

        Raises:
            GraphRecursionError: past the recursion limit.
        """
        plan = self.plan
        run = self.run
        values = self.values
        ns = run.ns
        want_values = run.values
        want_updates = run.updates
        want_tasks = run.tasks or run.debug
        live = run.live
        limit = run.limit
        merge = plan.merge_writes
        get_current = CURRENT_TASK.get
        alone = plan.alone
        # every lone task is called in the loop: a sync run streaming nothing live, or an
        # async one at the root streaming nothing live (else, see the step's own test)
        inline = not live and (not asynchronous or run.parent is None)
        if asynchronous and plan.guarded:
            # a retry waits between attempts: not on the event loop
            inline = False
        lone = self._lone
        held: list[Event] = []
        ready = self.ready
        pushes = self.pushes
        step = self.step
        thread = self.thread
        try:
            if first is None:
                # only a run given a config can be on a thread: others skip the call (but
                # for breakpoints, which refuse to run without one)
                if run.config or plan.breakpoints is not None:
                    thread = self.on_thread()
                if self.resumed is None:
                    first = plan.entry if plan.first is None else plan.first(values)
                else:
                    first = ()
            if len(first) == 1 and type(first[0]) is str:
                ready = self.ready = alone[first[0]]
            else:
                # START's routers may send tasks too
                ready = self.ready = self._successors(((None, first),))
                pushes = self.pushes
            # a run on a thread takes every step through record and settle, which store
            # its writes before they are applied: the lone-task path stays as it was
            saving = thread is not None
            if saving:
                inline = False
            if plan.caching and self.use_cache():
                # cached tasks are looked up with their superstep's others: no lone-task path
                saving = True
                inline = False
            if plan.handling:
                # a failed task's handler runs in its superstep, next to the others
                saving = True
                inline = False
                self.rescues = []
            if plan.timing and self.use_timeout():
                # a task that takes too long is given up on: it runs on a worker
                saving = True
                inline = False
            timeout = self.timeout
            # a node that cannot stream runs right here in every mode but messages (whose
            # events of the node's output are made around a task that runs live)
            calm = (
                not saving
                and (not asynchronous or (run.parent is None and not plan.guarded))
                and not run.messages
            )
            resuming = self.resumed is not None
            if thread is not None:
                step = self.step
                limit += step + thread.bound
                if resuming:
                    yield from self.resume(thread)
                    ready = self.ready
                    pushes = self.pushes
                else:
                    yield from self.begin(thread, first)
            if wrote and want_values and not resuming:
                yield ValuesEvent(dict(values), ns)
            if thread is not None and not resuming:
                yield from self.save(thread, step)
            while True:
                step += 1
                if step > limit:
                    raise GraphRecursionError(recursion_message(limit))
                if (
                    len(ready) == 1
                    and not pushes
                    and (
                        inline
                        or (calm and not ready[0].streams)
                        or (
                            not saving
                            and (
                                # a nested async run's lone sync node goes to a thread: here, it
                                # would block the event loop, and with it the graph's parallel siblings
                                (not live and ready[0].is_async)
                                if asynchronous
                                # a lone subgraph node runs its graph right here even when events
                                # stream live: the graph's events come out of its own loop as they happen
                                else (ready[0].stream is not None and not run.messages)
                            )
                        )
                    )
                ):
                    node = ready[0]
                    # one task and nothing to stream while it runs: call it right here,
                    # through the one task object every such step of the run reuses
                    task = lone
                    if task is None:
                        # in a live run, what a node runs here emits anyway (a node the analysis
                        # took for quiet) comes out as the node ends: late, but never lost
                        task = lone = self._lone = Task(
                            run,
                            node.name,
                            step,
                            node.triggers,
                            held.append if live else ignore,
                            node.metadata,
                            node.tags,
                        )
                    else:
                        if task.name != node.name:
                            task.name = node.name
                            task.triggers = node.triggers
                            task.metadata = node.metadata
                            task.tags = node.tags
                        task.step = step
                    # a callable in a slot is loaded, then called: Python 3.11 does not
                    # specialise a method-style call of an instance attribute
                    input_of = node.input
                    inp = input_of(values)
                    if want_tasks:
                        yield from run.task_starts((task,), (inp,))
                    # the context variable is set once for the reused task, which is active
                    # only while its node runs: cheaper than setting it around every node
                    if get_current() is not task:
                        CURRENT_TASK.set(task)
                    task.active = True
                    try:
                        plain = node.plain
                        result: object
                        if plain is not None:
                            result = plain(inp)
                        elif asynchronous and node.acall is not None:
                            result = yield Request("await", node.acall(task, inp, values))
                        elif not asynchronous and node.stream is not None:
                            # while it yields, the code running is the run's consumer
                            task.active = False
                            result = yield from node.stream(task, inp, values)
                        else:
                            result = node.call(task, inp, values)
                        update: Writes
                        sent: Goto = ()
                        # the common case, a non-empty dict of state keys, needs no call
                        if type(result) is dict and result and node.keys.issuperset(result):
                            update = result
                        else:
                            update, sent = plan.outcome(node.name, result)
                        # the only task of its superstep: its writes go straight into the
                        # state, which is then what its routers see
                        if update:
                            known = len(values)
                            if merge is None:
                                values.update(update)
                            else:
                                merge(values, update)
                            if len(values) != known:
                                plan.reorder(values)
                        goto: Goto = ()
                        after = node.after
                        if after is None or sent:
                            direct = node.direct
                            if direct is not None and not sent:
                                # a sync router that names one node: that node alone is next
                                goto = direct(values)
                                if len(goto) == 1 and type(goto[0]) is str:
                                    after = alone[goto[0]]
                            else:
                                after = None
                                if not node.routed:
                                    goto = node.then
                                elif asynchronous and node.aroute is not None:
                                    goto = yield Request("await", node.aroute(values))
                                else:
                                    goto = node.route(values)  # type: ignore[misc]
                                # a Command's goto adds to the node's edges
                                goto += sent
                    except BaseException as exc:
                        task.active = False
                        if held:
                            yield from held
                            held.clear()
                        # a command for the parent graph ends this graph, not the task
                        if want_tasks and type(exc) is not ParentCommand:
                            yield from run.task_result(task, None, exc)
                        raise
                    task.active = False
                    if held:
                        yield from held
                        held.clear()
                    if want_updates:
                        updated = node.updated
                        yield updated(node.name, update, ns)
                    if want_tasks:
                        yield from run.task_result(task, update, None)
                    if update and want_values:
                        yield ValuesEvent(dict(values), ns)
                    if after is not None:
                        ready = after
                    elif len(goto) == 1 and type(goto[0]) is str and not node.joins:
                        ready = alone[goto[0]]
                    else:
                        ready = self._successors(((node, goto),))
                        pushes = self.pushes
                    continue
                if not ready and not pushes:
                    break
                if not saving and not asynchronous and len(ready) == 1 and not pushes:
                    # one task that streams while it runs: on the run's worker, its outcome
                    # taken right here (a superstep of one needs none of settle's ordering)
                    node = ready[0]
                    task = Task(
                        run, node.name, step, node.triggers, ignore, node.metadata, node.tags
                    )
                    input_of = node.input
                    inp = input_of(values)
                    if want_tasks:
                        yield from run.task_starts((task,), (inp,))
                    update = None
                    goto = ()
                    for item in run.run_threads(((task, body, (inp, values, node, plan)),)):
                        if type(item) is not Done:
                            yield item
                            continue
                        if item.error is not None:
                            yield from self.failed(task, item.error)
                            raise item.error
                        update, goto = item.result
                    if update:
                        plan.apply(values, update)
                    if want_updates:
                        updated = node.updated
                        yield updated(node.name, update, ns)
                    if want_tasks:
                        yield from run.task_result(task, update, None)
                    if update and want_values:
                        yield ValuesEvent(dict(values), ns)
                    after = node.after
                    if after is not None and goto is node.then:
                        ready = after
                    elif len(goto) == 1 and type(goto[0]) is str and not node.joins:
                        ready = alone[goto[0]]
                    else:
                        ready = self._successors(((node, goto),))
                        pushes = self.pushes
                    continue
                # several tasks, or one whose events stream as they happen
                breaks = self.breaks
                if breaks is not None and not resuming and self.breaks_before(breaks[0], ready):
                    # interrupt_before: the checkpoint that names these tasks is saved
                    if want_updates:
                        yield InterruptEvent((), ns)
                    break
                self.step = step
                if plan.deferring:
                    ready = self.hold(ready)
                self.ready = ready
                tasks = self.tasks_of(ready, step)
                if thread is not None:
                    thread.started(tasks, self.pushes_running)
                nodes = self.running
                inputs = self.inputs(values)
                if want_tasks:
                    yield from run.task_starts(tasks, inputs)
                if thread is not None:
                    yield from self.prepare(tasks)
                hits: Any = None
                if self.cache is not None:
                    hits = yield from self.look_up(tasks, nodes, inputs)
                # on a resumed thread, tasks whose writes were saved are not run again
                done = self.writes if thread is not None and self.writes else None
                if asynchronous:
                    jobs: Any = self.jobs(tasks, nodes, inputs, True)
                    if hits or done:
                        jobs = [job for job in jobs if not _skipped(job[0], hits, done)]
                    yield Request("superstep", jobs, timeout, self.rescues)
                else:
                    jobs = self.jobs(tasks, nodes, inputs, False)
                    if hits or done:
                        jobs = [job for job in jobs if not _skipped(job[0], hits, done)]
                    for item in run.run_threads(jobs, timeout, self.rescues):
                        if not isinstance(item, Done):
                            yield item
                            continue
                        if item.error is not None:
                            if type(item.error) is GraphInterrupt and thread is not None:
                                yield from self.interrupted(item.task, item.error)
                                continue
                            yield from self.failed(item.task, item.error)
                            if not self.rescue(item.task, item.error):
                                raise item.error
                            continue
                        yield from self.record(item.task, *item.result)
                resuming = False
                if thread is not None and self.interrupts:
                    yield from self.halt()
                    if run.parent is not None:
                        # the task that runs this graph stops at the same interrupts
                        raise GraphInterrupt(tuple(self.interrupts))
                    break
                yield from self.settle()
                ready = self.ready
                pushes = self.pushes
                if thread is not None:
                    yield from self.save(thread, step)
                    if breaks is not None and self.breakpoint(breaks[1], nodes):
                        # interrupt_after: the checkpoint after these tasks is saved
                        if want_updates:
                            yield InterruptEvent((), ns)
                        break
            run.result = dict(values)
        finally:
            self.step = step
            self.ready = ready
            if thread is not None and thread.deferred is not None:
                # durability "exit": the run's last checkpoint is stored as it ends, however
                thread.flush()
            if lone is not None and get_current() is lone:
                # hand the context back to the task this run started in (or to none)
                CURRENT_TASK.set(run.parent)
            if not asynchronous:
                # the async driver waits for its tasks itself, without blocking its loop
                run.close()

    def jobs(
        self,
        tasks: Sequence[Task],
        nodes: Sequence[Node],
        inputs: Sequence[Any],
        asynchronous: bool,
    ) -> list[Any]:
        """A superstep's tasks as its driver runs them, each with its body and arguments."""
        values = self.values
        plan = self.plan
        if asynchronous:
            return [
                (task, abody if n.is_async else body, (inp, values, n, plan), n.is_async)
                for task, n, inp in zip(tasks, nodes, inputs, strict=True)
            ]
        return [
            (task, body, (inp, values, n, plan))
            for task, n, inp in zip(tasks, nodes, inputs, strict=True)
        ]

    def tasks_of(self, ready: tuple[Node, ...], step: int) -> tuple[Task, ...]:
        """The tasks of a superstep of ``ready`` (each one new), after those of its ``Send``s.

        Send tasks come first, in the order they were sent, then the
        triggered nodes' in name order: LangGraph's order of tasks, of their
        start events and of their writes. :attr:`running` then holds each
        task's node, in the same order.
        """
        run = self.run
        nodes = self.plan.nodes
        tasks: list[Task] = []
        running: list[Node] = []
        for index, send in enumerate(self.pushes):
            node = nodes[send.node]
            task = _PushTask(run, node.name, step, _PUSH, ignore, node.metadata, node.tags)
            task.path = ("__pregel_push", index, False)
            # tasks of one node sent twice in a step have ids of their own
            task.pin_id(run.task_id(step, f"{node.name}\x00push:{index}"))
            tasks.append(task)
            running.append(node)
        for node in ready:
            tasks.append(
                Task(run, node.name, step, node.triggers, ignore, node.metadata, node.tags)
            )
            running.append(node)
        self.running = tuple(running)
        self.order = tuple(tasks)
        self.pushes_running = self.pushes
        if self.writes is _NO_WRITES:
            self.writes = {}
        return self.order

    def inputs(self, values: dict[str, Any]) -> list[Any]:
        """What each task of :meth:`tasks_of` receives: a ``Send``'s argument, or its node's input."""
        pushes = self.pushes
        inputs = [send.arg for send in pushes]
        inputs.extend(node.input(values) for node in self.running[len(pushes) :])
        return inputs

    def _successors(self, outcomes: Any) -> tuple[Node, ...]:
        """The next superstep's nodes from each task's ``goto``, in task order.

        Names trigger nodes (joins counted); ``Send``s become :attr:`pushes`.
        """
        triggered: set[str] = set()
        pushes: list[Send] = []
        nodes = self.plan.nodes
        for node, goto in outcomes:
            for target in goto:
                if type(target) is str:
                    triggered.add(target)
                else:
                    if target.node not in nodes:
                        raise InvalidUpdateError(
                            f"{'START' if node is None else repr(node.name)} sent a task to "
                            f"{target.node!r}, which is not a node of the graph"
                        )
                    pushes.append(target)
            if node is None:
                continue
            for index in node.joins:
                self.seen[index].add(node.name)
        for index, (sources, target) in enumerate(self.plan.joins):
            if self.seen[index] >= sources:
                triggered.add(target)
                self.seen[index].clear()
        self.pushes = pushes
        return self.nodes(triggered)

    def record(self, task: Task, update: Writes, goto: Goto) -> tuple[Event, ...]:
        """Take one task's outcome in a superstep of several: record its writes; its events."""
        self.writes[task] = (task, update, goto)
        thread = self.thread
        if thread is not None:
            resumes = task.resumes
            thread.put_writes(task.id, update, goto, None if resumes is None else resumes.written())
        if self.cache_keys:
            self.remember(task, update, goto)
        run = self.run
        if not run.tasks and not run.debug:
            if run.updates:
                return (self.plan.nodes[task.name].updated(task.name, update, run.ns),)
            return _NOTHING
        events: list[Event] = []
        if run.updates:
            events.append(self.plan.nodes[task.name].updated(task.name, update, run.ns))
        events.extend(run.task_result(task, update, None))
        return tuple(events)

    def use_cache(self) -> bool:
        """Take the run's node cache (its config's), if it has one: :attr:`cache`."""
        from .policies import CACHE

        configurable = self.run.config.get("configurable")
        self.cache = None if not configurable else configurable.get(CACHE)
        return self.cache is not None

    def rescue(self, task: Task, error: BaseException, asynchronous: bool = False) -> bool:
        """Whether a failed task's node has an error handler, which then runs in this superstep.

        The handler's job joins :attr:`rescues`, which the executor running the superstep
        starts at once, next to the superstep's tasks still running.

        As LangGraph's node error handlers: the handler gets the task's input and the
        error; its task streams its updates and its result (no start); its writes and its
        ``Command``'s goto stand in for the failed task's, whose edges are not followed.
        Only an ``Exception`` is handled, and a handler's own failure fails the run.
        """
        node = self.plan.nodes[task.name]
        handler = node.handler
        if handler is None or not isinstance(error, Exception):
            return False
        index = self.order.index(task)
        pushed = self.pushes_running
        inp = pushed[index].arg if index < len(pushed) else node.input(self.values)
        rescuer = Task(
            self.run, handler.name, self.step, _PUSH, ignore, handler.metadata, handler.tags
        )
        # the handlers of two tasks of one node have ids of their own
        rescuer.pin_id(self.run.task_id(self.step, f"{handler.name}\x00{task.id}"))
        if self.run.custom:
            # LangGraph runs a handler in its failed task's config: what it writes comes
            # from that task's namespace
            ns = (*self.run.ns, f"{task.name}:{task.id}")

            def writer(chunk: Any) -> None:
                rescuer.emit(CustomEvent(chunk, ns))

            rescuer._writer = writer
        args = (inp, self.values, handler, self.plan, task.name, error)
        assert self.rescues is not None
        if not asynchronous:
            self.rescues.append((rescuer, rescue_body, args))
        elif handler.is_async:
            self.rescues.append((rescuer, arescue_body, args, True))
        else:
            self.rescues.append((rescuer, rescue_body, args, False))
        if self.rescued is _NO_WRITES:
            self.rescued = {}
        self.rescued[rescuer] = task
        return True

    def use_timeout(self) -> bool:
        """Take the run's step timeout (its config's, for this plan), if it has one: :attr:`timeout`.

        The config names the plan it is for, so that the graphs a task runs (a subgraph)
        keep their own.
        """
        configurable = self.run.config.get("configurable")
        given = None if not configurable else configurable.get(STEP_TIMEOUT)
        if given is not None and given[0] is self.plan and given[1]:
            self.timeout = float(given[1])
        return self.timeout is not None

    def look_up(
        self, tasks: tuple[Task, ...], nodes: tuple[Node, ...], inputs: list[Any]
    ) -> Generator[Any, None, set[Task]]:
        """Take the writes of this superstep's cached tasks from the cache: the tasks it had.

        A hit is recorded as the task's outcome without running it, and streams its
        ``updates`` at once (marked cached, as LangGraph does), and no task result; the
        others' keys wait in :attr:`cache_keys` for their writes (:meth:`remember`).
        """
        from .policies import cache_key

        keys: dict[Any, Task] = {}
        for task, node, inp in zip(tasks, nodes, inputs, strict=True):
            if node.cache is not None:
                keys[cache_key(node.cache, node.cache_ns, inp)] = task
        if not keys:
            return set()
        found = self.cache.get(tuple(keys))
        hits: set[Task] = set()
        run = self.run
        for key, task in keys.items():
            value = found.get(key)
            if value is None:
                if self.cache_keys is _NO_WRITES:
                    self.cache_keys = {}
                self.cache_keys[task] = key
                continue
            update, goto = _from_cache(value)
            hits.add(task)
            self.writes[task] = (task, update, goto)
            if self.thread is not None:
                self.thread.put_writes(task.id, update, goto)
            if run.updates:
                yield CachedUpdates(self.plan.nodes[task.name].updated(task.name, update, run.ns))
        return hits

    def remember(self, task: Task, update: Writes, goto: Goto) -> None:
        """Store a cached task's writes and where it led, once it finished."""
        key = self.cache_keys.pop(task, None)
        if key is None:
            return
        node = self.plan.nodes[task.name]
        assert node.cache is not None
        self.cache.set({key: (_to_cache(update, goto), node.cache.ttl)})

    def failed(self, task: Task, error: BaseException) -> tuple[Event, ...]:
        """A task raised ``error``: its events (the error then goes through)."""
        if type(error) is ParentCommand:
            # the task handed a command to the parent graph: it did not fail
            return _NOTHING
        run = self.run
        thread = self.thread
        if thread is not None:
            thread.put_error(task.id, error)
        if run.tasks or run.debug:
            return run.task_result(task, None, error)
        return _NOTHING

    def settle(self) -> tuple[Event, ...]:
        """End a superstep of several tasks: apply their writes; its events; its successors.

        Writes are applied in LangGraph's order of task paths (the triggered
        nodes' in name order, then the ``Send`` tasks' in the order sent),
        whatever order the tasks finished in. A plain key written by two tasks fails as in LangGraph. The next
        superstep's nodes are then :attr:`ready` (and its ``Send``s :attr:`pushes`).
        """
        writes = self.writes
        if self.rescued:
            # a handler's writes take the place of those its failed task did not make
            for rescuer, failed in self.rescued.items():
                writes[failed] = writes.pop(rescuer)
            self.rescued = {}
        # LangGraph applies writes by task path: its triggered nodes' (`__pregel_pull`, by
        # name) before its Sends' (`__pregel_push`, in the order sent), though the Send
        # tasks start first
        pushed = len(self.pushes_running)
        order = self.order[pushed:] + self.order[:pushed]
        running = self.running[pushed:] + self.running[:pushed]
        plan = self.plan
        if plan.last_value and len(order) > 1:
            check_concurrent_writes([writes[task][1] for task in order], plan.last_value)
        values = self.values
        wrote = False
        outcomes = []
        for task, node in zip(order, running, strict=True):
            owner, update, goto = writes[task]
            if update:
                plan.apply(values, update)
                wrote = True
            # a failed task's joins wait on: only its handler's goto counts
            outcomes.append((node if owner is task else None, goto))
        writes.clear()
        self.ready = self._successors(outcomes)
        if self.held:
            # the next superstep decides again which of them still wait
            self.ready = self.nodes({node.name for node in self.ready} | self.held)
            self.held = _NONE_HELD
        if wrote and self.run.values:
            return (ValuesEvent(dict(values), self.run.ns),)
        return _NOTHING

    def hold(self, ready: tuple[Node, ...]) -> tuple[Node, ...]:
        """The nodes of a superstep of several, deferred ones held back while others run.

        As LangGraph's deferred channels, which become available only in a step that
        triggers no other node: the held nodes join the next superstep's nodes
        (:meth:`settle`), and so on until one has no other (its ``Send`` tasks aside).
        """
        waiting = frozenset(node.name for node in ready if node.defer)
        if not waiting or len(waiting) == len(ready):
            self.held = _NONE_HELD
            return ready
        self.held = waiting
        return tuple(node for node in ready if not node.defer)

    def nodes(self, names: Goto | set[str]) -> tuple[Node, ...]:
        """The nodes of ``names``, once each, in name order (LangGraph's order of tasks)."""
        nodes = self.plan.nodes
        if len(names) == 1:
            for name in names:
                return (nodes[name],)
        return tuple(nodes[name] for name in sorted(set(names)))
