"""The benchmark's durable cases: chain10 on a thread with each kind of saver, and Postgres under load.

flowc runs with its own savers (:mod:`flowc.savers`), LangGraph with its
own of the same kind (``InMemorySaver``, ``langgraph-checkpoint-sqlite``'s
``SqliteSaver``, ``langgraph-checkpoint-postgres``'s ``PostgresSaver``);
every run is on a thread of its own, so each step stores a checkpoint and
its writes as a first run does. Postgres is the server ``FLOWC_BENCH_POSTGRES``
names (a conninfo), else one the test suite's helper starts in a temp folder
(Debian's ``postgresql``); without one, those cases say why and the rest run.
"""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .measure import Impl

INPUT = {"count": 0}
CONCURRENT_THREADS = 200

_ids = itertools.count()


def _thread() -> dict[str, Any]:
    return {"configurable": {"thread_id": f"bench-{next(_ids)}"}}


class Postgres:
    """A Postgres server for the durable cases (started here unless one is named)."""

    def __init__(self, root: Path) -> None:
        import os

        self.server: Any = None
        self.error: str | None = None
        self.conninfo = os.environ.get("FLOWC_BENCH_POSTGRES")
        if self.conninfo:
            return
        sys.path.insert(0, str(root))
        try:
            from tests.savers import postgres_server

            self.server = postgres_server.start()
            self.conninfo = self.server.conninfo()
        except Exception as exc:
            self.error = f"no Postgres server: {type(exc).__name__}: {exc}"

    def database(self) -> str:
        """A fresh database's conninfo (so flowc's and LangGraph's tables never meet)."""
        import psycopg

        assert self.conninfo is not None
        name = f"bench_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return _with_dbname(self.conninfo, name)

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()


def _with_dbname(conninfo: str, name: str) -> str:
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(conninfo)
    params["dbname"] = name
    return make_conninfo(**params)


def flowc_savers(tmp: Path, postgres: Postgres) -> dict[str, Callable[[], Any] | str]:
    """Each kind of flowc saver (a factory), or why it cannot be made."""
    from flowc.savers.memory import InMemorySaver
    from flowc.savers.sqlite import SqliteSaver

    out: dict[str, Callable[[], Any] | str] = {
        "memory": InMemorySaver,
        "sqlite": lambda: SqliteSaver(tmp / f"flowc-{uuid.uuid4().hex[:8]}.db"),
    }
    if postgres.error is not None:
        out["postgres"] = postgres.error
    else:
        from flowc.savers.postgres import PostgresSaver

        out["postgres"] = lambda: PostgresSaver(postgres.database())
    return out


def langgraph_savers(tmp: Path, postgres: Postgres) -> dict[str, Callable[[], Any] | str]:
    """LangGraph's saver of each kind (a factory), or why it cannot be made."""
    out: dict[str, Callable[[], Any] | str] = {}
    from langgraph.checkpoint.memory import InMemorySaver

    out["memory"] = InMemorySaver
    try:
        from langgraph.checkpoint.sqlite import SqliteSaver

        def sqlite_saver() -> Any:
            path = tmp / f"langgraph-{uuid.uuid4().hex[:8]}.db"
            return SqliteSaver(sqlite3.connect(path, check_same_thread=False))

        out["sqlite"] = sqlite_saver
    except ImportError as exc:
        out["sqlite"] = f"langgraph-checkpoint-sqlite not installed ({exc})"
    if postgres.error is not None:
        out["postgres"] = postgres.error
    else:
        try:
            import psycopg
            from langgraph.checkpoint.postgres import PostgresSaver

            def postgres_saver() -> Any:
                conn = psycopg.connect(postgres.database(), autocommit=True, prepare_threshold=0)
                saver = PostgresSaver(conn)
                saver.setup()
                return saver

            out["postgres"] = postgres_saver
        except ImportError as exc:
            out["postgres"] = f"langgraph-checkpoint-postgres not installed ({exc})"
    return out


def flowc_run(module: Any, saver: Any) -> Impl:
    """chain10 ``stream(updates)`` on a new thread of ``saver``, through the typed facade."""
    graph = module.graph.with_checkpointer(saver)
    return Impl("iter", lambda: graph.stream(dict(INPUT), stream_mode="updates", config=_thread()))


def langgraph_run(chain: Callable[..., Any], saver: Any) -> Impl:
    """LangGraph's chain10 compiled with ``saver``, ``stream(updates)`` on a new thread."""
    graph = chain(10, checkpointer=saver)
    return Impl("iter", lambda: graph.stream(dict(INPUT), _thread(), stream_mode="updates"))


# -- many threads at once -----------------------------------------------------------------


async def _flowc_concurrent(module: Any, conninfo: str, runs: int, size: int) -> float:
    from flowc.savers.postgres import PostgresSaver

    async with PostgresSaver(conninfo, max_size=size) as saver:
        graph = module.graph.with_checkpointer(saver)
        await graph.ainvoke(dict(INPUT), config=_thread())  # tables and pool made before timing
        begin = time.perf_counter()
        await asyncio.gather(*(graph.ainvoke(dict(INPUT), config=_thread()) for _ in range(runs)))
        return time.perf_counter() - begin


async def _langgraph_concurrent(
    chain: Callable[..., Any], conninfo: str, runs: int, size: int
) -> float:
    from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
    from psycopg.rows import dict_row
    from psycopg_pool import AsyncConnectionPool

    kwargs = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}
    pool = AsyncConnectionPool(conninfo, min_size=1, max_size=size, kwargs=kwargs, open=False)
    async with pool:
        saver = AsyncPostgresSaver(pool)  # type: ignore[arg-type]
        await saver.setup()
        graph = chain(10, checkpointer=saver)
        await graph.ainvoke(dict(INPUT), _thread())
        begin = time.perf_counter()
        await asyncio.gather(*(graph.ainvoke(dict(INPUT), _thread()) for _ in range(runs)))
        return time.perf_counter() - begin


def concurrent_threads(
    module: Any, chain: Callable[..., Any] | None, postgres: Postgres, rounds: int
) -> dict[str, Any]:
    """Runs per second of 200 chain10 runs at once, each on its own Postgres thread.

    For each pool size, flowc's async Postgres saver and LangGraph's
    ``AsyncPostgresSaver`` over a pool of that size; the best of ``rounds``.
    """
    if postgres.error is not None:
        return {"error": postgres.error}
    out: dict[str, Any] = {"threads": CONCURRENT_THREADS, "runs_per_second": {}}
    for size in (1, 4, 16):
        row: dict[str, float | str] = {}
        for name in ("flowc", "langgraph"):
            try:
                seconds = []
                for _ in range(rounds):
                    conninfo = postgres.database()
                    if name == "flowc":
                        run = _flowc_concurrent(module, conninfo, CONCURRENT_THREADS, size)
                    else:
                        assert chain is not None
                        run = _langgraph_concurrent(chain, conninfo, CONCURRENT_THREADS, size)
                    seconds.append(asyncio.run(run))
                row[name] = CONCURRENT_THREADS / min(seconds)
            except Exception as exc:
                row[name] = f"{type(exc).__name__}: {exc}"
        out["runs_per_second"][str(size)] = row
    return out
