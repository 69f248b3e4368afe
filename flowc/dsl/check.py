"""The checker: :class:`GraphSpec` → :class:`CheckedGraph`, or every diagnostic at once.

One pass over a spec that imports what it references, inspects signatures and
annotations, and analyses the graph (reachability, termination, which nodes
can run in the same superstep). Diagnostics are gathered, never raised; each
points at the place in the spec that is wrong.
"""

from __future__ import annotations

import dataclasses
import inspect
import keyword
import sys
import types
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from .diagnostics import Diagnostic, Loc, SourceMap, Span
from .graph import (
    BranchInfo,
    CheckedGraph,
    JoinInfo,
    NodeInfo,
    Ref,
    StateField,
    StateInfo,
)
from .spec import END, START, BranchSpec, FieldSpec, GraphSpec, NodeSpec
from .types import (
    RefError,
    TypeExprError,
    TypeRef,
    import_of,
    is_identifier,
    parse_ref,
    resolve_ref,
    resolve_type,
)

__all__ = ["CheckResult", "SubgraphLoader", "camel", "check", "type_code"]

SubgraphLoader = Callable[[str, str], tuple[GraphSpec | None, SourceMap, tuple[Diagnostic, ...], str]]
"""``(reference, from_origin) -> (spec, source map, diagnostics, origin)`` for subgraph nodes."""

_RESERVED = {START, END, "START", "END"}
_MAX_CONCURRENCY_STATES = 5000


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
            try:
                sys.path.remove(folder)  # type: ignore[arg-type]
            except ValueError:
                pass


def check(
    spec: GraphSpec,
    smap: SourceMap,
    origin: str,
    *,
    load_subgraph: SubgraphLoader | None = None,
    _stack: tuple[str, ...] = (),
) -> CheckResult:
    """Check a spec; see the module docstring."""
    with import_root(origin):
        checker = _Checker(spec, smap, origin, load_subgraph, (*_stack, origin))
        graph = checker.run()
    errors = [d for d in checker.diags if d.severity.value == "error"]
    return CheckResult(None if errors else graph, tuple(checker.diags), smap)


# -- type helpers ---------------------------------------------------------------------


def _unwrap(tp: Any) -> Any:
    """Strip ``Annotated``, ``Required``, ``NotRequired`` and ``ReadOnly``."""
    while True:
        origin = get_origin(tp)
        if origin is typing.Annotated:
            tp = get_args(tp)[0]
        elif origin in (typing.Required, typing.NotRequired):
            tp = get_args(tp)[0]
        else:
            return tp


def _is_union(tp: Any) -> bool:
    return get_origin(tp) in (typing.Union, types.UnionType)


def _is_typeddict(tp: Any) -> bool:
    return isinstance(tp, type) and typing.is_typeddict(tp)


def _is_pydantic(tp: Any) -> bool:
    return isinstance(tp, type) and hasattr(tp, "model_fields") and hasattr(tp, "model_validate")


def _typed_fields(cls: type) -> dict[str, Any]:
    """Field name → annotation (with extras) of a TypedDict, dataclass or pydantic class."""
    if _is_pydantic(cls):
        fields = cls.model_fields  # type: ignore[attr-defined]
        out = {}
        for name, info in fields.items():
            tp = info.annotation
            if info.metadata:
                tp = typing.Annotated[(tp, *info.metadata)]
            out[name] = tp
        return out
    hints = typing.get_type_hints(cls, include_extras=True)
    if dataclasses.is_dataclass(cls):
        return {f.name: hints.get(f.name, Any) for f in dataclasses.fields(cls)}
    return dict(hints)


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


def _abc_match(value: type, target: type) -> bool:
    import collections.abc as abc

    pairs = {
        abc.Sequence: (list, tuple),
        abc.MutableSequence: (list,),
        abc.Mapping: (dict,),
        abc.MutableMapping: (dict,),
        abc.Iterable: (list, tuple, set, frozenset, dict),
    }
    return value in pairs.get(target, ())


def type_code(tp: Any) -> TypeRef:
    """Render a resolved type object as code plus imports (for user-declared types)."""
    from .types import Import

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
        if origin in (typing.Required, typing.NotRequired):
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
            if imp.module == "collections.abc" or imp.module == "typing":
                imports.add(imp)
                return t.__qualname__
            imports.add(imp)
            return t.__qualname__
        imports.add(Import("typing", "Any"))
        return "Any"

    code = render(tp)
    return TypeRef(code=code, imports=frozenset(imports), obj=tp)


