"""An in-memory saver: for tests, notebooks and runs that need not outlive the process.

Values are stored encoded, as the other savers store them, so what comes back
is a copy (a node that mutates its state cannot change a stored checkpoint)
and a value that could not be saved to disk fails here too.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from flowc.runtime.checkpoint import (
    BaseCheckpointSaver,
    ChannelVersions,
    Checkpoint,
    CheckpointConfig,
    CheckpointMetadata,
    CheckpointTuple,
    SerializerProtocol,
    check_prune_strategy,
    metadata_matches,
    thread_of,
)

from ._shared import (
    BlobRow,
    CheckpointRow,
    WriteRow,
    assemble,
    decode_body,
    metadata_of,
    split_checkpoint,
    split_writes,
    versions_of,
)

__all__ = ["InMemorySaver"]

_Key = tuple[str, str]  # (thread_id, checkpoint_ns)


class InMemorySaver(BaseCheckpointSaver):
    """Checkpoints in dictionaries of this process; thread-safe.

    One lock guards the dictionaries; it is held only while rows are copied in
    or out (decoding happens outside it), so runs on other threads wait
    microseconds, not for each other's work.
    """

    def __init__(self, *, serde: SerializerProtocol | None = None) -> None:
        super().__init__(serde=serde)
        self._lock = threading.Lock()
        self._checkpoints: dict[_Key, dict[str, CheckpointRow]] = {}
        self._blobs: dict[tuple[str, str, str, str], BlobRow] = {}
        self._writes: dict[tuple[str, str, str], dict[tuple[str, int], WriteRow]] = {}

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
            metadata = metadata_of(self.serde, row)
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
        row, blobs = split_checkpoint(self.serde, config, checkpoint, metadata, new_versions)
        key = (row.thread_id, row.checkpoint_ns)
        with self._lock:
            self._checkpoints.setdefault(key, {})[row.checkpoint_id] = row
            for blob in blobs:
                self._blobs.setdefault((*key, blob.channel, blob.version), blob)
        return {
            "configurable": {
                "thread_id": row.thread_id,
                "checkpoint_ns": row.checkpoint_ns,
                "checkpoint_id": row.checkpoint_id,
            }
        }

    def put_writes(
        self,
        config: CheckpointConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        """Store a task's writes: special ones replace, normal ones are kept once."""
        where, rows = split_writes(self.serde, config, writes, task_id, task_path)
        with self._lock:
            stored = self._writes.setdefault(where, {})
            for write in rows:
                key = (write.task_id, write.idx)
                if write.upsert or key not in stored:
                    stored[key] = write

    def delete_thread(self, thread_id: str) -> None:
        """Forget a thread's checkpoints, blobs and writes, in every namespace."""
        with self._lock:
            self._checkpoints = {k: v for k, v in self._checkpoints.items() if k[0] != thread_id}
            self._blobs = {k: v for k, v in self._blobs.items() if k[0] != thread_id}
            self._writes = {k: v for k, v in self._writes.items() if k[0] != thread_id}

    def delete_for_runs(self, run_ids: Sequence[str]) -> None:
        """Forget the checkpoints (and their writes) of these runs."""
        runs = set(run_ids)
        if not runs:
            return
        with self._lock:
            rows = [row for table in self._checkpoints.values() for row in table.values()]
        doomed = [row for row in rows if metadata_of(self.serde, row).get("run_id") in runs]
        with self._lock:
            for row in doomed:
                self._checkpoints.get((row.thread_id, row.checkpoint_ns), {}).pop(
                    row.checkpoint_id, None
                )
                self._writes.pop((row.thread_id, row.checkpoint_ns, row.checkpoint_id), None)
            self._drop_unused_blobs({(row.thread_id, row.checkpoint_ns) for row in doomed})

    def copy_thread(self, source_thread_id: str, target_thread_id: str) -> None:
        """Copy a thread to another id; what the target has is kept."""
        with self._lock:
            for (thread_id, ns), rows in list(self._checkpoints.items()):
                if thread_id != source_thread_id:
                    continue
                target = self._checkpoints.setdefault((target_thread_id, ns), {})
                for cid, row in rows.items():
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
                (channel, version)
                for row in self._checkpoints.get(key, {}).values()
                for channel, version in versions_of(decode_body(self.serde, row)).items()
            }
            for blob_key in [k for k in self._blobs if k[:2] == key and (k[2], k[3]) not in used]:
                del self._blobs[blob_key]

    def _load(
        self, row: CheckpointRow, metadata: Mapping[str, Any] | None = None
    ) -> CheckpointTuple:
        body = decode_body(self.serde, row)
        key = (row.thread_id, row.checkpoint_ns)
        with self._lock:
            blobs = [
                self._blobs.get((*key, channel, version))
                for channel, version in versions_of(body).items()
            ]
            writes = list(self._writes.get((*key, row.checkpoint_id), {}).values())
        return assemble(
            self.serde,
            row,
            body,
            ((b.channel, b.type, b.data) for b in blobs if b is not None),
            ((w.task_id, w.channel, w.type, w.data, w.task_path, w.idx) for w in writes),
            metadata,
        )
