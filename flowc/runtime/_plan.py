"""A compiled graph as the engine runs it: its :class:`Plan` and :class:`Node` objects.

A generated module describes its graph with these (its functions: what a
node receives, what it does, where it leads); the engine (:mod:`._engine`)
runs one plan per run. Standard library only, as all of the runtime.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Unpack

from ._io_keys import cut_input
from ._io_keys import keyed_input as keyed_input  # the engine imports it from here
from ._sequenced import paired_writes, sequenced
from .config import DEFAULT_RECURSION_LIMIT
from .control import PARENT, ParentCommand, as_command, as_send
from .errors import (
    EmptyInputError,
    InvalidInputError,
    InvalidUpdateError,
)
from .fingerprint import StateSchema
from .run import (
    check_update,
)

if TYPE_CHECKING:
    pass


from ._node import Goto, Guards, Node, Writes

__all__ = ["Goto", "Guards", "Node", "Plan", "Writes", "keyed_input"]


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
        schema: the state's fields with their declared types, which each checkpoint
            records (see :mod:`.fingerprint`).
        codecs: the state fields only pickle can store, as ``(field, "pickle")`` (the
            spec opts into pickle): a run on a thread refuses a saver whose serializer
            refuses pickles before anything runs. Every other field is stored as JSON or
            tagged JSON.
        untracked: the keys whose values last one run: no checkpoint, and no write a
            saver keeps, holds them (LangGraph's ``UntrackedValue``).
        step_timeout: the seconds a superstep may take (the spec's ``step_timeout``),
            unless a run's config says otherwise.
        inputs: the keys an input may set (the spec's ``input_schema``): a run ignores
            its input's other keys, as LangGraph does.
        outputs: the keys ``invoke`` returns (the spec's ``output_schema``).
    """

    __slots__ = (
        "_breakpoints",
        "_timing",
        "afirst",
        "alone",
        "blocking",
        "caching",
        "codecs",
        "deferring",
        "drops_unknown",
        "entry",
        "entry_lone",
        "entry_ready",
        "fields",
        "first",
        "guarded",
        "handling",
        "input",
        "joins",
        "keys",
        "label",
        "last_value",
        "limit",
        "merge",
        "merge_writes",
        "name",
        "nodes",
        "outputs",
        "overwrites",
        "own_saver",
        "plain_keys",
        "quick",
        "recursion_limit",
        "routers",
        "schema",
        "start",
        "stateful",
        "step_timeout",
        "subgraphs",
        "trace_policies",
        "untracked",
        "width",
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
        schema: StateSchema = (),
        codecs: tuple[tuple[str, str], ...] = (),
        untracked: frozenset[str] = frozenset(),
        step_timeout: float | None = None,
        inputs: frozenset[str] | None = None,
        outputs: tuple[str, ...] | None = None,
    ) -> None:
        self.name = name
        # for callbacks (flowc.runtime.hooks): the name runs report the graph under if not
        # `name`, each node's router (START's: `__start__`) with its path_map, and the nodes'
        # trace policies (drop-in graphs say; else the hooks read what the code shows)
        self.label: str | None = None
        self.routers: dict[str, tuple[str, Any]] | None = None
        self.trace_policies: dict[str, Any] | None = None
        self.schema = schema
        self.codecs = codecs
        self.untracked = untracked
        """The keys no checkpoint stores (see :mod:`flowc.runtime.channels`)."""
        self.step_timeout = step_timeout
        self.quick = False
        """Whether the plan has no breakpoints, policies or deferred nodes: then a run
        without a config starts its loop without asking for any of them (see
        :meth:`Engine.steps`). Kept by the setters of what it depends on."""
        self.caching = False
        """Whether a node has a cache policy (see :meth:`Engine.look_up`)."""
        self.handling = False
        """Whether a node has an error handler (see :meth:`Engine.rescue`)."""
        self._timing = step_timeout is not None
        self._breakpoints = (
            None if breakpoints is None else (frozenset(breakpoints[0]), frozenset(breakpoints[1]))
        )
        self.fields = fields
        self.width = len(fields)
        """The number of the state's keys."""
        self.keys = frozenset(fields)
        self.nodes: Mapping[str, Node] = {node.name: node for node in nodes}
        self.entry = entry
        self.entry_ready: tuple[Node, ...] | None = None
        self.entry_lone: tuple[Node, ...] | None = None
        """START's one node as a superstep, when its plain edges lead to one node only."""
        """The nodes of ``entry`` as a superstep, once a run has made them (they are
        the same for every run: START's plain edges never send)."""
        self.merge = merge or _merge
        self.alone = {node.name: (node,) for node in nodes}
        """Each node as a superstep of its own (a tuple made once)."""
        if first is None and len(entry) == 1 and entry[0] in self.alone:
            self.entry_lone = self.alone[entry[0]]
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
        self.plain_keys = last_value
        """The keys without a reducer, whatever the number of nodes (one node may write one
        of them twice in a list of updates)."""
        self.input = input
        self.recursion_limit = recursion_limit
        self.limit = DEFAULT_RECURSION_LIMIT if recursion_limit is None else recursion_limit
        """The recursion limit of a run that sets none."""
        self.start = start or self._start
        if inputs is not None:
            self.start = cut_input(self.start, inputs)
        self.outputs = outputs
        """The keys ``invoke`` returns, when not every key of the state (see :meth:`output`)."""
        self.subgraphs = frozenset(node.name for node in nodes if node.stream is not None)
        """The nodes that run a subgraph (their tasks' states are the subgraphs')."""
        self.stateful = False
        """As a subgraph, the graph keeps one state per thread from one run of it to the next
        (LangGraph's ``compile(checkpointer=True)``): its checkpoints' namespace is its node's
        name, without the task id."""
        self.own_saver: Callable[[], Any] | None = None
        """As a subgraph, the graph keeps no checkpoint on its parent's thread (LangGraph's
        ``compile(checkpointer=False)``): each run of it starts afresh, on a scratch thread of a
        saver this makes, and its interrupts stop its parent's task all the same."""
        if input is not None:
            for node in nodes:
                if node.input is dict:
                    node.input = input
        self.guarded = any(node.retry for node in nodes)
        """Whether a node has a policy: then an async run's lone sync tasks run on a worker
        (a retry's wait would block the event loop)."""
        self.blocking = any(not node.loop_safe for node in nodes)
        """Whether a sync node may wait: then an async run asks at each lone step whether
        its node may run on the event loop's thread (see :attr:`Node.loop_safe`)."""
        self.deferring = any(node.defer for node in nodes)
        """Whether a node is deferred (see :meth:`Engine.hold`)."""
        self._requick()
        self.overwrites = False
        """Writes may be ``Overwrite`` s, which bypass reducers (the drop-in's graphs, whose
        reducers take them: see :mod:`._overwrite`)."""
        self.drops_unknown = False
        """A node's writes to keys the state has not are dropped, as LangGraph drops them (the
        drop-in's graphs), instead of failing the run (see :meth:`check`)."""

    def guard(self, node: str, **policies: Unpack[Guards]) -> None:
        """Give ``node`` policies, before the plan runs (see :meth:`Node.guard`).

        An error handler becomes one of the plan's nodes (its updates and task results
        name it), which no edge leads to.
        """
        self.nodes[node].guard(**policies)
        error_handler = policies.get("error_handler")
        if error_handler is not None:
            error_handler.keys = error_handler.writes or self.keys
            self.nodes[error_handler.name] = error_handler  # type: ignore[index]
            self.handling = True
        self.guarded = self.guarded or bool(policies.get("retry"))
        self.deferring = self.deferring or bool(policies.get("defer"))
        self.caching = self.caching or policies.get("cache") is not None
        self._requick()

    @property
    def timing(self) -> bool:
        """Whether runs may limit the time of a superstep (see :meth:`Engine.use_timeout`)."""
        return self._timing

    @timing.setter
    def timing(self, value: bool) -> None:
        self._timing = value
        self._requick()

    @property
    def breakpoints(self) -> tuple[frozenset[str], frozenset[str]] | None:
        """The nodes a run on a thread stops before and after (``"*"``: all), if any."""
        return self._breakpoints

    @breakpoints.setter
    def breakpoints(self, value: tuple[frozenset[str], frozenset[str]] | None) -> None:
        self._breakpoints = value
        self._requick()

    def _requick(self) -> None:
        self.quick = self._breakpoints is None and not (
            self.caching or self.handling or self._timing or self.guarded or self.deferring
        )

    def stored(self, channels: Mapping[str, Any]) -> dict[str, Any]:
        """The state a checkpoint's ``channels`` hold, in declaration order.

        A key never written has the value an empty input starts it with (an
        empty list for a list reducer, as LangGraph's channels start), if any.
        """
        refused = (EmptyInputError, InvalidInputError, TypeError, ValueError)
        try:
            state = self.start({})[0]
        except refused:
            # a state class that requires fields has no empty start: the empty starts of the
            # keys the checkpoint lacks come from starting with the keys it holds
            held = {key: channels[key] for key in self.fields if key in channels}
            try:
                state = self.start(held)[0] if held else {}
            except refused:
                state = {}
        state.update((key, channels[key]) for key in self.fields if key in channels)
        return {key: state[key] for key in self.fields if key in state}

    def _start(self, input: Any) -> tuple[dict[str, Any], bool]:
        # the common input, a dict of state keys, needs no call
        if type(input) is not dict or not self.keys.issuperset(input):
            input = self.checked_input(input)
        # into an empty state every key is written as it is, in declaration order
        return {key: input[key] for key in self.fields if key in input}, bool(input)

    def output(self, values: dict[str, Any] | None) -> dict[str, Any] | None:
        """What ``invoke`` returns of a run's final ``values``: its output schema's keys."""
        keys = self.outputs
        if keys is None or values is None:
            return values
        return {key: values[key] for key in keys if key in values}

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
        if self.drops_unknown and isinstance(result, Mapping):
            result = {key: value for key, value in result.items() if key in self.keys}
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
            if isinstance(result, list | tuple) and any(as_command(r) is not None for r in result):
                return self._outcomes(node, result)
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
        pairs = [tuple(pair) for pair in update] if isinstance(update, list | tuple) else None
        update = update if pairs is None else dict(pairs)
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
        writes = self.check(node, update)
        return (writes if pairs is None else paired_writes(pairs, writes, self)), tuple(out)

    def _outcomes(self, node: str, results: Sequence[object]) -> tuple[Writes, Goto]:
        """A list of updates and ``Command`` s a node returned, as LangGraph takes it: every
        item's writes in order (see :mod:`._sequenced`), and the Commands' gotos."""
        pairs: list[tuple[str, Any]] = []
        goto: list[Any] = []
        for result in results:
            writes, sent = self.outcome(node, result)
            if writes:
                pairs.extend(writes.items())
            goto.extend(sent)
        # without reducers every key keeps its last value only
        plain = self.keys if self.merge_writes is None else self.plain_keys
        return sequenced(pairs, plain), tuple(goto)  # type: ignore[return-value]

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
