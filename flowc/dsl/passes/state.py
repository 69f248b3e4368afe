"""The state pass: a spec's ``[state]`` → the state's fields, types and reducers.

Takes the spec (a class it names, or the fields it declares); imports the
class, the field types and the reducers, checks each reducer against its
field and each default against its type, and gives a :class:`CheckedState`:
the :class:`StateInfo` generated code uses (``None`` when the state cannot be
used) and what the later passes check nodes against: every declared key's
type (``Any`` when it did not resolve), the keys with reducers and the update
types those reducers take. A key whose type is wrong is still declared, so
that nodes are checked against the rest of the state.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal, get_args

from pydantic import TypeAdapter

from ..diagnostics import Loc, SourceMap
from ..graph import Ref, StateField, StateInfo
from ..names import LiteralError, field_name_problem, identifier, literal_code
from ..spec import REDUCER_ALIASES, FieldSpec, GraphSpec
from ..toml_loader import KEY
from ..typerules import (
    code_name,
    compatible,
    is_pydantic,
    is_typeddict,
    is_union,
    reducer_of,
    show_type,
    type_code,
    typed_fields,
    untracked_of,
    unwrap,
    update_type,
    value_fits,
    zero_code,
)
from ..types import RefError, TypeRef, import_of, parse_ref, resolve_ref
from ..usercode import resolve_annotations
from .report import Pass, article, name_of, plain_signature, ref_hint

__all__ = ["CheckedState", "StatePass"]


@dataclass(frozen=True, slots=True)
class CheckedState:
    """What the state pass found, for the passes after it."""

    info: StateInfo | None
    """The state as generated code declares it; ``None`` when it cannot be used."""
    types: Mapping[str, Any]
    """Every declared state key → its type (``Any`` when the type did not resolve)."""
    reducer_fields: frozenset[str]
    update_types: Mapping[str, Any]
    """The type a reducer field's reducer takes as its update, when it says."""
    ok: bool
    """False when part of the state did not check (nodes are still checked against the rest)."""

    def has_key(self, key: str) -> bool:
        """Whether the state declares ``key``."""
        return key in self.types

    def keys(self) -> list[str]:
        """The declared keys, in order."""
        return list(self.types)


class StatePass(Pass):
    """Checks a spec's state; :meth:`run` gives the :class:`CheckedState`."""

    def __init__(self, spec: GraphSpec, smap: SourceMap) -> None:
        super().__init__(smap)
        self.spec = spec
        self.state_types: dict[str, Any] = {}
        self.reducer_fields: set[str] = set()
        self.update_types: dict[str, Any] = {}
        self.state_ok = True

    def run(self) -> CheckedState:
        """Check the state (see the module docstring)."""
        info = self.check_state()
        return CheckedState(
            info=info,
            types=MappingProxyType(self.state_types),
            reducer_fields=frozenset(self.reducer_fields),
            update_types=MappingProxyType(self.update_types),
            ok=self.state_ok,
        )

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
            self.error("E301", f"state class: {exc}", loc, exc.hint or ref_hint(class_ref))
            return None
        if not isinstance(cls, type):
            self.error("E302", f"`{class_ref}` is not a class", loc)
            return None
        kind: Literal["typeddict", "dataclass", "pydantic"]
        if is_typeddict(cls):
            kind = "typeddict"
        elif dataclasses.is_dataclass(cls):
            kind = "dataclass"
        elif is_pydantic(cls):
            kind = "pydantic"
        else:
            self.error(
                "E302",
                f"state class `{name_of(cls)}` is not a TypedDict, dataclass or pydantic model",
                loc,
            )
            return None
        hints, failures = typed_fields(cls)
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
                    f"state field `{name}` of `{name_of(cls)}` {problem[0]}",
                    (*loc, "field", name),
                    "generated code declares each state key as a Python name: rename the key",
                )
                del hints[name]
                ok = False
        for name, tp in hints.items():
            self.state_types[name] = unwrap(tp)
            reducer = reducer_of(tp)
            ref = None
            initial = None
            if reducer is not None:
                ref = self.ref_of(reducer, (*loc, "reducer", name), f"reducer of `{name}`")
                self.reducer_fields.add(name)
                self.update_types[name] = update_type(reducer)
                if ref is None:
                    ok = False
                    continue
                if not self.check_reducer(reducer, unwrap(tp), name, (*loc, "reducer", name)):
                    ok = False
                initial = zero_code(tp)
            ident = identifier(name)
            if ident is None:  # reported above
                continue
            fields.append(
                StateField(
                    name=ident,
                    type=type_code(unwrap(tp)),
                    reducer=ref,
                    initial=initial,
                    default=defaults.get(name),
                    untracked=untracked_of(tp),
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
                    exc.hint or ref_hint(target),
                )
                return None
            if not callable(fn):
                self.error(
                    "E303",
                    f"reducer `{fs.reducer}` of `{fs.name}` is not callable",
                    (*loc, "reducer"),
                )
                return None
            self.update_types[fs.name] = update_type(fn)
            if not self.check_reducer(fn, tref.obj, fs.name, (*loc, "reducer")):
                return None
            reducer_ref = Ref(module, attr, fn)
            initial = (
                literal_code(fs.default.value) if fs.default is not None else zero_code(tref.obj)
            )
        default = literal_code(fs.default.value) if fs.default is not None else None
        if (
            fs.default is not None
            and fs.default.value is not None
            and not value_fits(fs.default.value, tref.obj)
        ):
            self.error(
                "E311",
                f"the default of `{fs.name}` is {article(fs.default.value)}, not `{show_type(tref.obj)}`",
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
            untracked=bool(fs.untracked),
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
                f"reducer `{name_of(fn)}` of `{name}` must take two arguments (the current value "
                f"and an update), not `{plain_signature(sig)}`",
                loc,
            )
            return False
        hints, _ = resolve_annotations(fn)
        for param in positional[:2]:
            declared = hints.get(param.name)
            if declared is not None and not compatible(field_type, declared):
                self.error(
                    "E308",
                    f"reducer `{name_of(fn)}` takes `{param.name}: {show_type(declared)}`, "
                    f"but field `{name}` is `{show_type(field_type)}`",
                    loc,
                )
                return False
        ret = hints.get("return")
        # a reducer may declare a wider return than the field (add_messages returns `Messages`):
        # it fits as long as one of its return types does
        returns = get_args(unwrap(ret)) if ret is not None and is_union(unwrap(ret)) else (ret,)
        if ret is not None and not any(
            compatible(r, field_type) or compatible(field_type, r) for r in returns
        ):
            self.error(
                "E308",
                f"reducer `{name_of(fn)}` returns `{show_type(ret)}`, but field `{name}` is `{show_type(field_type)}`",
                loc,
            )
            return False
        return True

    def ref_of(self, obj: Any, loc: Loc, what: str) -> Ref | None:
        imp = import_of(obj)
        if imp is None:
            self.error(
                "E301",
                f"{what} `{name_of(obj)}` cannot be imported by generated code",
                loc,
                "define it at module level",
            )
            return None
        return Ref(imp.module, code_name(obj, imp), obj)


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
