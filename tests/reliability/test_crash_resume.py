"""kill -9 at any instant of a run on a SQLite thread loses nothing and repeats no durable step.

A child process (:mod:`tests.reliability.crash_child`) runs a 20-step graph on
a thread of a SQLite file, under each durability mode, and is SIGKILLed: at
chosen instants of the saver protocol (before and after each ``put_writes``,
which includes the instant between a task's writes and the checkpoint, and
before and after each ``put``), inside nodes after their side effect, and at
random moments by the parent. After each kill the parent reads what the file
holds; then a new child resumes the thread (it may be killed again). Each
scenario ends with a child that runs to the end.

What must hold, for every scenario:

- the thread's final state is the state of a run never interrupted;
- a step that was durable when the process died (its node's writes are in the
  thread's latest checkpoint, or stored as that checkpoint's pending writes)
  never runs again: its side effect, counted in a table of its own, does not
  happen again after the kill;
- under ``"sync"`` and ``"async"`` each kill repeats at most the steps it
  interrupted: no node's effect happens more than once per kill plus once.

The kill points are drawn from a seeded random generator (the seed is in the
failure message); the suite kills at least 201 times (at most 225).
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from flowc.runtime._persist import statuses
from flowc.savers.sqlite import SqliteSaver

from . import crash_child
from .crash_child import NAMES

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SEED = 20261201
SCENARIOS_PER_MODE = 25
KILLS_PER_SCENARIO = 3
FINAL = {"log": NAMES, "total": sum(i for i, n in enumerate(NAMES) if n not in ("s10a", "s10b"))}


def _child(db: Path, effects: Path, durability: str, crash_at: str | None, delay: float | None):
    env = dict(os.environ)
    env.pop("CRASH_AT", None)
    if crash_at is not None:
        env["CRASH_AT"] = crash_at
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.crash_child", str(db), str(effects), durability],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    if delay is not None:
        time.sleep(delay)
        process.kill()
    out, err = process.communicate(timeout=60)
    return process.returncode, out, err


def _effects(path: Path) -> Counter[str]:
    if not path.exists():
        return Counter()
    with sqlite3.connect(path) as connection:
        try:
            rows = connection.execute("SELECT node FROM effects").fetchall()
        except sqlite3.OperationalError:
            return Counter()
    return Counter(node for (node,) in rows)


def _durable(db: Path) -> set[str]:
    """The nodes whose writes the thread holds: in its latest state or as its pending writes."""
    if not db.exists():
        return set()
    saver = SqliteSaver(db)
    try:
        saved = saver.get_tuple({"configurable": {"thread_id": crash_child.THREAD}})
    finally:
        saver.close()
    if saved is None:
        return set()
    done = set(saved.checkpoint["channel_values"].get("log", []))
    for output, _ in statuses(saved.pending_writes).values():
        for channel, value in output:
            if channel == "log":
                done.update(value)
    return done


def _final_state(db: Path) -> Any:
    saver = SqliteSaver(db)
    try:
        saved = saver.get_tuple({"configurable": {"thread_id": crash_child.THREAD}})
    finally:
        saver.close()
    assert saved is not None
    values = saved.checkpoint["channel_values"]
    return {"log": values["log"], "total": values["total"]}, saved.checkpoint["channel_values"]


def _crash_point(
    rng: random.Random, durability: str, durable: set[str]
) -> tuple[str | None, float | None]:
    """Where the next child dies: a point it still reaches, or a moment the parent picks."""
    left = [name for name in NAMES if name not in durable]
    # a resumed run makes one put_writes and one put per step left (a new one two more)
    ops = max(1, len(left))
    kind = rng.random()
    if durability == "exit":
        # nothing is stored before the run ends: the points inside the run are the nodes
        kind = 0.55 + kind * 0.4
    if not left:
        # every step's writes are stored, the last checkpoint is not yet: only `put` is left
        kind = 0.3 + kind * 0.25
    if kind < 0.3:
        return f"put_writes:{rng.randint(1, ops)}:{rng.choice(['before', 'after'])}", None
    if kind < 0.55:
        return f"put:{rng.randint(1, ops)}:{rng.choice(['before', 'after'])}", None
    if kind < 0.85:
        return f"node:{rng.choice(left)}", None
    # a moment the parent picks: the child may not even have started its run
    return None, rng.uniform(0.05, 0.15)


@pytest.mark.parametrize("durability", ["sync", "async", "exit"])
def test_a_run_killed_at_any_point_resumes_to_the_same_state_repeating_no_durable_step(
    durability: str, tmp_path: Path
) -> None:
    rng = random.Random(f"{SEED}-{durability}")
    kills = 0
    for scenario in range(SCENARIOS_PER_MODE):
        db = tmp_path / f"{scenario}.db"
        effects = tmp_path / f"{scenario}-effects.db"
        history = []
        for _ in range(KILLS_PER_SCENARIO):
            before = _effects(effects)
            durable = _durable(db)
            crash_at, delay = _crash_point(rng, durability, durable)
            code, out, err = _child(db, effects, durability, crash_at, delay)
            history.append((crash_at, delay, code))
            where = f"seed {SEED}, {durability}, scenario {scenario}: {history}"
            after = _effects(effects)
            # what was durable before this process started never ran again in it
            for name in durable:
                assert after[name] == before[name], f"{name} ran again ({where})"
            if code == 0:
                # the run ended before the point came: nothing more to kill
                assert out.strip() == "done", f"{out}{err} ({where})"
                break
            assert code == -9, f"exit {code}: {err} ({where})"
            kills += 1
        durable = _durable(db)
        before = _effects(effects)
        code, out, err = _child(db, effects, durability, None, None)
        where = f"seed {SEED}, {durability}, scenario {scenario}: {history}"
        assert (code, out.strip()) == (0, "done"), f"{err} ({where})"
        after = _effects(effects)
        for name in durable:
            assert after[name] == before[name], f"{name} ran again ({where})"
        state, channels = _final_state(db)
        assert state == FINAL, where
        assert not any(ch.startswith("branch:to:") for ch in channels), where
        assert set(after) == set(NAMES), where
        if durability != "exit":
            assert max(after.values()) <= 1 + KILLS_PER_SCENARIO, where
    print(f"{durability}: {kills} kills")
    # 3 modes x 25 scenarios x up to 3 kills; a run that ends before its point is not killed
    assert kills >= 67, kills
