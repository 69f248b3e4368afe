"""Timing: interleaved samples, medians with min-max, fresh-process probes."""

from __future__ import annotations

import asyncio
import gc
import os
import resource
import statistics
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Stats:
    """Samples of one measurement (seconds, or any unit), with their summary."""

    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def min(self) -> float:
        return min(self.samples)

    @property
    def max(self) -> float:
        return max(self.samples)

    def as_json(self) -> dict[str, Any]:
        return {"median": self.median, "min": self.min, "max": self.max, "samples": self.samples}


@dataclass(frozen=True)
class Impl:
    """One implementation of a case.

    ``kind`` says what ``start()`` returns: ``"iter"`` an iterator to drain,
    ``"aiter"`` an async iterator to drain, ``"call"`` the result itself.
    """

    kind: str
    start: Callable[[], Any]


def _time_sync(impl: Impl, reps: int) -> float:
    start_run = impl.start
    if impl.kind == "iter":
        begin = time.perf_counter()
        for _ in range(reps):
            deque(start_run(), maxlen=0)
    else:
        begin = time.perf_counter()
        for _ in range(reps):
            start_run()
    return (time.perf_counter() - begin) / reps


async def _time_async(impl: Impl, reps: int) -> float:
    start_run = impl.start
    begin = time.perf_counter()
    for _ in range(reps):
        async for _item in start_run():
            pass
    return (time.perf_counter() - begin) / reps


async def _acollect(impl: Impl) -> list[Any]:
    return [item async for item in impl.start()]


class Timer:
    """Times implementations; async ones run in one event loop kept for the whole run."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()

    def once(self, impl: Impl, reps: int = 1) -> float:
        """Seconds per run, averaged over ``reps`` runs."""
        if impl.kind == "aiter":
            return self.loop.run_until_complete(_time_async(impl, reps))
        return _time_sync(impl, reps)

    def items(self, impl: Impl) -> list[Any]:
        """Run once and keep what the run yielded (its result, for ``"call"``)."""
        if impl.kind == "aiter":
            return self.loop.run_until_complete(_acollect(impl))
        if impl.kind == "iter":
            return list(impl.start())
        return [impl.start()]

    def reps_for(self, impl: Impl, target: float) -> int:
        """How many runs make one sample last about ``target`` seconds."""
        once = max(self.once(impl), 1e-7)
        if once >= target:
            return 1
        # a second, calibrated estimate: the first run pays for warm-up
        per = max(self.once(impl, max(1, int(target / once))), 1e-7)
        return max(1, int(target / per))

    def interleaved(self, impls: dict[str, Impl], samples: int, target: float) -> dict[str, Stats]:
        """``samples`` samples of each implementation, taken in rotating order."""
        reps = {name: self.reps_for(impl, target) for name, impl in impls.items()}
        out = {name: Stats() for name in impls}
        names = list(impls)
        for i in range(samples):
            order = names[i % len(names) :] + names[: i % len(names)]
            for name in order:
                gc.collect()
                out[name].samples.append(self.once(impls[name], reps[name]))
        return out

    def close(self) -> None:
        self.loop.close()


@dataclass(frozen=True)
class ProcessRun:
    """One fresh-process run: wall time, CPU time (user + system), stdout."""

    wall: float
    cpu: float
    stdout: str


def run_process(argv: Sequence[str], env: dict[str, str]) -> ProcessRun:
    """Run a fresh interpreter and wait for it.

    CPU time is reported next to wall time because it is far less disturbed
    by other processes on a busy machine.

    Raises:
        RuntimeError: if the process fails.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    stdout, stderr = proc.communicate()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(
            stderr.strip().splitlines()[-1] if stderr.strip() else f"exit {proc.returncode}"
        )
    cpu = usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime
    return ProcessRun(elapsed, cpu, stdout)


def interleaved_processes(
    commands: dict[str, list[str]], env: dict[str, str], samples: int
) -> tuple[dict[str, Stats], dict[str, Stats]]:
    """Wall and CPU time of each command in fresh processes, in rotating order.

    Each command runs once first, unmeasured, so that bytecode caches exist.
    """
    for argv in commands.values():
        run_process(argv, env)
    wall = {name: Stats() for name in commands}
    cpu = {name: Stats() for name in commands}
    names = list(commands)
    for i in range(samples):
        order = names[i % len(names) :] + names[: i % len(names)]
        for name in order:
            run = run_process(commands[name], env)
            wall[name].samples.append(run.wall)
            cpu[name].samples.append(run.cpu)
    return wall, cpu


def child_env(paths: Sequence[str]) -> dict[str, str]:
    """The environment of a probe process: ``paths`` first on ``PYTHONPATH``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([*paths, *filter(None, [env.get("PYTHONPATH")])])
    env.pop("PYTHONSTARTUP", None)
    # Measure imports as users see them after the first one: from cached bytecode.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


PYTHON = sys.executable
