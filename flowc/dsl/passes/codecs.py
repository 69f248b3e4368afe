"""The checkpoint codecs pass: a checkpointed graph's state fields → the codec each one is stored with.

Takes the spec and the resolved state (:class:`~flowc.dsl.graph.StateInfo`);
gives each field's codec (:func:`flowc.dsl.codecs.codec_of`) and an E801 for
a field no codec can store, when the graph keeps checkpoints (``[graph]
checkpoints = "json"``, or breakpoints or interrupting nodes, which need a
checkpointer) and pickle was not opted into (``checkpoints = "pickle"``).
"""

from __future__ import annotations

from ..codecs import codec_of, unstorable_part
from ..diagnostics import SourceMap
from ..graph import StateInfo
from ..spec import GraphSpec
from .report import Pass

__all__ = ["PICKLE", "CodecPass", "checkpointed"]

PICKLE = "pickle"
"""What generated code names the codec of a field only pickle stores (opted into)."""


def checkpointed(spec: GraphSpec) -> bool:
    """Whether the graph keeps checkpoints: it says so, or it stops where only a thread resumes."""
    if spec.checkpoints is not None:
        return True
    return bool(
        spec.interrupt_before
        or spec.interrupt_after
        or any(node.interrupts is not None for node in spec.nodes)
    )


class CodecPass(Pass):
    """Each state field's checkpoint codec, and an E801 for one no codec can store."""

    def __init__(self, spec: GraphSpec, smap: SourceMap, state: StateInfo) -> None:
        super().__init__(smap)
        self.spec = spec
        self.state = state

    def run(self) -> tuple[tuple[str, str], ...]:
        """The fields only pickle stores, as ``(field, "pickle")`` (generated code checks them).

        A graph that does not say it keeps checkpoints records none: run on a thread
        anyway, a value of such a field fails when it is stored, naming the field.
        """
        spec = self.spec
        out: list[tuple[str, str]] = []
        for field in self.state.fields:
            if codec_of(field.type.obj) is not None:
                continue
            if spec.checkpoints == PICKLE:
                out.append((str(field.name), PICKLE))
                continue
            if not checkpointed(spec):
                continue
            part = unstorable_part(field.type.obj)
            inside = (
                "" if part is None or part == field.type.code else f" (because of `{part}` in it)"
            )
            why = (
                '`[graph] checkpoints = "json"`'
                if spec.checkpoints is not None
                else "it has interrupts or breakpoints, which need a checkpointer"
            )
            loc = (
                ("state", "class")
                if spec.state.class_ref is not None
                else ("state", "fields", str(field.name), "type")
            )
            self.error(
                "E801",
                f"state field `{field.name}` has type `{field.type.code}`{inside}, which no "
                f"checkpoint codec can store, and the graph keeps checkpoints ({why})",
                loc,
                "give the field a type JSON or flowc's tagged JSON stores (JSON values, tuples, "
                "sets, bytes, datetimes, UUIDs, Decimals, enums, dataclasses, pydantic models), "
                'or opt into pickle with `checkpoints = "pickle"` in `[graph]` (unpickling runs '
                "code: only for a database you trust)",
            )
        return tuple(out)
