"""The SQLite saver waits for the disk on each commit only where the run's durability asks it to.

In its default ``"auto"`` mode, the writes and checkpoints of a run with
``durability="sync"`` (and anything not from a run) commit with
``synchronous = FULL``; those of ``"async"`` and ``"exit"`` runs with
``NORMAL``, which WAL mode keeps safe against a crash of the process.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypedDict

import pytest

from flowc.langgraph import START, StateGraph
from flowc.savers.sqlite import SqliteSaver


class State(TypedDict):
    n: int


class Spy(SqliteSaver):
    """Records the ``synchronous`` setting each write transaction commits under."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.commits: list[int] = []
        super().__init__(*args, **kwargs)
        # the saver makes its tables on first use: that commit is not a run's
        self.get_tuple({"configurable": {"thread_id": "none"}})
        self.commits.clear()

    @contextlib.contextmanager
    def _session(self, *, write: bool, config: Any = None) -> Iterator[Any]:
        with super()._session(write=write, config=config) as conn:
            if write:
                self.commits.append(conn.execute("PRAGMA synchronous").fetchone()[0])
            yield conn


def _run(saver: SqliteSaver, durability: str) -> None:
    builder = StateGraph(State)
    builder.add_node("a", lambda s: {"n": s["n"] + 1})
    builder.add_node("b", lambda s: {"n": s["n"] + 1})
    builder.add_edge(START, "a")
    builder.add_edge("a", "b")
    graph = builder.compile(checkpointer=saver)
    config: Any = {"configurable": {"thread_id": durability}}
    assert graph.invoke({"n": 0}, config, durability=durability) == {"n": 2}


FULL, NORMAL = 2, 1


@pytest.mark.parametrize(
    ("durability", "expected"), [("sync", FULL), ("async", NORMAL), ("exit", NORMAL)]
)
def test_auto_commits_a_run_under_full_only_when_its_durability_is_sync(
    tmp_path: Path, durability: str, expected: int
) -> None:
    saver = Spy(tmp_path / "runs.db")
    _run(saver, durability)
    assert saver.commits and set(saver.commits) == {expected}
    # a write from outside a run commits under FULL again, on the same connection
    saver.commits.clear()
    saver.delete_thread(durability)
    assert saver.commits == [FULL]
    saver.close()


@pytest.mark.parametrize("mode", ["FULL", "NORMAL"])
def test_a_chosen_setting_is_used_for_every_commit(tmp_path: Path, mode: str) -> None:
    saver = Spy(tmp_path / "runs.db", synchronous=mode)  # type: ignore[arg-type]
    _run(saver, "async")
    _run(saver, "sync")
    assert set(saver.commits) == {FULL if mode == "FULL" else NORMAL}
    saver.close()
