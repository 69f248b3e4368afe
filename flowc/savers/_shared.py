"""What every saver does the same way: split a checkpoint into rows, and put one back together.

A checkpoint is stored as three kinds of record, as LangGraph's savers store it:
the checkpoint itself without its channel values (its "body"), one blob per
channel *version* (a channel unchanged since the last step is not stored
again), and one record per pending write. The savers differ only in where the
records live.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from flowc.runtime.checkpoint import (
    HANDOVER,
    WRITES_IDX_MAP,
    Checkpoint,
    CheckpointConfig,
    CheckpointMetadata,
    CheckpointTuple,
    JsonSerializer,
    SerializerProtocol,
    checkpoint_config,
    checkpoint_metadata,
    decode_value,
    encode_value,
    metadata_matches,
    plain_json,
    thread_of,
    write_index,
    writes_sort_key,
)

from ._delta import DECODED

EMPTY = "empty"
"""Blob type of a channel version that has no value (the channel was cleared)."""

_BODY = "<checkpoint>"
_METADATA = "<metadata>"


class BlobRow(NamedTuple):
    """One channel's value at one version."""

    channel: str
    version: str
    type: str
    data: bytes


class CheckpointRow(NamedTuple):
    """A checkpoint as stored: its body and metadata encoded, its values in blobs."""

    thread_id: str
    checkpoint_ns: str
    checkpoint_id: str
    parent_checkpoint_id: str | None
    type: str
    body: bytes
    metadata_type: str
    metadata: bytes
    run_id: str | None = None
    """The metadata's ``run_id`` (a column of its own, for ``delete_for_runs``)."""

    def columns(self) -> tuple[Any, ...]:
        """The row's values in its fields' order: the columns of the SQL savers' inserts."""
        return tuple(self)

    def config(self) -> dict[str, Any]:
        """The config that names this checkpoint (what ``put`` returns)."""
        return checkpoint_config(self.thread_id, self.checkpoint_ns, self.checkpoint_id)


class WriteRow(NamedTuple):
    """One pending write as stored; ``upsert`` for the special channels."""

    task_id: str
    idx: int
    channel: str
    type: str
    data: bytes
    task_path: str
    upsert: bool


def split_checkpoint(
    serde: SerializerProtocol,
    config: CheckpointConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    new_versions: Mapping[str, str | int | float],
) -> tuple[CheckpointRow, list[BlobRow]]:
    """The rows that store ``checkpoint`` as the child of the one ``config`` names."""
    thread_id, checkpoint_ns, parent_id = thread_of(config)
    checkpoint_id = checkpoint["id"]
    values = checkpoint["channel_values"]
    blobs: list[BlobRow] = []
    for channel, version in new_versions.items():
        if channel in values:
            kind, data = encode_value(
                serde, values[channel], channel=channel, checkpoint_id=checkpoint_id
            )
        else:
            kind, data = EMPTY, b""
        blobs.append(BlobRow(channel, str(version), kind, data))
    body = dict(checkpoint)
    del body["channel_values"]
    if type(serde) is JsonSerializer and config["configurable"].get(HANDOVER) is True:
        # the engine's own checkpoint: its body is plain JSON by construction (string
        # versions, dicts of them, a list of channel names), so no walk checks it first
        body_type, body_data = "json", plain_json(body).encode("utf-8")
    else:
        body_type, body_data = encode_value(serde, body, channel=_BODY, checkpoint_id=checkpoint_id)
    stored_metadata = checkpoint_metadata(config, metadata)
    meta_type, meta_data = encode_value(
        serde, stored_metadata, channel=_METADATA, checkpoint_id=checkpoint_id
    )
    run_id = stored_metadata.get("run_id")
    row = CheckpointRow(
        thread_id,
        checkpoint_ns,
        checkpoint_id,
        parent_id,
        body_type,
        body_data,
        meta_type,
        meta_data,
        str(run_id) if run_id is not None else None,
    )
    return row, blobs


def writes_target(config: CheckpointConfig) -> tuple[str, str, str]:
    """``(thread_id, checkpoint_ns, checkpoint_id)`` of the checkpoint ``put_writes`` stores
    a task's writes against; a clear error when ``config`` names no checkpoint."""
    thread_id, checkpoint_ns, checkpoint_id = thread_of(config)
    if checkpoint_id is None:
        raise ValueError(
            "put_writes needs the config of a stored checkpoint (with a checkpoint_id), "
            f"as put returns it; got {dict(config)!r}"
        )
    return thread_id, checkpoint_ns, checkpoint_id


def split_writes(
    serde: SerializerProtocol,
    config: CheckpointConfig,
    writes: Sequence[tuple[str, Any]],
    task_id: str,
    task_path: str,
) -> tuple[tuple[str, str, str], list[WriteRow]]:
    """``(thread_id, checkpoint_ns, checkpoint_id)`` and the rows of a task's writes."""
    thread_id, checkpoint_ns, checkpoint_id = writes_target(config)
    rows = []
    for position, (channel, value) in enumerate(writes):
        kind, data = encode_value(
            serde, value, channel=channel, checkpoint_id=f"{checkpoint_id} (task {task_id})"
        )
        rows.append(
            WriteRow(
                task_id,
                write_index(channel, position),
                channel,
                kind,
                data,
                task_path,
                channel in WRITES_IDX_MAP,
            )
        )
    return (thread_id, checkpoint_ns, checkpoint_id), rows


def metadata_of(serde: SerializerProtocol, row: CheckpointRow) -> dict[str, Any]:
    """The decoded metadata of a stored checkpoint."""
    value = decode_value(
        serde, (row.metadata_type, row.metadata), channel=_METADATA, checkpoint_id=row.checkpoint_id
    )
    return dict(value)


