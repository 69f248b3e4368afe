"""The signature pass: what a node's function says about the node.

Takes one node's function, the state pass's :class:`CheckedState` and the
graph's node names; inspects the function's parameters (the state, and
``config`` and ``writer`` if it asks for them) and its annotations: which
keys it reads, which it returns (checked against the state's types and the
node's declared ``writes``), and where a ``Command`` it returns may go. Gives
a :class:`NodeSignature` (``None`` when the function cannot be a node) with
what the topology passes need even from a node that is wrong: the keys every
update of it writes and its Command destinations.
"""

from __future__ import annotations

import dataclasses
import inspect
import typing
from collections.abc import Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple, get_args, get_origin

from ..diagnostics import Diagnostic, Loc, SourceMap
from ..graph import Ref, StateInfo
from ..names import camel
from ..spec import END, GraphSpec, NodeSpec
from ..typerules import (
    code_name,
    command_destinations,
    compatible,
    is_command,
    is_pydantic,
    is_typeddict,
    is_union,
    show_type,
    typed_fields,
    unwrap,
)
from ..types import import_of
from ..usercode import is_async, resolve_annotations
from .report import Pass, and_list, did_you_mean, name_of, plain_signature
from .state import CheckedState

__all__ = ["GeneratedNames", "NodeSignature", "SignatureFound", "inspect_signature"]

_Signature = tuple[
    str | None, str | None, tuple[str, ...] | None, Ref | None, tuple[str, ...] | None
]
"""What a node's signature tells: writer and config parameters, input keys, update type, writes."""


class NodeSignature(NamedTuple):
    """What a node's signature tells."""

    writer_arg: str | None
    config_arg: str | None
    input_keys: tuple[str, ...] | None
    """The keys its input annotation names, when that is narrower than the state."""
    update_type: Ref | None
    writes: tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class SignatureFound:
    """The signature pass's answer for one node."""

    signature: NodeSignature | None
    """``None`` when the function cannot be this node (the diagnostics say why)."""
    definite_writes: frozenset[str] | None
    """The keys every update of the node writes, when its return annotation says."""
    destinations: tuple[str, ...] | None
    """Where the Commands it returns may go, when it returns ``Command[Literal[...]]``."""


class GeneratedNames:
    """The types flowc generates for a spec, for annotations that name them (imported
    under ``TYPE_CHECKING`` from the generated module); made once per graph, on first use,
    since every node asks and the dict has an entry per node."""

    def __init__(self, spec: GraphSpec, state_types: Mapping[str, Any]) -> None:
        self.spec = spec
        self.state_types = state_types
        self._generated_names: dict[str, Any] | None = None

    def __call__(self) -> dict[str, Any]:
        """The names, made on the first call."""
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


def inspect_signature(
    node: NodeSpec,
    fn: Any,
    state: StateInfo | None,
    *,
    spec: GraphSpec,
    smap: SourceMap,
    checked_state: CheckedState,
    node_names: frozenset[str],
    generated_names: Callable[[], Mapping[str, Any]],
    sent: tuple[Any, ...] = (),
) -> tuple[SignatureFound, list[Diagnostic]]:
    """Check node ``node``'s function ``fn``; see the module docstring.

    ``sent`` are the argument types routers' ``Send`` annotations send the node
    (the wiring pass checked that its first parameter takes them).
    """
    run = _SignatureCheck(spec, smap, checked_state, node_names, generated_names)
    run.sent = sent
    found = run.check_signature(node, fn, state)
    signature = None if found is None else NodeSignature(*found)
    writes = run.definite_writes.get(node.name)
    result = SignatureFound(
        signature=signature,
        definite_writes=None if writes is None else frozenset(writes),
        destinations=run.destinations.get(node.name),
    )
    return result, run.diags


