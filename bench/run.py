"""Benchmark flowc against LangGraph and a hand-written loop, in one run.

Usage: ``python bench/run.py [--json FILE] [--quick] [--only PART]... [--case TEXT]
[--baseline REV]``

The benchmark graphs are generated as TOML specs into a temporary folder and
compiled with ``flowc compile``; the LangGraph and hand-written versions call
the same node functions (``bench/flowc_bench/``). Samples are interleaved
across implementations; every figure is a median with its min-max. A case
that cannot run (a feature flowc does not have yet) is reported with its
reason and the run goes on. See ``docs/performance.md`` for the method.

``--baseline REV`` adds a fourth implementation, ``base``: the same graphs
compiled and run by the flowc of git revision ``REV`` of this repository
(``flowc_bench/baseline.py`` says how both live in one process), timed in the
same rotation as the others. The report then gives flowc/base per case and
names every case more than 5% slower than at ``REV`` (in the medians or in
the fastest samples).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import importlib
import importlib.metadata
import io
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from flowc_bench import baseline, specs  # noqa: E402
from flowc_bench import handwritten as hand  # noqa: E402
from flowc_bench import savers as durable  # noqa: E402
from flowc_bench.measure import (  # noqa: E402
    PYTHON,
    Impl,
    Stats,
    Timer,
    child_env,
    interleaved_processes,
)

GEN = "flowc_bench_gen"
"""Package the benchmark's generated modules are compiled into."""

IMPLS = ("flowc", "langgraph", "hand", "dropin")
GRAPHS = (
    "chain10",
    "chain10w",
    "chain10w1",
    "chain100",
    "fanout",
    "loop",
    "parent",
    "parentw",
    "router12",
    "sleep8",
)
"""The compiled graphs the timed cases run."""
SLOWER = 1.05
"""flowc/base above this, in medians or fastest samples, is reported: more than 5% slower."""
PARTS = ("cases", "savers", "threads", "import", "memory", "compile", "dropin")
INPUT = {"count": 0}


@dataclass
class Case:
    """One benchmark case: a graph, a way of running it, and its node steps."""

    name: str
    steps: int
    impls: dict[str, Impl] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)
    """Implementations that cannot run, with the reason."""
    stats: dict[str, Stats] = field(default_factory=dict)
    note: str | None = None


@dataclass
class Settings:
    samples: int
    target: float
    """Seconds one timing sample should last (several runs when a run is short)."""
    process_samples: int
    compile_samples: int


QUICK = Settings(samples=5, target=0.005, process_samples=3, compile_samples=2)
FULL = Settings(samples=21, target=0.02, process_samples=11, compile_samples=5)


# -- setup ------------------------------------------------------------------------------


def _compile(paths: list[Path], out: Path) -> tuple[int, str]:
    """``flowc compile`` in this process; its exit status and what it printed."""
    from flowc.cli import main

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        status = main(["--color", "never", "compile", *map(str, paths), "-o", str(out)])
    return status, buffer.getvalue()


def compile_graphs(spec_paths: dict[str, Path], tmp: Path) -> dict[str, Any]:
    """Compile every benchmark spec into the ``GEN`` package; import what compiled.

    Returns each graph's module, or the reason it is not available (a string).
    """
    out = tmp / GEN
    modules: dict[str, Any] = {}
    for name in GRAPHS:
        status, text = _compile([spec_paths[name]], out)
        if status != 0:
            modules[name] = f"flowc compile failed: {_first_error(text)}"
            continue
        modules[name] = _import(f"{GEN}.{name}")
    return modules


def compile_baseline(commit: str, spec_paths: dict[str, Path], tmp: Path) -> dict[str, Any]:
    """The graphs compiled by the flowc of ``commit``, like :func:`compile_graphs`.

    Raises:
        baseline.BaselineError: if that flowc cannot compile anything.
    """
    built = baseline.build(BENCH.parent, commit, spec_paths, GRAPHS, tmp, BENCH)
    return {
        name: why if why is not None else _import(f"{baseline.GEN}.{name}")
        for name, why in built.items()
    }


def _import(name: str) -> Any:
    """The module, or why it cannot be imported."""
    try:
        return importlib.import_module(name)
    except Exception as exc:
        return f"import failed: {type(exc).__name__}: {exc}"


_first_error = baseline.first_error


def _stream(obj: Any, **kwargs: Any) -> Impl:
    return Impl("iter", lambda: obj.stream(dict(INPUT), **kwargs))


def _astream(obj: Any, **kwargs: Any) -> Impl:
    return Impl("aiter", lambda: obj.astream(dict(INPUT), **kwargs))


def _invoke(obj: Any) -> Impl:
    return Impl("call", lambda: obj.invoke(dict(INPUT)))


