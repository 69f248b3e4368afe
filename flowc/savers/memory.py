"""An in-memory saver: for tests, notebooks and runs that need not outlive the process.

What it keeps is a snapshot no caller can change: a node that mutates its state
cannot change a stored checkpoint, and what comes back is a copy. Immutable
values (``None``, booleans, numbers, strings, bytes) are kept as they are, and a
checkpoint's own bookkeeping (versions, ``versions_seen``, metadata of plain
values) as copies made with the built-in containers; anything else is stored
encoded by the saver's serializer, as the other savers store it, so a value
that could not be saved to disk fails here too. With another serializer than
the default one, everything goes through it. A list version that extends the
last one stored (an append-only reducer's) is kept as that version and the
items it adds, as the SQLite saver keeps it (see :mod:`flowc.savers._delta`):
a thread's memory grows with what it holds, not with the square of its length.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from flowc.runtime.checkpoint import (
    HANDOVER,
    WRITES_IDX_MAP,
    BaseCheckpointSaver,
    ChannelVersions,
    Checkpoint,
    CheckpointConfig,
    CheckpointMetadata,
    CheckpointTuple,
    JsonSerializer,
    SerializerProtocol,
    check_prune_strategy,
    checkpoint_config,
    checkpoint_metadata,
    metadata_matches,
    thread_of,
    writes_sort_key,
)

from ._delta import DeltaCache
from ._memory_rows import (
    _DELTA,
    _EMPTY,
    _IMMUTABLE,
    _KEPT,
    _NONE,
    _Chain,
    _Keeping,
    _Key,
    _Row,
    _Stored,
    _Write,
)
from ._shared import writes_target

__all__ = ["InMemorySaver"]

_Blobs = list[tuple[str, str, _Stored]]
"""A checkpoint's new channel versions as kept: ``(channel, version, stored value)``."""
_NO_VALUE: _Stored = (_EMPTY, b"")
"""What a channel version without a value stores."""


