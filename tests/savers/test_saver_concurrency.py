"""Savers under concurrency: many threads at once, a second process on the SQLite file, no global lock."""

from __future__ import annotations

import asyncio
import gc
import json
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from flowc.runtime.checkpoint import BaseCheckpointSaver
from flowc.savers.sqlite import SqliteSaver

from .conftest import SaverFactory
from .test_savers import THREAD, checkpoint, meta

ROOT = Path(__file__).resolve().parents[2]


def write_thread(saver: BaseCheckpointSaver, thread: str, steps: int) -> None:
    """One run's worth of storage traffic: a checkpoint and a task's writes per step."""
    config: dict[str, Any] = {"configurable": {"thread_id": thread, "checkpoint_ns": ""}}
    for step in range(steps):
        cp = checkpoint({"count": step, "who": thread}, {"count": step + 1, "who": 1})
        new = {"count": step + 1, "who": 1} if step == 0 else {"count": step + 1}
        config = saver.put(config, cp, meta(step), new)
        saver.put_writes(config, [("count", step + 1), ("__scheduled__", thread)], f"task-{step}")


def assert_thread_complete(saver: BaseCheckpointSaver, thread: str, steps: int) -> None:
    history = list(saver.list({"configurable": {"thread_id": thread}}))
    assert [t.metadata["step"] for t in history] == list(reversed(range(steps)))
    latest = history[0]
    assert latest.checkpoint["channel_values"] == {"count": steps - 1, "who": thread}
    assert latest.pending_writes == [
        (f"task-{steps - 1}", "__scheduled__", thread),
        (f"task-{steps - 1}", "count", steps),
    ]


def test_many_threads_write_different_threads_at_once(make_saver: SaverFactory) -> None:
    saver = make_saver()
    threads, steps = 16, 15
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda i: write_thread(saver, f"run-{i}", steps), range(threads)))
    for i in range(threads):
        assert_thread_complete(saver, f"run-{i}", steps)
    assert len(list(saver.list(None))) == threads * steps


def test_many_async_tasks_write_different_threads_at_once(make_saver: SaverFactory) -> None:
    saver = make_saver()

    async def one(thread: str) -> None:
        config: dict[str, Any] = {"configurable": {"thread_id": thread, "checkpoint_ns": ""}}
        for step in range(5):
            cp = checkpoint({"count": step, "who": thread}, {"count": step + 1, "who": 1})
            config = await saver.aput(config, cp, meta(step), {"count": step + 1, "who": 1})
            await saver.aput_writes(config, [("count", step + 1)], f"task-{step}")

    async def main() -> None:
        await asyncio.gather(*(one(f"run-{i}") for i in range(12)))
        for i in range(12):
            found = await saver.aget_tuple({"configurable": {"thread_id": f"run-{i}"}})
            assert found is not None
            assert found.checkpoint["channel_values"] == {"count": 4, "who": f"run-{i}"}
            assert found.pending_writes == [("task-4", "count", 5)]
        aclose = getattr(saver, "aclose", None)
        if aclose is not None:
            await aclose()

    asyncio.run(main())


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    with SqliteSaver(tmp_path / "c.db", timeout=7.5) as saver:
        conn = saver._connection()
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("PRAGMA busy_timeout").fetchone() == (7500,)
        assert conn.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL


def test_sqlite_gives_each_thread_its_own_connection_and_closes_it_when_the_thread_ends(
    tmp_path: Path,
) -> None:
    with SqliteSaver(tmp_path / "c.db") as saver:
        seen: list[sqlite3.Connection] = []
        threads = [
            threading.Thread(target=lambda: seen.append(saver._connection())) for _ in range(3)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len({id(c) for c in seen}) == 3
        assert saver._connection() is saver._connection()
        assert saver._connection() not in seen
        # the ended threads' connections are dropped once nothing else holds them
        seen.clear()
        gc.collect()
        assert len(saver._all) == 1


def test_an_in_memory_sqlite_database_is_shared_by_threads() -> None:
    with SqliteSaver(":memory:") as saver:
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(lambda i: write_thread(saver, f"run-{i}", 5), range(8)))
        for i in range(8):
            assert_thread_complete(saver, f"run-{i}", 5)


