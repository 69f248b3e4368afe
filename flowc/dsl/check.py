"""The checker: :class:`GraphSpec` → :class:`CheckedGraph`, or every diagnostic at once.

One pass over a spec that imports what it references, inspects signatures and
annotations, and analyses the graph (reachability, termination, which nodes
can run in the same superstep). Diagnostics are gathered, never raised; each
points at the place in the spec that is wrong. A mistake is reported once:
checks whose answer depends on a part that is already wrong (the topology of a
graph with an unknown edge target, say) are skipped rather than guessed.

Diagnostic locations are :data:`Loc` paths into the spec, looked up in the
front end's :class:`SourceMap`; the checker asks for the most precise path
(``("nodes", "a", "call", "return")``: the return annotation of node ``a``'s
function) and the map falls back to the nearest part it knows (the TOML
``call`` value).
"""

from __future__ import annotations

import ast
import dataclasses
import difflib
import inspect
import os
import sys
import types
import typing
from collections.abc import Callable, Coroutine, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import typing_extensions
from pydantic import TypeAdapter

from .diagnostics import Diagnostic, Loc, Severity, SourceMap, Span
from .graph import (
    BranchInfo,
    CheckedGraph,
    JoinInfo,
    NodeInfo,
    Ref,
    StateField,
    StateInfo,
)
from .names import (
    LiteralError,
    field_name_problem,
    graph_name_problem,
    identifier,
    identifier_problem,
    literal_code,
)
from .spec import END, REDUCER_ALIASES, START, BranchSpec, FieldSpec, GraphSpec, NodeSpec
from .toml_loader import KEY
from .types import (
    Import,
    RefError,
    TypeExprError,
    TypeRef,
    import_of,
    parse_ref,
    resolve_ref,
    resolve_type,
)

__all__ = [
    "CheckResult",
    "SubgraphLoader",
    "camel",
    "check",
    "command_destinations",
    "compatible",
    "import_root",
    "is_command",
    "type_code",
]

SubgraphLoader = Callable[
    [str, str], tuple[GraphSpec | None, SourceMap, tuple[Diagnostic, ...], str]
]
"""``(reference, from_origin) -> (spec, source map, diagnostics, origin)`` for subgraph nodes."""

_RESERVED = {START, END, "START", "END"}
MAX_SUBGRAPH_DEPTH = 32
"""How many graphs deep a tree of subgraphs may nest (the root counts one)."""
_MAX_CONCURRENCY_STATES = 5000
"""How many (running nodes, join progress) states the superstep analysis explores at most."""


@dataclass(frozen=True, slots=True)
class CheckResult:
    """A checked graph, or the diagnostics that stop it."""

    graph: CheckedGraph | None
    diagnostics: tuple[Diagnostic, ...]
    source_map: SourceMap

    @property
    def ok(self) -> bool:
        """True when there is a graph and no error."""
        return self.graph is not None


def camel(name: str) -> str:
    """``refine_topic`` → ``RefineTopic`` (for generated class names)."""
    out = "".join(part[:1].upper() + part[1:] for part in name.split("_") if part)
    return out or "Graph"


@contextmanager
def import_root(origin: str) -> Iterator[None]:
    """Make modules next to a spec file importable while checking it."""
    path = Path(origin)
    folder = str(path.parent.resolve()) if path.suffix == ".toml" else None
    added = folder is not None and folder not in sys.path
    if added:
        assert folder is not None
        sys.path.insert(0, folder)
    try:
        yield
    finally:
        if added:
            with suppress(ValueError):
                sys.path.remove(folder)  # type: ignore[arg-type]


_SubgraphCache = dict[str, "CheckResult"]


def check(
    spec: GraphSpec,
    smap: SourceMap,
    origin: str,
    *,
    load_subgraph: SubgraphLoader | None = None,
    warn_only: frozenset[str] = frozenset(),
    _stack: tuple[str, ...] = (),
    _cache: _SubgraphCache | None = None,
) -> CheckResult:
    """Check a spec; see the module docstring.

    Args:
        spec: the spec, from either front end.
        smap: where its parts were written.
        origin: the spec's file path or ``module:attribute`` (names the graph
            in generated code, and decides where node modules are imported from).
        load_subgraph: loads the specs that subgraph nodes name.
        warn_only: codes reported as warnings, in this graph and its subgraphs (the drop-in
            builder accepts what LangGraph accepts, such as a node only a `Command` reaches).
    """
    cache: _SubgraphCache = {} if _cache is None else _cache
    with import_root(origin):
        checker = _Checker(spec, smap, origin, load_subgraph, (*_stack, origin), cache)
        checker.warn_only = warn_only
        graph = checker.run()
    errors = [d for d in checker.diags if d.severity is Severity.ERROR]
    return CheckResult(None if errors else graph, tuple(_unique(checker.diags)), smap)


def _unique(diags: Sequence[Diagnostic]) -> list[Diagnostic]:
    return list(dict.fromkeys(diags))


# -- type helpers ---------------------------------------------------------------------


_KEY_QUALIFIERS = (typing.Required, typing.NotRequired, typing_extensions.ReadOnly)
"""What may wrap a TypedDict key's type (typing's or typing_extensions', the same on 3.11 but
``ReadOnly``)."""


def _unwrap(tp: Any) -> Any:
    """Strip ``Annotated``, ``Required``, ``NotRequired`` and ``ReadOnly``."""
    while True:
        origin = get_origin(tp)
        if origin is typing.Annotated or origin in _KEY_QUALIFIERS:
            tp = get_args(tp)[0]
        else:
            return tp


def _is_union(tp: Any) -> bool:
    return get_origin(tp) in (typing.Union, types.UnionType)


def is_command(tp: Any) -> bool:
    """Whether ``tp`` is ``Command`` or ``Command[...]`` (flowc's or LangGraph's)."""
    origin = get_origin(tp) or tp
    return (
        isinstance(origin, type)
        and origin.__name__ == "Command"
        and (origin.__module__.startswith(("flowc.", "langgraph.")))
    )


def command_destinations(tp: Any) -> list[str]:
    """The node names of ``Command[Literal["a", "b"]]`` (none for a bare ``Command``)."""
    out: list[str] = []
    for arg in get_args(tp):
        for option in get_args(arg) if _is_union(arg) else [arg]:
            if get_origin(option) is Literal:
                out.extend(str(v) for v in get_args(option))
    return out


def _is_typeddict(tp: Any) -> bool:
    # typing_extensions.TypedDict classes (what LangGraph code mostly uses) are not
    # typing TypedDicts before Python 3.13; both are dicts with declared keys
    return isinstance(tp, type) and typing_extensions.is_typeddict(tp)


def _is_pydantic(tp: Any) -> bool:
    return isinstance(tp, type) and hasattr(tp, "model_fields") and hasattr(tp, "model_validate")


def _typed_fields(cls: type) -> tuple[dict[str, Any], dict[str, str]]:
    """Field name → annotation (with extras) of a TypedDict, dataclass or pydantic class,
    and, for fields whose annotation does not resolve, why not."""
    if _is_pydantic(cls):
        out = {}
        for name, info in cls.model_fields.items():  # type: ignore[attr-defined]
            tp = info.annotation
            if info.metadata:
                tp = typing.Annotated[(tp, *info.metadata)]
            out[name] = tp
        return out, {}
    hints, failures = resolve_annotations(cls)
    if dataclasses.is_dataclass(cls):
        names = [f.name for f in dataclasses.fields(cls)]
        return {n: hints[n] for n in names if n in hints}, {
            n: failures[n] for n in names if n in failures
        }
    return hints, failures


def compatible(value: Any, target: Any) -> bool:
    """Can a value of type ``value`` be stored where ``target`` is declared? (lenient)"""
    value, target = _unwrap(value), _unwrap(target)
    if value is Any or target is Any or value is target or value == target:
        return True
    if target is object:
        return True
    if isinstance(value, typing.TypeVar) or isinstance(target, typing.TypeVar):
        return True
    if _is_union(value):
        return all(compatible(v, target) for v in get_args(value))
    if _is_union(target):
        return any(compatible(value, t) for t in get_args(target))
    if value is None or value is type(None):
        return target is None or target is type(None)
    vo, to = get_origin(value), get_origin(target)
    if vo is Literal:
        return all(compatible(type(v), target) for v in get_args(value))
    if to is Literal:
        return vo is Literal and set(get_args(value)) <= set(get_args(target))
    if target is float and value is int:
        return True
    vbase = vo or value
    tbase = to or target
    if not (isinstance(vbase, type) and isinstance(tbase, type)):
        return True  # something we cannot reason about: do not complain
    if _is_typeddict(vbase) or _is_typeddict(tbase):
        return vbase is tbase or (_is_typeddict(vbase) and tbase in (dict, Mapping))
    try:
        if not issubclass(vbase, tbase) and not _abc_match(vbase, tbase):
            return False
    except TypeError:
        return True
    vargs, targs = get_args(value), get_args(target)
    if not vargs or not targs or len(vargs) != len(targs):
        return True
    return all(compatible(a, b) for a, b in zip(vargs, targs, strict=True))


