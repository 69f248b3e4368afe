"""LangGraph's own checkpointer conformance suite passes against flowc's savers.

``langgraph-checkpoint-conformance`` (the ``conformance`` extra) drives a
``BaseCheckpointSaver`` through its async methods; flowc's savers are
presented to it by :class:`flowc.savers.langgraph_adapter.LangGraphSaver`.
Every capability must be detected and pass: the base ones (put, put_writes,
get_tuple, list, delete_thread) and the extended ones (delete_for_runs,
copy_thread, prune).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from langgraph.checkpoint.conformance import checkpointer_test, validate
from langgraph.checkpoint.conformance.report import CapabilityReport

from flowc.runtime.checkpoint import BaseCheckpointSaver
from flowc.savers.langgraph_adapter import LangGraphSaver

BASE = {"put", "put_writes", "get_tuple", "list", "delete_thread"}
EXTENDED = {"delete_for_runs", "copy_thread", "prune"}
pytestmark = pytest.mark.conformance


def _run(name: str, fresh: Callable[[], BaseCheckpointSaver]) -> CapabilityReport:
    @checkpointer_test(name=name)
    async def factory() -> AsyncIterator[LangGraphSaver]:
        saver = fresh()
        try:
            yield LangGraphSaver(saver)
        finally:
            aclose = getattr(saver, "aclose", None)
            if aclose is not None:
                await aclose()
            else:
                getattr(saver, "close", lambda: None)()

    report = asyncio.run(validate(factory))
    report.print_report()  # shown with -s, or in a failure's captured output
    return report


def _assert_all_pass(report: CapabilityReport) -> None:
    failures = {cap: result.failures for cap, result in report.results.items() if not result.passed}
    assert failures == {}
    assert {cap for cap, r in report.results.items() if r.detected} == BASE | EXTENDED
    passed = sum(r.tests_passed for r in report.results.values())
    failed = sum(r.tests_failed for r in report.results.values())
    skipped = sum(r.tests_skipped for r in report.results.values())
    # every test of the suite, run and passed (0.0.2 has 58 base and 23 extended ones)
    assert (passed, failed, skipped) == (81, 0, 0)


def test_in_memory_saver_passes_langgraph_conformance() -> None:
    from flowc.savers.memory import InMemorySaver

    _assert_all_pass(_run("flowc InMemorySaver", InMemorySaver))


def test_sqlite_saver_passes_langgraph_conformance(tmp_path: Path) -> None:
    from flowc.savers.sqlite import SqliteSaver

    _assert_all_pass(
        _run("flowc SqliteSaver", lambda: SqliteSaver(tmp_path / f"{uuid.uuid4().hex}.db"))
    )


def test_postgres_saver_passes_langgraph_conformance(postgres) -> None:  # type: ignore[no-untyped-def]
    import psycopg

    from flowc.savers.postgres import PostgresSaver

    def fresh() -> PostgresSaver:
        schema = f"c_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(postgres.conninfo(), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        return PostgresSaver(f"{postgres.conninfo()} options='-c search_path={schema}'")

    _assert_all_pass(_run("flowc PostgresSaver", fresh))


class SyncPathsOf(BaseCheckpointSaver):
    """A saver's sync methods only: the suite (which calls the async ones) then tests those.

    The Postgres saver's async methods are its own (psycopg's async pool); the
    base class's async twins run these sync ones in worker threads instead.
    """

    def __init__(self, inner: Any) -> None:
        super().__init__(serde=inner.serde)
        self.inner = inner
        self.get_tuple = inner.get_tuple  # type: ignore[method-assign]
        self.list = inner.list  # type: ignore[method-assign]
        self.put = inner.put  # type: ignore[method-assign]
        self.put_writes = inner.put_writes  # type: ignore[method-assign]
        self.delete_thread = inner.delete_thread  # type: ignore[method-assign]
        self.delete_for_runs = inner.delete_for_runs  # type: ignore[method-assign]
        self.copy_thread = inner.copy_thread  # type: ignore[method-assign]
        self.prune = inner.prune  # type: ignore[method-assign]

    def close(self) -> None:
        self.inner.close()


def test_postgres_saver_sync_methods_pass_langgraph_conformance(postgres) -> None:  # type: ignore[no-untyped-def]
    import psycopg

    from flowc.savers.postgres import PostgresSaver

    def fresh() -> BaseCheckpointSaver:
        schema = f"s_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(postgres.conninfo(), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        return SyncPathsOf(
            PostgresSaver(f"{postgres.conninfo()} options='-c search_path={schema}'")
        )

    _assert_all_pass(_run("flowc PostgresSaver (sync methods)", fresh))
