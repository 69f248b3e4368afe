"""Fixtures for the saver tests: a Postgres server for the session, a fresh schema per test.

The Postgres tests fail (they do not skip) when no server can be started: a
machine without Postgres would otherwise pass while testing nothing of it.
``FLOWC_NO_POSTGRES=1`` leaves them out on purpose.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from flowc.runtime.checkpoint import BaseCheckpointSaver

from . import postgres_server

SAVER_KINDS = ["memory", "sqlite", "postgres"]


@pytest.fixture(scope="session")
def postgres() -> Iterator[postgres_server.PostgresServer]:
    """A Postgres server on a Unix socket, for the whole session."""
    if os.environ.get("FLOWC_NO_POSTGRES") == "1":
        pytest.skip("FLOWC_NO_POSTGRES=1: the Postgres tests are left out on purpose")
    try:
        server = postgres_server.start()
    except postgres_server.PostgresUnavailable as exc:
        pytest.fail(f"could not start a Postgres server for the tests: {exc}", pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_conninfo(postgres: postgres_server.PostgresServer) -> str:
    """A connection string whose tables live in a schema of this test's own."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres.conninfo(), autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    return f"{postgres.conninfo()} options='-c search_path={name}'"


SaverFactory = Callable[[], BaseCheckpointSaver]


@pytest.fixture(params=SAVER_KINDS)
def make_saver(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SaverFactory]:
    """Makes savers of one kind over one store (the same file or schema each call)."""
    made: list[BaseCheckpointSaver] = []
    kind = request.param

    if kind == "postgres":
        conninfo = request.getfixturevalue("postgres_conninfo")

    def make() -> BaseCheckpointSaver:
        saver: BaseCheckpointSaver
        if kind == "memory":
            if made:
                return made[0]
            from flowc.savers.memory import InMemorySaver

            saver = InMemorySaver()
        elif kind == "sqlite":
            from flowc.savers.sqlite import SqliteSaver

            saver = SqliteSaver(tmp_path / "checkpoints.db")
        else:
            from flowc.savers.postgres import PostgresSaver

            saver = PostgresSaver(conninfo, max_size=8)
        made.append(saver)
        return saver

    yield make
    for saver in made:
        close = getattr(saver, "close", None)
        if close is not None:
            close()
