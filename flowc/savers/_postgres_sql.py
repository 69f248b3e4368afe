"""The SQL :class:`~flowc.savers.postgres.PostgresSaver` runs: its statements, and the query
``list`` builds from a config, a filter and ``before``.
"""

from __future__ import annotations

from ._sql import CHECKPOINT_COLUMNS, schema

_SETUP_LOCK_KEY = 0x666C6F7763  # "flowc": one advisory lock id for the schema's creation


_SETUP = [
    f"SELECT pg_advisory_xact_lock({_SETUP_LOCK_KEY})",
    "CREATE TABLE IF NOT EXISTS flowc_checkpoint_schema (version INTEGER NOT NULL)",
    *schema("BYTEA"),
]


_GET_LATEST = (
    f"SELECT {CHECKPOINT_COLUMNS} FROM checkpoints WHERE thread_id = %s AND checkpoint_ns = %s "
    "ORDER BY checkpoint_id DESC LIMIT 1"
)


_GET_ONE = (
    f"SELECT {CHECKPOINT_COLUMNS} FROM checkpoints WHERE thread_id = %s AND checkpoint_ns = %s "
    "AND checkpoint_id = %s"
)


_GET_BLOBS = (
    "SELECT channel, type, blob FROM checkpoint_blobs WHERE thread_id = %s AND checkpoint_ns = %s "
    "AND (channel, version) IN (SELECT * FROM unnest(%s::text[], %s::text[]))"
)


_GET_MANY_BLOBS = (
    "SELECT channel, version, type, blob FROM checkpoint_blobs WHERE thread_id = %s "
    "AND checkpoint_ns = %s AND (channel, version) IN (SELECT * FROM unnest(%s::text[], %s::text[]))"
)


_GET_MANY_WRITES = (
    "SELECT checkpoint_id, task_id, channel, type, value, task_path, idx FROM checkpoint_writes "
    "WHERE thread_id = %s AND checkpoint_ns = %s AND checkpoint_id = ANY(%s)"
)


_GET_WRITES = (
    "SELECT task_id, channel, type, value, task_path, idx FROM checkpoint_writes "
    "WHERE thread_id = %s AND checkpoint_ns = %s AND checkpoint_id = %s"
)


_PUT_BLOB = (
    "INSERT INTO checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, blob) "
    "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING"
)


_PUT_CHECKPOINT = (
    f"INSERT INTO checkpoints ({CHECKPOINT_COLUMNS}, run_id) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id) DO UPDATE SET "
    "parent_checkpoint_id = EXCLUDED.parent_checkpoint_id, type = EXCLUDED.type, "
    "checkpoint = EXCLUDED.checkpoint, metadata_type = EXCLUDED.metadata_type, "
    "metadata = EXCLUDED.metadata, run_id = EXCLUDED.run_id"
)


_WRITE_COLUMNS = (
    "INSERT INTO checkpoint_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, "
    "channel, type, value, task_path) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) "
)


_UPSERT_WRITE = (
    _WRITE_COLUMNS + "DO UPDATE SET channel = EXCLUDED.channel, type = EXCLUDED.type, "
    "value = EXCLUDED.value, task_path = EXCLUDED.task_path"
)


_INSERT_WRITE = _WRITE_COLUMNS + "DO NOTHING"


_DELETES = [
    f"DELETE FROM {table} WHERE thread_id = %s"
    for table in ("checkpoints", "checkpoint_blobs", "checkpoint_writes")
]