def build_cases(modules: dict[str, Any], base: dict[str, Any] | None = None) -> list[Case]:
    """Every timed case, with the implementations that could be built.

    ``base``: the baseline's modules (as :func:`compile_baseline` gives them),
    timed as the implementation ``"base"``.
    """
    try:
        from flowc_bench import langgraph_graphs as lg

        lg_error = None
    except Exception as exc:  # LangGraph not installed: run the rest
        lg, lg_error = None, f"langgraph unavailable: {type(exc).__name__}: {exc}"

    chain10 = hand.chain_nodes(10)
    chain100 = hand.chain_nodes(100)
    flowc_runs: dict[str, tuple[str, Callable[[Any], Impl]]] = {
        "chain10 updates": ("chain10", lambda m: _stream(m, stream_mode="updates")),
        "chain10 values": ("chain10", lambda m: _stream(m, stream_mode="values")),
        "chain10 debug": ("chain10", lambda m: _stream(m, stream_mode="debug")),
        "chain10 custom": ("chain10w", lambda m: _stream(m, stream_mode="custom")),
        "chain10 invoke": ("chain10", _invoke),
        "chain100 updates": ("chain100", lambda m: _stream(m, stream_mode="updates")),
        "fanout50+join updates": ("fanout", lambda m: _stream(m, stream_mode="updates")),
        "loop1000 updates": ("loop", lambda m: _stream(m, stream_mode="updates")),
        "subgraph updates": (
            "parent",
            lambda m: _stream(m, stream_mode="updates", subgraphs=True),
        ),
        "chain10 astream": ("chain10", lambda m: _astream(m, stream_mode="updates")),
    }
    lg_runs: dict[str, Callable[[], Impl]] = {}
    if lg is not None:
        g10 = lg.chain(10)
        lg_runs = {
            "chain10 updates": lambda: _stream(g10, stream_mode="updates"),
            "chain10 values": lambda: _stream(g10, stream_mode="values"),
            "chain10 debug": lambda: _stream(g10, stream_mode="debug"),
            "chain10 custom": lambda: _stream(lg.chain(10, writer=True), stream_mode="custom"),
            "chain10 invoke": lambda: _invoke(g10),
            "chain100 updates": lambda: _stream(lg.chain(100), stream_mode="updates"),
            "fanout50+join updates": lambda: _stream(lg.fanout(), stream_mode="updates"),
            "loop1000 updates": lambda: _stream(lg.loop(), stream_mode="updates"),
            "subgraph updates": lambda: _stream(lg.parent(), stream_mode="updates", subgraphs=True),
            "chain10 astream": lambda: _astream(g10, stream_mode="updates"),
        }
    hand_runs: dict[str, Impl] = {
        "chain10 updates": Impl("iter", lambda: hand.chain_updates(chain10, dict(INPUT))),
        "chain10 values": Impl("iter", lambda: hand.chain_values(chain10, dict(INPUT))),
        "chain10 debug": Impl("iter", lambda: hand.chain_debug(chain10, dict(INPUT))),
        "chain10 custom": Impl("iter", lambda: hand.chain_custom(10, dict(INPUT))),
        "chain10 invoke": Impl("call", lambda: hand.chain_invoke(chain10, dict(INPUT))),
        "chain100 updates": Impl("iter", lambda: hand.chain_updates(chain100, dict(INPUT))),
        "fanout50+join updates": Impl("iter", lambda: hand.fanout_updates(dict(INPUT))),
        "loop1000 updates": Impl("iter", lambda: hand.loop_updates(dict(INPUT))),
        "subgraph updates": Impl("iter", lambda: hand.subgraph_updates(dict(INPUT))),
        "chain10 astream": Impl("aiter", lambda: hand.achain_updates(chain10, dict(INPUT))),
    }
    steps = {
        "chain100 updates": 100,
        "fanout50+join updates": specs.FAN_WIDTH + 1,
        "loop1000 updates": 1000,
        # four parent nodes, the subgraph node and the subgraph's five nodes
        "subgraph updates": len(specs.PARENT) + specs.SUB_CHAIN,
    }
    cases = []
    for name, (graph, make) in flowc_runs.items():
        case = Case(name, steps.get(name, 10))
        for impl, graphs in (("flowc", modules), ("base", base)):
            if graphs is None:
                continue
            module = graphs[graph]
            if isinstance(module, str):
                case.missing[impl] = module
            else:
                case.impls[impl] = make(module)
        if lg is None:
            case.missing["langgraph"] = str(lg_error)
        else:
            try:
                case.impls["langgraph"] = lg_runs[name]()
            except Exception as exc:
                case.missing["langgraph"] = f"{type(exc).__name__}: {exc}"
        case.impls["hand"] = hand_runs[name]
        cases.append(case)
    return cases + newer_cases(modules, base)


MODES3 = ["updates", "values", "custom"]
"""The router graph's modes."""
MODES2 = ["updates", "custom"]
"""The streaming subgraph's modes."""
ONE_WRITER = "1-writer chain10 custom"
"""Issue 20's chain of 10 where one node calls the writer, in ``custom`` mode."""
SUB_STREAMER = "streaming subgraph node"
"""Issue 20's ``subgraphs=True`` run of a graph whose only streaming node is its subgraph node."""