def _code_name(obj: Any, imp: Import) -> str:
    """How code that ran ``from imp.module import imp.name`` names ``obj``.

    A class nested in a module-level class is ``Outer.Inner``; an object
    served under a name of its own (a class defined inside a function, whose
    qualname ``build.<locals>.State`` is no expression) goes by that name.
    """
    qualname = getattr(obj, "__qualname__", None)
    if isinstance(qualname, str) and "<" not in qualname and qualname.split(".")[0] == imp.name:
        return qualname
    return imp.name


def _abc_match(value: type, target: type) -> bool:
    import collections.abc as abc

    pairs = {
        abc.Sequence: (list, tuple),
        abc.MutableSequence: (list,),
        abc.Mapping: (dict,),
        abc.MutableMapping: (dict,),
        abc.Iterable: (list, tuple, set, frozenset, dict),
    }
    return value in pairs.get(target, ())  # type: ignore[arg-type]


def type_code(tp: Any) -> TypeRef:
    """Render a resolved type object as code plus imports (for user-declared types)."""
    imports: set[Import] = set()

    def render(t: Any) -> str:
        if t is Any:
            imports.add(Import("typing", "Any"))
            return "Any"
        if t is None or t is type(None):
            return "None"
        if t is Ellipsis:
            return "..."
        if isinstance(t, list):
            return "[" + ", ".join(render(a) for a in t) + "]"
        origin = get_origin(t)
        args = get_args(t)
        if origin is typing.Annotated:
            return render(args[0])
        if origin in _KEY_QUALIFIERS:
            return render(args[0])
        if origin is Literal:
            imports.add(Import("typing", "Literal"))
            return "Literal[" + ", ".join(repr(a) for a in args) + "]"
        if _is_union(t):
            return " | ".join(render(a) for a in args)
        if origin is not None:
            base = render(origin)
            if not args:
                return base
            return f"{base}[{', '.join(render(a) for a in args)}]"
        if isinstance(t, typing.TypeVar | typing.ForwardRef | str):
            imports.add(Import("typing", "Any"))
            return "Any"
        if isinstance(t, type):
            if t.__module__ == "builtins":
                return t.__qualname__
            imp = import_of(t)
            if imp is None:
                imports.add(Import("typing", "Any"))
                return "Any"
            imports.add(imp)
            return _code_name(t, imp)
        imports.add(Import("typing", "Any"))
        return "Any"

    code = render(tp)
    return TypeRef(code=code, imports=frozenset(imports), obj=tp)


def _zero_code(tp: Any) -> str | None:
    """Code of the value a reducer field starts at: its type called with no arguments."""
    base = get_origin(_unwrap(tp)) or _unwrap(tp)
    zeros = {list: "[]", dict: "{}", set: "set()", int: "0", float: "0.0", str: '""', tuple: "()"}
    import collections.abc as abc

    zeros_abc = {
        abc.Sequence: "[]",
        abc.MutableSequence: "[]",
        abc.Mapping: "{}",
        abc.MutableMapping: "{}",
    }
    if base in zeros:
        return zeros[base]
    if base in zeros_abc:
        return zeros_abc[base]
    return None


def _router_literals(tp: Any) -> tuple[list[str], bool] | None:
    """The names a router's return annotation allows, and whether it returns several."""
    tp = _unwrap(tp)
    if tp is Any or tp is None:
        return None
    origin = get_origin(tp)
    if origin is Literal:
        return [str(a) for a in get_args(tp)], False
    if _is_union(tp):
        names: list[str] = []
        multi = False
        for arg in get_args(tp):
            if arg is type(None):
                continue
            sub = _router_literals(arg)
            if sub is None:
                return None
            names.extend(sub[0])
            multi = multi or sub[1]
        return names, multi
    if origin in (list, tuple, Sequence):
        args = get_args(tp)
        if args:
            sub = _router_literals(args[0])
            if sub is not None:
                return sub[0], True
        return None
    return None


# -- annotations ----------------------------------------------------------------------


