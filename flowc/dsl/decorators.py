"""Decorator front end: declare a graph in Python, get the same :class:`GraphSpec` as TOML.

Takes calls on a :class:`Graph` object; gives, through :meth:`Graph.to_spec`,
a :class:`GraphSpec`, a :class:`SourceMap` of where each part was written (the
call sites, and the ``def`` lines of node and router functions) and the
diagnostics of calls that could not be recorded.

.. code-block:: python

    from flowc import END, START, Graph

    graph = Graph("joke", State)          # LangGraph: StateGraph(State)

    @graph.node
    def refine_topic(state: State) -> TopicUpdate: ...

    graph.add_node(generate_joke)         # or add_node("name", fn)
    graph.add_edge(START, "refine_topic")
    graph.add_edge("refine_topic", "generate_joke")
    graph.add_edge("generate_joke", END)

The methods a LangGraph ``StateGraph`` builder uses (``add_node``,
``add_edge``, ``add_conditional_edges``, ``add_sequence``,
``set_entry_point``, ``set_finish_point``, ``set_conditional_entry_point``,
``compile``) keep their names and arguments, so porting is mechanical.
Nodes and routers must be module-level functions (generated code imports them).

``compile`` needs the code generator, a layer above this one: it is a method of
:class:`flowc.Graph` (:mod:`flowc.graph`), the subclass the package exports;
the :class:`Graph` here records the calls and lowers them.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypedDict, Unpack, overload

from ._deco_parts import (
    Agent,
    S,
    StateKind,
    _agent_parts,
    _field_parts,
    field,
    reference_of,
    type_expr,
)
from ._deco_spec import _SpecLowering
from .diagnostics import Loc
from .pysource import caller
from .recording import (
    _arg,
    _kwarg,
    _Record,
    _Where,
)
from .spec import (
    END,
    START,
    BranchSpec,
    EdgeSpec,
    NodeSpec,
)

__all__ = [
    "END",
    "START",
    "Agent",
    "Graph",
    "GraphOptions",
    "S",
    "field",
    "reference_of",
    "type_expr",
]


class GraphOptions(TypedDict, total=False):
    """What a :class:`Graph` may say besides its name and state (TOML's ``[graph]`` keys);
    see :class:`Graph`'s arguments."""

    description: str | None
    recursion_limit: int | None
    custom_type: Any
    interrupt_before: Sequence[str] | None
    interrupt_after: Sequence[str] | None
    checkpoints: Literal["json", "pickle"] | None
    step_timeout: float | None
    context_type: Any
    input_schema: type | None
    output_schema: type | None


class Graph(_SpecLowering[S]):
    """A graph declared in Python.

    Args:
        name: the graph's name (names the generated module).
        state: the state class, used as is: a TypedDict, dataclass or pydantic
            model; reducers are declared with ``Annotated[list[str], operator.add]``.
        fields: instead of ``state``, the fields of a state flowc generates
            (as TOML's ``[state.fields]`` does): a TypedDict class, or a
            mapping of names to types or :class:`field` values.
        kind: the kind of class flowc generates for ``fields``.
        description: a sentence for docs and generated docstrings.
        recursion_limit: the graph's default recursion limit.
        custom_type: the type of the payloads nodes pass to the stream writer.
        interrupt_before: the nodes a run on a thread stops before (``"*"``: every
            node); it is resumed with ``graph.resume(config=...)``.
        interrupt_after: the nodes a run on a thread stops after.
        checkpoints: the graph keeps checkpoints: every state field needs a codec
            (``"json"``), or a field no codec stores is pickled (``"pickle"``, opted into).
        step_timeout: the seconds a superstep may take (LangGraph's ``step_timeout``).
        context_type: the type of a run's context (LangGraph's ``context_schema``): the
            generated types module's ``get_context()`` returns it.
        input_schema: a class of some of the state's keys (LangGraph's ``input_schema``): a
            run ignores its input's other keys, and the generated input type has these only.
        output_schema: a class of some of the state's keys: what ``invoke`` returns.
        agent: instead of a state and nodes, a prebuilt :class:`Agent`, whose
            graph flowc makes.
    """

    @overload
    def __init__(self, name: str, state: type[S], **options: Unpack[GraphOptions]) -> None: ...

    @overload
    def __init__(
        self, name: str, state: None = None, *, agent: Agent, **options: Unpack[GraphOptions]
    ) -> None: ...

    @overload
    def __init__(
        self: Graph[dict[str, Any]],
        name: str,
        state: None = None,
        *,
        fields: type | Mapping[str, Any],
        kind: StateKind = "typeddict",
        **options: Unpack[GraphOptions],
    ) -> None: ...

    def __init__(
        self,
        name: str,
        state: type[S] | None = None,
        *,
        fields: type | Mapping[str, Any] | None = None,
        kind: StateKind = "typeddict",
        agent: Agent | None = None,
        **options: Unpack[GraphOptions],
    ) -> None:
        for option in options:
            if option not in GraphOptions.__annotations__:
                raise TypeError(f"Graph() got an unexpected keyword argument {option!r}")
        description = options.get("description")
        recursion_limit = options.get("recursion_limit")
        interrupt_before = options.get("interrupt_before")
        interrupt_after = options.get("interrupt_after")
        self.step_timeout = options.get("step_timeout")
        self.context_type = options.get("context_type")
        self.input_schema = options.get("input_schema")
        self.output_schema = options.get("output_schema")
        self.custom_type = options.get("custom_type")
        self.name = name
        checkpoints = self.checkpoints = options.get("checkpoints")
        self.interrupt_before = interrupt_before
        self.interrupt_after = interrupt_after
        self.agent = agent
        self.state = state
        self.fields = fields
        self.kind = kind
        self.description = description
        self.recursion_limit = recursion_limit
        self._nodes: list[NodeSpec] = []
        self._edges: list[EdgeSpec] = []
        self._branches: list[BranchSpec] = []
        self._records: list[_Record] = []
        self._diags: list[tuple[str, str, _Where, str | None]] = []
        site = caller(1)
        self._site = site

        def recipe(call: ast.AST) -> dict[Loc, ast.AST]:
            out: dict[Loc, ast.AST] = {(): call}
            parts: list[tuple[Loc, ast.expr | None]] = [
                (("graph", "name"), _arg(call, 0, "name")),
                (("state", "class"), _arg(call, 1, "state")),
                (("state", "fields"), _kwarg(call, "fields")),
                (("state", "kind"), _kwarg(call, "kind")),
                *((("graph", key), _kwarg(call, key)) for key in GraphOptions.__annotations__),
                *_agent_parts(_kwarg(call, "agent")),
            ]
            for breakpoints in ("interrupt_before", "interrupt_after"):
                names = _kwarg(call, breakpoints)
                if isinstance(names, ast.List | ast.Tuple):
                    parts.extend(
                        (("graph", breakpoints, i), elt) for i, elt in enumerate(names.elts)
                    )
            mapping = _kwarg(call, "fields")
            if isinstance(mapping, ast.Dict):
                for key, value in zip(mapping.keys, mapping.values, strict=True):
                    if isinstance(key, ast.Constant) and isinstance(key.value, str):
                        parts.extend(_field_parts(("state", "fields", key.value), key, value))
            out.update({loc: node for loc, node in parts if node is not None})
            return out

        self._records.append(_Record(site, recipe))
        if not isinstance(name, str):
            self._error(
                "E004",
                f"a graph's name must be a string, not {type(name).__name__}",
                ("graph", "name"),
            )
        if recursion_limit is not None and (
            not isinstance(recursion_limit, int) or isinstance(recursion_limit, bool)
        ):
            self._error(
                "E004", "`recursion_limit` must be an integer", ("graph", "recursion_limit")
            )
            self.recursion_limit = None
        if checkpoints is not None and checkpoints not in ("json", "pickle"):
            self._error(
                "E004",
                f'`checkpoints` must be "json" or "pickle", not {checkpoints!r}',
                ("graph", "checkpoints"),
            )
            self.checkpoints = None
        if description is not None and not isinstance(description, str):
            self._error("E004", "`description` must be a string", ("graph", "description"))
            self.description = None
        if state is not None and not isinstance(state, type):
            self._error(
                "E004",
                f"the state must be a class (a TypedDict, dataclass or pydantic model), not {type(state).__name__}",
                ("state", "class"),
            )
        if state is not None and fields is not None:
            self._error(
                "E004",
                "a graph has either a `state` class or `fields`, not both",
                ("state", "fields"),
            )
        if state is None and fields is None and agent is None:
            self._error(
                "E002",
                f"graph `{name}` has no state",
                ("graph", "name"),
                "pass the state class (`Graph(name, State)`) or `fields={...}`",
            )

    @property
    def file(self) -> str | None:
        """The file the graph was declared in (as Python names it: ``module.__file__``)."""
        return self._site.filename if self._site is not None else None