def _zero_code(tp: Any) -> str | None:
    """Code of the value a reducer field starts at: its type called with no arguments."""
    base = get_origin(_unwrap(tp)) or _unwrap(tp)
    zeros = {list: "[]", dict: "{}", set: "set()", int: "0", float: "0.0", str: '""', tuple: "()"}
    import collections.abc as abc

    zeros_abc = {abc.Sequence: "[]", abc.MutableSequence: "[]", abc.Mapping: "{}", abc.MutableMapping: "{}"}
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
    if origin in (list, tuple, Sequence, typing.Sequence) or origin is not None and getattr(origin, "__name__", "") in ("Sequence", "list"):
        args = get_args(tp)
        if args:
            sub = _router_literals(args[0])
            if sub is not None:
                return sub[0], True
        return None
    return None


# -- the checker ----------------------------------------------------------------------


class _Checker:
    def __init__(
        self,
        spec: GraphSpec,
        smap: SourceMap,
        origin: str,
        load_subgraph: SubgraphLoader | None,
        stack: tuple[str, ...],
    ) -> None:
        self.spec = spec
        self.smap = smap
        self.origin = origin
        self.load_subgraph = load_subgraph
        self.stack = stack
        self.diags: list[Diagnostic] = []
        self.state_types: dict[str, Any] = {}
        self.reducer_fields: set[str] = set()
        self.node_names: set[str] = set()

    # -- reporting

    def span(self, loc: Loc) -> Span | None:
        return self.smap.get(loc)

    def error(self, code: str, message: str, loc: Loc, hint: str | None = None) -> None:
        self.diags.append(Diagnostic.error(code, message, self.span(loc), hint))

    # -- the pass

    def run(self) -> CheckedGraph | None:
        spec = self.spec
        if not is_identifier(spec.name):
            self.error(
                "E101",
                f"graph name `{spec.name}` is not a Python identifier",
                ("graph", "name"),
                "graph names name generated modules: use letters, digits and `_`",
            )
        state = self.check_state()
        self.check_node_names()
        nodes = {n.name: n for n in spec.nodes}
        succ, joins, bad_edges = self.check_edges(nodes)
        branches = self.check_branches(nodes)
        node_infos = []
        for node in spec.nodes:
            info = self.check_node(node, state, succ, joins, branches)
            if info is not None:
                node_infos.append(info)
        if not bad_edges:
            self.check_topology(succ, joins, branches)
        if self.diags or state is None:
            return None
        self.check_concurrent_writes(node_infos, succ, joins, branches)
        if self.diags:
            return None
        custom = self.resolve_type_expr(spec.custom_type, ("graph", "custom_type"))
        return CheckedGraph(
            name=spec.name,
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

    # -- state

    def check_state(self) -> StateInfo | None:
        st = self.spec.state
        if st.class_ref is not None:
            if st.fields:
                self.error("E004", "a state has either `class` or `fields`, not both", ("state", "fields"))
                return None
            try:
                cls = resolve_ref(st.class_ref)
            except RefError as exc:
                self.error("E302", str(exc), ("state", "class"))
                return None
            if not isinstance(cls, type):
                self.error("E302", f"`{st.class_ref}` is not a class", ("state", "class"))
                return None
            if _is_typeddict(cls):
                kind: Literal["typeddict", "dataclass", "pydantic"] = "typeddict"
            elif dataclasses.is_dataclass(cls):
                kind = "dataclass"
            elif _is_pydantic(cls):
                kind = "pydantic"
            else:
                self.error(
                    "E302",
                    f"state class `{st.class_ref}` is not a TypedDict, dataclass or pydantic model",
                    ("state", "class"),
                )
                return None
            try:
                hints = _typed_fields(cls)
            except Exception as exc:
                self.error("E302", f"cannot read the fields of `{st.class_ref}`: {exc}", ("state", "class"))
                return None
            fields = []
            defaults = _class_defaults(cls)
            for name, tp in hints.items():
                reducer = _reducer_of(tp)
                ref = None
                initial = None
                if reducer is not None:
                    ref = self.ref_of(reducer, ("state", "class"), f"reducer of `{name}`")
                    if ref is None:
                        continue
                    self.check_reducer(reducer, _unwrap(tp), name, ("state", "class"))
                    initial = _zero_code(tp)
                    self.reducer_fields.add(name)
                self.state_types[name] = _unwrap(tp)
                fields.append(
                    StateField(
                        name=name,
                        type=type_code(_unwrap(tp)),
                        reducer=ref,
                        initial=initial,
                        default=defaults.get(name),
                    )
                )
            ref = self.ref_of(cls, ("state", "class"), "state class")
            if ref is None:
                return None
            return StateInfo(kind=kind, cls=ref, fields=tuple(fields))
        if not st.fields:
            self.error("E004", "the state declares no fields", ("state",), "add `[state.fields]` or `class`")
            return None
        fields = []
        ok = True
        for fs in st.fields:
            field = self.check_field(fs)
            if field is None:
                ok = False
            else:
                fields.append(field)
        return StateInfo(kind=st.kind, cls=None, fields=tuple(fields)) if ok else None

    def check_field(self, fs: FieldSpec) -> StateField | None:
        loc: Loc = ("state", "fields", fs.name)
        if not is_identifier(fs.name):
            self.error("E101", f"state field `{fs.name}` is not a Python identifier", loc)
            return None
        tref = self.resolve_type_expr(fs.type, (*loc, "type"))
        if tref is None:
            return None
        self.state_types[fs.name] = tref.obj
        reducer_ref = None
        initial = None
        if fs.reducer is not None:
            from .spec import REDUCER_ALIASES

            target = REDUCER_ALIASES.get(fs.reducer, fs.reducer)
            try:
                fn = resolve_ref(target)
                module, attr = parse_ref(target)
            except RefError as exc:
                self.error("E301", f"reducer of `{fs.name}`: {exc}", (*loc, "reducer"))
                return None
            if not callable(fn):
                self.error("E303", f"reducer `{fs.reducer}` is not callable", (*loc, "reducer"))
                return None
            self.check_reducer(fn, tref.obj, fs.name, (*loc, "reducer"))
            reducer_ref = Ref(module, attr, fn)
            self.reducer_fields.add(fs.name)
            initial = repr(fs.default.value) if fs.default is not None else _zero_code(tref.obj)
        default = repr(fs.default.value) if fs.default is not None else None
        if fs.default is not None and fs.default.value is not None:
            if not compatible(type(fs.default.value), tref.obj):
                self.error(
                    "E307",
                    f"default of `{fs.name}` is a {type(fs.default.value).__name__}, not `{fs.type}`",
                    (*loc, "default"),
                )
                return None
        return StateField(
            name=fs.name,
            type=tref,
            reducer=reducer_ref,
            initial=initial,
            default=default,
            description=fs.description,
        )

    def resolve_type_expr(self, expr: str | None, loc: Loc) -> TypeRef | None:
        if expr is None:
            return None
        try:
            return resolve_type(expr)
        except TypeExprError as exc:
            self.error("E302", f"type `{expr}` does not resolve: {exc}", loc)
            return None

    def check_reducer(self, fn: Any, field_type: Any, name: str, loc: Loc) -> None:
        try:
            sig = inspect.signature(fn)
        except (TypeError, ValueError):
            return
        positional = [
            p
            for p in sig.parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        required_kw = [
            p for p in sig.parameters.values() if p.kind is p.KEYWORD_ONLY and p.default is p.empty
        ]
        has_var = any(p.kind is p.VAR_POSITIONAL for p in sig.parameters.values())
        required = [p for p in positional if p.default is p.empty]
        if required_kw or len(required) > 2 or (len(positional) < 2 and not has_var):
            self.error(
                "E308",
                f"reducer `{_name_of(fn)}` of `{name}` must take two arguments (current, update); "
                f"its signature is `{sig}`",
                loc,
            )
            return
        try:
            hints = typing.get_type_hints(fn)
        except Exception:
            return
        if positional and positional[0].name in hints:
            param = hints[positional[0].name]
            if not compatible(field_type, param):
                self.error(
                    "E308",
                    f"reducer `{_name_of(fn)}` takes `{_show(param)}` but field `{name}` is `{_show(field_type)}`",
                    loc,
                )
                return
        ret = hints.get("return")
        if ret is not None and not compatible(ret, field_type):
            self.error(
                "E308",
                f"reducer `{_name_of(fn)}` returns `{_show(ret)}` but field `{name}` is `{_show(field_type)}`",
                loc,
            )

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
        qualname = obj.__qualname__
        # a served object is bound under its own name, not under its qualname
        attr = qualname if qualname.split(".")[0] == imp.name else imp.name
        return Ref(imp.module, attr, obj)

    # -- nodes

    def check_node_names(self) -> None:
        seen: set[str] = set()
        for node in self.spec.nodes:
            loc: Loc = ("nodes", node.name)
            if node.name in _RESERVED:
                self.error("E102", f"`{node.name}` is reserved and cannot name a node", loc)
            elif not is_identifier(node.name):
                what = "a Python keyword" if keyword.iskeyword(node.name) else "not a Python identifier"
                self.error("E101", f"node name `{node.name}` is {what}", loc)
            elif node.name.startswith("__"):
                self.error("E101", f"node name `{node.name}` may not start with `__`", loc)
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
            self.error("E107", f"node `{node.name}` needs exactly one of `call` and `subgraph`", loc)
            return None
        triggers = self.triggers_of(node.name, succ, joins, branches)
        common = dict(
            name=node.name,
            tags=node.tags,
            metadata=tuple(node.metadata.items()),
            description=node.description,
            triggers=triggers,
            successors=tuple(t for t in succ.get(node.name, ()) if t != END),
            branches=tuple(branches.get(node.name, ())),
            joins=tuple(i for i, j in enumerate(joins) if node.name in j.sources),
        )
        custom = self.resolve_type_expr(node.custom_type, (*loc, "custom_type"))
        if node.subgraph is not None:
            sub = self.check_subgraph(node, state)
            if sub is None:
                return None
            shared = tuple(f.name for f in sub.state.fields if state and state.field(f.name))
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
            self.error("E301", f"node `{node.name}`: {exc}", (*loc, "call"))
            return None
        if not callable(fn):
            self.error("E303", f"node `{node.name}`: `{node.call}` is not callable", (*loc, "call"))
            return None
        sig_info = self.check_signature(node, fn, state)
        if sig_info is None:
            return None
        writer_arg, config_arg, input_keys, update_type, writes = sig_info
        if node.writes is not None:
            unknown = [k for k in node.writes if state is not None and state.field(k) is None]
            for i, key in enumerate(node.writes):
                if key in unknown:
                    self.error(
                        "E306",
                        f"node `{node.name}` declares it writes `{key}`, which the state does not have",
                        (*loc, "writes", i),
                        _did_you_mean(key, [f.name for f in state.fields] if state else []),
                    )
            if unknown:
                return None
            writes = tuple(node.writes)
        if node.writer is True and writer_arg is None:
            self.error(
                "E304",
                f"node `{node.name}` is declared with `writer = true` but `{_name_of(fn)}` has no `writer` parameter",
                (*loc, "writer"),
            )
            return None
        if node.writer is False:
            writer_arg = None
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

    def check_signature(
        self, node: NodeSpec, fn: Any, state: StateInfo | None
    ) -> tuple[str | None, str | None, tuple[str, ...] | None, Ref | None, tuple[str, ...] | None] | None:
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
                f"node `{node.name}`: `{_name_of(fn)}{sig}` takes no argument; a node takes the state",
                loc,
                "add a first parameter `state`",
            )
            return None
        extra_required = []
        for p in params[1:] if positional else params:
            if p.name == "writer":
                writer_arg = "writer"
            elif p.name == "config":
                config_arg = "config"
            elif p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                continue
            elif p.default is p.empty:
                extra_required.append(p.name)
        if extra_required:
            self.error(
                "E304",
                f"node `{node.name}`: `{_name_of(fn)}{sig}` requires `{extra_required[0]}`, "
                "which flowc cannot pass",
                loc,
                "a node takes the state, and optionally `config` and `writer`",
            )
            return None
        hints = self.hints_of(fn)
        input_keys = None
        if positional and state is not None:
            ann = hints.get(positional[0].name)
            if ann is not None:
                input_keys = self.check_input_annotation(node, fn, ann, state)
                if input_keys is False:
                    return None
        update_type = None
        writes = None
        ret = hints.get("return")
        if ret is not None and state is not None:
            result = self.check_return_annotation(node, fn, ret, state)
            if result is False:
                return None
            if result is not None:
                update_type, writes = result
        return (
            writer_arg,
            config_arg,
            input_keys if isinstance(input_keys, tuple) else None,
            update_type,
            writes,
        )

    def hints_of(self, fn: Any) -> dict[str, Any]:
        target = fn if inspect.isfunction(fn) or inspect.ismethod(fn) else getattr(fn, "__call__", fn)
        try:
            return typing.get_type_hints(target, include_extras=True)
        except Exception:
            pass
        # annotations naming generated types (imported under TYPE_CHECKING) resolve
        # against the types flowc will generate for this spec
        try:
            return typing.get_type_hints(target, localns=self.generated_names(), include_extras=True)
        except Exception:
            return {}

    def generated_names(self) -> dict[str, Any]:
        prefix = camel(self.spec.name)
        fields = {n: (tp if tp is not None else Any) for n, tp in self.state_types.items()}
        names: dict[str, Any] = {
            f"{prefix}State": typing.TypedDict(f"{prefix}State", fields, total=False),  # type: ignore[operator]
            f"{prefix}Input": typing.TypedDict(f"{prefix}Input", fields, total=False),  # type: ignore[operator]
            f"{prefix}Update": typing.TypedDict(f"{prefix}Update", fields, total=False),  # type: ignore[operator]
        }
        for node in self.spec.nodes:
            if node.writes:
                sub = {k: fields.get(k, Any) for k in node.writes}
                name = f"{camel(node.name)}Update"
                names[name] = typing.TypedDict(name, sub, total=False)  # type: ignore[operator]
        from flowc.runtime import StreamWriter

        names["StreamWriter"] = StreamWriter
        return names

    def check_input_annotation(
        self, node: NodeSpec, fn: Any, ann: Any, state: StateInfo
    ) -> tuple[str, ...] | None | Literal[False]:
        loc: Loc = ("nodes", node.name, "call")
        ann = _unwrap(ann)
        if ann is Any or ann in (dict, Mapping, typing.Mapping, object) or get_origin(ann) in (dict, Mapping):
            return None
        state_cls = state.cls.obj if state.cls else None
        if ann is state_cls:
            return None
        if _is_typeddict(ann) or dataclasses.is_dataclass(ann) or _is_pydantic(ann):
            try:
                fields = _typed_fields(ann)
            except Exception:
                return None
            missing = [k for k in fields if state.field(k) is None]
            if missing:
                self.error(
                    "E305",
                    f"node `{node.name}` takes `{_show(ann)}`, whose key `{missing[0]}` is not in the state",
                    loc,
                    _did_you_mean(missing[0], [f.name for f in state.fields]),
                )
                return False
            for key, tp in fields.items():
                declared = self.state_types.get(key)
                if declared is not None and not compatible(declared, tp):
                    self.error(
                        "E305",
                        f"node `{node.name}` takes `{key}` as `{_show(tp)}`, but the state has `{_show(declared)}`",
                        loc,
                    )
                    return False
            if state_cls is None and _is_typeddict(ann) and set(fields) == set(self.state_types):
                return None
            if _is_typeddict(ann) and (state_cls is None or _is_typeddict(state_cls)):
                return tuple(fields) if set(fields) != set(self.state_types) else None
            if state_cls is not None and ann is not state_cls:
                self.error(
                    "E305",
                    f"node `{node.name}` takes `{_show(ann)}` but the state is `{_show(state_cls)}`",
                    loc,
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
        self, node: NodeSpec, fn: Any, ret: Any, state: StateInfo
    ) -> tuple[Ref | None, tuple[str, ...]] | None | Literal[False]:
        loc: Loc = ("nodes", node.name, "call")
        inner = _unwrap(ret)
        if _is_async(fn) and get_origin(inner) in (typing.Coroutine,):
            inner = get_args(inner)[-1]
        options = [a for a in get_args(inner)] if _is_union(inner) else [inner]
        tds = [o for o in options if _is_typeddict(o)]
        others = [o for o in options if not _is_typeddict(o) and o is not type(None) and o is not None]
        if not tds:
            if any(o is not Any and get_origin(o) not in (dict, Mapping) and o not in (dict, Mapping) for o in others):
                if all(o is type(None) or o is None for o in options):
                    return None, ()
                self.error(
                    "E307",
                    f"node `{node.name}` returns `{_show(ret)}`; a node returns a dict of state keys",
                    loc,
                    "annotate the return with a TypedDict of the keys it writes",
                )
                return False
            return None
        keys: list[str] = []
        for td in tds:
            try:
                fields = typing.get_type_hints(td, include_extras=True)
            except Exception:
                return None
            for key, tp in fields.items():
                declared = self.state_types.get(key)
                if state.field(key) is None:
                    self.error(
                        "E306",
                        f"node `{node.name}` returns key `{key}`, which the state does not have",
                        loc,
                        _did_you_mean(key, [f.name for f in state.fields])
                        or "LangGraph would drop this write silently; flowc refuses it",
                    )
                    return False
                if declared is not None and not compatible(tp, declared):
                    self.error(
                        "E307",
                        f"node `{node.name}` writes `{key}` as `{_show(tp)}`, but the state has `{_show(declared)}`",
                        loc,
                    )
                    return False
                if key not in keys:
                    keys.append(key)
        update_ref = None
        if len(tds) == 1 and not others:
            imp = import_of(tds[0])
            if imp is not None:
                update_ref = Ref(imp.module, tds[0].__qualname__, tds[0])
        return update_ref, tuple(keys)

    # -- subgraphs

    def check_subgraph(self, node: NodeSpec, state: StateInfo | None) -> CheckedGraph | None:
        loc: Loc = ("nodes", node.name, "subgraph")
        assert node.subgraph is not None
        if self.load_subgraph is None:
            self.error("E504", f"node `{node.name}`: subgraphs cannot be loaded here", loc)
            return None
        spec, smap, diags, origin = self.load_subgraph(node.subgraph, self.origin)
        if origin in self.stack:
            chain = " → ".join([*self.stack[self.stack.index(origin):], origin])
            self.error("E503", f"graph contains itself: {chain}", loc)
            return None
        if spec is None or any(d.severity.value == "error" for d in diags):
            self.diags.extend(diags)
            if spec is None:
                return None
        assert spec is not None
        result = check(spec, smap, origin, load_subgraph=self.load_subgraph, _stack=self.stack)
        if result.graph is None:
            self.diags.extend(result.diagnostics)
            if not result.diagnostics:
                self.error("E504", f"subgraph `{node.subgraph}` did not check", loc)
            return None
        sub = result.graph
        if state is None:
            return sub
        shared = [f for f in sub.state.fields if state.field(f.name) is not None]
        if not shared:
            self.error(
                "E501",
                f"subgraph `{sub.name}` shares no state key with graph `{self.spec.name}`",
                loc,
                "a subgraph node reads and writes the keys both states declare",
            )
            return None
        for f in shared:
            mine = self.state_types.get(f.name)
            theirs = f.type.obj
            if mine is not None and theirs is not None and not (
                compatible(mine, theirs) and compatible(theirs, mine)
            ):
                self.error(
                    "E502",
                    f"key `{f.name}` is `{_show(mine)}` here but `{_show(theirs)}` in subgraph `{sub.name}`",
                    loc,
                )
                return None
        return sub

    # -- edges and branches

    def check_name_ref(self, name: str, loc: Loc, *, role: str) -> bool:
        if name in self.node_names:
            return True
        if name == START and role == "source":
            return True
        if name == END and role == "target":
            return True
        if name == START:
            self.error("E106", "an edge cannot lead to START", loc)
            return False
        if name == END:
            self.error("E106", "an edge cannot start at END", loc)
            return False
        self.error(
            "E104",
            f"unknown node `{name}`",
            loc,
            _did_you_mean(name, sorted(self.node_names)) or "declare it under `[nodes]`",
        )
        return False

    def check_edges(
        self, nodes: Mapping[str, NodeSpec]
    ) -> tuple[dict[str, list[str]], list[JoinInfo], bool]:
        succ: dict[str, list[str]] = {}
        joins: list[JoinInfo] = []
        bad = False
        for i, edge in enumerate(self.spec.edges):
            ok = True
            for j, src in enumerate(edge.sources):
                ok &= self.check_name_ref(src, ("edges", i, "from", j), role="source")
            for j, dst in enumerate(edge.targets):
                ok &= self.check_name_ref(dst, ("edges", i, "to", j), role="target")
            if not ok:
                bad = True
                continue
            if len(edge.sources) > 1:
                if START in edge.sources:
                    self.error("E106", "START cannot be part of a join", ("edges", i, "from"))
                    bad = True
                    continue
                for dst in edge.targets:
                    if dst == END:
                        self.error("E106", "a join cannot lead to END", ("edges", i, "to"))
                        bad = True
                        continue
                    joins.append(JoinInfo(tuple(edge.sources), dst))
                continue
            src = edge.sources[0]
            for dst in edge.targets:
                targets = succ.setdefault(src, [])
                if dst not in targets:
                    targets.append(dst)
        return succ, joins, bad

    def check_branches(self, nodes: Mapping[str, NodeSpec]) -> dict[str, list[BranchInfo]]:
        out: dict[str, list[BranchInfo]] = {}
        for i, br in enumerate(self.spec.branches):
            info = self.check_branch(i, br)
            if info is not None:
                out.setdefault(br.source, []).append(info)
        return out

    def check_branch(self, i: int, br: BranchSpec) -> BranchInfo | None:
        loc: Loc = ("branches", i)
        if not self.check_name_ref(br.source, (*loc, "from"), role="source"):
            return None
        try:
            fn = resolve_ref(br.router)
            module, attr = parse_ref(br.router)
        except RefError as exc:
            self.error("E301", f"router: {exc}", (*loc, "router"))
            return None
        if not callable(fn):
            self.error("E303", f"router `{br.router}` is not callable", (*loc, "router"))
            return None
        hints = self.hints_of(fn)
        literal = _router_literals(hints["return"]) if "return" in hints else None
        declared: list[str] | None = None
        if br.path_map is not None:
            declared = list(br.path_map.values())
            for j, (key, dst) in enumerate(br.path_map.items()):
                self.check_name_ref(dst, (*loc, "path_map", key), role="target")
                del j
            keys = list(br.path_map)
            if literal is not None:
                stray = [name for name in literal[0] if name not in keys]
                if stray:
                    self.error(
                        "E309",
                        f"router `{_name_of(fn)}` can return `{stray[0]}`, which its path map does not map",
                        (*loc, "router"),
                    )
                    return None
        elif br.targets is not None:
            declared = list(br.targets)
            ok = True
            for j, dst in enumerate(br.targets):
                ok &= self.check_name_ref(dst, (*loc, "targets", j), role="target")
            if not ok:
                return None
            if literal is not None:
                stray = [name for name in literal[0] if _end(name) not in declared]
                if stray:
                    self.error(
                        "E309",
                        f"router `{_name_of(fn)}` can return `{stray[0]}`, which is not among its targets",
                        (*loc, "router"),
                        f"declared targets: {', '.join(_show_node(t) for t in declared)}",
                    )
                    return None
        elif literal is not None:
            declared = []
            ok = True
            for name in literal[0]:
                name = _end(name)
                if name not in self.node_names and name != END:
                    self.error(
                        "E309",
                        f"router `{_name_of(fn)}` can return `{name}`, which is not a node",
                        (*loc, "router"),
                        _did_you_mean(name, sorted(self.node_names)),
                    )
                    ok = False
                declared.append(name)
            if not ok:
                return None
        else:
            self.error(
                "E310",
                f"the targets of router `{_name_of(fn)}` are unknown",
                (*loc, "router"),
                "annotate its return type with `Literal[...]` or declare `targets`",
            )
            return None
        try:
            params = inspect.signature(fn).parameters
        except (TypeError, ValueError):
            params = {}  # type: ignore[assignment]
        return BranchInfo(
            source=br.source,
            router=Ref(module, attr, fn),
            is_async=_is_async(fn),
            targets=tuple(dict.fromkeys(_end(t) for t in declared)),
            path_map=None if br.path_map is None else tuple(br.path_map.items()),
            config_arg="config" in params,
        )

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
        branches: Mapping[str, Sequence[BranchInfo]],
    ) -> None:
        names = [n.name for n in self.spec.nodes]
        if not succ.get(START) and not branches.get(START):
            self.error(
                "E201",
                "nothing starts the graph: no edge leaves START",
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
        for j in joins:
            for s in j.sources:
                forward[s].add(j.target)
        reached = _closure(forward, START)
        for name in names:
            if name not in reached:
                self.error(
                    "E201",
                    f"node `{name}` is unreachable from START",
                    ("nodes", name),
                    "add an edge or router target leading to it, or remove it",
                )
        # a node that has no way out ends the run there (as in LangGraph)
        terminal = {
            n
            for n in names
            if not forward.get(n) or END in forward.get(n, ())
        }
        backward: dict[str, set[str]] = {}
        for src, dsts in forward.items():
            for d in dsts:
                backward.setdefault(d, set()).add(src)
        can_end: set[str] = set()
        for t in terminal:
            can_end |= _closure(backward, t)
        for name in names:
            if name in reached and name not in can_end:
                self.error(
                    "E202",
                    f"a run that reaches node `{name}` can never end",
                    ("nodes", name),
                    "every path from it loops back; add a router with an END target",
                )
        # plain edges always fire: a cycle made of them never stops
        static: dict[str, list[str]] = {n: [t for t in succ.get(n, ()) if t != END] for n in names}
        cycle = _find_cycle(static)
        if cycle is not None:
            where = self._edge_loc(cycle[-1], cycle[0])
            self.error(
                "E203",
                "cycle with no conditional exit: " + " → ".join([*cycle, cycle[0]]),
                where,
                "plain edges always fire; leave the loop through a router",
            )

    def _edge_loc(self, src: str, dst: str) -> Loc:
        for i, edge in enumerate(self.spec.edges):
            if edge.sources == (src,) and dst in edge.targets:
                return ("edges", i, "to", edge.targets.index(dst))
        return ("nodes", src)

    def check_concurrent_writes(
        self,
        nodes: Sequence[NodeInfo],
        succ: Mapping[str, Sequence[str]],
        joins: Sequence[JoinInfo],
        branches: Mapping[str, Sequence[BranchInfo]],
    ) -> None:
        writes = {n.name: set(n.writes) for n in nodes if n.writes is not None}
        last_value = {name for name in self.state_types if name not in self.reducer_fields}
        seen_pairs: set[tuple[str, str, str]] = set()
        for step in _possible_steps(succ, joins, branches, _MAX_CONCURRENCY_STATES):
            members = sorted(step)
            for a_i, a in enumerate(members):
                for b in members[a_i + 1 :]:
                    shared = writes.get(a, set()) & writes.get(b, set()) & last_value
                    for key in sorted(shared):
                        if (a, b, key) in seen_pairs:
                            continue
                        seen_pairs.add((a, b, key))
                        self.error(
                            "E401",
                            f"nodes `{a}` and `{b}` can run in the same superstep and both write "
                            f"`{key}`, which keeps only the last value",
                            ("nodes", b),
                            f"give `{key}` a reducer (e.g. `reducer = \"add\"`), or write it from one node",
                        )


def _possible_steps(
    succ: Mapping[str, Sequence[str]],
    joins: Sequence[JoinInfo],
    branches: Mapping[str, Sequence[BranchInfo]],
    limit: int,
) -> Iterator[frozenset[str]]:
    """Every set of nodes that can make up one superstep (explored up to ``limit`` states)."""

    def next_steps(ran: frozenset[str], barrier: tuple[frozenset[str], ...]) -> list[tuple[frozenset[str], tuple[frozenset[str], ...]]]:
        fixed: set[str] = set()
        choices: list[tuple[str, ...]] = []
        for name in ran:
            fixed.update(t for t in succ.get(name, ()) if t != END)
            for br in branches.get(name, ()):
                choices.append(br.targets)
        new_barrier = list(barrier)
        for i, j in enumerate(joins):
            seen = barrier[i] | (ran & set(j.sources))
            if seen >= set(j.sources):
                fixed.add(j.target)
                seen = frozenset()
            new_barrier[i] = frozenset(seen)
        results = []
        combos: list[frozenset[str]] = [frozenset(fixed)]
        for options in choices:
            combos = [c | {o} for c in combos for o in options]
            if len(combos) > 64:
                combos = combos[:64]
        for combo in combos:
            nodes = frozenset(t for t in combo if t != END)
            results.append((nodes, tuple(new_barrier)))
        return results

    start_barrier = tuple(frozenset() for _ in joins)
    first = next_steps(frozenset({START}), start_barrier)
    frontier = list(first)
    seen: set[tuple[frozenset[str], tuple[frozenset[str], ...]]] = set()
    while frontier and len(seen) < limit:
        state = frontier.pop()
        if state in seen or not state[0]:
            continue
        seen.add(state)
        yield state[0]
        frontier.extend(next_steps(*state))


def _closure(graph: Mapping[str, set[str]], start: str) -> set[str]:
    seen = {start}
    todo = [start]
    while todo:
        for nxt in graph.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


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


def _is_async(fn: Any) -> bool:
    if inspect.iscoroutinefunction(fn):
        return True
    call = getattr(fn, "__call__", None)
    return call is not None and inspect.iscoroutinefunction(call)


def _reducer_of(tp: Any) -> Any:
    if get_origin(tp) is typing.Annotated:
        for meta in reversed(get_args(tp)[1:]):
            if callable(meta):
                return meta
    return None


def _class_defaults(cls: type) -> dict[str, str]:
    out: dict[str, str] = {}
    if dataclasses.is_dataclass(cls):
        for f in dataclasses.fields(cls):
            if f.default is not dataclasses.MISSING:
                out[f.name] = repr(f.default)
    return out


def _end(name: str) -> str:
    return END if name in ("END", END) else name


def _show_node(name: str) -> str:
    return "END" if name == END else name


def _name_of(obj: Any) -> str:
    return getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or type(obj).__name__


def _show(tp: Any) -> str:
    return type_code(tp).code


def _did_you_mean(name: str, options: Sequence[str]) -> str | None:
    import difflib

    close = difflib.get_close_matches(name, list(options), n=1)
    return f"did you mean `{close[0]}`?" if close else None