def resolve_annotations(
    obj: Any, localns: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """The annotations of a function or class, each resolved on its own.

    Returns the ones that resolve, and for the others why not, so that one bad
    annotation neither hides the rest nor goes unreported.
    """
    target = obj
    if not (inspect.isfunction(obj) or inspect.ismethod(obj) or isinstance(obj, type)):
        target = getattr(obj, "__call__", obj)  # noqa: B004 - a callable object's own signature
    with suppress(ValueError):
        target = inspect.unwrap(target)
    try:
        return typing.get_type_hints(target, localns=dict(localns or {}), include_extras=True), {}
    except Exception:
        pass
    hints: dict[str, Any] = {}
    failures: dict[str, str] = {}
    if isinstance(target, type):
        owners = [c for c in reversed(target.__mro__) if c is not object]
        items = [(c, n, a) for c in owners for n, a in vars(c).get("__annotations__", {}).items()]
    else:
        items = [(target, n, a) for n, a in getattr(target, "__annotations__", {}).items()]
    for owner, name, ann in items:
        module = sys.modules.get(getattr(owner, "__module__", ""), None)
        globalns = getattr(target, "__globals__", None) or (vars(module) if module else {})
        probe = _AnnotationProbe({name: ann})
        try:
            hints[name] = typing.get_type_hints(
                probe, globalns=dict(globalns), localns=dict(localns or {}), include_extras=True
            )[name]
            failures.pop(name, None)
        except Exception as exc:
            failures[name] = _exc_text(exc)
    return hints, failures


class _AnnotationProbe:
    """A stand-in object carrying one annotation, to resolve it alone."""

    def __init__(self, annotations: dict[str, Any]) -> None:
        self.__annotations__ = annotations


def _exc_text(exc: BaseException) -> str:
    if isinstance(exc, NameError) and exc.name:
        return f"name `{exc.name}` is not defined"
    return f"{type(exc).__name__}: {exc}"


# -- the checker ----------------------------------------------------------------------


_Signature = tuple[
    str | None, str | None, tuple[str, ...] | None, Ref | None, tuple[str, ...] | None
]
"""What a node's signature tells: writer and config parameters, input keys, update type, writes."""


class _Checker:
    def __init__(
        self,
        spec: GraphSpec,
        smap: SourceMap,
        origin: str,
        load_subgraph: SubgraphLoader | None,
        stack: tuple[str, ...],
        cache: _SubgraphCache,
    ) -> None:
        self.spec = spec
        self.smap = smap
        self.origin = origin
        self.load_subgraph = load_subgraph
        self.stack = stack
        self.cache = cache
        self.diags: list[Diagnostic] = []
        self.warn_only: frozenset[str] = frozenset()
        self.state_types: dict[str, Any] = {}
        self._generated_names: dict[str, Any] | None = None
        """Every declared state key → its type (``Any`` when the type did not resolve)."""
        self.reducer_fields: set[str] = set()
        self.node_names: set[str] = set()
        self.definite_writes: dict[str, set[str]] = {}
        """Per node, the keys every one of its updates writes (for the concurrency check)."""
        self.multi_routers: set[int] = set()
        """``id`` of the :class:`BranchInfo` of routers that can pick several targets."""
        self.destinations: dict[str, tuple[str, ...]] = {}
        """Per node returning ``Command[Literal[...]]``, where its commands may go."""
        self.state_ok = True
        """False when part of the state did not check (nodes are still checked against the rest)."""
        self.update_types: dict[str, Any] = {}
        """The type a reducer field's reducer takes as its update, when it says."""
        self.modules: dict[str, CheckedGraph | _Root] = {
            module: _Root(spec.name, origin) for module in (spec.name, f"{spec.name}_types")
        }
        """Module name → the graph compiled to it, for this graph's whole tree."""

    # -- reporting

    def span(self, loc: Loc) -> Span | None:
        return self.smap.get(loc)

    def error(self, code: str, message: str, loc: Loc, hint: str | None = None) -> None:
        severity = Severity.WARNING if code in self.warn_only else Severity.ERROR
        self.diags.append(Diagnostic(severity, code, message, self.span(loc), hint))

    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diags)

    def has_key(self, key: str) -> bool:
        return key in self.state_types

    def keys(self) -> list[str]:
        return list(self.state_types)

    # -- the pass

    def run(self) -> CheckedGraph | None:
        spec = self.spec
        self.check_graph_settings()
        state = self.check_state()
        self.check_node_names()
        succ, joins, end_joins, edges_ok = self.check_edges()
        branches, branches_ok = self.check_branches()
        node_infos = []
        for node in spec.nodes:
            info = self.check_node(node, state, succ, joins, branches)
            if info is not None:
                node_infos.append(info)
        if edges_ok and branches_ok:
            self.check_topology(succ, joins, end_joins, branches)
            self.check_concurrent_writes(succ, joins, branches)
        custom = self.resolve_type_expr(spec.custom_type, ("graph", "custom_type"))
        name = identifier(spec.name)
        if self.has_errors() or state is None or not self.state_ok or name is None:
            return None
        return CheckedGraph(
            name=name,
            description=spec.description,
            origin=self.origin,
            digest=spec.digest(),
            recursion_limit=spec.recursion_limit,
            state=state,
            nodes=tuple(node_infos),
            entry=tuple(t for t in succ.get(START, ()) if t != END),
            start_branches=tuple(branches.get(START, ())),
            joins=tuple(joins),
            custom_type=custom,
            spec=spec,
        )

    def check_graph_settings(self) -> None:
        spec = self.spec
        problem = graph_name_problem(spec.name)
        if problem is not None:
            why, hint = problem
            self.error("E101", f"graph name `{spec.name}` {why}", ("graph", "name"), hint)
        if spec.recursion_limit is not None and spec.recursion_limit < 1:
            self.error(
                "E004",
                f"the recursion limit must be at least 1, not {spec.recursion_limit}",
                ("graph", "recursion_limit"),
            )

    # -- state

    def check_state(self) -> StateInfo | None:
        st = self.spec.state
        if st.class_ref is not None:
            if st.fields:
                self.error(
                    "E004", "a state has either `class` or `fields`, not both", ("state", "fields")
                )
                return None
            return self.check_state_class(st.class_ref)
        if not st.fields:
            self.error(
                "E004",
                "the state declares no fields",
                ("state",),
                "declare fields under `[state.fields]`, or name a class with `class`",
            )
            return None
        fields = []
        ok = True
        seen: set[str] = set()
        for fs in st.fields:
            if fs.name in seen:
                self.error(
                    "E103",
                    f"state field `{fs.name}` is declared more than once",
                    ("state", "fields", fs.name),
                )
                ok = False
                continue
            seen.add(fs.name)
            field = self.check_field(fs)
            if field is None:
                ok = False
            else:
                fields.append(field)
        if st.kind != "typeddict" and not self.check_shadowing(fields):
            ok = False
        self.state_ok = ok
        return StateInfo(kind=st.kind, cls=None, fields=tuple(fields))

    def check_shadowing(self, fields: Sequence[StateField]) -> bool:
        """No field of a generated class binds a name that the fields' types use.

        A field with a default is a name in the class body, and pydantic (like
        ``typing.get_type_hints``) reads the annotations with that namespace: a
        field ``list = 0`` makes another field's ``list[str]`` mean ``0[str]``.
        """
        used: dict[str, StateField] = {}
        for f in fields:
            for name in _names_in(f.type.code):
                used.setdefault(name, f)
        ok = True
        for f in fields:
            user = used.get(f.name)
            if user is None or (f.default is None and f.initial is None):
                continue
            kind = "dataclass" if self.spec.state.kind == "dataclass" else "pydantic model"
            self.error(
                "E101",
                f"state field `{f.name}` has a default, so in the generated {kind} it would "
                f"hide `{f.name}` from the type of field `{user.name}` (`{user.type.code}`)",
                ("state", "fields", f.name, KEY),
                'rename the field, or declare `kind = "typeddict"`',
            )
            ok = False
        return ok

    def check_state_class(self, class_ref: str) -> StateInfo | None:
        loc: Loc = ("state", "class")
        try:
            cls = resolve_ref(class_ref)
        except RefError as exc:
            self.error("E301", f"state class: {exc}", loc, exc.hint or _ref_hint(class_ref))
            return None
        if not isinstance(cls, type):
            self.error("E302", f"`{class_ref}` is not a class", loc)
            return None
        kind: Literal["typeddict", "dataclass", "pydantic"]
        if _is_typeddict(cls):
            kind = "typeddict"
        elif dataclasses.is_dataclass(cls):
            kind = "dataclass"
        elif _is_pydantic(cls):
            kind = "pydantic"
        else:
            self.error(
                "E302",
                f"state class `{_name_of(cls)}` is not a TypedDict, dataclass or pydantic model",
                loc,
            )
            return None
        hints, failures = _typed_fields(cls)
        for name, why in failures.items():
            self.state_types[name] = Any
            self.error(
                "E302",
                f"the type of state field `{name}` does not resolve: {why}",
                (*loc, "type", name),
            )
        fields = []
        defaults = _class_defaults(cls)
        ok = not failures
        for name in list(hints):
            # the generated TypedDicts (values, input, updates) declare every key as a name
            problem = field_name_problem(name, "typeddict")
            if problem is not None:
                self.state_types[name] = Any
                self.error(
                    "E101",
                    f"state field `{name}` of `{_name_of(cls)}` {problem[0]}",
                    (*loc, "field", name),
                    "generated code declares each state key as a Python name: rename the key",
                )
                del hints[name]
                ok = False
        for name, tp in hints.items():
            self.state_types[name] = _unwrap(tp)
            reducer = _reducer_of(tp)
            ref = None
            initial = None
            if reducer is not None:
                ref = self.ref_of(reducer, (*loc, "reducer", name), f"reducer of `{name}`")
                self.reducer_fields.add(name)
                self.update_types[name] = _update_type(reducer)
                if ref is None:
                    ok = False
                    continue
                if not self.check_reducer(reducer, _unwrap(tp), name, (*loc, "reducer", name)):
                    ok = False
                initial = _zero_code(tp)
            ident = identifier(name)
            if ident is None:  # reported above
                continue
            fields.append(
                StateField(
                    name=ident,
                    type=type_code(_unwrap(tp)),
                    reducer=ref,
                    initial=initial,
                    default=defaults.get(name),
                )
            )
        ref = self.ref_of(cls, loc, "state class")
        if ref is None:
            return None
        self.state_ok = ok
        return StateInfo(kind=kind, cls=ref, fields=tuple(fields))

    def check_field(self, fs: FieldSpec) -> StateField | None:
        loc: Loc = ("state", "fields", fs.name)
        self.state_types[fs.name] = Any
        if fs.reducer is not None:
            self.reducer_fields.add(fs.name)
        problem = field_name_problem(fs.name, self.spec.state.kind)
        if problem is not None:
            why, hint = problem
            self.error("E101", f"state field `{fs.name}` {why}", (*loc, KEY), hint)
            return None
        tref = self.resolve_type_expr(fs.type, (*loc, "type"))
        if tref is None:
            return None
        self.state_types[fs.name] = tref.obj
        if self.spec.state.kind == "pydantic" and not self.check_pydantic_type(fs, tref):
            return None
        reducer_ref = None
        initial = None
        if fs.reducer is not None:
            target = REDUCER_ALIASES.get(fs.reducer, fs.reducer)
            try:
                fn = resolve_ref(target)
                module, attr = parse_ref(target)
            except RefError as exc:
                self.error(
                    "E301",
                    f"reducer of `{fs.name}`: {exc}",
                    (*loc, "reducer"),
                    exc.hint or _ref_hint(target),
                )
                return None
            if not callable(fn):
                self.error(
                    "E303",
                    f"reducer `{fs.reducer}` of `{fs.name}` is not callable",
                    (*loc, "reducer"),
                )
                return None
            self.update_types[fs.name] = _update_type(fn)
            if not self.check_reducer(fn, tref.obj, fs.name, (*loc, "reducer")):
                return None
            reducer_ref = Ref(module, attr, fn)
            initial = (
                literal_code(fs.default.value) if fs.default is not None else _zero_code(tref.obj)
            )
        default = literal_code(fs.default.value) if fs.default is not None else None
        if (
            fs.default is not None
            and fs.default.value is not None
            and not _value_fits(fs.default.value, tref.obj)
        ):
            self.error(
                "E311",
                f"the default of `{fs.name}` is {_article(fs.default.value)}, not `{_show(tref.obj)}`",
                (*loc, "default"),
            )
            return None
        ident = identifier(fs.name)
        if ident is None:  # reported at the top
            return None
        return StateField(
            name=ident,
            type=tref,
            reducer=reducer_ref,
            initial=initial,
            default=default,
            description=fs.description,
        )

    def check_pydantic_type(self, fs: FieldSpec, tref: TypeRef) -> bool:
        """Can a generated pydantic model have a field of this type? (pydantic decides)"""
        try:
            TypeAdapter(tref.obj)
        except Exception as exc:  # whatever pydantic raises, the model would raise at import
            why = str(exc).split("\n", 1)[0].rstrip(".")
            self.error(
                "E302",
                f"the type of state field `{fs.name}`, `{tref.code}`, cannot be a field of a "
                f"pydantic model: {why}",
                ("state", "fields", fs.name, "type"),
                'declare `kind = "typeddict"` or `"dataclass"`, or give the type pydantic support',
            )
            return False
        return True

    def resolve_type_expr(self, expr: str | None, loc: Loc) -> TypeRef | None:
        if expr is None:
            return None
        try:
            return resolve_type(expr)
        except TypeExprError as exc:
            shown = expr if len(expr) <= 80 else f"{expr[:60]}... ({len(expr)} characters)"
            self.error("E302", f"type `{shown}` does not resolve: {exc}", loc, _type_hint(str(exc)))
            return None

    def check_reducer(self, fn: Any, field_type: Any, name: str, loc: Loc) -> bool:
        """Does ``fn(current, update)`` fit a field of ``field_type``? Reports when not."""
        try:
            sig = inspect.signature(fn)
        except (TypeError, ValueError):
            return True
        params = list(sig.parameters.values())
        positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        required_kw = [p for p in params if p.kind is p.KEYWORD_ONLY and p.default is p.empty]
        has_var = any(p.kind is p.VAR_POSITIONAL for p in params)
        required = [p for p in positional if p.default is p.empty]
        if required_kw or len(required) > 2 or (len(positional) < 2 and not has_var):
            self.error(
                "E308",
                f"reducer `{_name_of(fn)}` of `{name}` must take two arguments (the current value "
                f"and an update), not `{_plain(sig)}`",
                loc,
            )
            return False
        hints, _ = resolve_annotations(fn)
        for param in positional[:2]:
            declared = hints.get(param.name)
            if declared is not None and not compatible(field_type, declared):
                self.error(
                    "E308",
                    f"reducer `{_name_of(fn)}` takes `{param.name}: {_show(declared)}`, "
                    f"but field `{name}` is `{_show(field_type)}`",
                    loc,
                )
                return False
        ret = hints.get("return")
        # a reducer may declare a wider return than the field (add_messages returns `Messages`):
        # it fits as long as one of its return types does
        returns = get_args(_unwrap(ret)) if ret is not None and _is_union(_unwrap(ret)) else (ret,)
        if ret is not None and not any(
            compatible(r, field_type) or compatible(field_type, r) for r in returns
        ):
            self.error(
                "E308",
                f"reducer `{_name_of(fn)}` returns `{_show(ret)}`, but field `{name}` is `{_show(field_type)}`",
                loc,
            )
            return False
        return True

    def ref_of(self, obj: Any, loc: Loc, what: str) -> Ref | None:
        imp = import_of(obj)
        if imp is None:
            self.error(
                "E301",
                f"{what} `{_name_of(obj)}` cannot be imported by generated code",
                loc,
                "define it at module level",
            )
            return None
        return Ref(imp.module, _code_name(obj, imp), obj)

    # -- nodes

    def check_node_names(self) -> None:
        seen: set[str] = set()
        for node in self.spec.nodes:
            loc: Loc = ("nodes", node.name)
            if node.name in _RESERVED:
                self.error(
                    "E102",
                    f"`{node.name}` is reserved and cannot name a node",
                    loc,
                    "START and END are the graph's virtual entry and exit",
                )
            elif (why := identifier_problem(node.name)) is not None:
                self.error(
                    "E101",
                    f"node name `{node.name}` {why}",
                    loc,
                    "node names become Python names in generated code: use letters, digits and `_`",
                )
            elif node.name.startswith("__"):
                self.error(
                    "E101",
                    f"node name `{node.name}` may not start with `__`",
                    loc,
                    "LangGraph reserves such names",
                )
            if node.name in seen:
                self.error("E103", f"node `{node.name}` is declared more than once", loc)
            seen.add(node.name)
        self.node_names = seen

    def check_node(
        self,
        node: NodeSpec,
        state: StateInfo | None,
        succ: dict[str, list[str]],
        joins: list[JoinInfo],
        branches: dict[str, list[BranchInfo]],
    ) -> NodeInfo | None:
        loc: Loc = ("nodes", node.name)
        if (node.call is None) == (node.subgraph is None):
            self.error(
                "E107",
                f"node `{node.name}` needs exactly one of `call` and `subgraph`",
                loc,
                "`call` names a function (`package.module:function`), `subgraph` another spec",
            )
            return None
        triggers = self.triggers_of(node.name, succ, joins, branches)
        # a node whose name is refused (check_node_names) is still checked, never built
        name = identifier(node.name)
        common = dict(
            name=name,
            tags=node.tags,
            metadata=tuple(node.metadata.items()),
            description=node.description,
            triggers=triggers,
            successors=tuple(t for t in succ.get(node.name, ()) if t != END),
            branches=tuple(branches.get(node.name, ())),
            joins=tuple(i for i, j in enumerate(joins) if node.name in j.sources),
        )
        custom = self.resolve_type_expr(node.custom_type, (*loc, "custom_type"))
        declared_writes = self.check_declared_writes(node)
        if node.subgraph is not None:
            for key in ("writer", "writes"):
                if getattr(node, key) is not None:
                    self.error(
                        "E004", f"subgraph node `{node.name}` cannot declare `{key}`", (*loc, key)
                    )
            sub = self.check_subgraph(node, state)
            if sub is None:
                return None
            shared = tuple(f.name for f in sub.state.fields if self.has_key(f.name))
            self.definite_writes[node.name] = set()
            if name is None:
                return None
            return NodeInfo(
                call=None,
                subgraph=sub,
                is_async=False,
                writer_arg=None,
                config_arg=None,
                input_keys=None,
                update_type=None,
                writes=shared,
                custom_type=custom,
                **common,  # type: ignore[arg-type]
            )
        assert node.call is not None
        try:
            fn = resolve_ref(node.call)
            module, attr = parse_ref(node.call)
        except RefError as exc:
            hint = exc.hint or _ref_hint(node.call)
            self.error("E301", f"node `{node.name}`: {exc}", (*loc, "call"), hint)
            return None
        if not callable(fn):
            self.error("E303", f"node `{node.name}`: `{node.call}` is not callable", (*loc, "call"))
            return None
        sig_info = self.check_signature(node, fn, state)
        if sig_info is None:
            return None
        writer_arg, config_arg, input_keys, update_type, writes = sig_info
        if declared_writes is False:
            return None
        if declared_writes is not None:
            writes = declared_writes
            self.definite_writes[node.name] = set(declared_writes)
        if node.writer is True and writer_arg is None:
            self.error(
                "E304",
                f"node `{node.name}` is declared with `writer = true`, but `{_name_of(fn)}` has no `writer` parameter",
                (*loc, "writer"),
                "add a parameter `writer: StreamWriter`",
            )
            return None
        if node.writer is False and writer_arg is not None:
            try:
                required = (
                    inspect.signature(fn).parameters["writer"].default is inspect.Parameter.empty
                )
            except (TypeError, ValueError, KeyError):
                required = False
            if required:
                self.error(
                    "E304",
                    f"node `{node.name}` is declared with `writer = false`, but `{_name_of(fn)}` requires `writer`",
                    (*loc, "writer"),
                    "give the `writer` parameter a default, or pass the writer",
                )
                return None
            writer_arg = None
        if (custom is None and node.custom_type is not None) or name is None:
            return None
        return NodeInfo(
            call=Ref(module, attr, fn),
            subgraph=None,
            is_async=_is_async(fn),
            writer_arg=writer_arg,
            config_arg=config_arg,
            input_keys=input_keys,
            update_type=update_type,
            writes=writes,
            custom_type=custom,
            **common,  # type: ignore[arg-type]
        )

    def check_declared_writes(self, node: NodeSpec) -> tuple[str, ...] | Literal[False] | None:
        if node.writes is None:
            return None
        ok = True
        for i, key in enumerate(node.writes):
            if not self.has_key(key):
                self.error(
                    "E306",
                    f"node `{node.name}` declares that it writes `{key}`, which the state does not have",
                    ("nodes", node.name, "writes", i),
                    _did_you_mean(key, self.keys()),
                )
                ok = False
        return tuple(node.writes) if ok else False

    def check_signature(
        self, node: NodeSpec, fn: Any, state: StateInfo | None
    ) -> _Signature | None:
        loc: Loc = ("nodes", node.name, "call")
        try:
            sig = inspect.signature(fn)
        except (TypeError, ValueError):
            return None, None, None, None, None
        params = list(sig.parameters.values())
        writer_arg = config_arg = None
        positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        has_var = any(p.kind is p.VAR_POSITIONAL for p in params)
        if not positional and not has_var:
            self.error(
                "E304",
                f"node `{node.name}`: `{_name_of(fn)}{_plain(sig)}` takes no argument, but a node is called with the state",
                loc,
                "add a first parameter `state`",
            )
            return None
        ok = True
        for p in params[1:] if positional else params:
            if p.name == "writer":
                writer_arg = "writer"
            elif p.name == "config":
                config_arg = "config"
            elif p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.default is not p.empty:
                continue
            else:
                self.error(
                    "E304",
                    f"node `{node.name}` requires an argument `{p.name}` that flowc cannot pass",
                    (*loc, "param", p.name),
                    "a node is called with the state, and optionally `config` and `writer`; "
                    f"give `{p.name}` a default or remove it",
                )
                ok = False
        hints, failures = resolve_annotations(fn, self.generated_names())
        for pname, why in failures.items():
            where = (*loc, "return") if pname == "return" else (*loc, "annotation", pname)
            self.error(
                "E302",
                f"node `{node.name}`: the annotation of `{pname}` does not resolve: {why}",
                where,
            )
            ok = False
        if not ok:
            return None
        input_keys: tuple[str, ...] | None = None
        if positional and state is not None:
            ann = hints.get(positional[0].name)
            if ann is not None:
                checked = self.check_input_annotation(node, ann, state, positional[0].name)
                if checked is False:
                    return None
                input_keys = checked
        update_type = None
        writes = None
        ret = hints.get("return")
        if ret is not None:
            result = self.check_return_annotation(node, fn, ret)
            if result is False:
                return None
            if result is not None:
                update_type, writes = result
        return writer_arg, config_arg, input_keys, update_type, writes

    def generated_names(self) -> dict[str, Any]:
        """The types flowc generates for this spec, for annotations that name them
        (imported under ``TYPE_CHECKING`` from the generated module)."""
        # made once per graph: every node asks, and the dict has an entry per node
        if self._generated_names is None:
            self._generated_names = self._make_generated_names()
        return self._generated_names

    def _make_generated_names(self) -> dict[str, Any]:
        prefix = camel(self.spec.name)
        fields = {n: (tp if tp is not None else Any) for n, tp in self.state_types.items()}
        names: dict[str, Any] = {
            f"{prefix}State": typing.TypedDict(f"{prefix}State", fields, total=False),  # type: ignore[operator]
            f"{prefix}Input": typing.TypedDict(f"{prefix}Input", fields, total=False),  # type: ignore[operator]
            f"{prefix}Update": typing.TypedDict(f"{prefix}Update", fields, total=False),  # type: ignore[operator]
            f"{prefix}Values": typing.TypedDict(f"{prefix}Values", fields, total=False),  # type: ignore[operator]
        }
        for node in self.spec.nodes:
            if node.writes:
                sub = {k: fields.get(k, Any) for k in node.writes}
                name = f"{camel(node.name)}Update"
                names[name] = typing.TypedDict(name, sub, total=False)  # type: ignore[operator]
        for name, value in names.items():
            # stand-ins for types the generated module defines: never imported from here
            value.__flowc_stand_in__ = True
            # the graph-wide ones allow every key: they do not say what one node writes
            value.__flowc_graph_wide__ = not name.endswith("Update") or name == f"{prefix}Update"
        from flowc.runtime import StreamWriter

        names["StreamWriter"] = StreamWriter
        return names

    def check_input_annotation(
        self, node: NodeSpec, ann: Any, state: StateInfo, param: str
    ) -> tuple[str, ...] | Literal[False] | None:
        loc: Loc = ("nodes", node.name, "call", "annotation", param)
        ann = _unwrap(ann)
        if ann is Any or ann in (dict, Mapping, object) or get_origin(ann) in (dict, Mapping):
            return None
        state_cls = state.cls.obj if state.cls else None
        if ann is state_cls:
            return None
        if _is_typeddict(ann) or dataclasses.is_dataclass(ann) or _is_pydantic(ann):
            fields, _ = _typed_fields(ann)
            missing = [k for k in fields if not self.has_key(k)]
            for key in missing:
                self.error(
                    "E305",
                    f"node `{node.name}` takes `{_show(ann)}`, whose key `{key}` is not in the state",
                    loc,
                    _did_you_mean(key, self.keys()),
                )
            if missing:
                return False
            ok = True
            for key, tp in fields.items():
                declared = self.state_types.get(key)
                if declared is not None and not compatible(declared, tp):
                    self.error(
                        "E305",
                        f"node `{node.name}` takes `{key}` as `{_show(tp)}`, but the state has `{_show(declared)}`",
                        loc,
                    )
                    ok = False
            if not ok:
                return False
            if state_cls is None and _is_typeddict(ann) and set(fields) == set(self.state_types):
                return None
            if _is_typeddict(ann) and (state_cls is None or _is_typeddict(state_cls)):
                return tuple(fields) if set(fields) != set(self.state_types) else None
            if state_cls is not None and ann is not state_cls:
                self.error(
                    "E305",
                    f"node `{node.name}` takes `{_show(ann)}`, but the state is `{_show(state_cls)}`",
                    loc,
                    f"annotate `{param}` with `{_show(state_cls)}`",
                )
                return False
            return None
        self.error(
            "E305",
            f"node `{node.name}`: the state cannot be passed as `{_show(ann)}`",
            loc,
            "annotate the first parameter with the state type",
        )
        return False

    def check_return_annotation(
        self, node: NodeSpec, fn: Any, ret: Any
    ) -> tuple[Ref | None, tuple[str, ...]] | Literal[False] | None:
        loc: Loc = ("nodes", node.name, "call", "return")
        inner = _unwrap(ret)
        if _is_async(fn) and get_origin(inner) is Coroutine:
            inner = get_args(inner)[-1]
        options = list(get_args(inner)) if _is_union(inner) else [inner]
        commands = [o for o in options if is_command(o)]
        if commands:
            # a Command's update and goto are checked when the node returns one; its
            # `Command[Literal[...]]` names where it may go, for the graph's topology
            goto = [t for c in commands for t in command_destinations(c)]
            unknown = [t for t in goto if t != END and t not in self.node_names]
            if unknown:
                self.error(
                    "E310",
                    f"node `{node.name}` returns a Command that may go to `{unknown[0]}`, "
                    "which is not a node of the graph",
                    loc,
                    _did_you_mean(unknown[0], sorted(self.node_names)),
                )
                return False
            self.destinations[node.name] = tuple(goto)
            options = [o for o in options if not is_command(o)]
            if not options:
                return None
        tds = [o for o in options if _is_typeddict(o)]
        others = [
            o for o in options if not _is_typeddict(o) and o is not type(None) and o is not None
        ]
        if not tds:
            if all(o is type(None) or o is None for o in options):
                self.definite_writes[node.name] = set()
                return None, ()
            if any(
                o is not Any and get_origin(o) not in (dict, Mapping) and o not in (dict, Mapping)
                for o in others
            ):
                self.error(
                    "E307",
                    f"node `{node.name}` returns `{_show(ret)}`, but a node returns a dict of state keys",
                    loc,
                    "annotate the return with a TypedDict of the keys it writes",
                )
                return False
            return None
        keys: list[str] = []
        ok = True
        shown: list[str] = []
        for td in tds:
            fields, _ = _typed_fields(td)
            # a type with every state key (the state itself, total=False) says only that its
            # required keys are written; a narrower one names what the node writes
            wide = getattr(td, "__flowc_graph_wide__", False) or set(fields) >= set(
                self.state_types
            )
            named: Iterable[str] = (
                getattr(td, "__required_keys__", frozenset()) if wide else fields.keys()
            )
            shown.extend(k for k in fields if k in named and k not in shown)
            for key, tp in fields.items():
                declared = self.state_types.get(key)
                if not self.has_key(key):
                    self.error(
                        "E306",
                        f"node `{node.name}` returns key `{key}` (in `{_show(td)}`), which the state does not have",
                        loc,
                        _did_you_mean(key, self.keys())
                        or "LangGraph would drop this write silently; flowc refuses it",
                    )
                    ok = False
                elif declared is not None and not compatible(
                    tp, self.update_types.get(key) or declared
                ):
                    # a reducer may take updates of another type than the field's (`add_messages`
                    # takes one message or a list); without annotations, the field's type it is
                    expected = self.update_types.get(key)
                    self.error(
                        "E307",
                        f"node `{node.name}` writes `{key}` as `{_show(tp)}`, but "
                        + (
                            f"its reducer takes `{_show(expected)}`"
                            if expected is not None
                            else f"the state has `{_show(declared)}`"
                        ),
                        loc,
                    )
                    ok = False
                if key not in keys:
                    keys.append(key)
        if not ok:
            return False
        if node.writes is not None:
            undeclared = [k for k in shown if k not in node.writes]
            if undeclared:
                names = _and(undeclared)
                self.error(
                    "E312",
                    f"node `{node.name}` returns `{_show(ret)}`, which writes {names}, "
                    "but its `writes` does not list " + ("it" if len(undeclared) == 1 else "them"),
                    ("nodes", node.name, "writes"),
                    f"add {names} to `writes`, or take "
                    + ("it" if len(undeclared) == 1 else "them")
                    + " out of the return type",
                )
                return False
        if not others:
            required = [set(getattr(td, "__required_keys__", ())) for td in tds]
            self.definite_writes[node.name] = set.intersection(*required) if required else set()
        update_ref = None
        if len(tds) == 1 and not others and not getattr(tds[0], "__flowc_stand_in__", False):
            imp = import_of(tds[0])
            if imp is not None:
                update_ref = Ref(imp.module, _code_name(tds[0], imp), tds[0])
        return update_ref, tuple(keys)

    # -- subgraphs

    def check_subgraph(self, node: NodeSpec, state: StateInfo | None) -> CheckedGraph | None:
        loc: Loc = ("nodes", node.name, "subgraph")
        assert node.subgraph is not None
        if self.load_subgraph is None:
            self.error("E504", f"node `{node.name}`: subgraphs cannot be loaded here", loc)
            return None
        if len(self.stack) >= MAX_SUBGRAPH_DEPTH:
            self.error(
                "E006",
                f"subgraphs nest more than {MAX_SUBGRAPH_DEPTH} levels deep here, the limit",
                loc,
                f"{_short(self.stack[0])} down to graph `{self.spec.name}` is {len(self.stack)} "
                "graphs deep already; each level is a module that imports the next",
            )
            return None
        sub_spec, sub_map, diags, origin = self.load_subgraph(node.subgraph, self.origin)
        # the same file may be named by different paths (relative, absolute, via links)
        same = [_origin_key(o) for o in self.stack]
        if _origin_key(origin) in same:
            start = same.index(_origin_key(origin))
            chain = " → ".join(_short(o) for o in [*self.stack[start:], origin])
            self.error(
                "E503",
                f"graph contains itself: {chain}",
                loc,
                "a subgraph cannot include a graph it is part of",
            )
            return None
        if sub_spec is None:
            located = [d for d in diags if d.span is not None and d.span.has_line]
            self.diags.extend(located)
            if not located:
                why = "; ".join(d.message for d in diags) or "it did not load"
                self.error(
                    "E504",
                    f"node `{node.name}`: cannot load subgraph `{node.subgraph}`: {why}",
                    loc,
                )
            return None
        result = self.cache.get(origin)
        if result is None:
            checked = check(
                sub_spec,
                sub_map,
                origin,
                load_subgraph=self.load_subgraph,
                warn_only=self.warn_only,
                _stack=self.stack,
                _cache=self.cache,
            )
            result = CheckResult(checked.graph, (*diags, *checked.diagnostics), checked.source_map)
            self.cache[origin] = result
            self.diags.extend(result.diagnostics)
        self.smap.texts.update(result.source_map.texts)
        if result.graph is None:
            # the subgraph's own diagnostics (in its own file) say what is wrong
            if not any(d.severity is Severity.ERROR for d in result.diagnostics):
                self.error("E504", f"subgraph `{node.subgraph}` did not check", loc)
            return None
        sub = result.graph
        if not self.check_module_names(sub, loc):
            return None
        if state is None:
            return sub
        shared = [f for f in sub.state.fields if self.has_key(f.name)]
        if not shared:
            self.error(
                "E501",
                f"subgraph `{sub.name}` shares no state key with graph `{self.spec.name}`",
                loc,
                "a subgraph node passes the keys both states declare; "
                f"`{sub.name}` has {_names(f.name for f in sub.state.fields)}; "
                f"`{self.spec.name}` has {_names(self.keys())}",
            )
            return None
        ok = True
        for f in shared:
            mine = self.state_types.get(f.name)
            theirs = f.type.obj
            if (
                mine is not None
                and theirs is not None
                and not (compatible(mine, theirs) and compatible(theirs, mine))
            ):
                self.error(
                    "E502",
                    f"key `{f.name}` is `{_show(mine)}` here but `{_show(theirs)}` in subgraph `{sub.name}`",
                    loc,
                    "a key both graphs share must have the same type in both",
                )
                ok = ok and "E502" in self.warn_only
        return sub if ok else None

    def check_module_names(self, sub: CheckedGraph, loc: Loc) -> bool:
        """Every graph of a tree is compiled into one package, as modules named after it."""
        for graph in _graph_tree(sub):
            for module in (graph.name, f"{graph.name}_types"):
                first = self.modules.setdefault(module, graph)
                if _origin_key(first.origin) != _origin_key(graph.origin):
                    self.error(
                        "E505",
                        f"graphs `{first.name}` ({first.origin}) and `{graph.name}` ({graph.origin}) "
                        f"would both be compiled to module `{module}`",
                        loc,
                        "the graphs of one tree become modules of one package, each named after "
                        "its graph: give one of them another name",
                    )
                    return False
        return True

    # -- edges and branches

    def check_name_ref(self, name: str, loc: Loc, *, role: Literal["source", "target"]) -> bool:
        if name in self.node_names:
            return True
        if name == START and role == "source":
            return True
        if name == END and role == "target":
            return True
        if name == START:
            self.error("E106", "an edge cannot lead to START", loc, "START is where a run begins")
            return False
        if name == END:
            self.error("E106", "an edge cannot start at END", loc, "END is where a run stops")
            return False
        virtual = ["START"] if role == "source" else ["END"]
        hint = _did_you_mean(name, [*sorted(self.node_names), *virtual])
        if hint is None and name.upper() in ("START", "END"):
            hint = f"write `{name.upper()}` (in Python: flowc's `{name.upper()}` constant)"
        self.error("E104", f"unknown node `{name}`", loc, hint or "declare it as a node first")
        return False

    def check_edges(
        self,
    ) -> tuple[dict[str, list[str]], list[JoinInfo], list[tuple[str, ...]], bool]:
        succ: dict[str, list[str]] = {}
        joins: list[JoinInfo] = []
        end_joins: list[tuple[str, ...]] = []
        ok_all = True
        for i, edge in enumerate(self.spec.edges):
            ok = True
            for j, src in enumerate(edge.sources):
                ok &= self.check_name_ref(src, ("edges", i, "from", j), role="source")
            for j, dst in enumerate(edge.targets):
                ok &= self.check_name_ref(dst, ("edges", i, "to", j), role="target")
            if not ok:
                ok_all = False
                continue
            if len(edge.sources) > 1:
                if START in edge.sources:
                    self.error(
                        "E106",
                        "START cannot be part of a join",
                        ("edges", i, "from", edge.sources.index(START)),
                        "START's edges run at the start anyway; join the nodes after it",
                    )
                    ok_all = False
                    continue
                for dst in edge.targets:
                    if dst == END:
                        end_joins.append(tuple(edge.sources))
                        continue
                    join = JoinInfo(tuple(edge.sources), dst)
                    if join not in joins:
                        joins.append(join)
                continue
            src = edge.sources[0]
            for dst in edge.targets:
                targets = succ.setdefault(src, [])
                if dst not in targets:
                    targets.append(dst)
        return succ, joins, end_joins, ok_all

    def check_branches(self) -> tuple[dict[str, list[BranchInfo]], bool]:
        out: dict[str, list[BranchInfo]] = {}
        ok = True
        for i, br in enumerate(self.spec.branches):
            info = self.check_branch(i, br)
            if info is None:
                ok = False
            else:
                out.setdefault(br.source, []).append(info)
        return out, ok

    def check_branch(self, i: int, br: BranchSpec) -> BranchInfo | None:
        loc: Loc = ("branches", i)
        router_loc: Loc = (*loc, "router")
        ok = self.check_name_ref(br.source, (*loc, "from"), role="source")
        try:
            fn = resolve_ref(br.router)
            module, attr = parse_ref(br.router)
        except RefError as exc:
            self.error("E301", f"router: {exc}", router_loc, exc.hint or _ref_hint(br.router))
            return None
        if not callable(fn):
            self.error("E303", f"router `{br.router}` is not callable", router_loc)
            return None
        try:
            params = list(inspect.signature(fn).parameters.values())
        except (TypeError, ValueError):
            params = []
        else:
            takes = [
                p
                for p in params
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
            ]
            if not takes:
                self.error(
                    "E304",
                    f"router `{_name_of(fn)}` takes no argument, but a router is called with the state",
                    router_loc,
                    "add a first parameter `state`",
                )
                ok = False
        hints, failures = resolve_annotations(fn, self.generated_names())
        for pname, why in failures.items():
            self.error(
                "E302",
                f"router `{_name_of(fn)}`: the annotation of `{pname}` does not resolve: {why}",
                (*router_loc, "return") if pname == "return" else router_loc,
            )
            ok = False
        literal = _router_literals(hints["return"]) if "return" in hints else None
        declared: list[str] = []
        if br.targets is not None and br.path_map is not None:
            self.error(
                "E004",
                "a conditional edge has either `targets` or `path_map`, not both",
                (*loc, "path_map"),
            )
            return None
        if br.path_map is not None:
            for key, dst in br.path_map.items():
                ok &= self.check_name_ref(dst, (*loc, "path_map", key), role="target")
                declared.append(dst)
            if literal is not None:
                for name in dict.fromkeys(literal[0]):
                    if name not in br.path_map:
                        self.error(
                            "E309",
                            f"router `{_name_of(fn)}` can return `{name}`, which its path map does not map",
                            (*router_loc, "return", name),
                            f"path map keys: {_names(br.path_map)}",
                        )
                        ok = False
        elif br.targets is not None:
            for j, dst in enumerate(br.targets):
                ok &= self.check_name_ref(dst, (*loc, "targets", j), role="target")
                declared.append(dst)
            if literal is not None:
                for name in dict.fromkeys(literal[0]):
                    if name not in declared:
                        self.error(
                            "E309",
                            f"router `{_name_of(fn)}` can return `{_show_node(name)}`, which is not among its targets",
                            (*router_loc, "return", name),
                            f"declared targets: {', '.join(_show_node(t) for t in declared)}",
                        )
                        ok = False
        elif literal is not None:
            for name in dict.fromkeys(literal[0]):
                if name in self.node_names or name == END:
                    declared.append(name)
                    continue
                hint = _did_you_mean(name, sorted(self.node_names))
                if name in ("END", "START", START):
                    hint = (
                        'a router ends the run by returning END (`"__end__"`)'
                        if name == "END"
                        else "a router cannot lead to START"
                    )
                self.error(
                    "E309",
                    f"router `{_name_of(fn)}` can return `{name}`, which is not a node",
                    (*router_loc, "return", name),
                    hint,
                )
                ok = False
        else:
            self.error(
                "E310",
                f"the targets of router `{_name_of(fn)}` are unknown",
                router_loc,
                "annotate its return type with `Literal[...]` of node names, or declare `targets`",
            )
            return None
        if not ok:
            return None
        info = BranchInfo(
            source=br.source,
            router=Ref(module, attr, fn),
            is_async=_is_async(fn),
            targets=tuple(dict.fromkeys(declared)),
            path_map=None if br.path_map is None else tuple(br.path_map.items()),
            config_arg=any(p.name == "config" for p in params),
        )
        if literal is not None and literal[1]:
            self.multi_routers.add(id(info))
        return info

    def triggers_of(
        self,
        name: str,
        succ: Mapping[str, Sequence[str]],
        joins: Sequence[JoinInfo],
        branches: Mapping[str, Sequence[BranchInfo]],
    ) -> tuple[str, ...]:
        # LangGraph gives every node its `branch:to:` channel, even one only a join reaches
        out = [f"branch:to:{name}"]
        out.extend(j.channel for j in joins if j.target == name)
        return tuple(out)

    # -- topology

    def check_topology(
        self,
        succ: Mapping[str, Sequence[str]],
        joins: Sequence[JoinInfo],
        end_joins: Sequence[tuple[str, ...]],
        branches: Mapping[str, Sequence[BranchInfo]],
    ) -> None:
        names = [n.name for n in self.spec.nodes]
        if not succ.get(START) and not branches.get(START):
            self.error(
                "E204",
                f"nothing starts graph `{self.spec.name}`: no edge leaves START",
                ("graph", "name"),
                "add an edge from START to the first node",
            )
            return
        forward: dict[str, set[str]] = {n: set() for n in [START, *names]}
        for src, targets in succ.items():
            forward.setdefault(src, set()).update(targets)
        for src, bs in branches.items():
            for b in bs:
                forward.setdefault(src, set()).update(b.targets)
        for src, goto in self.destinations.items():
            forward.setdefault(src, set()).update(goto)
        for sources in end_joins:
            for s in sources:
                forward[s].add(END)
        reached = _reachable(forward, joins)
        for name in names:
            if name not in reached and name not in _RESERVED:
                waits = [j for j in joins if j.target == name and not set(j.sources) <= reached]
                hint = "add an edge or a router target that leads to it, or remove it"
                if waits:
                    missing = [s for s in waits[0].sources if s not in reached]
                    hint = f"it runs after a join that also waits for {_names(missing)}, which no run reaches"
                self.error(
                    "E201", f"node `{name}` is unreachable from START", ("nodes", name), hint
                )
        for j in joins:
            for s in j.sources:
                forward[s].add(j.target)
        # plain edges always fire: a cycle made of them never stops
        static: dict[str, list[str]] = {n: [t for t in succ.get(n, ()) if t != END] for n in names}
        loops = _static_cycles(static)
        for cycle in loops:
            self.error(
                "E203",
                "cycle with no conditional exit: " + " → ".join([*cycle, cycle[0]]),
                self._edge_loc(cycle[-1], cycle[0]),
                "plain edges always fire, so this loop never stops; leave it through a router",
            )
        in_loops = {n for cycle in loops for n in cycle}
        # a node with no way out ends the run there (as in LangGraph)
        terminal = {n for n in names if not forward.get(n) or END in forward[n]}
        backward: dict[str, set[str]] = {}
        for src, dsts in forward.items():
            for d in dsts:
                backward.setdefault(d, set()).add(src)
        can_end: set[str] = set()
        todo = list(terminal)
        while todo:
            n = todo.pop()
            if n in can_end:
                continue
            can_end.add(n)
            todo.extend(backward.get(n, ()))
        # nodes that lead into a plain-edge cycle are covered by that cycle's diagnostic
        leads_to_loop = _closure_of(backward, in_loops)
        dead = {n for n in names if n in reached and n not in can_end and n not in leads_to_loop}
        for name in names:
            # report where a run enters the region it cannot leave, not every node in it
            if name not in dead or backward.get(name, set()) <= dead:
                continue
            self.error(
                "E202",
                f"a run that reaches node `{name}` can never end",
                ("nodes", name),
                "no path from it leads to END; give a router in its loop an END target",
            )

    def _edge_loc(self, src: str, dst: str) -> Loc:
        for i, edge in enumerate(self.spec.edges):
            if edge.sources == (src,) and dst in edge.targets:
                return ("edges", i, "to", edge.targets.index(dst))
        return ("nodes", src)

    def check_concurrent_writes(
        self,
        succ: Mapping[str, Sequence[str]],
        joins: Sequence[JoinInfo],
        branches: Mapping[str, Sequence[BranchInfo]],
    ) -> None:
        writes = self.definite_writes
        last_value = {name for name in self.state_types if name not in self.reducer_fields}
        if not any(writes.get(n, set()) & last_value for n in self.node_names):
            return
        conflicts: dict[str, set[frozenset[str]]] = {}
        for step in _possible_steps(
            succ, joins, branches, self.multi_routers, _MAX_CONCURRENCY_STATES
        ):
            for key in last_value:
                writers = frozenset(n for n in step if key in writes.get(n, ()))
                if len(writers) > 1:
                    conflicts.setdefault(key, set()).add(writers)
        order = {n.name: i for i, n in enumerate(self.spec.nodes)}
        found: list[tuple[int, int, str, list[str]]] = []
        for key, groups in conflicts.items():
            for group in groups:
                if any(group < other for other in groups):
                    continue
                members = sorted(group, key=lambda n: order.get(n, 0))
                found.append((order.get(members[1], 0), order.get(members[0], 0), key, members))
        for _, _, key, members in sorted(found):
            second = members[1]
            node = self.spec.node(second)
            where: Loc = ("nodes", second, "call", "return")
            if node is not None and node.writes is not None and key in node.writes:
                where = ("nodes", second, "writes", node.writes.index(key))
            both = "both" if len(members) == 2 else "all"
            self.error(
                "E401",
                f"nodes {_and(members)} can run in the same superstep and {both} write `{key}`, "
                "which keeps only the last value",
                where,
                f"LangGraph fails at run time with InvalidUpdateError; give `{key}` a reducer, "
                "or let only one of them write it",
            )


