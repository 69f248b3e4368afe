"""What makes a checkpointed step cheap, and what it must not cost.

- A lone quiet task of a run on a thread runs in the loop's own thread.
- The SQLite saver stores a ``"sync"`` run in one transaction per step (the
  step's writes with its checkpoint), an ``"async"`` one from a writer thread
  that coalesces what is queued; either way the file holds everything when
  the run returns, and a batch that cannot be stored fails the run.
- The in-memory saver keeps snapshots: what a caller changes after ``put``, or
  in what ``get_tuple`` gave it, never changes what is stored.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flowc.runtime import UpdatesEvent
from flowc.runtime._drive import invoke
from flowc.runtime._engine import Node, Plan
from flowc.runtime._persist import CHECKPOINTER, DURABILITY
from flowc.runtime.checkpoint import HANDOVER, checkpoint_metadata, empty_checkpoint, uuid6_text
from flowc.savers.memory import InMemorySaver
from flowc.savers.sqlite import SqliteSaver


def _append(values: dict[str, Any], update: dict[str, Any]) -> None:
    for key, value in update.items():
        values[key] = values.get(key, []) + value


def chain_plan(seen: list[str] | None = None) -> Plan:
    """a -> b; each appends its name to ``log`` (and the thread it ran on to ``seen``)."""

    def node(name: str) -> Any:
        def run(state: dict[str, Any]) -> dict[str, Any]:
            if seen is not None:
                seen.append(threading.current_thread().name)
            return {"log": [name]}

        return run

    return Plan(
        "chain",
        ("log",),
        (
            Node("a", UpdatesEvent, plain=node("a"), then=("b",)),
            Node("b", UpdatesEvent, plain=node("b")),
        ),
        entry=("a",),
        merge=_append,
    )


def on_thread(saver: Any, thread: str, durability: str) -> Any:
    return {"configurable": {"thread_id": thread, CHECKPOINTER: saver, DURABILITY: durability}}


class Commits(SqliteSaver):
    """Counts the write transactions that commit, and what the file holds after each."""

    def __init__(self, path: Path) -> None:
        self.commits: list[tuple[int, int]] = []
        super().__init__(path)

    @contextlib.contextmanager
    def _session(self, *, write: bool, config: Any = None) -> Iterator[Any]:
        with super()._session(write=write, config=config) as conn:
            yield conn
            if write:
                self.commits.append(
                    (
                        conn.execute("SELECT count(*) FROM checkpoints").fetchone()[0],
                        conn.execute("SELECT count(*) FROM checkpoint_writes").fetchone()[0],
                    )
                )


def test_a_lone_quiet_task_on_a_thread_runs_in_the_loops_own_thread(tmp_path: Path) -> None:
    seen: list[str] = []
    here = threading.current_thread().name
    saver = SqliteSaver(tmp_path / "runs.db")
    invoke(chain_plan(seen), {"log": []}, on_thread(saver, "t", "sync"))
    assert seen == [here, here]
    saver.close()


def test_a_sync_run_commits_once_per_step_with_the_steps_writes(tmp_path: Path) -> None:
    saver = Commits(tmp_path / "runs.db")
    saver.commits.clear()
    assert invoke(chain_plan(), {"log": []}, on_thread(saver, "t", "sync")) == {"log": ["a", "b"]}
    # (checkpoints, writes) after each commit: the input checkpoint, then each step's
    # checkpoint with the writes of the tasks it applies (__start__'s, a's, b's)
    assert saver.commits == [(1, 0), (2, 2), (3, 4), (4, 5)]
    saver.close()


def test_an_async_run_has_stored_everything_when_it_returns(tmp_path: Path) -> None:
    saver = Commits(tmp_path / "runs.db")
    saver.commits.clear()
    assert invoke(chain_plan(), {"log": []}, on_thread(saver, "t", "async")) == {"log": ["a", "b"]}
    # coalesced: at most one commit per step, and the last one holds everything
    assert 1 <= len(saver.commits) <= 4
    assert saver.commits[-1] == (4, 5)
    # another connection (another process would be the same) reads it all
    with sqlite3.connect(tmp_path / "runs.db") as other:
        assert other.execute("SELECT count(*) FROM checkpoints").fetchone() == (4,)
    saver.close()
    reopened = SqliteSaver(tmp_path / "runs.db")
    latest = reopened.get_tuple({"configurable": {"thread_id": "t"}})
    assert latest is not None
    assert latest.checkpoint["channel_values"]["log"] == ["a", "b"]
    assert latest.metadata["step"] == 2
    reopened.close()


def test_a_batch_that_cannot_be_stored_fails_the_run_that_handed_it(tmp_path: Path) -> None:
    path = tmp_path / "runs.db"
    saver = SqliteSaver(path, timeout=0.05)
    # another connection holds the write lock: the writer's transaction cannot start
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        invoke(chain_plan(), {"log": []}, on_thread(saver, "t", "async"))
    blocker.execute("ROLLBACK")
    blocker.close()
    # the error was the failed run's: the next run stores as usual
    assert invoke(chain_plan(), {"log": []}, on_thread(saver, "u", "async")) == {"log": ["a", "b"]}
    assert [t.metadata["step"] for t in saver.list({"configurable": {"thread_id": "u"}})] == [
        2,
        1,
        0,
        -1,
    ]
    saver.close()


def _checkpoint() -> Any:
    checkpoint = empty_checkpoint()
    checkpoint["channel_values"] = {"count": 1, "log": ["a"]}
    checkpoint["channel_versions"] = {"count": "1", "log": "1"}
    checkpoint["versions_seen"] = {"a": {"count": "1"}}
    checkpoint["updated_channels"] = ["count", "log"]
    return checkpoint


@pytest.mark.parametrize("handover", [False, True])
def test_the_memory_saver_keeps_snapshots_the_caller_cannot_change(handover: bool) -> None:
    saver = InMemorySaver()
    thread: dict[str, Any] = {"configurable": {"thread_id": "t", "checkpoint_ns": ""}}
    if handover:
        thread["configurable"][HANDOVER] = True
    checkpoint = _checkpoint()
    metadata: Any = {"source": "loop", "step": 0, "parents": {"": "p"}}
    saver.put(thread, checkpoint, metadata, {"count": "1", "log": "1"})
    if not handover:
        # the saver copied what it was given: changing it afterwards changes nothing
        checkpoint["channel_versions"]["count"] = "9"
        checkpoint["versions_seen"]["a"]["count"] = "9"
        checkpoint["channel_values"]["log"].append("b")
        metadata["parents"][""] = "x"
    found = saver.get_tuple({"configurable": {"thread_id": "t"}})
    assert found is not None
    expected = {
        "count": 1,
        "log": ["a"],
    }
    assert found.checkpoint["channel_values"] == expected
    assert found.checkpoint["channel_versions"] == {"count": "1", "log": "1"}
    assert found.checkpoint["versions_seen"] == {"a": {"count": "1"}}
    assert found.metadata == {"source": "loop", "step": 0, "parents": {"": "p"}}
    # what get_tuple gives is a copy of its own
    found.checkpoint["versions_seen"]["a"]["count"] = "7"
    found.checkpoint["channel_values"]["log"].append("c")
    found.metadata["parents"][""] = "y"
    again = saver.get_tuple({"configurable": {"thread_id": "t"}})
    assert again is not None
    assert again.checkpoint["versions_seen"] == {"a": {"count": "1"}}
    assert again.checkpoint["channel_values"] == expected
    assert again.metadata["parents"] == {"": "p"}


def test_the_memory_saver_keeps_what_an_append_only_list_adds_not_the_list_again() -> None:
    saver = InMemorySaver()
    config: Any = {"configurable": {"thread_id": "t", "checkpoint_ns": ""}}
    log: list[str] = []
    for turn in range(50):
        log = [*log, f"turn {turn}"]
        checkpoint = empty_checkpoint()
        checkpoint["channel_values"] = {"log": log}
        version = f"{turn + 1:032}.0"
        checkpoint["channel_versions"] = {"log": version}
        config = saver.put(config, checkpoint, {"source": "loop", "step": turn}, {"log": version})
    # what the saver holds of the list: 50 items, one per turn (whole lists would be 1275)
    stored = [value for key, value in saver._blobs.items() if key[2] == "log"]
    held = 0
    for kind, data in stored:
        items = data[1] if kind == "<delta>" else (kind, data)
        held += len(saver.serde.loads_typed(items))
    assert (len(stored), held) == (50, 50)
    # every version reads back whole, the latest and the first
    history = [
        t.checkpoint["channel_values"]["log"]
        for t in saver.list({"configurable": {"thread_id": "t"}})
    ]
    assert history[0] == [f"turn {i}" for i in range(50)]
    assert history[-1] == ["turn 0"]
    assert [len(h) for h in history] == list(range(50, 0, -1))
    # keep_latest keeps the versions the latest one extends
    saver.prune(["t"])
    latest = saver.get_tuple({"configurable": {"thread_id": "t"}})
    assert latest is not None
    assert latest.checkpoint["channel_values"]["log"] == [f"turn {i}" for i in range(50)]


def test_checkpoint_ids_made_as_text_are_the_uuid6_strings() -> None:
    made = [uuid6_text(step) for step in range(-1, 2000)]
    assert sorted(made) == made
    assert len(set(made)) == len(made)
    parsed = [uuid.UUID(text) for text in made]
    assert [str(u) for u in parsed] == made
    assert {u.version for u in parsed} == {6}
    # the step is the id's clock sequence, as in LangGraph's ids
    assert [u.clock_seq for u in parsed[:3]] == [0x3FFF, 0, 1]


def test_a_runs_versions_count_up_with_one_tie_break_and_forks_never_share_them() -> None:
    saver = InMemorySaver()
    invoke(chain_plan(), {"log": []}, config=on_thread(saver, "t", "async"))
    history = list(saver.list({"configurable": {"thread_id": "t"}}))
    versions = [set(saved.checkpoint["channel_versions"].values()) for saved in history]
    newest = {v for found in versions for v in found}
    counters = sorted(int(v.split(".")[0]) for v in newest)
    assert counters == [1, 2, 3, 4]
    assert all(len(v.split(".")[0]) == 32 for v in newest)
    assert len({v.split(".", 1)[1] for v in newest}) == 1
    # two runs going on from the input checkpoint: the same counters, other versions
    first = history[-1].config
    for thread in ("fork-1", "fork-2"):
        saver.copy_thread("t", thread)
    forked = []
    for thread in ("fork-1", "fork-2"):
        config = {"configurable": {**first["configurable"], "thread_id": thread}}
        config["configurable"][CHECKPOINTER] = saver
        invoke(chain_plan(), None, config=config)
        latest = saver.get_tuple({"configurable": {"thread_id": thread}})
        assert latest is not None
        forked.append(set(latest.checkpoint["channel_versions"].values()) - newest)
    assert forked[0] and forked[1] and not forked[0] & forked[1]


def test_a_runs_checkpoint_metadata_is_kept_as_given_and_other_configs_add_theirs() -> None:
    put = {"configurable": {"thread_id": "t", "checkpoint_ns": "", HANDOVER: True}}
    metadata = {"source": "loop", "step": 3, "parents": {}}
    assert checkpoint_metadata(put, metadata) == metadata  # type: ignore[arg-type]
    assert checkpoint_metadata(put, {"source": "a\x00b"}) == {"source": "ab"}  # type: ignore[typeddict-item]
    assert checkpoint_metadata(put, {"step": 1, "writes": {}}) == {"step": 1}  # type: ignore[typeddict-unknown-key]
    user = {"configurable": {"thread_id": "t", "user": "ann"}, "metadata": {"team": 7}}
    assert checkpoint_metadata(user, {"step": 1}) == {"step": 1, "team": 7, "user": "ann"}  # type: ignore[arg-type]
