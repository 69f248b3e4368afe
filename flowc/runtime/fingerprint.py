"""State schema fingerprints: what a checkpoint records of the graph that wrote it.

A compiled graph knows its state's fields and their declared types; every
checkpoint it saves records them (the checkpoint's ``flowc_schema`` entry:
a fingerprint and the fields). A run that goes on from a stored checkpoint
compares the two before any node runs: an unchanged schema, or one that only
adds fields a run can start without (a default, a reducer's starting value,
a type that admits ``None``), goes on; any other change fails with
:class:`SchemaChangedError` naming each field that changed. ``flowc check
--against-db`` runs the same comparison over every thread of a database.

Standard library only, like the rest of the runtime.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from typing import Any, Final

__all__ = [
    "SCHEMA_KEY",
    "SchemaChangedError",
    "StateSchema",
    "check_codecs",
    "check_schema",
    "fingerprint",
    "schema_changes",
    "schema_entry",
]

SCHEMA_KEY: Final = "flowc_schema"
"""The key of a checkpoint's schema record (``{"fingerprint": ..., "fields": ...}``)."""

StateSchema = tuple[tuple[str, str, bool], ...]
"""A state's fields as ``(name, declared type, optional)``: optional when a run can start
without a stored value for it (a default, a reducer's starting value, ``None`` allowed)."""


class SchemaChangedError(ValueError):
    """A thread's checkpoint was written under a state schema this graph cannot read.

    ``changes`` lists one line per field that changed.
    """

    def __init__(self, thread_id: str, checkpoint_id: str, changes: Sequence[str]) -> None:
        self.thread_id = thread_id
        self.checkpoint_id = checkpoint_id
        self.changes = tuple(changes)
        listed = "; ".join(self.changes)
        super().__init__(
            f"thread {thread_id!r}: checkpoint {checkpoint_id} was saved under another state "
            f"schema, and this graph cannot go on from it ({listed}); run the thread with the "
            "graph that wrote it, or start a new thread"
        )


@functools.cache
def fingerprint(schema: StateSchema) -> str:
    """A short, stable hash of ``schema`` (the same fields and types give the same one)."""
    # hashlib (OpenSSL) is imported by the first run on a thread, not with every runner
    from hashlib import blake2b

    text = json.dumps(sorted([name, type_, optional] for name, type_, optional in schema))
    return blake2b(text.encode(), digest_size=8).hexdigest()


@functools.cache
def schema_entry(schema: StateSchema) -> Mapping[str, Any]:
    """What a checkpoint records of ``schema`` (made once per schema; do not mutate)."""
    return {
        "fingerprint": fingerprint(schema),
        "fields": {name: [type_, optional] for name, type_, optional in schema},
    }


def schema_changes(stored: Any, schema: StateSchema) -> list[str]:
    """The changes from a stored schema record to ``schema`` that a resumed run cannot take.

    An empty list when the schemas are equal or the change is compatible: a
    field added that is optional. ``stored`` is a checkpoint's ``flowc_schema``
    entry; a checkpoint without one (written by LangGraph, or before flowc
    recorded schemas) is taken as compatible.
    """
    if not isinstance(stored, Mapping):
        return []
    if stored.get("fingerprint") == fingerprint(schema):
        return []
    fields = stored.get("fields")
    if not isinstance(fields, Mapping):
        return ["the stored schema record is malformed"]
    now = {name: (type_, optional) for name, type_, optional in schema}
    changes: list[str] = []
    for name, entry in fields.items():
        was = entry[0] if isinstance(entry, Sequence) and entry else "?"
        if name not in now:
            changes.append(f"field {name!r} ({was}) was removed")
        elif now[name][0] != was:
            changes.append(f"field {name!r} changed type from {was} to {now[name][0]}")
    for name, (type_, optional) in now.items():
        if name not in fields and not optional:
            changes.append(
                f"field {name!r} ({type_}) was added without a default, and stored "
                "checkpoints have no value for it"
            )
    return changes


def check_schema(thread_id: str, checkpoint: Mapping[str, Any], schema: StateSchema) -> None:
    """Raise :class:`SchemaChangedError` if a graph of ``schema`` cannot go on from ``checkpoint``."""
    if not schema:
        return
    changes = schema_changes(checkpoint.get(SCHEMA_KEY), schema)
    if changes:
        raise SchemaChangedError(thread_id, str(checkpoint.get("id")), changes)


def check_codecs(
    graph: str, codecs: Sequence[tuple[str, str]], schema: StateSchema, saver: Any
) -> None:
    """Refuse, before anything runs, a saver that cannot store the fields only pickle stores.

    ``codecs`` are the graph's fields no JSON codec stores, which its spec's
    ``checkpoints = "pickle"`` opted into pickle; flowc's serializer stores them only
    with ``pickle_fallback=True`` (another serializer decides for itself).

    Raises:
        CheckpointSerializationError: for a saver whose flowc serializer refuses pickles.
    """
    from .checkpoint import CheckpointSerializationError, JsonSerializer

    serde = getattr(saver, "serde", None)
    if not isinstance(serde, JsonSerializer) or serde.pickle_fallback:
        return
    types = {name: type_ for name, type_, _ in schema}
    fields = ", ".join(f"{name!r} ({types.get(name, '?')})" for name, _ in codecs)
    raise CheckpointSerializationError(
        f"graph {graph!r} stores state fields {fields} with pickle, as its spec opts into "
        '(`checkpoints = "pickle"`), and this saver\'s serializer refuses pickles: give the '
        "saver serde=JsonSerializer(pickle_fallback=True)"
    )