def matching(
    serde: SerializerProtocol,
    rows: Iterable[CheckpointRow],
    filter: Mapping[str, Any] | None,
    limit: int | None,
) -> list[tuple[CheckpointRow, dict[str, Any]]]:
    """The first ``limit`` of ``rows`` whose metadata matches ``filter``, with that metadata
    (a query cannot filter on encoded metadata: ``list`` filters the rows it gives)."""
    found: list[tuple[CheckpointRow, dict[str, Any]]] = []
    for row in rows:
        if limit is not None and len(found) >= limit:
            break
        metadata = metadata_of(serde, row)
        if metadata_matches(metadata, filter):
            found.append((row, metadata))
    return found


def assemble(
    serde: SerializerProtocol,
    row: CheckpointRow,
    body: Mapping[str, Any],
    blobs: Iterable[tuple[str, str, bytes]],
    writes: Iterable[tuple[str, str, str, bytes, str, int]],
    metadata: Mapping[str, Any] | None = None,
) -> CheckpointTuple:
    """The checkpoint tuple of a stored row, its blobs ``(channel, type, data)`` and its writes.

    ``writes`` are ``(task_id, channel, type, data, task_path, idx)``; they come
    back in :func:`writes_sort_key` order, the order a superstep applies them.
    """
    cid = row.checkpoint_id
    found = {channel: (kind, data) for channel, kind, data in blobs if kind != EMPTY}
    # in the checkpoint's own channel order, whatever order the store gave the blobs in
    values = {
        # a list stored as deltas comes rebuilt (see ._delta)
        channel: found[channel][1]
        if found[channel][0] == DECODED
        else decode_value(serde, found[channel], channel=channel, checkpoint_id=cid)
        for channel in body["channel_versions"]
        if channel in found
    }
    checkpoint: dict[str, Any] = {**body, "channel_values": values}
    checkpoint.setdefault("updated_channels", None)
    ordered = sorted(writes, key=lambda w: writes_sort_key(w[4], w[0], w[5]))
    pending = [
        (task_id, channel, decode_value(serde, (kind, data), channel=channel, checkpoint_id=cid))
        for task_id, channel, kind, data, _path, _idx in ordered
    ]
    parent = (
        checkpoint_config(row.thread_id, row.checkpoint_ns, row.parent_checkpoint_id)
        if row.parent_checkpoint_id
        else None
    )
    return CheckpointTuple(
        config=checkpoint_config(row.thread_id, row.checkpoint_ns, cid),
        checkpoint=checkpoint,  # type: ignore[arg-type]
        metadata=dict(metadata if metadata is not None else metadata_of(serde, row)),  # type: ignore[arg-type]
        parent_config=parent,
        pending_writes=pending,
    )


def decode_body(serde: SerializerProtocol, row: CheckpointRow) -> dict[str, Any]:
    """A stored checkpoint without its values: ids, versions, ``versions_seen``."""
    body = decode_value(serde, (row.type, row.body), channel=_BODY, checkpoint_id=row.checkpoint_id)
    return dict(body)


def versions_of(body: Mapping[str, Any]) -> dict[str, str]:
    """Channel → the version (as stored) of its value in a checkpoint body."""
    return {channel: str(version) for channel, version in body["channel_versions"].items()}


BlobFetch = Callable[[str, str, list[tuple[str, str]]], Iterable[tuple[str, str, str, bytes]]]
"""``(thread_id, ns, [(channel, version)])`` → ``(channel, version, type, data)`` rows."""

WriteFetch = Callable[[str, str, list[str]], Iterable[tuple[str, str, str, str, bytes, str, int]]]
"""``(thread_id, ns, [checkpoint_id])`` → ``(checkpoint_id, task_id, channel, type, data, path, idx)``."""


def assemble_many(
    serde: SerializerProtocol,
    found: Sequence[tuple[CheckpointRow, Mapping[str, Any]]],
    fetch_blobs: BlobFetch,
    fetch_writes: WriteFetch,
) -> list[CheckpointTuple]:
    """The tuples of many stored checkpoints, with one blob and one write query per namespace.

    ``list`` over a long thread would otherwise make two queries per checkpoint.
    """
    bodies = [decode_body(serde, row) for row, _ in found]
    wanted: dict[tuple[str, str], set[tuple[str, str]]] = {}
    ids: dict[tuple[str, str], list[str]] = {}
    for (row, _), body in zip(found, bodies, strict=True):
        key = (row.thread_id, row.checkpoint_ns)
        wanted.setdefault(key, set()).update(versions_of(body).items())
        ids.setdefault(key, []).append(row.checkpoint_id)
    blobs: dict[tuple[str, str, str, str], tuple[str, bytes]] = {}
    writes: dict[tuple[str, str, str], list[tuple[str, str, str, bytes, str, int]]] = {}
    for (thread_id, ns), pairs in wanted.items():
        for channel, version, kind, data in fetch_blobs(thread_id, ns, sorted(pairs)):
            blobs[(thread_id, ns, channel, version)] = (kind, data)
    for (thread_id, ns), checkpoint_ids in ids.items():
        for cid, task_id, channel, kind, data, path, idx in fetch_writes(
            thread_id, ns, checkpoint_ids
        ):
            writes.setdefault((thread_id, ns, cid), []).append(
                (task_id, channel, kind, data, path, idx)
            )
    out = []
    for (row, metadata), body in zip(found, bodies, strict=True):
        key = (row.thread_id, row.checkpoint_ns)
        own = [
            (channel, *blobs[(*key, channel, version)])
            for channel, version in versions_of(body).items()
            if (*key, channel, version) in blobs
        ]
        own_writes = writes.get((*key, row.checkpoint_id), [])
        out.append(assemble(serde, row, body, own, own_writes, metadata))
    return out
