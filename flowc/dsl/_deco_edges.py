"""The edge and router calls of a decorator-DSL :class:`~flowc.dsl.decorators.Graph`."""

from __future__ import annotations

import ast
import itertools
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Self

from ._deco_parts import (
    F,
    S,
    _canon,
    _GraphCore,
    _name_list,
    _raw_ref,
    reference_of,
)
from .diagnostics import Loc, Span
from .passes.report import a_value
from .pysource import CallSite, caller, function_spans
from .recording import (
    _arg,
    _At,
    _dict_value,
    _element,
    _kwarg,
)
from .spec import (
    END,
    START,
    BranchSpec,
    EdgeSpec,
)


class _EdgeCalls(_GraphCore[S]):
    """The edge and router calls of a graph."""

    def add_edge(self, start_key: str | Sequence[str], end_key: str | Sequence[str]) -> Self:
        """An edge; a list of sources is a join (wait for all), a list of targets a fan-out."""
        site = caller(1)
        self._edge(start_key, end_key, site)
        return self

    edge = add_edge

    def _edge(self, start_key: object, end_key: object, site: CallSite | None) -> None:
        sources, targets = _name_list(start_key), _name_list(end_key)
        if sources is None or targets is None:
            bad = "source" if sources is None else "target"
            at = _At(site, 0, "start_key") if sources is None else _At(site, 1, "end_key")
            self._error("E004", f"an edge's {bad} must be a node name or a list of names", at)
            return
        for j, target in enumerate(targets):

            def recipe(call: ast.AST, j: int = j) -> dict[str, ast.AST]:
                out: dict[str, ast.AST] = {}
                src, dst = _arg(call, 0, "start_key"), _arg(call, 1, "end_key")
                if src is not None:
                    out["from"] = src
                    for i in range(len(sources)):
                        elt = _element(src, i)
                        if elt is not None:
                            out[f"from.{i}"] = elt
                elt = _element(dst, j)
                if elt is not None:
                    out["to"] = elt
                return out

            self._add_edge_spec(sources, target, site, recipe)

    def _add_edge_spec(
        self,
        sources: Sequence[str],
        target: str,
        site: CallSite | None,
        parts: Callable[[ast.AST], dict[str, ast.AST]],
    ) -> None:
        if not sources or not all(isinstance(n, str) for n in (*sources, target)):
            self._error("E004", "an edge joins node names (strings)", site)
            return
        index = len(self._edges)
        self._edges.append(EdgeSpec(sources=tuple(map(_canon, sources)), targets=(_canon(target),)))

        def recipe(call: ast.AST) -> dict[Loc, ast.AST]:
            out: dict[Loc, ast.AST] = {("edges", index): call}
            for key, node in parts(call).items():
                if key == "to":
                    out[("edges", index, "to")] = node
                    out[("edges", index, "to", 0)] = node
                elif key == "from":
                    out[("edges", index, "from")] = node
                    if len(sources) == 1:
                        out[("edges", index, "from", 0)] = node
                else:
                    out[("edges", index, "from", int(key.split(".")[1]))] = node
            return out

        self._record(site, recipe)

    def sequence(self, *names: str) -> Self:
        """Edges ``a → b → c ...`` between declared nodes (TOML's ``chain``)."""
        site = caller(1)
        if any(not isinstance(n, str) for n in names):
            self._error("E004", "`sequence` takes node names", site)
            return self
        if len(names) < 2:
            self._error("E005", "a sequence needs at least two nodes", site)
            return self
        for i, (src, dst) in enumerate(itertools.pairwise(names)):

            def parts(call: ast.AST, i: int = i) -> dict[str, ast.AST]:
                out: dict[str, ast.AST] = {}
                for key, k in (("from", i), ("to", i + 1)):
                    node = _arg(call, k)
                    if node is not None:
                        out[key] = node
                return out

            self._add_edge_spec((src,), dst, site, parts)
        return self

    def set_entry_point(self, key: str) -> Self:
        """The same as ``add_edge(START, key)``."""
        site = caller(1)
        self._add_edge_spec(
            (START,), key, site, lambda call: {"to": n} if (n := _arg(call, 0, "key")) else {}
        )
        return self

    def set_finish_point(self, key: str) -> Self:
        """The same as ``add_edge(key, END)``."""
        site = caller(1)
        self._add_edge_spec(
            (key,), END, site, lambda call: {"from": n} if (n := _arg(call, 0, "key")) else {}
        )
        return self

    def router(
        self,
        source: str,
        *,
        targets: Sequence[str] | None = None,
        path_map: Mapping[str, str] | None = None,
    ) -> Callable[[F], F]:
        """Declare the decorated function as the router of a conditional edge out of ``source``.

        The targets come from ``targets``, from ``path_map`` (router result →
        node), or from the function's ``Literal[...]`` return annotation.
        """
        site = caller(1)

        def register(fn: F) -> F:
            self._branch(source, fn, targets, path_map, site, decorator=True)
            return fn

        return register

    def add_conditional_edges(
        self,
        source: str,
        path: Callable[..., Any],
        path_map: Mapping[str, str] | Sequence[str] | None = None,
    ) -> Self:
        """A conditional edge: ``path(state)`` names the next node(s); ``path_map`` maps or lists them."""
        self._conditional(source, path, path_map, caller(1), offset=0)
        return self

    def set_conditional_entry_point(
        self,
        path: Callable[..., Any],
        path_map: Mapping[str, str] | Sequence[str] | None = None,
    ) -> Self:
        """The same as ``add_conditional_edges(START, path, path_map)``."""
        self._conditional(START, path, path_map, caller(1), offset=-1)
        return self

    def _conditional(
        self, source: str, path: Any, path_map: object, site: CallSite | None, *, offset: int
    ) -> None:
        if path_map is None:
            self._branch(source, path, None, None, site, decorator=False, offset=offset)
        elif isinstance(path_map, Mapping):
            self._branch(source, path, None, path_map, site, decorator=False, offset=offset)
        elif isinstance(path_map, Sequence) and not isinstance(path_map, str | bytes):
            self._branch(source, path, list(path_map), None, site, decorator=False, offset=offset)
        else:
            self._error(
                "E004",
                f"`path_map` must be a list or a dict of node names, not {a_value(path_map)}",
                _At(site, 2 + offset, "path_map"),
            )

    def _branch(
        self,
        source: str,
        fn: Any,
        targets: Sequence[str] | None,
        path_map: Mapping[str, str] | None,
        site: CallSite | None,
        *,
        decorator: bool,
        offset: int = 0,
    ) -> None:
        index = len(self._branches)
        loc: Loc = ("branches", index)
        fixed: dict[Loc, Span] = {}
        spans = function_spans(fn) if callable(fn) else None
        if spans is not None:
            defs = spans[1]
            if decorator:
                fixed[(*loc, "router")] = defs["def"]
            if "return" in defs:
                fixed[(*loc, "router", "return")] = defs["return"]
            for key, span in defs.items():
                if key.startswith("literal:"):
                    fixed[(*loc, "router", "return", key.partition(":")[2])] = span

        def recipe(call: ast.AST) -> dict[Loc, ast.AST]:
            out: dict[Loc, ast.AST] = {loc: call}
            src = _arg(call, 0, "source") if offset == 0 else None
            if src is not None:
                out[(*loc, "from")] = src
            if not decorator:
                router = _arg(call, 1 + offset, "path")
                if router is not None:
                    out[(*loc, "router")] = router
            listed = (
                _arg(call, 2 + offset, "path_map") if not decorator else _kwarg(call, "targets")
            )
            mapping = (
                _arg(call, 2 + offset, "path_map") if not decorator else _kwarg(call, "path_map")
            )
            if targets is not None and isinstance(listed, ast.List | ast.Tuple):
                out[(*loc, "targets")] = listed
                for j, elt in enumerate(listed.elts):
                    out[(*loc, "targets", j)] = elt
            if path_map is not None and isinstance(mapping, ast.Dict):
                out[(*loc, "path_map")] = mapping
                for key in path_map:
                    value = _dict_value(mapping, str(key))
                    if value is not None:
                        out[(*loc, "path_map", str(key))] = value
            return out

        self._record(site, recipe, fixed)
        if not isinstance(source, str):
            self._error("E004", "a conditional edge's source must be a node name", site)
            return
        if not callable(fn):
            self._error("E303", f"a router must be a function, not {type(fn).__name__}", site)
            return
        ref = reference_of(fn) or _raw_ref(fn)
        if targets is not None and _name_list(list(targets)) is None:
            self._error("E004", "a router's targets must be node names", site)
            return
        if path_map is not None and not all(isinstance(v, str) for v in path_map.values()):
            self._error("E004", "the values of a path map must be node names", site)
            return
        self._branches.append(
            BranchSpec(
                source=_canon(source),
                router=ref,
                targets=None if targets is None else tuple(map(_canon, targets)),
                path_map=None
                if path_map is None
                else {str(k): _canon(v) for k, v in path_map.items()},
            )
        )

    def reference(self) -> str | None:
        """``module:attribute`` of this graph, if a module-level name holds it.

        The module the graph was declared in is looked at first, so a graph
        another module imports keeps its own name.
        """
        modules = list(sys.modules.items())
        home = self._site.filename if self._site is not None else None
        modules.sort(key=lambda item: getattr(item[1], "__file__", None) != home)
        found: list[str] = []
        for module_name, module in modules:
            namespace = getattr(module, "__dict__", None)
            if not isinstance(namespace, dict):
                continue
            for attr, value in list(namespace.items()):
                if value is self:
                    found.append(f"{module_name}:{attr}")
            if found:
                return min(found, key=lambda ref: ref.partition(":")[2].startswith("_"))
        return None
