"""``StateGraph``: LangGraph's builder, recording a graph for flowc to check and compile.

Every method takes LangGraph's arguments and returns the builder, so builder
code written for LangGraph runs unchanged. Each call remembers where it was
made, so that ``compile()`` can point every problem at the user's line.
Node policies (``retry_policy``, ``cache_policy``, ``defer``,
``error_handler``, ``timeout``) are recorded with the node and given to the
engine's plan of the runner ``compile()`` generates; ``trace_policy`` is given to the plan
too (for callbacks); node defaults flowc cannot honour (a default ``trace_policy``) fail
right away, in the ``set_node_defaults`` call that asks for them; everything else is checked at once by
``compile()``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from flowc.dsl.diagnostics import Diagnostic, Span
from flowc.dsl.ends import END, START
from flowc.dsl.usercode import is_async as _is_async
from flowc.runtime.policies import sync_timeout_message, timeout_policy

from ._adapt import is_compiled_graph, is_runnable, is_tool_node
from ._blueprint import Blueprint, BranchRecord, EdgeRecord, NodePolicies, NodeRecord
from ._errors import (
    UNSUPPORTED,
    UnsupportedFeatureError,
    call_site,
    deprecated,
    warn_config_annotation,
)
from ._managed import refuse_managed_io
from ._policies import cache_policy, retry_policies
from ._recording import DEFAULT_ERROR_HANDLER, _Recording

if TYPE_CHECKING:
    from ._compiled import CompiledStateGraph

from ._node_checks import _check_reducers, _coerced

__all__ = ["StateGraph"]

StateT = TypeVar("StateT")

_NODE_OPTIONS: dict[str, str] = {}
"""LangGraph's node options flowc does not offer yet, each with the start of the sentence
that refuses it."""

_DEFAULT_OPTIONS: dict[str, str] = {
    "trace_policy": "default trace policies (`trace_policy=`) are",
}
"""LangGraph's node defaults flowc does not offer yet (``set_node_defaults``), likewise."""

_POLICY_OPTIONS = ("retry_policy", "retry")
"""Node options flowc offers (``retry`` is LangGraph's deprecated name of ``retry_policy``)."""

_SAVER_METHODS = ("get_tuple", "list", "put", "put_writes", "get_next_version")
"""What a run on a thread calls on its checkpointer (LangGraph's ``BaseCheckpointSaver``)."""


def _refuse_what_is_no_saver(checkpointer: Any) -> None:
    """LangGraph's ``TypeError`` for a ``checkpointer=`` that is no saver, before any other
    check; a saver is anything with the methods a run calls (flowc's savers are no subclass of
    LangGraph's ``BaseCheckpointSaver``, which is what LangGraph asks)."""
    if checkpointer in (None, False, True):
        return
    if all(callable(getattr(checkpointer, method, None)) for method in _SAVER_METHODS):
        return
    raise TypeError(
        "Invalid checkpointer provided. Expected an instance of "
        "`BaseCheckpointSaver`, `True`, `False`, or `None`. "
        f"Received {type(checkpointer).__name__!s}. "
        "Pass a proper saver (e.g., InMemorySaver, AsyncPostgresSaver)."
    )


_STORE_METHODS = ("batch", "abatch", "get", "put", "search")
"""What nodes and tools call on a store (LangGraph's ``BaseStore``)."""

_COMPILE_OPTIONS: dict[str, tuple[str, str]] = {}
"""``compile`` options flowc refuses: the sentence and the hint of each (none at present)."""

_RENAMED_SCHEMAS = (
    ("input", "input_schema", "V05"),
    ("output", "output_schema", "V05"),
    ("config_schema", "context_schema", "V10"),
)
"""LangGraph's deprecated ``StateGraph`` arguments: the old name, the new one, and the
LangGraph version since which the old one warns."""


def _unsupported_option(option: str, where: Span | None) -> UnsupportedFeatureError:
    at = f"{where}: " if where is not None else ""
    return UnsupportedFeatureError(
        f"{at}{_NODE_OPTIONS.get(option) or _DEFAULT_OPTIONS[option]} not supported by flowc yet; "
        f"remove `{option}=` from this call"
    )


