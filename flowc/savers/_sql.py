"""The tables the SQL savers share (SQLite and Postgres differ only in types and placeholders)."""

from __future__ import annotations

SCHEMA_VERSION = 1


def schema(blob: str) -> list[str]:
    """``CREATE TABLE`` statements, with ``blob`` the binary type (BLOB or BYTEA)."""
    return [
        f"""CREATE TABLE IF NOT EXISTS checkpoints (
    thread_id TEXT NOT NULL,
    checkpoint_ns TEXT NOT NULL DEFAULT '',
    checkpoint_id TEXT NOT NULL,
    parent_checkpoint_id TEXT,
    type TEXT NOT NULL,
    checkpoint {blob} NOT NULL,
    metadata_type TEXT NOT NULL,
    metadata {blob} NOT NULL,
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id)
)""",
        f"""CREATE TABLE IF NOT EXISTS checkpoint_blobs (
    thread_id TEXT NOT NULL,
    checkpoint_ns TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL,
    version TEXT NOT NULL,
    type TEXT NOT NULL,
    blob {blob},
    PRIMARY KEY (thread_id, checkpoint_ns, channel, version)
)""",
        f"""CREATE TABLE IF NOT EXISTS checkpoint_writes (
    thread_id TEXT NOT NULL,
    checkpoint_ns TEXT NOT NULL DEFAULT '',
    checkpoint_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    channel TEXT NOT NULL,
    type TEXT NOT NULL,
    value {blob},
    task_path TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)
)""",
    ]


CHECKPOINT_COLUMNS = (
    "thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, "
    "metadata_type, metadata"
)