def newer_cases(modules: dict[str, Any], base: dict[str, Any] | None = None) -> list[Case]:
    """The cases of issue 20: the single-writer chain in custom mode, a subgraph node as the only
    streaming node, the router graph in three modes, parallel sleeps, many runs at once.

    Each as flowc (a compiled module), LangGraph, hand-written and flowc's drop-in
    (``flowc.langgraph``, the same builder code as LangGraph's: :mod:`flowc_bench.builders`).
    """
    from flowc_bench import builders

    try:
        import langgraph.graph as lg_api

        lg_error = None
    except Exception as exc:
        lg_api, lg_error = None, f"langgraph unavailable: {type(exc).__name__}: {exc}"
    import flowc.langgraph as dropin_api

    def streams(obj: Any) -> Callable[[], Any]:
        return lambda: obj.stream(dict(INPUT), stream_mode="updates")

    def astreams(obj: Any) -> Callable[[], Any]:
        return lambda: obj.astream(dict(INPUT), stream_mode="updates")

    chain10 = hand.chain_nodes(10)
    # per case: its graph module, how flowc (or the baseline) runs it, how a builder-made
    # graph (LangGraph's or the drop-in's) is made and run, the hand-written run, its steps
    runs: dict[str, tuple[str, Callable[[Any], Impl], Callable[[Any], Impl], Impl, int]] = {
        ONE_WRITER: (
            "chain10w1",
            lambda m: _stream(m, stream_mode="custom"),
            lambda api: _stream(builders.chain_one_writer(api), stream_mode="custom"),
            Impl("iter", lambda: hand.chain_one_writer(10, dict(INPUT))),
            10,
        ),
        SUB_STREAMER: (
            "parentw",
            lambda m: _stream(m, stream_mode=MODES2, subgraphs=True),
            lambda api: _stream(
                builders.streaming_subgraph_parent(api), stream_mode=MODES2, subgraphs=True
            ),
            Impl("iter", lambda: hand.streaming_subgraph(dict(INPUT))),
            len(specs.PARENT) + specs.SUB_CHAIN,
        ),
        "router12 3 modes": (
            "router12",
            lambda m: _stream(m, stream_mode=MODES3),
            lambda api: _stream(builders.router12(api), stream_mode=MODES3),
            Impl("iter", lambda: hand.router_modes(dict(INPUT))),
            12,
        ),
        "sleep8 parallel": (
            "sleep8",
            lambda m: _stream(m, stream_mode="updates"),
            lambda api: _stream(builders.sleep8(api), stream_mode="updates"),
            Impl("iter", lambda: hand.sleep_updates(dict(INPUT))),
            specs.SLEEPERS + 1,
        ),
        "1000 concurrent astream": (
            "chain10",
            lambda m: Impl("call", hand.concurrently(astreams(m))),
            lambda api: Impl("call", hand.concurrently(astreams(builders.chain(api, 10)))),
            Impl("call", hand.concurrently(lambda: hand.achain_updates(chain10, dict(INPUT)))),
            10 * hand.CONCURRENT,
        ),
        "32 threads streaming": (
            "chain10",
            lambda m: Impl("call", hand.in_threads(streams(m))),
            lambda api: Impl("call", hand.in_threads(streams(builders.chain(api, 10)))),
            Impl("call", hand.in_threads(lambda: hand.chain_updates(chain10, dict(INPUT)))),
            10 * hand.THREADS,
        ),
        # "drop-in first run (fresh process)": the drop-in's on-disk cache of its compiled
        # code (issue 20 item 4) is measured here, as a fresh-process case next to
        # measure_imports' (a child process per sample: bare interpreter, compiled module,
        # LangGraph, drop-in)
    }
    cases = []
    for name, (graph, make, build, hand_run, steps) in runs.items():
        case = Case(name, steps)
        for impl, graphs in (("flowc", modules), ("base", base)):
            if graphs is None:
                continue
            module = graphs[graph]
            if isinstance(module, str):
                case.missing[impl] = module
            else:
                case.impls[impl] = make(module)
        for impl, api in (("langgraph", lg_api), ("dropin", dropin_api)):
            if api is None:
                case.missing[impl] = str(lg_error)
                continue
            try:
                case.impls[impl] = build(api)
            except Exception as exc:
                case.missing[impl] = f"{type(exc).__name__}: {exc}"
        case.impls["hand"] = hand_run
        cases.append(case)
    return cases


SAVER_KINDS = ("memory", "sqlite", "postgres")


def saver_cases(modules: dict[str, Any], tmp: Path, postgres: durable.Postgres) -> list[Case]:
    """chain10 on a new thread per run, flowc and LangGraph each with its saver of each kind."""
    try:
        from flowc_bench import langgraph_graphs as lg

        lg_error = None
    except Exception as exc:
        lg, lg_error = None, f"langgraph unavailable: {type(exc).__name__}: {exc}"
    flowc_made = durable.flowc_savers(tmp, postgres)
    lg_made = durable.langgraph_savers(tmp, postgres) if lg is not None else {}
    module = modules["chain10"]
    cases = []
    for kind in SAVER_KINDS:
        case = Case(f"chain10 {kind} saver", 10)
        for impl, made in (("flowc", flowc_made), ("langgraph", lg_made)):
            factory = made.get(kind, lg_error)
            if isinstance(factory, str) or factory is None:
                case.missing[impl] = str(factory)
                continue
            try:
                saver = factory()
                if impl == "flowc":
                    if isinstance(module, str):
                        raise RuntimeError(module)
                    case.impls[impl] = durable.flowc_run(module, saver)
                else:
                    assert lg is not None
                    case.impls[impl] = durable.langgraph_run(lg.chain, saver)
            except Exception as exc:
                case.missing[impl] = f"{type(exc).__name__}: {exc}"
        case.missing["hand"] = "a hand-written loop keeps no checkpoints"
        cases.append(case)
    return cases