def _node_name(action: Any) -> str:
    if is_compiled_graph(action):
        return str(action.name)
    if is_tool_node(action):
        return str(action.name)
    name = getattr(action, "__name__", None)
    return name if isinstance(name, str) else type(action).__name__


_RESERVED_CHARACTERS = ("|", ":")
"""What LangGraph's namespaces use to join node names (``parent|child:task``)."""


def _check_node_name(name: str, taken: set[str]) -> None:
    """LangGraph's ``add_node`` checks of a node's name, with its errors."""
    if name in taken:
        raise ValueError(f"Node `{name}` already present.")
    if name in (START, END):
        raise ValueError(f"Node `{name}` is reserved.")
    for character in _RESERVED_CHARACTERS:
        if character in name:
            raise ValueError(
                f"'{character}' is a reserved character and is not allowed in the node names."
            )


def _destinations(given: Any) -> tuple[tuple[str, str], ...] | None:
    """``destinations=`` as (node, edge label) pairs: a tuple of names, or names to labels."""
    if given is None:
        return None
    if isinstance(given, Mapping):
        pairs = tuple(given.items())
    elif isinstance(given, list | tuple):
        pairs = tuple((name, "") for name in given)
    else:
        raise TypeError(
            "add_node(destinations=...) takes a tuple of node names or a dict of node names "
            f"to edge labels, not {type(given).__name__}"
        )
    for name, label in pairs:
        if not isinstance(name, str) or not isinstance(label, str):
            raise TypeError(
                f"add_node(destinations=...): {name!r}: {label!r} is not a node name and its label"
            )
    return pairs


def router_name(path: Any) -> str | None:
    """The name LangGraph gives a router: its function's or runnable's (none for a lambda)."""
    name = getattr(path, "name", None) if is_runnable(path) else getattr(path, "__name__", None)
    if not isinstance(name, str):
        name = type(path).__name__
    return None if name == "<lambda>" else name


def _check(bp: Blueprint) -> None:
    # the checker (and pydantic) is imported when a builder is checked, not with the builder
    from ._lower import check_blueprint

    check_blueprint(bp)


def _runner(bp: Blueprint, stateful: bool) -> ModuleType:
    from ._runners import compile_blueprint

    return compile_blueprint(bp, stateful=stateful)


def _refuse_a_node_named_as_the_default_handler(
    defaults: Mapping[str, Any], nodes: Sequence[NodeRecord]
) -> None:
    if "error_handler" in defaults and any(node.name == DEFAULT_ERROR_HANDLER for node in nodes):
        # LangGraph's error and words: the default handler runs as a node of this name
        raise ValueError(
            f"Auto-generated default error handler node `{DEFAULT_ERROR_HANDLER}` already exists."
        )


