"""``flowc check --against-db``: which stored threads a spec's state schema could not go on from.

Takes a database address and the checked graphs; gives, per thread whose
latest checkpoint records another state schema, the fields that changed
(:func:`flowc.runtime.fingerprint.schema_changes`, the comparison a resumed
run makes before any node runs). The database is opened with flowc's saver
for its kind (a SQLite file, or a Postgres URL or libpq ``dbname=...`` string) and its checkpoints
are only read; a missing SQLite file is an error, not a new empty database.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flowc.cli._output import UsageError
from flowc.codegen.view import state_schema
from flowc.dsl.graph import CheckedGraph
from flowc.runtime.fingerprint import SCHEMA_KEY, schema_changes

__all__ = ["BrokenThread", "broken_threads"]


@dataclass(frozen=True, slots=True)
class BrokenThread:
    """A thread whose latest checkpoint a graph could not go on from."""

    graph: str
    thread_id: str
    checkpoint_id: str
    changes: tuple[str, ...]


def _latest(url: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    # a libpq address: a URL, or the key=value form (``host=... dbname=...``)
    if url.startswith(("postgresql://", "postgres://")) or "dbname=" in url:
        try:
            from flowc.savers.postgres import PostgresSaver
        except ImportError as exc:
            raise UsageError(
                f"--against-db {url}: Postgres needs psycopg (pip install 'flowc[postgres]')"
            ) from exc
        saver: Any = PostgresSaver(url, max_size=1)
    else:
        path = Path(url.removeprefix("sqlite:///").removeprefix("sqlite://"))
        if not path.is_file():
            # opening a missing file would create an empty database, and report nothing
            raise UsageError(f"--against-db {url}: no such SQLite file")
        from flowc.savers.sqlite import SqliteSaver

        saver = SqliteSaver(path)
    try:
        yield from saver.latest()
    finally:
        saver.close()


def broken_threads(url: str, graphs: Sequence[CheckedGraph]) -> tuple[int, list[BrokenThread]]:
    """How many threads ``url`` holds, and those each graph could not go on from."""
    latest = list(_latest(url))
    broken: list[BrokenThread] = []
    for graph in graphs:
        schema = state_schema(graph.state.fields)
        for thread_id, checkpoint_id, body in latest:
            changes = schema_changes(body.get(SCHEMA_KEY), schema)
            if changes:
                broken.append(BrokenThread(graph.name, thread_id, checkpoint_id, tuple(changes)))
    return len(latest), broken
