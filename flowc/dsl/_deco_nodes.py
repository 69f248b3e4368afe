"""The node calls of a decorator-DSL :class:`~flowc.dsl.decorators.Graph`: functions,
subgraphs and sequences.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Self, TypedDict, Unpack, overload

from pydantic import ValidationError

from ._deco_edges import _EdgeCalls
from ._deco_parts import (
    F,
    S,
    _arg,
    _At,
    _element,
    _first_error,
    _kwarg,
    _option_problem,
    _raw_ref,
    _Recipe,
    reference_of,
    type_expr,
)
from ._deco_policies import POLICY_OPTIONS, PolicyError, policy_fields
from .diagnostics import Loc, Span
from .pysource import CallSite, caller, function_spans
from .spec import (
    NodeSpec,
)

if TYPE_CHECKING:
    from .decorators import Graph


class NodeOptions(TypedDict, total=False):
    """The options of a node: ``@graph.node(...)``, ``add_node(...)`` (TOML's node keys)."""

    tags: Sequence[str]
    metadata: Mapping[str, Any] | None
    description: str | None
    writer: bool | None
    """Pass a ``writer`` argument (default: if the node's signature has one)."""
    custom_type: Any
    """The type of what the node passes to the stream writer."""
    writes: Sequence[str] | None
    """The state keys the node writes."""
    streams: bool | None
    """Whether the node emits while it runs."""
    interrupts: Any
    """The type of the value the node passes to ``interrupt()``."""
    resumes: Any
    """The type of the answer its ``interrupt()`` is resumed with."""
    retry: Any
    """A ``RetryPolicy``, or a list of them (the first whose ``retry_on`` matches applies)."""
    timeout: Any
    """Seconds each attempt of an async node may take, or a ``TimeoutPolicy``."""
    cache: Any
    """A ``CachePolicy`` (or ``True``): a node run on an input it saw takes its writes from
    the run's cache."""
    defer: bool
    """Run the node only when nothing else is left to run."""


NODE_OPTIONS: dict[str, Any] = {key: None for key in NodeOptions.__annotations__} | {"tags": ()}
"""Each node option and its default."""


class _NodeCalls(_EdgeCalls[S]):
    """The node calls of a graph."""

    @overload
    def node(self, fn: F, /) -> F: ...

    @overload
    def node(
        self, fn: str | None = None, /, *, name: str | None = None, **options: Unpack[NodeOptions]
    ) -> Callable[[F], F]: ...

    def node(
        self,
        fn: F | str | None = None,
        /,
        *,
        name: str | None = None,
        **options: Unpack[NodeOptions],
    ) -> F | Callable[[F], F]:
        """Declare a node; use as ``@graph.node``, ``@graph.node("name")`` or ``@graph.node(tags=...)``.

        The options are :class:`NodeOptions`'.
        """
        site = caller(1)
        if isinstance(fn, str):
            name, fn = fn, None
        for option in options:
            if option not in NODE_OPTIONS:
                raise TypeError(f"node() got an unexpected keyword argument {option!r}")
        given = {**NODE_OPTIONS, **options}

        def register(func: F) -> F:
            self._add_function_node(name, func, given, site, decorator=True)
            return func

        if fn is not None:
            return register(fn)
        return register

    def add_node(
        self,
        node: str | Callable[..., Any] | Graph[Any],
        action: Callable[..., Any] | Graph[Any] | None = None,
        **options: Unpack[NodeOptions],
    ) -> Self:
        """Add a node: ``add_node(fn)``, ``add_node("name", fn)`` or ``add_node("name", graph)``.

        A :class:`Graph` as the action makes a subgraph node. The options are
        :class:`NodeOptions`'; another (LangGraph's ``retry_policy``...) is reported.
        """
        from .decorators import Graph  # the class this one is a part of

        site = caller(1)
        for option in options:
            if option not in NODE_OPTIONS:
                self._error(
                    "E003",
                    f"`add_node` option `{option}` is not supported by flowc",
                    _At(site, keyword=option),
                )
        given = {key: options.get(key, default) for key, default in NODE_OPTIONS.items()}
        if isinstance(node, str):
            if action is None:
                self._error(
                    "E004",
                    f"`add_node({node!r})` needs a function or a graph",
                    site,
                    "pass the node's function too",
                )
                return self
            if isinstance(action, Graph):
                self._add_subgraph(node, action, given, site, name_arg=0, graph_arg=1)
            else:
                self._add_function_node(node, action, given, site, decorator=False, fn_arg=1)
        elif isinstance(node, Graph):
            self._add_subgraph(node.name, node, given, site, name_arg=None, graph_arg=0)
        else:
            self._add_function_node(None, node, given, site, decorator=False, fn_arg=0)
        return self

    def subgraph(
        self,
        name: str,
        graph: Graph[Any],
        *,
        tags: Sequence[str] = (),
        metadata: Mapping[str, Any] | None = None,
        description: str | None = None,
    ) -> Self:
        """Add another graph as a node (the same as ``add_node(name, graph)``)."""
        from .decorators import Graph  # the class this one is a part of

        options: dict[str, Any] = {"tags": tags, "metadata": metadata, "description": description}
        site = caller(1)
        if not isinstance(name, str) or not isinstance(graph, Graph):
            self._error("E004", "`subgraph` takes a node name and a Graph", site)
            return self
        self._add_subgraph(name, graph, options, site, name_arg=0, graph_arg=1)
        return self

    def add_sequence(
        self, nodes: Sequence[Callable[..., Any] | tuple[str, Callable[..., Any]]]
    ) -> Self:
        """Add nodes and the edges that run them one after the other (LangGraph's ``add_sequence``)."""
        site = caller(1)
        names: list[str] = []
        if isinstance(nodes, str | bytes) or not isinstance(nodes, Sequence):
            self._error(
                "E004", "`add_sequence` takes a list of functions or (name, function) pairs", site
            )
            return self
        for i, item in enumerate(nodes):
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
                name, fn = item
                arg = self._sequence_item(i, 0)
                self._add_function_node(
                    name,
                    fn,
                    {},
                    site,
                    decorator=False,
                    name_node=arg,
                    fn_node=self._sequence_item(i, 1),
                )
            else:
                name = getattr(item, "__name__", None)  # type: ignore[assignment]
                self._add_function_node(
                    None, item, {}, site, decorator=False, fn_node=self._sequence_item(i, None)
                )
            if not isinstance(name, str):
                return self
            names.append(name)
        for i, (src, dst) in enumerate(itertools.pairwise(names)):
            self._add_edge_spec((src,), dst, site, self._sequence_edge(i))
        return self

    @staticmethod
    def _sequence_item(index: int, part: int | None) -> _Recipe:
        def recipe(call: ast.AST) -> dict[Loc, ast.AST]:
            item = _element(_arg(call, 0, "nodes"), index)
            if part is not None:
                item = _element(item, part) if isinstance(item, ast.Tuple) else item
            return {(): item} if item is not None else {}

        return recipe

    @staticmethod
    def _sequence_edge(index: int) -> Callable[[ast.AST], dict[str, ast.AST]]:
        def recipe(call: ast.AST) -> dict[str, ast.AST]:
            seq = _arg(call, 0, "nodes")
            out: dict[str, ast.AST] = {}
            for key, i in (("from", index), ("to", index + 1)):
                item = _element(seq, i)
                if isinstance(item, ast.Tuple):
                    item = _element(item, 0)
                if item is not None:
                    out[key] = item
            return out

        return recipe

    def _add_function_node(
        self,
        name: str | None,
        fn: Any,
        options: Mapping[str, Any],
        site: CallSite | None,
        *,
        decorator: bool,
        fn_arg: int | None = None,
        name_node: _Recipe | None = None,
        fn_node: _Recipe | None = None,
    ) -> None:
        fn_at = _At(
            site, fn_arg, ("action" if fn_arg == 1 else "node") if fn_arg is not None else None
        )
        if not callable(fn):
            what = f"node `{name}`" if name is not None else "a node"
            self._error("E303", f"{what} must be a function, not {type(fn).__name__}", fn_at)
            return
        node_name = name if name is not None else getattr(fn, "__name__", None)
        if not isinstance(node_name, str):
            self._error(
                "E004",
                f"cannot name a node after {fn!r}",
                site,
                'pass a name: `add_node("name", fn)`',
            )
            return
        loc: Loc = ("nodes", node_name)
        spans = function_spans(fn)
        fixed: dict[Loc, Span] = {}
        if spans is not None:
            defs = spans[1]
            if decorator:
                # the decorated `def` is where the node's callable is named
                fixed[(*loc, "call")] = defs["def"]
                if name is None:
                    fixed[loc] = defs["def"]
            if "return" in defs:
                fixed[(*loc, "call", "return")] = defs["return"]
            for key, span in defs.items():
                kind, _, pname = key.partition(":")
                if kind in ("param", "annotation"):
                    fixed[(*loc, "call", kind, pname)] = span

        def recipe(call: ast.AST) -> dict[Loc, ast.AST]:
            out: dict[Loc, ast.AST] = {}
            if name_node is not None:
                for named in name_node(call).values():
                    out[loc] = named
            if fn_node is not None:
                found = fn_node(call).get(())
                if found is not None:
                    out.setdefault(loc, found)
                    out[(*loc, "call")] = found
            if decorator:
                out.setdefault(loc, _kwarg(call, "name") or _arg(call, 0) or call)
            elif fn_arg is not None:
                name_expr = _arg(call, 0, "node") if fn_arg == 1 else None
                fn_expr = _arg(call, fn_arg, "action" if fn_arg == 1 else "node")
                out[loc] = name_expr or fn_expr or call
                if fn_expr is not None:
                    out[(*loc, "call")] = fn_expr
            out.setdefault(loc, call)
            for key in NODE_OPTIONS:
                value = _kwarg(call, key)
                if value is not None:
                    out[(*loc, key)] = value
                    if key == "writes" and isinstance(value, ast.List | ast.Tuple):
                        for i, elt in enumerate(value.elts):
                            out[(*loc, key, i)] = elt
            return out

        self._record(site, recipe, fixed)
        # a function generated code cannot import keeps its name here; the checker reports it
        ref = reference_of(fn) or _raw_ref(fn)
        name_at = (
            _At(site, 0, "node")
            if fn_arg == 1
            else fn_at
            if not decorator
            else _At(site, 0, "name")
        )
        self._append_node(node_name, site, name_at, call=ref, **options)

    def _add_subgraph(
        self,
        name: str,
        graph: Graph[Any],
        options: Mapping[str, Any],
        site: CallSite | None,
        *,
        name_arg: int | None,
        graph_arg: int,
    ) -> None:
        loc: Loc = ("nodes", name)

        def recipe(call: ast.AST) -> dict[Loc, ast.AST]:
            out: dict[Loc, ast.AST] = {}
            graph_expr = _arg(call, graph_arg, "action" if graph_arg == 1 else "node")
            name_expr = _arg(call, name_arg, "node") if name_arg is not None else None
            out[loc] = name_expr or graph_expr or call
            if graph_expr is not None:
                out[(*loc, "subgraph")] = graph_expr
            return out

        self._record(site, recipe)
        ref = graph.reference()
        if ref is None:
            self._error(
                "E504",
                f"node `{name}`: graph `{graph.name}` must be assigned to a module-level name to be a subgraph",
                (*loc, "subgraph"),
            )
            return
        name_at = _At(site, name_arg, "node") if name_arg is not None else _At(site, graph_arg)
        self._append_node(name, site, name_at, subgraph=ref, **options)

    def _append_node(self, name: str, site: CallSite | None, name_at: _At, **fields: Any) -> None:
        if any(n.name == name for n in self._nodes):
            self._error(
                "E103",
                f"node `{name}` is declared more than once",
                name_at,
                "a name names one node; give the second one another name",
            )
            return
        data: dict[str, Any] = {"name": name}
        wrong = _option_problem(fields)
        if wrong is not None:
            key, message = wrong
            self._error("E004", f"node `{name}`: {message}", ("nodes", name, key))
            return
        try:
            data.update(policy_fields(fields))
        except PolicyError as exc:
            key, message = exc.args
            self._error("E004", f"node `{name}`: {message}", ("nodes", name, key))
            return
        for key, value in fields.items():
            if key in POLICY_OPTIONS:
                continue
            if key in ("custom_type", "interrupts", "resumes"):
                data[key] = None if value is None else type_expr(value)
            elif key == "tags":
                data[key] = tuple(value or ())
            elif key == "metadata":
                data[key] = dict(value or {})
            elif key == "writes":
                data[key] = None if value is None else tuple(value)
            elif value is not None:
                data[key] = value
        try:
            self._nodes.append(NodeSpec.model_validate(data))
        except ValidationError as exc:
            self._error("E004", f"node `{name}`: {_first_error(exc)}", site)