class StateGraph(_Recording, Generic[StateT]):
    """A graph whose nodes read and update a shared state (LangGraph's builder API).

    Args:
        state_schema: the state: a TypedDict, dataclass or pydantic model; a
            field with a reducer is declared ``Annotated[list[str], operator.add]``.
        context_schema: the type of a run's ``context=`` (see ``Runtime``).
        input_schema: the keys an input may set (default: the state's); other keys
            of an input are ignored, as in LangGraph.
        output_schema: the keys ``invoke`` returns (default: the state's).

    Keys of the input and output schemas that the state has not are channels of the
    graph, as keys of a node's own schema are (LangGraph's private channels).
    ``context_schema`` (or its deprecated name ``config_schema``) is the type of the
    runs' ``context=``, which nodes read through :class:`~flowc.langgraph.runtime.Runtime`.
    """

    def __init__(
        self,
        state_schema: type[StateT],
        context_schema: Any = None,
        *,
        input_schema: Any = None,
        output_schema: Any = None,
        **kwargs: Any,
    ) -> None:
        for old, new, since in _RENAMED_SCHEMAS:
            if old not in kwargs:
                continue
            deprecated(
                f"`{old}` is deprecated and will be removed. Please use `{new}` instead.", since
            )
            value = kwargs.pop(old)
            if new == "input_schema":
                input_schema = value if input_schema is None else input_schema
            elif new == "output_schema":
                output_schema = value if output_schema is None else output_schema
            else:
                context_schema = value if context_schema is None else context_schema
        self.state_schema = state_schema
        self.input_schema: Any = input_schema or state_schema
        self.output_schema: Any = output_schema or state_schema
        self.context_schema: Any = context_schema
        """The type of a run's ``context=`` (a dict is made an instance of a dataclass or
        pydantic model)."""
        self._span = call_site()
        self._nodes: list[NodeRecord] = []
        self._edges: list[EdgeRecord] = []
        self._branches: list[BranchRecord] = []
        self._problems: list[Diagnostic] = []
        self._names: set[str] = set()
        self._defaults: dict[str, Any] = {}
        """``set_node_defaults``' policies, applied at ``compile()`` to the nodes without their own."""
        _check_reducers(state_schema)
        refuse_managed_io(state_schema, input_schema, output_schema)
        for option in kwargs:
            raise TypeError(f"StateGraph() got an unexpected keyword argument {option!r}")

    # -- introspection, as on LangGraph's builder

    @property
    def nodes(self) -> dict[str, NodeRecord]:
        """The nodes added so far, by name."""
        return {n.name: n for n in self._nodes}

    @property
    def edges(self) -> set[tuple[str, str]]:
        """The plain edges added so far, as ``(source, target)``."""
        return {(e.sources[0], e.target) for e in self._edges if not e.join}

    @property
    def waiting_edges(self) -> set[tuple[tuple[str, ...], str]]:
        """The join edges added so far, as ``(sources, target)``."""
        return {(e.sources, e.target) for e in self._edges if e.join}

    # -- nodes

    def add_node(
        self,
        node: str | Callable[..., Any] | CompiledStateGraph,
        action: Callable[..., Any] | CompiledStateGraph | None = None,
        *,
        metadata: dict[str, Any] | None = None,
        input_schema: Any = None,
        **options: Any,
    ) -> StateGraph[StateT]:
        """Add a node: ``add_node(fn)``, ``add_node("name", fn)`` or a compiled graph as a subgraph.

        Args:
            node: the node's name, or its callable (named after it).
            action: the callable (or compiled graph) when ``node`` is a name.
            metadata: shown in task events and messages metadata.
            input_schema: a narrower schema the node receives (default: the state).

        LangGraph's node policies are taken too: ``retry_policy`` (a
        ``RetryPolicy`` or a list of them; ``retry`` is its old name),
        ``cache_policy``, ``defer``, ``error_handler`` and ``timeout``; and
        ``trace_policy`` (what the node's run records to tracers given in a run's callbacks).
        """
        span = call_site()
        self._add_node(node, action, metadata, input_schema, options, span)
        return self

    def _add_node(
        self,
        node: Any,
        action: Any,
        metadata: dict[str, Any] | None,
        input_schema: Any,
        options: dict[str, Any],
        span: Span | None,
    ) -> None:
        if "retry" in options:
            deprecated(
                "`retry` is deprecated and will be removed. Please use `retry_policy` instead.",
                "V05",
                stacklevel=4,
            )
        if "input" in options:
            deprecated(
                "`input` is deprecated and will be removed. Please use `input_schema` instead.",
                "V05",
                stacklevel=4,
            )
            input_schema = input_schema if input_schema is not None else options.pop("input")
        destinations = _destinations(options.pop("destinations", None))
        retry = options.pop("retry_policy", None)
        if retry is None:
            retry = options.pop("retry", None)
        options.pop("retry", None)
        defer = bool(options.pop("defer", False))
        cache = options.pop("cache_policy", None)
        handler = options.pop("error_handler", None)
        timeout = timeout_policy(options.pop("timeout", None))
        trace_policy = options.pop("trace_policy", None)
        for option, value in options.items():
            what = _NODE_OPTIONS.get(option)
            if what is None:
                raise TypeError(f"add_node() got an unexpected keyword argument {option!r}")
            if value is None or value is False:
                continue
            raise _unsupported_option(option, span)
        if isinstance(node, str):
            if action is None:
                raise TypeError(
                    f"add_node({node!r}) needs the node's function as its second argument"
                )
            name = node
        else:
            if action is not None:
                raise TypeError("add_node(fn) takes the node's name first when given two arguments")
            action, name = node, _node_name(node)
        _check_node_name(name, self._names)
        action = _coerced(action)
        warn_config_annotation(action)
        self._names.add(name)
        policies = (
            NodePolicies(
                retry=None if retry is None else retry_policies(retry),
                defer=defer,
                cache=None if cache is None else cache_policy(cache),
                error_handler=None
                if handler is None
                else (f"__error_handler__{name}", handler, None),
                timeout=timeout,
            )
            if retry is not None
            or defer
            or cache is not None
            or handler is not None
            or timeout is not None
            else None
        )
        self._nodes.append(
            NodeRecord(
                name,
                action,
                dict(metadata) if metadata else None,
                input_schema,
                span,
                destinations,
                policies,
                trace_policy,
            )
        )

    def add_sequence(
        self, nodes: Sequence[Callable[..., Any] | tuple[str, Callable[..., Any]]]
    ) -> StateGraph[StateT]:
        """Add nodes that run one after the other, each given as a callable or ``(name, callable)``."""
        span = call_site()
        if len(nodes) < 1:
            raise ValueError("Sequence requires at least one node.")
        previous: str | None = None
        for item in nodes:
            if isinstance(item, tuple) and len(item) == 2:
                name, action = item
            else:
                name, action = _node_name(item), item
            if name in self._names:
                raise ValueError(
                    f"Node names must be unique: node with the name '{name}' already exists. "
                    "If you need to use two different runnables/callables with the same name "
                    "(for example, using `lambda`), please provide them as tuples "
                    "(name, runnable/callable)."
                )
            self._add_node(name, action, None, None, {}, span)
            if previous is not None:
                self._edges.append(EdgeRecord((previous,), name, False, span))
            previous = name
        return self

    # -- edges

    def add_edge(self, start_key: str | list[str], end_key: str) -> StateGraph[StateT]:
        """An edge; with a list of sources, ``end_key`` waits for all of them (a join)."""
        span = call_site()
        if isinstance(start_key, str):
            if start_key == END:
                raise ValueError("END cannot be a start node")
            if end_key == START:
                raise ValueError("START cannot be an end node")
            self._edges.append(EdgeRecord((start_key,), end_key, False, span))
            return self
        # a join's nodes must be there already, as LangGraph's builder requires
        for start in start_key:
            if start == END:
                raise ValueError("END cannot be a start node")
            if start not in self._names:
                raise ValueError(f"Need to add_node `{start}` first")
        if end_key == START:
            raise ValueError("START cannot be an end node")
        if end_key != END and end_key not in self._names:
            raise ValueError(f"Need to add_node `{end_key}` first")
        self._edges.append(EdgeRecord(tuple(start_key), end_key, True, span))
        return self

    def add_conditional_edges(
        self,
        source: str,
        path: Callable[..., Any],
        path_map: dict[Hashable, str] | list[str] | None = None,
    ) -> StateGraph[StateT]:
        """After ``source``, ``path(state)`` names the next node(s), or a key of ``path_map``.

        Without ``path_map`` and without a ``Literal`` return annotation, the
        router may lead to any node or END, as in LangGraph.

        Raises:
            ValueError: ``source`` has a router of the same name already (LangGraph's
                error: a router is named after its function).
        """
        _add_branch(self._branches, source, path, path_map, call_site())
        return self

    def set_entry_point(self, key: str) -> StateGraph[StateT]:
        """The first node: ``add_edge(START, key)``."""
        self._edges.append(EdgeRecord((START,), key, False, call_site()))
        return self

    def set_conditional_entry_point(
        self,
        path: Callable[..., Any],
        path_map: dict[Hashable, str] | list[str] | None = None,
    ) -> StateGraph[StateT]:
        """A router that picks the first node(s): ``add_conditional_edges(START, ...)``."""
        _add_branch(self._branches, START, path, path_map, call_site())
        return self

    def set_finish_point(self, key: str) -> StateGraph[StateT]:
        """A node after which the run ends: ``add_edge(key, END)``."""
        self._edges.append(EdgeRecord((key,), END, False, call_site()))
        return self

    def set_node_defaults(self, **policies: Any) -> StateGraph[StateT]:
        """LangGraph's default node policies: for the nodes that set none of their own.

        They apply at ``compile()``, and not to subgraphs, as in LangGraph.

        Raises:
            UnsupportedFeatureError: for a policy flowc does not support yet.
        """
        span = call_site()
        retry = policies.pop("retry_policy", None)
        if retry is not None:
            self._defaults["retry_policy"] = retry_policies(retry)
        cache = policies.pop("cache_policy", None)
        if cache is not None:
            self._defaults["cache_policy"] = cache_policy(cache)
        handler = policies.pop("error_handler", None)
        if handler is not None:
            self._defaults["error_handler"] = handler
        timeout = timeout_policy(policies.pop("timeout", None))
        if timeout is not None:
            self._defaults["timeout"] = timeout
        for option, value in policies.items():
            what = _DEFAULT_OPTIONS.get(option)
            if what is None:
                raise TypeError(
                    f"set_node_defaults() got an unexpected keyword argument {option!r}"
                )
            if value is not None:
                raise _unsupported_option(option, span)
        return self

    # -- compiling

    def validate(self) -> StateGraph[StateT]:
        """Run flowc's checks without generating code.

        Raises:
            GraphCompileError: listing every problem, each at its line.
        """
        _check(self._blueprint(None, call_site(), []))
        return self

    def compile(
        self,
        checkpointer: Any = None,
        *,
        cache: Any = None,
        store: Any = None,
        interrupt_before: Any = None,
        interrupt_after: Any = None,
        debug: bool = False,
        name: str | None = None,
        transformers: Any = None,
    ) -> CompiledStateGraph:
        """Check the graph with flowc and compile it into a runner module.

        Returns:
            A graph with LangGraph's ``stream``, ``astream``, ``invoke``,
            ``ainvoke`` and ``get_graph``.

        Raises:
            GraphCompileError: listing every problem (flowc's checks and the
                LangGraph features flowc does not support yet), each pointing at
                the builder call it is about.
            TypeError: ``checkpointer`` is no saver (LangGraph's error, raised first).
        """
        from ._compiled import CompiledStateGraph

        _refuse_what_is_no_saver(checkpointer)
        span = call_site()
        problems: list[Diagnostic] = []
        if store is not None:
            missing = [m for m in _STORE_METHODS if not callable(getattr(store, m, None))]
            if missing:
                problems.append(
                    Diagnostic.error(
                        UNSUPPORTED,
                        f"`store=` takes a store; a {type(store).__name__} has no `{missing[0]}`",
                        span,
                        "pass one of flowc.stores (InMemoryStore, SqliteStore) or a LangGraph store",
                    )
                )
        _refuse_a_node_named_as_the_default_handler(self._defaults, self._nodes)
        for record in map(self._with_defaults, self._nodes):
            timed = record.policies is not None and record.policies.timeout is not None
            if timed and not is_compiled_graph(record.action) and not _is_async(record.action):
                # as LangGraph: a sync node cannot be stopped, so it cannot time out
                raise ValueError(sync_timeout_message(record.name))
        blueprint = self._blueprint(name, span, problems)
        return CompiledStateGraph(
            _runner(blueprint, stateful=checkpointer is True),
            blueprint,
            self,
            checkpointer=None if checkpointer in (None, False, True) else checkpointer,
            unresumable=self._unresumable() if checkpointer in (None, False, True) else (),
            stateful=checkpointer is True,
            checkpointless=checkpointer is False,
            context_schema=self.context_schema,
            cache=cache,
            store=store,
            interrupt_before=interrupt_before,
            interrupt_after=interrupt_after,
            debug=debug,
            stream_transformers=transformers,
        )


def _add_branch(
    branches: list[BranchRecord], source: str, path: Any, path_map: Any, span: Span | None
) -> None:
    name = router_name(path)
    if any(b.source == source and router_name(b.path) == name for b in branches):
        raise ValueError(f"Branch with name `{name}` already exists for node `{source}`")
    branches.append(BranchRecord(source, path, path_map, span))