def test_sqlite_async_methods_wait_for_a_locked_file_without_blocking_the_loop(
    tmp_path: Path,
) -> None:
    path = tmp_path / "c.db"

    async def main() -> None:
        with SqliteSaver(path, timeout=10) as saver:
            holder = sqlite3.connect(path, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")  # another writer holds the file
            put = asyncio.create_task(saver.aput(THREAD, checkpoint({}, {}), meta(0), {}))
            started = time.monotonic()
            for _ in range(20):
                await asyncio.sleep(0.01)
            # the loop kept running (a put blocking it would hold it for the busy timeout)
            assert time.monotonic() - started < 2
            assert not put.done()  # it waits for the lock, in a worker thread
            holder.execute("COMMIT")
            holder.close()
            stored = await asyncio.wait_for(put, 30)
            assert (await saver.aget_tuple(stored)) is not None

    asyncio.run(main())


_CHILD = textwrap.dedent(
    """
    import json, sys
    sys.path[:0] = {paths!r}
    from flowc.savers.sqlite import SqliteSaver
    from tests.savers.test_saver_concurrency import write_thread
    with SqliteSaver(sys.argv[1]) as saver:
        if sys.argv[2] == "read":
            found = saver.get_tuple({{"configurable": {{"thread_id": sys.argv[3]}}}})
            print(json.dumps([found.checkpoint["channel_values"], found.pending_writes]))
        else:
            write_thread(saver, sys.argv[3], int(sys.argv[4]))
            print("done")
    """
)


def child(*args: str) -> subprocess.Popen[str]:
    code = _CHILD.format(paths=[str(ROOT)])
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen[str]) -> str:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return out