def print_threads(threads: dict[str, Any]) -> None:
    if not threads:
        return
    if "error" in threads:
        print(f"concurrent threads on Postgres: not measured: {threads['error']}\n")
        return
    print(
        f"{threads['threads']} chain10 runs at once, each on its own Postgres thread "
        "(async, runs/s, best of the rounds):"
    )
    print(f"{'pool size':<12}{'flowc':>14}{'LangGraph':>14}")
    for size, row in threads["runs_per_second"].items():
        cells = [f"{v:.0f}" if isinstance(v, float) else "failed" for v in row.values()]
        print(f"{size:<12}" + "".join(f"{c:>14}" for c in cells))
        for name, value in row.items():
            if isinstance(value, str):
                print(f"  {name} at pool size {size}: {value}")
    print()


def trial(timer: Timer, case: Case) -> None:
    """Run each implementation once: drop those that fail, note differing event counts."""
    counts: dict[str, int] = {}
    for name, impl in list(case.impls.items()):
        try:
            counts[name] = len(timer.items(impl))
        except Exception as exc:
            del case.impls[name]
            case.missing[name] = f"{type(exc).__name__}: {exc}"
    if len(set(counts.values())) > 1:
        case.note = "event counts differ: " + ", ".join(f"{k}={v}" for k, v in counts.items())


# -- fresh-process measurements -----------------------------------------------------------

# VmHWM, not ru_maxrss, where there is one: on Linux ru_maxrss survives exec,
# so a child started from this (large) process would report this one's peak.
_RSS = """
try:
    import re
    with open('/proc/self/status') as f:
        print(re.search(r'VmHWM:\\s*(\\d+)', f.read()).group(1))
except OSError:
    import resource, sys
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(kib // 1024 if sys.platform == 'darwin' else kib)
"""


def measure_imports(tmp: Path, settings: Settings, modules: dict[str, Any]) -> dict[str, Any]:
    """Wall time of a fresh interpreter importing a generated module, LangGraph, nothing."""
    if isinstance(modules["chain10"], str):
        return {"error": modules["chain10"]}
    env = child_env([str(tmp), str(BENCH)])
    commands = {
        "bare": [PYTHON, "-P", "-c", "pass"],
        "flowc": [PYTHON, "-P", "-c", f"import {GEN}.chain10"],
        "langgraph": [PYTHON, "-P", "-c", "import langgraph.graph"],
    }
    try:
        wall, cpu = interleaved_processes(commands, env, settings.process_samples)
    except RuntimeError as exc:
        return {"error": str(exc)}
    return {name: {**s.as_json(), "cpu": cpu[name].as_json()} for name, s in wall.items()}


