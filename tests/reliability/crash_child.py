"""The child process of the crash tests: a 20-step graph on a SQLite thread, killed on cue.

Usage: ``python -m tests.reliability.crash_child DB EFFECTS DURABILITY``

It runs the graph on thread ``t`` of the SQLite file ``DB``: from its input
when the thread has no checkpoint yet, else on from the thread's checkpoint
(input ``None``). Each node first records its side effect in the ``effects``
table of the SQLite file ``EFFECTS`` (committed at once), then returns its
writes. ``CRASH_AT`` (an environment variable, read only here) names where
the process SIGKILLs itself:

- ``put_writes:N:before`` / ``put_writes:N:after``: around its Nth ``put_writes``
  (``after`` is the instant between a task's writes and the checkpoint);
- ``put:N:before`` / ``put:N:after``: around its Nth ``put`` (a checkpoint);
- ``node:NAME``: in node NAME, after its side effect, before it returns.

Without ``CRASH_AT`` the run goes to the end (or the parent kills it at a
moment of its choosing) and prints ``done``.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from flowc.runtime import UpdatesEvent
from flowc.runtime._drive import invoke
from flowc.runtime._engine import Node, Plan
from flowc.runtime._persist import CHECKPOINTER, DURABILITY
from flowc.savers.sqlite import SqliteSaver

NAMES = [f"s{i:02}" for i in range(10)] + ["s10a", "s10b"] + [f"s{i:02}" for i in range(11, 20)]
"""The nodes: a chain of 20 supersteps, the 11th of which runs two tasks (s10a and s10b)."""
INPUT: dict[str, Any] = {"log": [], "total": 0}
THREAD = "t"


def _kill() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


class CrashingSaver(SqliteSaver):
    """A SQLite saver that kills the process at the ``CRASH_AT`` point."""

    def __init__(self, path: str, crash_at: str | None) -> None:
        super().__init__(path)
        self.crash_at = crash_at
        self.counts = {"put": 0, "put_writes": 0}

    def _point(self, op: str, when: str) -> None:
        if self.crash_at == f"{op}:{self.counts[op]}:{when}":
            _kill()

    def put(self, config: Any, checkpoint: Any, metadata: Any, new_versions: Any) -> Any:
        self.counts["put"] += 1
        self._point("put", "before")
        saved = super().put(config, checkpoint, metadata, new_versions)
        self._point("put", "after")
        return saved

    def put_writes(
        self, config: Any, writes: Sequence[tuple[str, Any]], task_id: str, task_path: str = ""
    ) -> None:
        self.counts["put_writes"] += 1
        self._point("put_writes", "before")
        super().put_writes(config, writes, task_id, task_path)
        self._point("put_writes", "after")


def _merge(values: dict[str, Any], update: dict[str, Any]) -> None:
    for key, value in update.items():
        values[key] = values.get(key, []) + value if key == "log" else value


def plan(effects: sqlite3.Connection, crash_at: str | None) -> Plan:
    """The 20-step graph; each node records its effect, then appends its name to ``log``."""

    lock = threading.Lock()

    def node(name: str, index: int) -> Callable[[dict[str, Any]], dict[str, Any]]:
        def run(state: dict[str, Any]) -> dict[str, Any]:
            with lock:
                effects.execute(
                    "INSERT INTO effects (node, pid) VALUES (?, ?)", (name, os.getpid())
                )
            time.sleep(0.002)
            if crash_at == f"node:{name}":
                _kill()
            if name in ("s10a", "s10b"):
                return {"log": [name]}
            return {"log": [name], "total": state["total"] + index}

        return run

    nodes = []
    for index, name in enumerate(NAMES):
        if name == "s09":
            then: tuple[str, ...] = ("s10a", "s10b")
        elif name in ("s10a", "s10b"):
            then = ("s11",)
        elif name == "s19":
            then = ()
        else:
            then = (NAMES[index + 1],)
        nodes.append(Node(name, UpdatesEvent, plain=node(name, index), then=then))
    return Plan(
        "crash",
        ("log", "total"),
        tuple(nodes),
        entry=("s00",),
        merge=_merge,
        last_value=frozenset(("total",)),
    )


def main() -> None:
    db, effects_path, durability = sys.argv[1:4]
    crash_at = os.environ.get("CRASH_AT") or None
    # nodes run on the worker pool: one connection, used by one node at a time
    effects = sqlite3.connect(
        effects_path, isolation_level=None, timeout=30, check_same_thread=False
    )
    effects.execute("CREATE TABLE IF NOT EXISTS effects (node TEXT, pid INTEGER)")
    saver = CrashingSaver(db, crash_at)
    config: Any = {
        "configurable": {"thread_id": THREAD, CHECKPOINTER: saver, DURABILITY: durability}
    }
    started = saver.get_tuple({"configurable": {"thread_id": THREAD}}) is not None
    invoke(plan(effects, crash_at), None if started else dict(INPUT), config)
    print("done", flush=True)


if __name__ == "__main__":
    main()