def test_a_second_process_reads_what_the_first_wrote_while_it_is_open(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.db")
    with SqliteSaver(path) as saver:
        write_thread(saver, "mine", 3)
        shown = json.loads(finish(child(path, "read", "mine")))
        assert shown == [
            {"count": 2, "who": "mine"},
            [["task-2", "__scheduled__", "mine"], ["task-2", "count", 3]],
        ]
        # and the first process reads what a second one writes
        assert finish(child(path, "write", "theirs", "4")) == "done\n"
        assert_thread_complete(saver, "theirs", 4)


@pytest.mark.slow
def test_processes_writing_one_sqlite_file_at_once_lose_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.db")
    SqliteSaver(path).close()  # the tables exist before the writers race
    procs = [child(path, "write", f"proc-{i}", "25") for i in range(4)]
    with SqliteSaver(path) as saver:
        # this process writes too, while the others do
        write_thread(saver, "parent", 25)
        for proc in procs:
            assert finish(proc) == "done\n"
        for name in ["parent", *(f"proc-{i}" for i in range(4))]:
            assert_thread_complete(saver, name, 25)


# --- Postgres: no lock of the saver's own ------------------------------------------------


def _hold_writes_table(conninfo: str) -> Any:
    """A connection that holds checkpoint_writes locked against writers (readers pass)."""
    import psycopg

    conn = psycopg.connect(conninfo)
    conn.execute("LOCK TABLE checkpoint_writes IN EXCLUSIVE MODE")
    return conn


def test_postgres_runs_on_other_threads_proceed_while_one_waits_on_the_database(
    postgres_conninfo: str,
) -> None:
    from flowc.savers.postgres import PostgresSaver

    with PostgresSaver(postgres_conninfo, max_size=4) as saver:
        saver.setup()
        [config] = [
            saver.put(
                {"configurable": {"thread_id": "blocked", "checkpoint_ns": ""}},
                checkpoint({}, {}),
                meta(0),
                {},
            )
        ]
        blocker = _hold_writes_table(postgres_conninfo)
        stuck = threading.Thread(target=saver.put_writes, args=(config, [("x", 1)], "t"))
        stuck.start()
        time.sleep(0.2)
        assert stuck.is_alive()  # waiting on the table lock, inside the database
        # another run's checkpoints and reads go through meanwhile (a lock of the
        # saver's own would hold them behind the stuck call: this would time out)
        free = threading.Thread(target=write_thread_no_writes, args=(saver, "free", 5))
        free.start()
        free.join(timeout=10)
        assert not free.is_alive()
        assert saver.get_tuple({"configurable": {"thread_id": "free"}}) is not None
        assert stuck.is_alive()
        blocker.rollback()
        blocker.close()
        stuck.join(timeout=30)
        assert saver.get_tuple(config).pending_writes == [("t", "x", 1)]  # type: ignore[union-attr]


def write_thread_no_writes(saver: BaseCheckpointSaver, thread: str, steps: int) -> None:
    config: dict[str, Any] = {"configurable": {"thread_id": thread, "checkpoint_ns": ""}}
    for step in range(steps):
        config = saver.put(
            config, checkpoint({"n": step}, {"n": step + 1}), meta(step), {"n": step + 1}
        )


def test_postgres_async_tasks_proceed_while_one_waits_on_the_database(
    postgres_conninfo: str,
) -> None:
    from flowc.savers.postgres import PostgresSaver

    async def main() -> None:
        async with PostgresSaver(postgres_conninfo, max_size=4) as saver:
            config = await saver.aput(
                {"configurable": {"thread_id": "blocked", "checkpoint_ns": ""}},
                checkpoint({}, {}),
                meta(0),
                {},
            )
            blocker = _hold_writes_table(postgres_conninfo)
            stuck = asyncio.create_task(saver.aput_writes(config, [("x", 1)], "t"))
            await asyncio.sleep(0.2)
            assert not stuck.done()
            other: dict[str, Any] = {"configurable": {"thread_id": "free", "checkpoint_ns": ""}}
            for step in range(5):
                other = await asyncio.wait_for(
                    saver.aput(other, checkpoint({"n": step}, {"n": 1}), meta(step), {"n": 1}), 5
                )
            assert (await saver.aget_tuple(other)) is not None
            assert not stuck.done()
            await asyncio.to_thread(blocker.rollback)
            blocker.close()
            await asyncio.wait_for(stuck, 30)
            found = await saver.aget_tuple(config)
            assert found is not None and found.pending_writes == [("t", "x", 1)]

    asyncio.run(main())


def test_postgres_async_pool_refuses_a_second_event_loop_clearly(postgres_conninfo: str) -> None:
    from flowc.savers.postgres import PostgresSaver

    saver = PostgresSaver(postgres_conninfo)
    loop = asyncio.new_event_loop()
    try:
        assert (
            loop.run_until_complete(saver.aget_tuple({"configurable": {"thread_id": "x"}})) is None
        )
        with pytest.raises(RuntimeError, match="async pool belongs to another event loop"):
            asyncio.run(saver.aget_tuple({"configurable": {"thread_id": "x"}}))
        loop.run_until_complete(saver.aclose())
    finally:
        loop.close()


def test_a_file_that_cannot_be_a_checkpoint_database_is_named_in_the_error(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "c.db"
    with pytest.raises(
        sqlite3.DatabaseError,
        match=f"{missing}: cannot use as a checkpoint database: unable to open",
    ):
        SqliteSaver(missing)
    not_sqlite = tmp_path / "notes.txt"
    not_sqlite.write_text("my notes, not a database\n" * 100)
    with pytest.raises(
        sqlite3.DatabaseError,
        match=f"{not_sqlite}: cannot use as a checkpoint database: file is not a database",
    ):
        SqliteSaver(not_sqlite)
    # nothing the user had is changed
    assert not_sqlite.read_text() == "my notes, not a database\n" * 100


def test_a_closed_sqlite_saver_says_so(tmp_path: Path) -> None:
    saver = SqliteSaver(tmp_path / "c.db")
    saver.close()
    with pytest.raises(RuntimeError, match="this SqliteSaver is closed"):
        saver.get_tuple(THREAD)


def test_postgres_saver_reports_an_unreachable_server_and_retries_once_it_is_there(
    tmp_path: Path, postgres_conninfo: str
) -> None:
    import psycopg_pool

    from flowc.savers.postgres import PostgresSaver

    nowhere = f"host={tmp_path} port=5432 dbname=postgres user=flowc connect_timeout=1"
    saver = PostgresSaver(nowhere, timeout=1.0)

    async def main() -> None:
        with pytest.raises(psycopg_pool.PoolTimeout):
            await asyncio.wait_for(saver.aget_tuple(THREAD), 20)
        assert saver._apool is None  # the failed pool is not kept
        saver.conninfo = postgres_conninfo
        assert await saver.aget_tuple(THREAD) is None
        await saver.aclose()

    asyncio.run(main())
    # the sync pool likewise
    sync = PostgresSaver(nowhere, timeout=1.0)
    with pytest.raises(psycopg_pool.PoolTimeout):
        sync.get_tuple(THREAD)
    sync.conninfo = postgres_conninfo
    assert sync.get_tuple(THREAD) is None
    sync.close()