# -- graph analysis -------------------------------------------------------------------


def _possible_steps(
    succ: Mapping[str, Sequence[str]],
    joins: Sequence[JoinInfo],
    branches: Mapping[str, Sequence[BranchInfo]],
    multi: set[int],
    limit: int,
) -> Iterator[frozenset[str]]:
    """Every set of nodes that can make up one superstep (explored up to ``limit`` states).

    A state is the set of nodes that ran in a step and how far each join has
    got; from it, plain edges always fire, each router picks one of its
    targets (or all of them, for a router that returns a list), and a join
    fires once all its sources have run.
    """
    Barrier = tuple[frozenset[str], ...]

    def next_steps(ran: frozenset[str], barrier: Barrier) -> list[tuple[frozenset[str], Barrier]]:
        fixed: set[str] = set()
        choices: list[tuple[tuple[str, ...], ...]] = []
        options: tuple[tuple[str, ...], ...]
        for name in sorted(ran):
            fixed.update(t for t in succ.get(name, ()) if t != END)
            for br in branches.get(name, ()):
                options = tuple((t,) for t in br.targets)
                if id(br) in multi:
                    options = (*options, br.targets)
                choices.append(options)
        new_barrier = list(barrier)
        for i, j in enumerate(joins):
            seen = barrier[i] | (ran & set(j.sources))
            if seen >= set(j.sources):
                fixed.add(j.target)
                seen = frozenset()
            new_barrier[i] = frozenset(seen)
        combos: list[frozenset[str]] = [frozenset(fixed)]
        for options in choices:
            combos = list(dict.fromkeys(c | set(o) for c in combos for o in options))[:64]
        return [(frozenset(t for t in combo if t != END), tuple(new_barrier)) for combo in combos]

    start: Barrier = tuple(frozenset() for _ in joins)
    frontier = next_steps(frozenset({START}), start)
    seen: set[tuple[frozenset[str], Barrier]] = set()
    while frontier and len(seen) < limit:
        state = frontier.pop()
        if state in seen or not state[0]:
            continue
        seen.add(state)
        yield state[0]
        frontier.extend(next_steps(*state))


