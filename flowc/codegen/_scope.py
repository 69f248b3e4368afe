"""The module-level names of a graph's two generated modules, and the imports they need.

The templates' own imports and names are listed here; :class:`_Scope` claims every
other name so that none can collide or shadow another.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from flowc.dsl.graph import Ref, StateField
from flowc.dsl.types import Import, TypeRef


class _Scope:
    """The module-level names of one graph's two modules: generated ones and imported ones.

    The templates' own imports are registered first and generated names are
    claimed next (:meth:`define`); an imported user name that would shadow
    either gets an alias with trailing underscores, and type code that uses it
    is rewritten to match.
    """

    def __init__(self, header: Iterable[Import], reserved: Iterable[str]) -> None:
        self.taken: set[str] = set(reserved)
        self.imports: dict[str, Import] = {imp.local: imp for imp in header}
        self.used: set[Import] = set()
        """The imports that generated code uses, beyond the templates' own."""
        self.bound: dict[tuple[str, ...], Import] = {}

    def _free(self, name: str) -> bool:
        return name not in self.taken and name not in self.imports and not _template_private(name)

    def bind(self, key: tuple[str, ...], imp: Import, local: str) -> Import:
        """``imp`` under a local name of flowc's choosing (``_router_to_b``), the same for
        the same ``key``; ``local_2``, ``local_3``... when another name has it already."""
        found = self.bound.get(key)
        if found is not None:
            return found
        name, n = local, 1
        while not self._free(name):
            n += 1
            name = f"{local}_{n}"
        self.taken.add(name)
        found = Import(imp.module, imp.name, name)
        self.bound[key] = found
        return found

    def define(self, *candidates: str) -> str:
        """The first free candidate (or the last one, numbered), now taken."""
        for name in candidates:
            if name not in self.taken and name not in self.imports:
                self.taken.add(name)
                return name
        base = candidates[-1]
        n = 2
        while f"{base}{n}" in self.taken or f"{base}{n}" in self.imports:
            n += 1
        self.taken.add(f"{base}{n}")
        return f"{base}{n}"

    def add(self, imp: Import) -> Import:
        """``imp``, aliased if its local name is taken by something else."""
        key = (imp.module, imp.name)
        found = next((i for i in self.imports.values() if (i.module, i.name) == key), None)
        if found is None:
            # a template's private prefix (`_input_`) stays one whatever is appended
            local = f"_u{imp.name}" if _template_private(imp.name) else imp.name
            while not self._free(local):
                local += "_"
            found = Import(imp.module, imp.name, None if local == imp.name else local)
            self.imports[local] = found
        self.used.add(found)
        return found

    def ref(self, ref: Ref) -> tuple[str, Import]:
        """Code naming a user's object, and the import it needs."""
        imp = self.add(ref.as_import())
        rest = ref.attr.split(".", 1)[1:]
        return ".".join([imp.local, *rest]), imp

    def type(self, tref: TypeRef) -> str:
        """A type's code, with its imports registered (and renamed where aliased)."""
        renames = {}
        for imp in sorted(tref.imports):
            final = self.add(imp)
            if final.local != imp.local:
                renames[imp.local] = final.local
        return _rename(tref.code, renames) if renames else tref.code


def _rename(code: str, renames: dict[str, str]) -> str:
    """Rename names in type code (never inside string literals)."""

    class Renamer(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.Name:
            if node.id in renames:
                return ast.copy_location(ast.Name(renames[node.id], node.ctx), node)
            return node

    tree = Renamer().visit(ast.parse(code, mode="eval"))
    return ast.unparse(tree)


def _imports(module: str, *names: str) -> frozenset[Import]:
    return frozenset(Import(module, name) for name in names)


# What the templates import themselves; user names are aliased around them.
TYPES_HEADER = (
    _imports("collections.abc", "Awaitable", "Mapping")
    | _imports(
        "typing",
        "TYPE_CHECKING",
        "Any",
        "NotRequired",
        "Protocol",
        "ReadOnly",
        "TypeAlias",
        "TypedDict",
    )
    | _imports("flowc.runtime", "StreamWriter", "deferred_form")
    | _imports("dataclasses", "dataclass", "field")
    | _imports("pydantic", "BaseModel", "Field")
)


RUNNER_HEADER = (
    _imports("collections.abc", "Mapping")
    | _imports("typing", "Any", "Final", "Literal", "TypeAlias", "Union", "final")
    | _imports(
        "flowc.runtime",
        "CustomEvent",
        "DebugEvent",
        "MessagesEvent",
        "TaskEvent",
        "TaskResultEvent",
        "UpdatesEvent",
        "ValuesEvent",
        "InterruptEvent",
        "InterruptValuesEvent",
        "ReplayedUpdatesEvent",
    )
    | _imports("flowc.integrations", "Message")
    | _imports("flowc.runtime._drive", "subgraph_node")
    | _imports("flowc.runtime._engine", "Node", "Plan", "Task", "keyed_input", "no_sync", "route")
    | _imports(
        "flowc.runtime._graph",
        "Graph",
        "GraphWithSubgraphs",
        "InterruptingGraph",
        "InterruptingGraphWithSubgraphs",
    )
)


# Names the templates define (or bind otherwise) at module level.
_TEMPLATE_NAMES = frozenset(
    {
        "annotations",
        "sys",
        "rt",
        "Custom",
        "PLAN",
        "graph",
        "_DEFAULTS",
        "_input",
        "_start",
        "_merge",
        "_first",
        "_afirst",
        "NAME",
        "NodeName",
        "RECURSION_LIMIT",
        "ainvoke",
        "astream",
        "astream_chunks",
        "get_stream_writer",
        "invoke",
        "stream",
        "stream_chunks",
    }
)


# Private names the runner template binds at module level: fixed ones, and ones
# made of a prefix and a node's name. An import never takes one of them.
_TEMPLATE_PRIVATE = frozenset(
    {"_AGENT", "_DEFAULTS", "_afirst", "_first", "_get_stream_writer", "_input", "_merge", "_start"}
)


_TEMPLATE_PREFIXES = ("_aroute_", "_call_", "_graph_", "_node_", "_route_")


def _template_private(name: str) -> bool:
    return name in _TEMPLATE_PRIVATE or name.startswith(_TEMPLATE_PREFIXES)


_MODE_CLASS = {
    "values": "Values",
    "updates": "Updates",
    "custom": "Custom",
    "messages": "Messages",
    "tasks": "Tasks",
    "debug": "Debug",
}


def _imports_code(imports: Iterable[Import]) -> tuple[str, ...]:
    by_module: dict[str, set[str]] = {}
    for imp in imports:
        name = imp.name if imp.alias is None else f"{imp.name} as {imp.alias}"
        by_module.setdefault(imp.module, set()).add(name)
    return tuple(
        f"from {module} import {', '.join(sorted(names))}"
        for module, names in sorted(by_module.items())
    )


def _reducer_imports(fields: Iterable[StateField], scope: _Scope) -> dict[str, Import]:
    """Field name → the import of its reducer, as ``_reduce_<field>``."""
    return {
        f.name: scope.bind(
            ("reduce", f.name), Import(f.reducer.module, f.reducer.top), f"_reduce_{f.name}"
        )
        for f in fields
        if f.reducer is not None
    }


def _local_ref(imp: Import, ref: Ref | None) -> str:
    """Code naming ``ref`` through the import of its top-level name."""
    rest = [] if ref is None else ref.attr.split(".")[1:]
    return ".".join([imp.local, *rest])