def measure_memory(tmp: Path, settings: Settings, modules: dict[str, Any]) -> dict[str, Any]:
    """Peak RSS (KiB) of a fresh process running the 1,000-step loop, per implementation."""
    env = child_env([str(tmp), str(BENCH)])
    scripts = {
        "bare": _RSS,
        "flowc": f"import collections, {GEN}.loop as m\n"
        "collections.deque(m.stream({'count': 0}, stream_mode='updates'), 0)\n" + _RSS,
        "langgraph": "import collections\nfrom flowc_bench import langgraph_graphs as g\n"
        "collections.deque(g.loop().stream({'count': 0}, stream_mode='updates'), 0)\n" + _RSS,
        "hand": "import collections\nfrom flowc_bench import handwritten as h\n"
        "collections.deque(h.loop_updates({'count': 0}), 0)\n" + _RSS,
    }
    if isinstance(modules["loop"], str):
        del scripts["flowc"]
    out: dict[str, Any] = {}
    stats: dict[str, Stats] = {name: Stats() for name in scripts}
    for script in scripts.values():  # unmeasured: write the bytecode caches
        subprocess.run([PYTHON, "-P", "-c", script], env=env, capture_output=True, check=False)
    for i in range(settings.process_samples):
        names = list(scripts)
        for name in names[i % len(names) :] + names[: i % len(names)]:
            proc = subprocess.run(
                [PYTHON, "-P", "-c", scripts[name]],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode != 0:
                out[name] = {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
                continue
            stats[name].samples.append(float(proc.stdout.split()[-1]))
    for name, s in stats.items():
        if s.samples:
            out[name] = s.as_json()
    if isinstance(modules["loop"], str):
        out["flowc"] = {"error": modules["loop"]}
    return out


_FRESH_CACHE = (
    "import os, tempfile\n"
    "os.environ['FLOWC_CACHE_DIR'] = tempfile.mkdtemp(dir=os.environ['FLOWC_BENCH_CACHES'])\n"
)
"""Prefix of a probe that must find the drop-in's disk cache empty: a new folder per run."""


def measure_dropin(tmp: Path, settings: Settings, modules: dict[str, Any]) -> dict[str, Any]:
    """A fresh process's first run of chain10 (``invoke``): the drop-in with its disk cache
    empty and filled, the compiled module, LangGraph, the hand-written loop, and a bare
    interpreter."""
    if isinstance(modules["chain10"], str):
        return {"error": modules["chain10"]}
    caches = tmp / "dropin-caches"
    caches.mkdir()
    env = child_env([str(tmp), str(BENCH)])
    env["FLOWC_BENCH_CACHES"] = str(caches)
    env["FLOWC_CACHE_DIR"] = str(tmp / "dropin-cache")
    env.pop("FLOWC_DROPIN_CACHE", None)
    run = "assert m.invoke({'count': 0}) == {'count': 10}\n"
    dropin = "from flowc_bench import dropin_graphs as g\nm = g.chain(10)\n" + run
    commands = {
        "bare": [PYTHON, "-P", "-c", "pass"],
        "compiled": [PYTHON, "-P", "-c", f"import {GEN}.chain10 as m\n" + run],
        "dropin_warm": [PYTHON, "-P", "-c", dropin],
        "dropin_cold": [PYTHON, "-P", "-c", _FRESH_CACHE + dropin],
        "langgraph": [
            PYTHON,
            "-P",
            "-c",
            "from flowc_bench import langgraph_graphs as g\nm = g.chain(10)\n" + run,
        ],
        "hand": [
            PYTHON,
            "-P",
            "-c",
            "from flowc_bench import handwritten as h\n"
            "assert h.chain_invoke(h.chain_nodes(10), {'count': 0}) == {'count': 10}\n",
        ],
    }
    try:
        wall, cpu = interleaved_processes(commands, env, settings.process_samples)
    except RuntimeError as exc:
        return {"error": str(exc)}
    finally:
        shutil.rmtree(caches, ignore_errors=True)
    return {name: {**s.as_json(), "cpu": cpu[name].as_json()} for name, s in wall.items()}


def measure_compile(spec_paths: dict[str, Path], tmp: Path, settings: Settings) -> dict[str, Any]:
    """``flowc compile`` times: fresh output for 10/100/1,000 nodes, then unchanged specs."""
    sizes = {
        "10": spec_paths["chain10"],
        "100": spec_paths["chain100"],
        "1000": spec_paths["chain1000"],
    }
    root = tmp / "compile"
    # warm-up: templates and ruff's binary are looked up once per process
    status, text = _compile([spec_paths["chain10"]], root / "warmup")
    if status != 0:
        return {"error": _first_error(text)}
    fresh = {n: Stats() for n in sizes}
    unchanged = {n: Stats() for n in sizes}
    for i in range(settings.compile_samples):
        for n, path in sizes.items():
            out = root / f"{n}-{i}"
            start = time.perf_counter()
            status, text = _compile([path], out)
            fresh[n].samples.append(time.perf_counter() - start)
            if status != 0:
                return {"error": f"{n} nodes: {_first_error(text)}"}
            start = time.perf_counter()
            status, text = _compile([path], out)
            unchanged[n].samples.append(time.perf_counter() - start)
            if status != 0 or "up to date" not in text:
                return {"error": f"recompiling {n} nodes: {_first_error(text)}"}
            shutil.rmtree(out)
    # what a user sees: the `flowc` command in a fresh process, on an unchanged spec
    out = root / "cli"
    _compile([sizes["1000"]], out)
    env = child_env([str(BENCH)])
    cli = [PYTHON, "-m", "flowc.cli", "compile", str(sizes["1000"]), "-o", str(out)]
    cli_stats, _ = interleaved_processes({"cli": cli}, env, settings.compile_samples)
    return {
        "fresh": {n: s.as_json() for n, s in fresh.items()},
        "unchanged": {n: s.as_json() for n, s in unchanged.items()},
        "cli_unchanged_1000": cli_stats["cli"].as_json(),
    }


# -- report -----------------------------------------------------------------------------


def fmt_time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def fmt_stats(s: Stats) -> str:
    return f"{fmt_time(s.median)} ({fmt_time(s.min)}-{fmt_time(s.max)})"


def machine() -> dict[str, Any]:
    cpu = platform.processor() or "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    import flowc

    # the flowc measured is the one imported, which need not be this checkout's
    source = Path(flowc.__file__).resolve().parent.parent
    commit = None
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        proc = subprocess.run(
            ["git", "-C", str(source), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        )
        commit = proc.stdout.strip() or None
        if commit:
            dirty = subprocess.run(
                ["git", "-C", str(source), "status", "--porcelain", "--untracked-files=no"],
                capture_output=True,
                text=True,
                check=False,
            )
            commit += "+changes" if dirty.stdout.strip() else ""
    versions = {}
    for dist in ("flowc", "langgraph", "langchain-core"):
        try:
            versions[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            versions[dist] = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
        "flowc_source": str(source),
        "commit": commit,
    }


def ratio(case: Case, a: str, b: str, *, best: bool = False) -> float | None:
    """``a``'s time over ``b``'s: of the medians, or of the fastest samples."""
    if a in case.stats and b in case.stats:
        if best:
            return case.stats[a].min / case.stats[b].min
        return case.stats[a].median / case.stats[b].median
    return None


def print_cases(cases: list[Case], base: str | None = None) -> None:
    """The cases' tables; ``base`` names the baseline revision, if one was measured."""
    impls = (*IMPLS, "base") if base else IMPLS
    labels = {"flowc": "flowc", "langgraph": "LangGraph", "hand": "hand-written"}
    labels["dropin"] = "drop-in"
    labels["base"] = f"flowc at {base}"
    head = f"{'case':<24}" + "".join(f"{labels[i]:>33}" for i in impls)
    print(head)
    print("-" * len(head))
    for case in cases:
        cells = []
        for impl in impls:
            s = case.stats.get(impl)
            cells.append(fmt_stats(s) if s else "n/a")
        print(f"{case.name:<24}" + "".join(f"{c:>33}" for c in cells))
    print()
    head = (
        f"{'case':<24}{'steps':>6}{'flowc/step':>12}{'LG/step':>12}{'hand/step':>12}"
        f"{'flowc/LG':>10}{'LG÷flowc':>10}{'flowc/hand':>12}{'drop-in/step':>14}"
    ) + (f"{'base/step':>12}{'flowc/base':>12}" if base else "")
    print(head)
    print("-" * len(head))
    for case in cases:
        per = [
            fmt_time(case.stats[i].median / case.steps) if i in case.stats else "n/a" for i in impls
        ]
        lg = ratio(case, "flowc", "langgraph")
        hw = ratio(case, "flowc", "hand")
        line = (
            f"{case.name:<24}{case.steps:>6}{per[0]:>12}{per[1]:>12}{per[2]:>12}"
            f"{f'{lg:.4f}' if lg else 'n/a':>10}{f'{1 / lg:.0f}x' if lg else 'n/a':>10}"
            f"{f'{hw:.2f}' if hw else 'n/a':>12}{per[3]:>14}"
        )
        if base:
            fb = ratio(case, "flowc", "base")
            line += f"{per[4]:>12}{f'{fb:.3f}' if fb else 'n/a':>12}"
        print(line)
    for case in cases:
        for impl, why in case.missing.items():
            print(f"  {case.name}: {impl} not measured: {why}")
        if case.note:
            print(f"  {case.name}: {case.note}")
    if base:
        print_slower(cases, base)
    print()


def print_slower(cases: list[Case], base: str) -> None:
    """A line per case where flowc is more than 5% slower than the baseline.

    Either ratio counts, of the medians or of the fastest samples: a change is
    not slower only if neither says it is.
    """
    compared = [c for c in cases if ratio(c, "flowc", "base") is not None]
    slower = 0
    for case in compared:
        median = ratio(case, "flowc", "base") or 0.0
        best = ratio(case, "flowc", "base", best=True) or 0.0
        if max(median, best) > SLOWER:
            slower += 1
            print(
                f"  {case.name}: flowc more than 5% slower than flowc at {base}: "
                f"flowc/base {median:.3f} (medians), {best:.3f} (fastest samples)"
            )
    if compared and not slower:
        print(
            f"  no case is more than 5% slower than flowc at {base}, in medians or fastest "
            f"samples ({len(compared)} compared)"
        )


def targets(
    cases: list[Case],
    imports: dict[str, Any],
    memory: dict[str, Any],
    compiled: dict[str, Any],
    dropin: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Each target of the performance issue, with the measured figure."""
    out: list[dict[str, Any]] = []

    def add(name: str, value: float | None, limit: float, unit: str, why: str = "") -> None:
        out.append(
            {
                "target": name,
                "measured": value,
                "limit": limit,
                "unit": unit,
                "met": value is not None and value <= limit,
                "why": why,
            }
        )

    durable = [case for case in cases if case.name.endswith(" saver")]
    cases = [case for case in cases if not case.name.endswith(" saver")]
    for case in durable:
        if not case.name.endswith("postgres saver"):
            # issue 17: at least 20x LangGraph per checkpointed step, with the same kind of saver
            add(
                f"{case.name}: flowc/LangGraph per checkpointed step",
                ratio(case, "flowc", "langgraph"),
                1 / 20,
                "x",
                case.missing.get("flowc", "") or case.missing.get("langgraph", ""),
            )
    for case in cases:
        if case.name.startswith(("chain", "loop")):
            add(
                f"{case.name}: flowc/hand-written per node step",
                ratio(case, "flowc", "hand"),
                2.0,
                "x",
                case.missing.get("flowc", ""),
            )
    for case in cases:
        if "invoke" not in case.name:
            add(
                f"{case.name}: flowc/LangGraph",
                ratio(case, "flowc", "langgraph"),
                1 / 50,
                "x",
                case.missing.get("flowc", "") or case.missing.get("langgraph", ""),
            )
    for case in cases:
        # issue 20's acceptance: the live-streaming cases where one node streams
        why = case.missing.get("flowc", "") or case.missing.get("langgraph", "")
        if case.name == ONE_WRITER:
            add(
                f"{case.name}: flowc/hand-written",
                ratio(case, "flowc", "hand"),
                3.0,
                "x",
                case.missing.get("flowc", ""),
            )
        if case.name in (ONE_WRITER, SUB_STREAMER):
            add(
                f"{case.name}: flowc/LangGraph (100x)",
                ratio(case, "flowc", "langgraph"),
                1 / 100,
                "x",
                why,
            )
    if not imports:
        pass
    elif "flowc" in imports and "bare" in imports:
        add(
            "import time added by a generated module + runtime (wall)",
            (imports["flowc"]["median"] - imports["bare"]["median"]) * 1e3,
            30.0,
            "ms",
        )
        add(
            "import time added by a generated module + runtime (CPU)",
            (imports["flowc"]["cpu"]["median"] - imports["bare"]["cpu"]["median"]) * 1e3,
            30.0,
            "ms",
        )
    else:
        add(
            "import time added by a generated module + runtime",
            None,
            30.0,
            "ms",
            str(imports.get("error", "")),
        )
    if not memory:
        pass
    elif "median" in memory.get("flowc", {}) and "median" in memory.get("bare", {}):
        add(
            "peak memory of loop1000 above a bare interpreter",
            (memory["flowc"]["median"] - memory["bare"]["median"]) / 1024,
            5.0,
            "MiB",
        )
    else:
        add(
            "peak memory of loop1000 above a bare interpreter",
            None,
            5.0,
            "MiB",
            str(memory.get("flowc", {}).get("error", "")),
        )
    if not compiled:
        pass
    elif "fresh" in compiled:
        add("compile a 1,000-node spec", compiled["fresh"]["1000"]["median"], 2.0, "s")
        worst = max(s["median"] for s in compiled["unchanged"].values())
        add("recompile an unchanged spec (slowest size)", worst * 1e3, 100.0, "ms")
    else:
        add("compile a 1,000-node spec", None, 2.0, "s", str(compiled.get("error", "")))
    if not dropin:
        pass
    elif "compiled" in dropin:
        # issue 20: a fresh process's first run through the drop-in, its cache filled
        add(
            "drop-in first run in a fresh process (cache filled) / compiled module's",
            dropin["dropin_warm"]["median"] / dropin["compiled"]["median"],
            2.0,
            "x",
        )
    else:
        add(
            "drop-in first run in a fresh process / compiled module's",
            None,
            2.0,
            "x",
            str(dropin.get("error", "")),
        )
    return out


def print_dropin(dropin: dict[str, Any]) -> None:
    print("first run in a fresh process, chain10 invoke (wall clock, then CPU time)")
    if "error" in dropin:
        print(f"  not measured: {dropin['error']}")
        print()
        return
    compiled = dropin["compiled"]["median"]
    for name, label in (
        ("bare", "python -c pass"),
        ("compiled", "compiled module"),
        ("dropin_warm", "drop-in, cache filled"),
        ("dropin_cold", "drop-in, cache empty"),
        ("langgraph", "LangGraph"),
        ("hand", "hand-written loop"),
    ):
        s = Stats(dropin[name]["samples"])
        c = Stats(dropin[name]["cpu"]["samples"])
        times = "" if name in ("bare", "compiled") else f" ({s.median / compiled:.1f}x compiled)"
        if name == "hand":
            times = ""
        print(f"  {label:<26}{fmt_stats(s):>32}{times:<20} cpu {fmt_time(c.median)}")
    print()


def print_extras(imports: dict[str, Any], memory: dict[str, Any], compiled: dict[str, Any]) -> None:
    if imports:
        print_imports(imports)
    if memory:
        print_memory(memory)
    if compiled:
        print_compile(compiled)


def print_imports(imports: dict[str, Any]) -> None:
    print("import time (fresh interpreter; wall clock, then CPU time)")
    if "error" in imports:
        print(f"  not measured: {imports['error']}")
    else:
        bare = imports["bare"]["median"]
        bare_cpu = imports["bare"]["cpu"]["median"]
        for name, label in (
            ("bare", "python -c pass"),
            ("flowc", "import generated module"),
            ("langgraph", "import langgraph.graph"),
        ):
            s = Stats(imports[name]["samples"])
            c = Stats(imports[name]["cpu"]["samples"])
            extra = "" if name == "bare" else f" (+{(s.median - bare) * 1e3:.1f} ms)"
            extra_cpu = "" if name == "bare" else f" (+{(c.median - bare_cpu) * 1e3:.1f} ms)"
            print(f"  {label:<26}{fmt_stats(s):>32}{extra:<14} cpu {fmt_time(c.median)}{extra_cpu}")
    print()


def print_memory(memory: dict[str, Any]) -> None:
    print("peak memory, loop1000 in updates mode (fresh process, max RSS)")
    bare_mem = memory.get("bare", {}).get("median")
    for name, label in (
        ("bare", "bare interpreter"),
        ("flowc", "flowc"),
        ("langgraph", "LangGraph"),
        ("hand", "hand-written"),
    ):
        m = memory.get(name, {})
        if "median" not in m:
            print(f"  {label:<26}not measured: {m.get('error', '?')}")
            continue
        extra = (
            ""
            if name == "bare" or bare_mem is None
            else f"   (+{(m['median'] - bare_mem) / 1024:.1f} MiB)"
        )
        print(
            f"  {label:<26}{m['median'] / 1024:>8.1f} MiB ({m['min'] / 1024:.1f}-{m['max'] / 1024:.1f}){extra}"
        )
    print()


def print_compile(compiled: dict[str, Any]) -> None:
    print("compile time (check + render + format + write, in process)")
    if "error" in compiled:
        print(f"  not measured: {compiled['error']}")
    else:
        for n in ("10", "100", "1000"):
            fresh = Stats(compiled["fresh"][n]["samples"])
            same = Stats(compiled["unchanged"][n]["samples"])
            print(f"  {n:>5} nodes: {fmt_stats(fresh):>32}   unchanged: {fmt_stats(same)}")
        cli = Stats(compiled["cli_unchanged_1000"]["samples"])
        print(
            f"  `flowc compile` command, unchanged 1,000-node spec, fresh process: {fmt_stats(cli)}"
        )
    print()


def print_targets(rows: list[dict[str, Any]]) -> None:
    print("targets")
    for row in rows:
        value = row["measured"]
        if value is None:
            shown = "not measured" + (f" ({row['why']})" if row["why"] else "")
        elif row["unit"] == "x" and row["limit"] < 1:
            shown = f"{value:.4f} (1/{1 / value:.0f}); limit 1/{1 / row['limit']:.0f}"
        else:
            shown = f"{value:.3g} {row['unit']}; limit {row['limit']:g} {row['unit']}"
        print(f"  [{'met' if row['met'] else 'NOT met':>7}] {row['target']}: {shown}")


def chosen(name: str, wanted: list[str] | None) -> bool:
    """Whether the case ``name`` is one ``--case`` asks for (all of them without ``--case``)."""
    return wanted is None or any(text in name for text in wanted)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    parser.add_argument("--quick", action="store_true", help="few samples (under a minute)")
    parser.add_argument(
        "--only",
        action="append",
        choices=PARTS,
        help="run only this part (repeatable; default: all)",
    )
    parser.add_argument(
        "--case",
        action="append",
        help="time only the cases whose name contains this (repeatable: any of them)",
    )
    parser.add_argument(
        "--samples", type=int, help="samples per timed case (default: 21, or 5 with --quick)"
    )
    parser.add_argument(
        "--baseline",
        metavar="REV",
        help="also time the graphs compiled and run by flowc at this git revision",
    )
    args = parser.parse_args(argv)
    parts = set(args.only or PARTS)
    settings = QUICK if args.quick else FULL
    if args.samples is not None:
        settings = dataclasses.replace(settings, samples=max(1, args.samples))
    started = time.perf_counter()
    info = machine()
    base_commit = None
    if args.baseline is not None:
        try:
            base_commit = baseline.resolve(BENCH.parent, args.baseline)
        except baseline.BaselineError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        info["baseline"] = {"revision": args.baseline, "commit": base_commit}
    print(
        f"flowc benchmark: {info['cpu']}, {info['cores']} cores, Python {info['python']}, "
        f"langgraph {info['versions']['langgraph']}, flowc {info['versions']['flowc']} "
        f"({info['commit'] or info['flowc_source']}); {settings.samples} samples per case"
        + (f"; baseline: flowc at {args.baseline} ({base_commit[:12]})" if base_commit else "")
        + "\n"
    )
    with tempfile.TemporaryDirectory(prefix="flowc-bench-") as tmpname:
        tmp = Path(tmpname)
        sys.path.insert(0, str(tmp))
        spec_paths = specs.write_specs(tmp / "specs")
        modules = compile_graphs(spec_paths, tmp)
        cases = []
        if "cases" in parts:
            base = None
            if base_commit is not None:
                try:
                    base = compile_baseline(base_commit, spec_paths, tmp)
                except baseline.BaselineError as exc:
                    base = dict.fromkeys(GRAPHS, str(exc))
            cases = [c for c in build_cases(modules, base) if chosen(c.name, args.case)]
            timer = Timer()
            try:
                for case in cases:
                    trial(timer, case)
                    case.stats = timer.interleaved(case.impls, settings.samples, settings.target)
            finally:
                timer.close()
            print_cases(cases, args.baseline)
        threads: dict[str, Any] = {}
        if "savers" in parts or "threads" in parts:
            postgres = durable.Postgres(BENCH.parent)
            try:
                if "savers" in parts:
                    durable_cases = [
                        c for c in saver_cases(modules, tmp, postgres) if chosen(c.name, args.case)
                    ]
                    timer = Timer()
                    try:
                        for case in durable_cases:
                            trial(timer, case)
                            case.stats = timer.interleaved(
                                case.impls, settings.samples, settings.target
                            )
                    finally:
                        timer.close()
                    print_cases(durable_cases)
                    cases += durable_cases
                if "threads" in parts:
                    try:
                        from flowc_bench import langgraph_graphs as lg

                        chain: Any = lg.chain
                    except Exception:
                        chain = None
                    rounds = 1 if args.quick else 3
                    threads = durable.concurrent_threads(
                        modules["chain10"], chain, postgres, rounds
                    )
                    print_threads(threads)
            finally:
                postgres.stop()
        imports = measure_imports(tmp, settings, modules) if "import" in parts else {}
        memory = measure_memory(tmp, settings, modules) if "memory" in parts else {}
        compiled = measure_compile(spec_paths, tmp, settings) if "compile" in parts else {}
        dropin = measure_dropin(tmp, settings, modules) if "dropin" in parts else {}
        print_extras(imports, memory, compiled)
        if dropin:
            print_dropin(dropin)
        rows = targets(cases, imports, memory, compiled, dropin)
        print_targets(rows)
    elapsed = time.perf_counter() - started
    print(f"\n(benchmark took {elapsed:.0f} s)")
    if args.json:
        data = {
            "machine": info,
            "settings": vars(settings),
            "cases": {
                c.name: {
                    "steps": c.steps,
                    "seconds": {k: s.as_json() for k, s in c.stats.items()},
                    "per_step_seconds": {k: s.median / c.steps for k, s in c.stats.items()},
                    "flowc_over_langgraph": ratio(c, "flowc", "langgraph"),
                    "flowc_over_hand": ratio(c, "flowc", "hand"),
                    "dropin_over_flowc": ratio(c, "dropin", "flowc"),
                    # the fastest samples are the least disturbed by other processes
                    "flowc_over_langgraph_min": ratio(c, "flowc", "langgraph", best=True),
                    "flowc_over_hand_min": ratio(c, "flowc", "hand", best=True),
                    **(
                        {
                            "flowc_over_base": ratio(c, "flowc", "base"),
                            "flowc_over_base_min": ratio(c, "flowc", "base", best=True),
                        }
                        if base_commit
                        else {}
                    ),
                    "missing": c.missing,
                    "note": c.note,
                }
                for c in cases
            },
            "postgres_concurrent_threads": threads,
            "import_seconds": imports,
            "peak_rss_kib": memory,
            "compile_seconds": compiled,
            "dropin_first_run_seconds": dropin,
            "targets": rows,
            "elapsed_seconds": elapsed,
        }
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