class _SignatureCheck(Pass):
    """The checks of one node's signature: a new one per node, so nothing carries over."""

    def __init__(
        self,
        spec: GraphSpec,
        smap: SourceMap,
        checked_state: CheckedState,
        node_names: frozenset[str],
        generated_names: Callable[[], Mapping[str, Any]],
    ) -> None:
        super().__init__(smap)
        self.spec = spec
        self.state_types = checked_state.types
        self.update_types = checked_state.update_types
        self.has_key = checked_state.has_key
        self.keys = checked_state.keys
        self.node_names = node_names
        self.generated_names = generated_names
        self.definite_writes: dict[str, set[str]] = {}
        self.destinations: dict[str, tuple[str, ...]] = {}
        self.sent: tuple[Any, ...] = ()

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
                f"node `{node.name}`: `{name_of(fn)}{plain_signature(sig)}` takes no argument, but a node is called with the state",
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

    def check_input_annotation(
        self, node: NodeSpec, ann: Any, state: StateInfo, param: str
    ) -> tuple[str, ...] | Literal[False] | None:
        loc: Loc = ("nodes", node.name, "call", "annotation", param)
        ann = unwrap(ann)
        if ann is Any or ann in (dict, Mapping, object) or get_origin(ann) in (dict, Mapping):
            return None
        if self.sent:
            # a node routers Send to takes what they send (checked against its annotation)
            # instead of the state, as in LangGraph
            return None
        state_cls = state.cls.obj if state.cls else None
        if ann is state_cls:
            return None
        if is_typeddict(ann) or dataclasses.is_dataclass(ann) or is_pydantic(ann):
            fields, _ = typed_fields(ann)
            missing = [k for k in fields if not self.has_key(k)]
            for key in missing:
                self.error(
                    "E305",
                    f"node `{node.name}` takes `{show_type(ann)}`, whose key `{key}` is not in the state",
                    loc,
                    did_you_mean(key, self.keys()),
                )
            if missing:
                return False
            for key, tp in fields.items():
                declared = self.state_types.get(key)
                if declared is not None and not compatible(declared, tp):
                    # an error of flowc's own specs; the drop-in passes it, as LangGraph does
                    self.error(
                        "E316",
                        f"node `{node.name}` takes `{key}` as `{show_type(tp)}`, but the state has `{show_type(declared)}`",
                        loc,
                    )
            if state_cls is None and is_typeddict(ann) and set(fields) == set(self.state_types):
                return None
            if is_typeddict(ann) and (state_cls is None or is_typeddict(state_cls)):
                return tuple(fields) if set(fields) != set(self.state_types) else None
            if state_cls is not None and ann is not state_cls:
                self.error(
                    "E305",
                    f"node `{node.name}` takes `{show_type(ann)}`, but the state is `{show_type(state_cls)}`",
                    loc,
                    f"annotate `{param}` with `{show_type(state_cls)}`",
                )
                return False
            return None
        self.error(
            "E305",
            f"node `{node.name}`: the state cannot be passed as `{show_type(ann)}`",
            loc,
            "annotate the first parameter with the state type",
        )
        return False

    def check_return_annotation(
        self, node: NodeSpec, fn: Any, ret: Any
    ) -> tuple[Ref | None, tuple[str, ...]] | Literal[False] | None:
        loc: Loc = ("nodes", node.name, "call", "return")
        inner = unwrap(ret)
        if is_async(fn) and get_origin(inner) is Coroutine:
            inner = get_args(inner)[-1]
        options = list(get_args(inner)) if is_union(inner) else [inner]
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
                    did_you_mean(unknown[0], sorted(self.node_names)),
                )
                return False
            self.destinations[node.name] = tuple(goto)
            options = [o for o in options if not is_command(o)]
            if not options:
                return None
        tds = [o for o in options if is_typeddict(o)]
        others = [
            o for o in options if not is_typeddict(o) and o is not type(None) and o is not None
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
                    f"node `{node.name}` returns `{show_type(ret)}`, but a node returns a dict of state keys",
                    loc,
                    "annotate the return with a TypedDict of the keys it writes",
                )
                return False
            return None
        keys: list[str] = []
        ok = True
        shown: list[str] = []
        for td in tds:
            fields, _ = typed_fields(td)
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
                        f"node `{node.name}` returns key `{key}` (in `{show_type(td)}`), which the state does not have",
                        loc,
                        did_you_mean(key, self.keys())
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
                        f"node `{node.name}` writes `{key}` as `{show_type(tp)}`, but "
                        + (
                            f"its reducer takes `{show_type(expected)}`"
                            if expected is not None
                            else f"the state has `{show_type(declared)}`"
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
                names = and_list(undeclared)
                self.error(
                    "E312",
                    f"node `{node.name}` returns `{show_type(ret)}`, which writes {names}, "
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
                update_ref = Ref(imp.module, code_name(tds[0], imp), tds[0])
        return update_ref, tuple(keys)
