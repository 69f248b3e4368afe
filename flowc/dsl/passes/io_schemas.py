"""The graph's input and output schemas: ``[graph] input_schema`` / ``output_schema`` → keys.

Takes the spec and the checked state; imports each schema class and gives the
keys a run's input may set and the keys ``invoke`` returns (``None`` where the
spec names no schema: every key of the state, or what the drop-in recorded in
``input_keys`` / ``output_keys``). A schema that is not a state class, or that
has a key the state lacks or types a key otherwise, is an E315 at its key.
"""

from __future__ import annotations

import dataclasses

from ..graph import StateInfo
from ..spec import GraphSpec
from ..typerules import compatible, is_pydantic, is_typeddict, show_type, typed_fields, unwrap
from ..types import RefError, resolve_ref
from .report import Pass, name_of, ref_hint
from .state import CheckedState

__all__ = ["IoSchemaPass"]


class IoSchemaPass(Pass):
    """Checks the graph's schemas; :meth:`run` gives ``(input_keys, output_keys)``."""

    def run(
        self, spec: GraphSpec, state: CheckedState, info: StateInfo | None
    ) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
        """The keys of the input and output schemas (see the module docstring)."""
        taken = self.keys_of(spec.input_schema, "input_schema", state, info)
        given = self.keys_of(spec.output_schema, "output_schema", state, info)
        return (
            spec.input_keys if spec.input_schema is None else taken,
            spec.output_keys if spec.output_schema is None else given,
        )

    def keys_of(
        self, ref: str | None, key: str, state: CheckedState, info: StateInfo | None
    ) -> tuple[str, ...] | None:
        if ref is None:
            return None
        loc = ("graph", key)
        try:
            cls = resolve_ref(ref)
        except RefError as exc:
            self.error("E301", f"`{key}`: {exc}", loc, exc.hint or ref_hint(ref))
            return None
        if not isinstance(cls, type) or not (
            is_typeddict(cls) or dataclasses.is_dataclass(cls) or is_pydantic(cls)
        ):
            self.error(
                "E315",
                f"`{key}` `{name_of(cls)}` is not a TypedDict, dataclass or pydantic model",
                loc,
                "a schema is a class of some of the state's keys, as LangGraph's are",
            )
            return None
        if info is not None and info.cls is not None and cls is info.cls.obj:
            return tuple(state.keys())
        hints, failures = typed_fields(cls)
        for name, why in failures.items():
            self.error("E302", f"the type of `{key}` key `{name}` does not resolve: {why}", loc)
        ok = not failures
        for name, tp in hints.items():
            if not state.has_key(name):
                self.error(
                    "E315",
                    f"`{key}` `{name_of(cls)}` has key `{name}`, which the state lacks",
                    loc,
                    f"declare `{name}` in the state, or leave it out of `{name_of(cls)}`",
                )
                ok = False
                continue
            mine = state.types[name]
            if not (compatible(unwrap(tp), mine) and compatible(mine, unwrap(tp))):
                self.error(
                    "E315",
                    f"`{key}` `{name_of(cls)}` types key `{name}` as "
                    f"`{show_type(unwrap(tp))}`, but the state's is `{show_type(mine)}`",
                    loc,
                )
                ok = False
        return tuple(hints) if ok else None