def _reachable(forward: Mapping[str, set[str]], joins: Sequence[JoinInfo]) -> set[str]:
    """Nodes a run can reach from START; a join's target only once all its sources can run."""
    reached: set[str] = set()
    todo = [START]
    pending = list(joins)
    while todo:
        while todo:
            node = todo.pop()
            if node in reached:
                continue
            reached.add(node)
            todo.extend(forward.get(node, ()))
        ready = [j for j in pending if set(j.sources) <= reached]
        pending = [j for j in pending if j not in ready]
        todo.extend(j.target for j in ready)
    return reached


def _closure_of(graph: Mapping[str, set[str]], starts: set[str]) -> set[str]:
    """Every node reachable from ``starts`` (included) in ``graph``."""
    seen: set[str] = set()
    todo = list(starts)
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(graph.get(node, ()))
    return seen


def _static_cycles(graph: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """One cycle for each strongly connected part of ``graph`` that has one.

    Tarjan's algorithm, written without recursion so graphs of any size are fine.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    parts: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(graph.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph.get(child, ()))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                part: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    part.append(member)
                    if member == node:
                        break
                if len(part) > 1 or node in graph.get(node, ()):
                    parts.append(part)
    cycles: list[list[str]] = []
    for part in parts:
        members = set(part)
        sub = {
            n: [m for m in graph.get(n, ()) if m in members]
            for n in sorted(members, key=list(graph).index)
        }
        cycle = _find_cycle(sub)
        if cycle is not None:
            cycles.append(cycle)
    return sorted(cycles, key=lambda c: list(graph).index(c[0]))


def _find_cycle(graph: Mapping[str, Sequence[str]]) -> list[str] | None:
    """One cycle of ``graph`` (as a node list), if it has any.

    Iterative depth-first search, so graphs of any size are fine.
    """
    color: dict[str, int] = {}
    for root in graph:
        if root in color:
            continue
        path: list[str] = [root]
        children: list[Iterator[str]] = [iter(graph.get(root, ()))]
        color[root] = 1
        while children:
            nxt = next(children[-1], None)
            if nxt is None:
                color[path.pop()] = 2
                children.pop()
                continue
            state = color.get(nxt)
            if state == 1:
                return path[path.index(nxt) :]
            if state is None:
                color[nxt] = 1
                path.append(nxt)
                children.append(iter(graph.get(nxt, ())))
    return None


# -- small helpers --------------------------------------------------------------------


def _is_async(fn: Any) -> bool:
    if inspect.iscoroutinefunction(fn):
        return True
    call = getattr(fn, "__call__", None)  # noqa: B004 - a callable object's own method
    return call is not None and inspect.iscoroutinefunction(call)


def _reducer_of(tp: Any) -> Any:
    # `Required[Annotated[int, add]]` has its reducer one level down, as LangGraph finds it
    while get_origin(tp) in _KEY_QUALIFIERS:
        tp = get_args(tp)[0]
    if get_origin(tp) is typing.Annotated:
        for meta in reversed(get_args(tp)[1:]):
            if callable(meta):
                return meta
    return None


def _update_type(reducer: Any) -> Any:
    """The annotation of a reducer's second parameter (the update), if it has one."""
    try:
        params = [
            p
            for p in inspect.signature(reducer).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
    except (TypeError, ValueError):
        return None
    if len(params) < 2:
        return None
    hints, _ = resolve_annotations(reducer)
    return hints.get(params[1].name)


def _class_defaults(cls: type) -> dict[str, str]:
    out: dict[str, str] = {}
    if dataclasses.is_dataclass(cls):
        for f in dataclasses.fields(cls):
            if f.default is not dataclasses.MISSING:
                # a default with no literal (an object) is left to the class itself
                with suppress(LiteralError):
                    out[f.name] = literal_code(f.default)
    return out


def _names_in(code: str) -> set[str]:
    """The bare names a type's code uses (``list[int] | None`` → list, int, None)."""
    return {
        node.id for node in ast.walk(ast.parse(code, mode="eval")) if isinstance(node, ast.Name)
    }


def _value_fits(value: Any, tp: Any) -> bool:
    """Can a field of type ``tp`` hold ``value`` (a default)? A ``Literal`` by its values."""
    tp = _unwrap(tp)
    if get_origin(tp) is Literal:
        return any(value == arg and type(value) is type(arg) for arg in get_args(tp))
    if _is_union(tp):
        return any(_value_fits(value, arg) for arg in get_args(tp))
    return compatible(_json_type(value), tp)


def _json_type(value: Any) -> Any:
    """The type a JSON-like default value has, element types included (``list[int]``)."""
    if isinstance(value, list) and value:
        inner = {_json_type(v) for v in value}
        return list[inner.pop()] if len(inner) == 1 else list  # type: ignore[misc]
    if isinstance(value, dict) and value:
        inner = {_json_type(v) for v in value.values()}
        return dict[str, inner.pop()] if len(inner) == 1 else dict  # type: ignore[misc]
    return type(value)


def _article(value: Any) -> str:
    names = {
        str: "a string",
        bool: "a boolean",
        int: "an integer",
        float: "a float",
        list: "a list",
        dict: "a table",
    }
    return names.get(type(value), type(value).__name__)


def _show_node(name: str) -> str:
    return "END" if name == END else name


def _names(names: Iterable[str]) -> str:
    shown = [f"`{_show_node(n)}`" for n in names]
    return ", ".join(shown) if shown else "none"


def _and(names: Sequence[str]) -> str:
    shown = [f"`{n}`" for n in names]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


@dataclass(frozen=True, slots=True)
class _Root:
    """The graph being checked, as :meth:`_Checker.check_module_names` needs it."""

    name: str
    origin: str


def _graph_tree(graph: CheckedGraph) -> Iterator[CheckedGraph]:
    """``graph`` and every graph below it."""
    yield graph
    for sub in graph.subgraphs:
        yield from _graph_tree(sub)


def _origin_key(origin: str) -> str:
    """What makes two origins the same spec: the real path of a file, else the reference."""
    return os.path.realpath(origin) if origin.endswith(".toml") else origin


def _short(origin: str) -> str:
    """A spec's origin as a chain of graphs shows it: a file's name, or ``module:attr``."""
    return Path(origin).name if origin.endswith(".toml") else origin


def _name_of(obj: Any) -> str:
    return (
        getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or type(obj).__name__
    )


def _show(tp: Any) -> str:
    return type_code(tp).code


def _plain(sig: inspect.Signature) -> str:
    """A signature without its annotations: ``(state, extra)``."""
    return (
        "(" + ", ".join(str(p.replace(annotation=p.empty)) for p in sig.parameters.values()) + ")"
    )


def _did_you_mean(name: str, options: Sequence[str]) -> str | None:
    close = difflib.get_close_matches(name, list(options), n=1)
    return f"did you mean `{close[0]}`?" if close else None


def _ref_hint(ref: str) -> str | None:
    if "<" in ref:
        return "define it at module level"
    if ":" not in ref and "." in ref:
        module, _, attr = ref.rpartition(".")
        return f"write `{module}:{attr}`: a colon separates the module from the name"
    return None


def _type_hint(message: str) -> str | None:
    if message.startswith("unknown type name"):
        return "builtins, `typing` names and `collections.abc` names are known; name other types by module, e.g. `pkg.mod.Type`"
    return None
