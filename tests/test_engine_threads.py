"""Runs on a thread: the engine's checkpoints and pending writes, on hand-built plans.

A saver that records its calls shows the order of what a run stores: each
task's writes before the checkpoint that applies them, one checkpoint per
step boundary, and a second run starting from the first one's state.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from flowc.runtime import UpdatesEvent
from flowc.runtime._drive import astream, invoke, stream
from flowc.runtime._engine import Node, Plan
from flowc.runtime._persist import CHECKPOINTER
from flowc.savers.memory import InMemorySaver
from flowc.savers.sqlite import SqliteSaver


def _append(values: dict[str, Any], update: dict[str, Any]) -> None:
    for key, value in update.items():
        values[key] = values.get(key, []) + value if key == "log" else value


def chain_plan() -> Plan:
    """a -> b; each appends its name to ``log``."""
    return Plan(
        "chain",
        ("log",),
        (
            Node("a", UpdatesEvent, plain=lambda s: {"log": ["a"]}, then=("b",)),
            Node("b", UpdatesEvent, plain=lambda s: {"log": ["b"]}),
        ),
        entry=("a",),
        merge=_append,
    )


class Recording(InMemorySaver):
    """An in-memory saver that records each call: ``put`` with its step, ``put_writes``."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[Any, ...]] = []

    def put(self, config: Any, checkpoint: Any, metadata: Any, new_versions: Any) -> Any:
        self.calls.append(("put", metadata["source"], metadata["step"]))
        return super().put(config, checkpoint, metadata, new_versions)

    def put_writes(
        self, config: Any, writes: Sequence[tuple[str, Any]], task_id: str, task_path: str = ""
    ) -> None:
        self.calls.append(("put_writes", config["configurable"]["checkpoint_id"], list(writes)))
        super().put_writes(config, writes, task_id, task_path)


def on_thread(saver: Any, thread: str = "t") -> Any:
    return {"configurable": {"thread_id": thread, CHECKPOINTER: saver}}


def test_each_tasks_writes_are_stored_against_the_checkpoint_before_the_one_applying_them() -> None:
    saver = Recording()
    assert invoke(chain_plan(), {"log": []}, on_thread(saver)) == {"log": ["a", "b"]}
    checkpoint_ids = [c.checkpoint["id"] for c in saver.list(None)][::-1]
    assert saver.calls == [
        ("put", "input", -1),
        ("put_writes", checkpoint_ids[0], [("log", []), ("branch:to:a", None)]),
        ("put", "loop", 0),
        ("put_writes", checkpoint_ids[1], [("log", ["a"]), ("branch:to:b", None)]),
        ("put", "loop", 1),
        ("put_writes", checkpoint_ids[2], [("log", ["b"])]),
        ("put", "loop", 2),
    ]


def test_a_second_run_on_a_thread_starts_from_its_state_and_goes_on_counting_steps() -> None:
    saver = InMemorySaver()
    plan = chain_plan()
    invoke(plan, {"log": ["x"]}, on_thread(saver))
    assert invoke(plan, {"log": ["y"]}, on_thread(saver)) == {"log": ["x", "a", "b", "y", "a", "b"]}
    steps = [(c.metadata["source"], c.metadata["step"]) for c in saver.list(None)][::-1]
    assert steps == [
        ("input", -1),
        ("loop", 0),
        ("loop", 1),
        ("loop", 2),
        ("input", 3),
        ("loop", 4),
        ("loop", 5),
        ("loop", 6),
    ]
    # another thread starts empty
    assert invoke(plan, {"log": []}, on_thread(saver, "other")) == {"log": ["a", "b"]}


def test_an_async_run_on_a_thread_stores_what_a_sync_run_stores() -> None:
    sync_saver, async_saver = Recording(), Recording()
    list(stream(chain_plan(), {"log": []}, "updates", False, on_thread(sync_saver)))

    async def run() -> None:
        async for _ in astream(chain_plan(), {"log": []}, "updates", False, on_thread(async_saver)):
            pass

    asyncio.run(run())
    shape = [(c[0], c[2] if c[0] == "put_writes" else c[1:]) for c in sync_saver.calls]
    assert [(c[0], c[2] if c[0] == "put_writes" else c[1:]) for c in async_saver.calls] == shape


def test_a_thread_on_sqlite_goes_on_in_a_new_saver_on_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "threads.db"
    plan = chain_plan()
    invoke(plan, {"log": ["x"]}, on_thread(SqliteSaver(str(path))))
    # what a new process would see: a new saver on the same file
    assert invoke(plan, {"log": []}, on_thread(SqliteSaver(str(path)))) == {
        "log": ["x", "a", "b", "a", "b"]
    }
    with sqlite3.connect(path) as db:
        assert db.execute("select count(*) from checkpoints").fetchone() == (8,)


def test_a_checkpointer_without_a_thread_id_is_refused_before_anything_runs() -> None:
    events = stream(
        chain_plan(),
        {"log": []},
        "updates",
        False,
        {"configurable": {CHECKPOINTER: InMemorySaver()}},
    )
    with pytest.raises(ValueError, match="needs a thread to run on"):
        next(events)


def test_a_run_without_a_checkpointer_stores_nothing_and_numbers_steps_from_one() -> None:
    chunks = [
        (e.step, e.name)
        for e in stream(
            chain_plan(), {"log": []}, "tasks", False, {"configurable": {"thread_id": "t"}}
        )
        if hasattr(e, "input")
    ]
    assert chunks == [(1, "a"), (2, "b")]