class InMemorySaver(_Keeping, BaseCheckpointSaver):
    """Checkpoints in dictionaries of this process; thread-safe.

    One lock guards the dictionaries; it is held only while rows are put in or
    taken out (copying and decoding happen outside it), so runs on other
    threads wait microseconds, not for each other's work.
    """

    handover = True
    """The engine hands its checkpoints over (see ``checkpoint.HANDOVER``): they are kept as given."""

    def __init__(self, *, serde: SerializerProtocol | None = None) -> None:
        super().__init__(serde=serde)
        self._lock = threading.Lock()
        self._checkpoints: dict[_Key, dict[str, _Row]] = {}
        self._blobs: dict[tuple[str, str, str, str], _Stored] = {}
        self._writes: dict[tuple[str, str, str], dict[tuple[str, int], _Write]] = {}
        # only the default serializer's encoding is known to keep these values as they are
        self._plain = type(self.serde) is JsonSerializer
        self._deltas = DeltaCache()
        self._extra: tuple[Any, Any, _Stored] | None = None
        """The last extra body entry encoded (``flowc_schema``: one object per graph) and its copy."""

    # the protocol -----------------------------------------------------------------------

    def get_tuple(self, config: CheckpointConfig) -> CheckpointTuple | None:
        """The checkpoint ``config`` names, or the thread's latest."""
        thread_id, ns, checkpoint_id = thread_of(config)
        with self._lock:
            rows = self._checkpoints.get((thread_id, ns), {})
            if checkpoint_id is None:
                row = rows[max(rows)] if rows else None
            else:
                row = rows.get(checkpoint_id)
        return self._load(row) if row is not None else None

    def list(
        self,
        config: CheckpointConfig | None,
        *,
        filter: Mapping[str, Any] | None = None,
        before: CheckpointConfig | None = None,
        limit: int | None = None,
    ) -> Iterator[CheckpointTuple]:
        """Checkpoints newest first (see :meth:`BaseCheckpointSaver.list`)."""
        before_id = thread_of(before)[2] if before is not None else None
        with self._lock:
            if config is None:
                keys = list(self._checkpoints)
                wanted_id = None
            else:
                thread_id, ns, wanted_id = thread_of(config)
                has_ns = "checkpoint_ns" in config.get("configurable", {})
                keys = [
                    k for k in self._checkpoints if k[0] == thread_id and (not has_ns or k[1] == ns)
                ]
            rows = [
                row
                for key in keys
                for row in self._checkpoints[key].values()
                if (wanted_id is None or row.checkpoint_id == wanted_id)
                and (before_id is None or row.checkpoint_id < before_id)
            ]
        rows.sort(key=lambda r: r.checkpoint_id, reverse=True)
        count = 0
        for row in rows:
            if limit is not None and count >= limit:
                return
            metadata = self._metadata_of(row)
            if not metadata_matches(metadata, filter):
                continue
            count += 1
            yield self._load(row, metadata)

    def put(
        self,
        config: CheckpointConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> dict[str, Any]:
        """Store a checkpoint; its config."""
        thread_id, ns, parent_id = thread_of(config)
        cid = checkpoint["id"]
        values = checkpoint["channel_values"]
        blobs: list[tuple[str, str, _Stored]] = []
        lists: list[tuple[tuple[str, str, str], str, list[Any]]] = []
        plain = self._plain
        for channel, given in new_versions.items():
            version = str(given)
            if channel not in values:
                blobs.append((channel, version, _NO_VALUE))
                continue
            value = values[channel]
            kind = type(value)
            if plain and kind in _IMMUTABLE:
                # most of a step's channels: a number, a string, a due node's None
                blobs.append((channel, version, (_KEPT, value)))
                continue
            if kind is list:
                list_key = (thread_id, ns, channel)
                lists.append((list_key, version, value))
                found = self._deltas.base(list_key, value)
                if found is not None and found[0] != version:
                    items = self._keep(value[found[1] :], channel, cid)
                    blobs.append((channel, version, (_DELTA, (found[0], items))))
                    continue
            blobs.append((channel, version, self._keep(value, channel, cid)))
        stored_metadata: _Stored
        if plain and config["configurable"].get(HANDOVER) is True:
            # the engine never changes what it handed over: its parts are kept as they are
            body = dict(checkpoint)
            del body["channel_values"]
            encoded = _NONE
            stored_metadata = (_KEPT, checkpoint_metadata(config, metadata))
        else:
            body, encoded = self._copy_body(checkpoint)
            stored_metadata = self._keep_metadata(checkpoint_metadata(config, metadata), cid)
        row = _Row(thread_id, ns, cid, parent_id, body, encoded, stored_metadata)
        key = (thread_id, ns)
        if lists:
            blobs = self._whole_where_gone(key, blobs, values, cid)
        with self._lock:
            self._checkpoints.setdefault(key, {})[cid] = row
            stored_blobs = self._blobs
            for channel, version, stored in blobs:
                stored_blobs.setdefault((thread_id, ns, channel, version), stored)
        for list_key, version, value in lists:
            self._deltas.remember(list_key, version, value)
        return checkpoint_config(thread_id, ns, cid)

    def _whole_where_gone(
        self,
        key: _Key,
        blobs: _Blobs,
        values: Mapping[str, Any],
        cid: str,
    ) -> _Blobs:
        """``blobs``, with a delta whose base version is gone (the thread was deleted
        meanwhile) kept whole instead."""
        with self._lock:
            missing = [
                channel
                for channel, _, stored in blobs
                if stored[0] == _DELTA and (*key, channel, stored[1][0]) not in self._blobs
            ]
        for channel in missing:
            blobs = [
                (name, version, self._keep(values[name], name, cid) if name == channel else stored)
                for name, version, stored in blobs
            ]
        return blobs

    def put_writes(
        self,
        config: CheckpointConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        """Store a task's writes: special ones replace, normal ones are kept once."""
        thread_id, ns, checkpoint_id = writes_target(config)
        plain = self._plain
        rows = []
        special = WRITES_IDX_MAP
        for position, (channel, value) in enumerate(writes):
            if plain and type(value) in _IMMUTABLE:
                kept: _Stored = (_KEPT, value)
            else:
                kept = self._keep(value, channel, f"{checkpoint_id} (task {task_id})")
            # write_index's rule, inline: a special channel's fixed index, else the position
            idx = special.get(channel, position)
            rows.append(_Write(task_id, idx, channel, kept, task_path))
        with self._lock:
            stored = self._writes.setdefault((thread_id, ns, checkpoint_id), {})
            for write in rows:
                index = (write.task_id, write.idx)
                if write.channel in WRITES_IDX_MAP or index not in stored:
                    stored[index] = write

    def delete_thread(self, thread_id: str) -> None:
        """Forget a thread's checkpoints, blobs and writes, in every namespace."""
        self._deltas.forget(thread_id)
        with self._lock:
            self._checkpoints = {k: v for k, v in self._checkpoints.items() if k[0] != thread_id}
            self._blobs = {k: v for k, v in self._blobs.items() if k[0] != thread_id}
            self._writes = {k: v for k, v in self._writes.items() if k[0] != thread_id}

    def delete_for_runs(self, run_ids: Sequence[str]) -> None:
        """Forget the checkpoints (and their writes) of these runs."""
        runs = set(run_ids)
        if not runs:
            return
        self._deltas.forget()
        with self._lock:
            rows = [row for table in self._checkpoints.values() for row in table.values()]
        doomed = [row for row in rows if self._metadata_of(row).get("run_id") in runs]
        with self._lock:
            for row in doomed:
                self._checkpoints.get((row.thread_id, row.ns), {}).pop(row.checkpoint_id, None)
                self._writes.pop((row.thread_id, row.ns, row.checkpoint_id), None)
            self._drop_unused_blobs({(row.thread_id, row.ns) for row in doomed})

    def copy_thread(self, source_thread_id: str, target_thread_id: str) -> None:
        """Copy a thread to another id; what the target has is kept."""
        with self._lock:
            for (thread_id, ns), rows in list(self._checkpoints.items()):
                if thread_id != source_thread_id:
                    continue
                target = self._checkpoints.setdefault((target_thread_id, ns), {})
                for cid, row in rows.items():
                    # rows are never changed once stored: the copy may share their parts
                    target.setdefault(cid, dataclasses.replace(row, thread_id=target_thread_id))
            for key, blob in list(self._blobs.items()):
                if key[0] == source_thread_id:
                    self._blobs.setdefault((target_thread_id, *key[1:]), blob)
            for wkey, writes in list(self._writes.items()):
                if wkey[0] == source_thread_id:
                    stored = self._writes.setdefault((target_thread_id, *wkey[1:]), {})
                    for index, write in writes.items():
                        stored.setdefault(index, write)

    def prune(self, thread_ids: Sequence[str], *, strategy: str = "keep_latest") -> None:
        """Keep each namespace's newest checkpoint (``keep_latest``), or delete the threads."""
        check_prune_strategy(strategy)
        for thread_id in thread_ids:
            self._deltas.forget(thread_id)
            if strategy == "delete":
                self.delete_thread(thread_id)
                continue
            with self._lock:
                touched = set()
                for (tid, ns), rows in self._checkpoints.items():
                    if tid != thread_id or not rows:
                        continue
                    latest = max(rows)
                    for cid in [c for c in rows if c != latest]:
                        del rows[cid]
                        self._writes.pop((tid, ns, cid), None)
                    touched.add((tid, ns))
                self._drop_unused_blobs(touched)

    def _drop_unused_blobs(self, namespaces: set[tuple[str, str]]) -> None:
        """Delete the blobs no checkpoint left in these namespaces refers to (lock held)."""
        for key in namespaces:
            used = {
                (channel, str(version))
                for row in self._checkpoints.get(key, {}).values()
                for channel, version in self._versions_of(row).items()
            }
            # a list kept as a delta needs the version it extends, and so on down
            stack = list(used)
            while stack:
                channel, version = stack.pop()
                stored = self._blobs.get((*key, channel, version))
                if stored is not None and stored[0] == _DELTA:
                    base = (channel, stored[1][0])
                    if base not in used:
                        used.add(base)
                        stack.append(base)
            for blob_key in [k for k in self._blobs if k[:2] == key and (k[2], k[3]) not in used]:
                del self._blobs[blob_key]

    def _chain(self, key: _Key, channel: str, version: str) -> _Chain:
        """The stored value of a channel version and, for a delta, those it extends (lock held).

        Whole first: ``[whole, delta, delta, ...]``; empty when the version is not stored.
        """
        chain: _Chain = []
        stored = self._blobs.get((*key, channel, version))
        while stored is not None and stored[0] == _DELTA:
            chain.append(stored[1][1])
            stored = self._blobs.get((*key, channel, stored[1][0]))
        if stored is None:
            if chain:
                raise ValueError(
                    f"cannot read channel {channel!r}: the list version it extends is not stored"
                )
            return []
        chain.append(stored)
        chain.reverse()
        return chain

    def _rebuilt(self, chain: _Chain, channel: str, checkpoint_id: str) -> Any:
        value = self._load_value(chain[0], channel, checkpoint_id)
        if len(chain) == 1:
            return value
        out = list(value)
        for items in chain[1:]:
            out.extend(self._load_value(items, channel, checkpoint_id))
        return out

    def _versions_of(self, row: _Row) -> Mapping[str, Any]:
        if "channel_versions" in row.encoded:
            versions = self._load_value(
                row.body["channel_versions"], "<channel_versions>", row.checkpoint_id
            )
            return dict(versions)
        versions = row.body["channel_versions"]
        assert isinstance(versions, dict)
        return versions

    def _load(self, row: _Row, metadata: Mapping[str, Any] | None = None) -> CheckpointTuple:
        body = self._body_of(row)
        key = (row.thread_id, row.ns)
        cid = row.checkpoint_id
        versions = body["channel_versions"]
        with self._lock:
            blobs = [
                (channel, self._chain(key, channel, str(version)))
                for channel, version in versions.items()
            ]
            writes = list(self._writes.get((*key, cid), {}).values())
        values = {
            channel: self._rebuilt(chain, channel, cid)
            for channel, chain in blobs
            if chain and chain[0][0] != _EMPTY
        }
        checkpoint: dict[str, Any] = {**body, "channel_values": values}
        checkpoint.setdefault("updated_channels", None)
        writes.sort(key=lambda w: writes_sort_key(w.task_path, w.task_id, w.idx))
        pending = [
            (w.task_id, w.channel, self._load_value(w.value, w.channel, cid)) for w in writes
        ]
        return CheckpointTuple(
            config=checkpoint_config(row.thread_id, row.ns, cid),
            checkpoint=checkpoint,  # type: ignore[arg-type]
            metadata=dict(metadata if metadata is not None else self._metadata_of(row)),  # type: ignore[arg-type]
            parent_config=(
                checkpoint_config(row.thread_id, row.ns, row.parent_id) if row.parent_id else None
            ),
            pending_writes=pending,
        )
