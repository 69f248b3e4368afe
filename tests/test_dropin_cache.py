"""The drop-in's disk cache: a new process reads back the modules an earlier one generated.

``StateGraph.compile()`` keys its generated modules as ``flowc run`` does
(:func:`flowc.cache.cache_key`: the view models the templates render, the flowc
version and the generator's source) and keeps them in ``$FLOWC_CACHE_DIR/dropin``.
Each test runs its graph in fresh interpreters, as a user's scripts are run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

NODES = """\
from typing import TypedDict


class State(TypedDict, total=False):
    count: int


def bump(state: State) -> dict[str, int]:
    return {"count": state["count"] + 1}
"""

STREAMING_NODES = """\
from typing import TypedDict

from flowc.langgraph import get_stream_writer


class State(TypedDict, total=False):
    count: int


def bump(state: State) -> dict[str, int]:
    get_stream_writer()({"seen": state["count"]})
    return {"count": state["count"] + 1}
"""

SCRIPT = """\
import json
import sys

from flowc.langgraph import END, START, StateGraph

from nodes import State, bump

builder = StateGraph(State)
builder.add_node("a", bump)
builder.add_node("b", bump)
builder.add_edge(START, "a")
builder.add_edge("a", "b")
builder.add_edge("b", END)
graph = builder.compile()
chunks = list(graph.stream({"count": 0}, stream_mode=["custom", "updates"]))
print(json.dumps({
    "chunks": chunks,
    "result": graph.invoke({"count": 0}),
    "generated": "libcst" in sys.modules or "jinja2" in sys.modules,
    "checked": "flowc.dsl.checker" in sys.modules or "pydantic" in sys.modules,
}))
"""


def _project(tmp_path: Path, nodes: str = NODES) -> Path:
    project = tmp_path / "project"
    project.mkdir(exist_ok=True)
    (project / "nodes.py").write_text(nodes, encoding="utf-8")
    (project / "main.py").write_text(SCRIPT, encoding="utf-8")
    return project


def _env(cache: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["FLOWC_CACHE_DIR"] = str(cache)
    env.pop("FLOWC_DROPIN_CACHE", None)
    env.update(extra)
    return env


def _run(project: Path, env: dict[str, str]) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, "main.py"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out: dict[str, object] = json.loads(proc.stdout)
    return out


def _entries(cache: Path) -> list[Path]:
    """The entries keyed by the checked graph (one per distinct generated text)."""
    return sorted(p for p in (cache / "dropin").glob("*.json") if not p.name.startswith("warm-"))


def _warm_entries(cache: Path) -> list[Path]:
    """The entries keyed by the builder before any check (one per distinct builder)."""
    return sorted((cache / "dropin").glob("warm-*.json"))


UPDATES = [["updates", {"a": {"count": 1}}], ["updates", {"b": {"count": 2}}]]


def test_a_new_process_reads_the_modules_back_instead_of_generating_them(tmp_path: Path) -> None:
    project, cache = _project(tmp_path), tmp_path / "cache"
    first = _run(project, _env(cache))
    assert first == {"chunks": UPDATES, "result": {"count": 2}, "generated": True, "checked": True}
    assert len(_entries(cache)) == len(_warm_entries(cache)) == 1
    second = _run(project, _env(cache))
    # neither Jinja nor libcst was imported: nothing was rendered or parsed; nor the checker
    # or pydantic: the entry was found by the builder's own key, before any check
    assert second == {
        "chunks": UPDATES,
        "result": {"count": 2},
        "generated": False,
        "checked": False,
    }
    assert len(_entries(cache)) == len(_warm_entries(cache)) == 1


def test_a_changed_node_body_runs_and_a_node_that_now_streams_gets_new_code(
    tmp_path: Path,
) -> None:
    project, cache = _project(tmp_path), tmp_path / "cache"
    _run(project, _env(cache))
    # the generated module binds the node function itself: a new body runs at once
    (project / "nodes.py").write_text(NODES.replace("+ 1", "+ 10"), encoding="utf-8")
    changed = _run(project, _env(cache))
    # another source: another builder key, so the graph is checked again; the generated
    # text is the same, read back by the checked graph's key
    assert (changed["generated"], changed["checked"]) == (False, True)
    assert changed["result"] == {"count": 20}
    assert changed["chunks"] == [
        ["updates", {"a": {"count": 10}}],
        ["updates", {"b": {"count": 20}}],
    ]
    # a body that now calls the stream writer is run live: that is other generated code
    _project(tmp_path, STREAMING_NODES)
    streaming = _run(project, _env(cache))
    assert streaming == {
        "chunks": [
            ["custom", {"seen": 0}],
            ["updates", {"a": {"count": 1}}],
            ["custom", {"seen": 1}],
            ["updates", {"b": {"count": 2}}],
        ],
        "result": {"count": 2},
        "generated": True,
        "checked": True,
    }
    assert len(_entries(cache)) == 2
    assert len(_warm_entries(cache)) == 3
    assert _run(project, _env(cache))["checked"] is False


def test_two_processes_compiling_the_same_graph_at_once_both_succeed_and_agree(
    tmp_path: Path,
) -> None:
    project, cache = _project(tmp_path), tmp_path / "cache"
    procs = [
        subprocess.Popen(
            [sys.executable, "main.py"],
            cwd=project,
            env=_env(cache),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outs = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], [err for _, err in outs]
    results = [json.loads(out) for out, _ in outs]
    assert results[0]["chunks"] == results[1]["chunks"] == UPDATES
    (entry,) = _entries(cache)
    (warm,) = _warm_entries(cache)
    # no temporary file is left behind, and the entries both wrote are read back by a third
    assert sorted(p.name for p in (cache / "dropin").iterdir()) == [entry.name, warm.name]
    third = _run(project, _env(cache))
    assert (third["chunks"], third["generated"], third["checked"]) == (UPDATES, False, False)


def _tamper(entry: Path, *, keep_hash: bool) -> None:
    """Put code that fails the run into the entry's runner module."""
    data = json.loads(entry.read_text(encoding="utf-8"))
    for file in data["files"]:
        file["text"] = 'raise SystemExit("ran code flowc did not write")\n' + file["text"]
    if keep_hash:
        from flowc.cache import _entry_digest

        data["digest"] = _entry_digest(data["files"], data.get("objects"))
    entry.write_text(json.dumps(data), encoding="utf-8")


def _tamper_all(cache: Path) -> None:
    """Tamper with every entry, keeping their hashes right."""
    for entry in [*_entries(cache), *_warm_entries(cache)]:
        _tamper(entry, keep_hash=True)


@pytest.mark.parametrize("kind", ["checked", "warm"])
@pytest.mark.parametrize(
    "damage",
    ["truncated", "not json", "text changed", "empty"],
)
def test_a_corrupted_entry_is_made_again(tmp_path: Path, damage: str, kind: str) -> None:
    project, cache = _project(tmp_path), tmp_path / "cache"
    _run(project, _env(cache))
    (entry,) = _entries(cache) if kind == "checked" else _warm_entries(cache)
    if kind == "checked":
        # else the entry keyed by the builder is read, and the checked one is not needed
        (warm,) = _warm_entries(cache)
        warm.unlink()
    good = entry.read_text(encoding="utf-8")
    if damage == "truncated":
        entry.write_text(good[: len(good) // 2], encoding="utf-8")
    elif damage == "not json":
        entry.write_text("\x00garbage", encoding="utf-8")
    elif damage == "text changed":
        _tamper(entry, keep_hash=False)
    else:
        entry.write_text("", encoding="utf-8")
    again = _run(project, _env(cache))
    # a damaged warm entry costs a check, the checked entry still holding the text
    assert again == {
        "chunks": UPDATES,
        "result": {"count": 2},
        "generated": kind == "checked",
        "checked": True,
    }
    assert entry.read_text(encoding="utf-8") == good
    last = _run(project, _env(cache))
    assert (last["generated"], last["checked"]) == (False, False)


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
@pytest.mark.parametrize("what", ["folder", "entry"])
def test_an_entry_other_users_may_write_is_never_run(tmp_path: Path, what: str) -> None:
    project, cache = _project(tmp_path), tmp_path / "cache"
    _run(project, _env(cache))
    (entry,) = _entries(cache)
    _tamper_all(cache)
    if what == "folder":
        entry.parent.chmod(0o777)
    else:
        for each in [*_entries(cache), *_warm_entries(cache)]:
            each.chmod(0o666)
    proc = subprocess.run(
        [sys.executable, "-W", "always", "main.py"],
        cwd=project,
        env=_env(cache),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["result"] == {"count": 2}
    if what == "folder":
        assert f"not using the drop-in cache {entry.parent}: other users may write to it" in (
            proc.stderr
        )


def test_FLOWC_DROPIN_CACHE_0_reads_and_writes_nothing(tmp_path: Path) -> None:
    project, cache = _project(tmp_path), tmp_path / "cache"
    off = _env(cache, FLOWC_DROPIN_CACHE="0")
    assert _run(project, off) == {
        "chunks": UPDATES,
        "result": {"count": 2},
        "generated": True,
        "checked": True,
    }
    assert not (cache / "dropin").exists()
    _run(project, _env(cache))
    _tamper_all(cache)
    # a cache turned off is not read either
    assert _run(project, off)["result"] == {"count": 2}


@pytest.mark.slow
def test_a_conformance_file_passes_alike_without_the_cache_cold_and_warm(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    test = "tests/conformance/test_compiled_api.py"
    runs = {
        "off": _env(cache, FLOWC_DROPIN_CACHE="0"),
        "cold": _env(cache),
        "warm": _env(cache),
    }
    entries: dict[str, list[Path]] = {}
    for name, env in runs.items():
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", test, "-q", "-p", "no:cacheprovider"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, f"{name}:\n{proc.stdout[-3000:]}"
        entries[name] = _entries(cache) if (cache / "dropin").exists() else []
    assert entries["off"] == []
    assert entries["cold"]
    # the warm run found every module it needed
    assert entries["warm"] == entries["cold"]


def test_unused_entries_and_stale_temporary_files_are_pruned(tmp_path: Path) -> None:
    from flowc.cache import UNUSED_DAYS, prune_entries

    folder = tmp_path / "dropin"
    folder.mkdir()
    for name in ("old.json", "new.json", ".tmp-old.json", ".tmp-new.json", "other.txt"):
        (folder / name).write_text("{}", encoding="utf-8")
    now = (folder / "new.json").stat().st_mtime
    for name in ("old.json", ".tmp-old.json", "other.txt"):
        os.utime(folder / name, (now - UNUSED_DAYS * 86400 - 60,) * 2)
    os.utime(folder / ".tmp-new.json", (now - 60,) * 2)
    assert prune_entries(folder, now=now) == [".tmp-old.json", "old.json"]
    assert sorted(p.name for p in folder.iterdir()) == [".tmp-new.json", "new.json", "other.txt"]


def test_a_cache_folder_that_cannot_be_made_costs_a_compile_and_one_warning(
    tmp_path: Path,
) -> None:
    project, cache = _project(tmp_path), tmp_path / "cache"
    cache.mkdir()
    (cache / "dropin").write_text("not a folder", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-W", "always", "main.py"],
        cwd=project,
        env=_env(cache),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["result"] == {"count": 2}
    assert (
        proc.stderr.count(f"not using the drop-in cache {cache / 'dropin'}: cannot create it") == 1
    )
    assert (cache / "dropin").read_text(encoding="utf-8") == "not a folder"


CALLABLES = """\
import json
import os
import sys

from flowc.langgraph import END, START, StateGraph

from nodes import State

STEP = int(os.environ["STEP"])


def make(step):
    def add(state):
        return {"count": state["count"] + step}

    return add


# a function with no source file, as a notebook cell or exec() makes
namespace = {}
exec(compile("def cell(state):\\n    return {'count': state['count'] * 2}\\n", "<cell>", "exec"),
     namespace)

builder = StateGraph(State)
builder.add_node("closure", make(STEP))
builder.add_node("lam", lambda state: {"count": state["count"] - 1})
builder.add_node("cell", namespace["cell"])
builder.add_edge(START, "closure")
builder.add_edge("closure", "lam")
builder.add_edge("lam", "cell")
builder.add_edge("cell", END)
graph = builder.compile()
print(json.dumps({
    "result": graph.invoke({"count": 0}),
    "generated": "libcst" in sys.modules or "jinja2" in sys.modules,
}))
"""


def test_closures_lambdas_and_sourceless_nodes_run_the_objects_of_this_process(
    tmp_path: Path,
) -> None:
    project, cache = _project(tmp_path), tmp_path / "cache"
    (project / "main.py").write_text(CALLABLES, encoding="utf-8")
    # the modules bind the very objects compile() was given: a closure over another value
    # reuses the entry and runs with its own value
    assert _run(project, _env(cache, STEP="5")) == {"result": {"count": 8}, "generated": True}
    assert _run(project, _env(cache, STEP="7")) == {"result": {"count": 12}, "generated": False}
    assert len(_entries(cache)) == 1


# -- the key made before any check (flowc.langgraph._warm) -----------------------------------


def test_importing_the_builder_api_imports_neither_the_checker_nor_the_code_generator() -> None:
    heavy = ("pydantic", "jinja2", "libcst", "flowc.dsl.checker", "flowc.codegen.render")
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, sys\n"
            "from flowc.langgraph.graph import StateGraph\n"
            "from flowc.langgraph import END, START, get_stream_writer\n"
            f"print(json.dumps([m for m in {heavy!r} if m in sys.modules]))",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []


QUIET_HELPER = """\
def note(state):
    return None
"""

STREAMING_HELPER = """\
from flowc.langgraph import get_stream_writer


def note(state):
    get_stream_writer()({"seen": state["count"]})
"""

HELPED_NODES = {
    "imported": """\
from typing import TypedDict

from helpers import note


class State(TypedDict, total=False):
    count: int


def bump(state: State) -> dict[str, int]:
    note(state)
    return {"count": state["count"] + 1}
""",
    "module attribute": """\
from typing import TypedDict

import helpers


class State(TypedDict, total=False):
    count: int


def bump(state: State) -> dict[str, int]:
    helpers.note(state)
    return {"count": state["count"] + 1}
""",
}


@pytest.mark.parametrize("spelling", sorted(HELPED_NODES))
def test_a_helper_in_another_module_that_starts_streaming_is_streamed_live(
    tmp_path: Path, spelling: str
) -> None:
    project, cache = _project(tmp_path, HELPED_NODES[spelling]), tmp_path / "cache"
    (project / "helpers.py").write_text(QUIET_HELPER, encoding="utf-8")
    assert _run(project, _env(cache))["chunks"] == UPDATES
    assert _run(project, _env(cache))["checked"] is False
    # nodes.py is unchanged: only the helper it calls now writes to the stream
    (project / "helpers.py").write_text(STREAMING_HELPER, encoding="utf-8")
    streaming = _run(project, _env(cache))
    assert streaming["chunks"] == [
        ["custom", {"seen": 0}],
        ["updates", {"a": {"count": 1}}],
        ["custom", {"seen": 1}],
        ["updates", {"b": {"count": 2}}],
    ]
    assert streaming["checked"] is True
    again = _run(project, _env(cache))
    assert (again["chunks"], again["checked"]) == (streaming["chunks"], False)


STATE_MODULE = """\
from typing import TypedDict


class State(TypedDict, total=False):
    count: int
"""

REDUCED_STATE_MODULE = """\
import operator
from typing import Annotated, TypedDict


class State(TypedDict, total=False):
    count: Annotated[int, operator.add]
"""

NODES_OF_STATE_MODULE = """\
from state import State


def bump(state: State) -> dict[str, int]:
    return {"count": state["count"] + 1}
"""


def test_a_state_class_changed_in_its_own_module_gets_new_code(tmp_path: Path) -> None:
    project, cache = _project(tmp_path, NODES_OF_STATE_MODULE), tmp_path / "cache"
    (project / "state.py").write_text(STATE_MODULE, encoding="utf-8")
    _run(project, _env(cache))
    assert _run(project, _env(cache))["result"] == {"count": 2}
    # the key is: nodes.py and main.py unchanged, the state's field now has a reducer
    (project / "state.py").write_text(REDUCED_STATE_MODULE, encoding="utf-8")
    reduced = _run(project, _env(cache))
    # a: 0 + (0 + 1) = 1; b: 1 + (1 + 1) = 3
    assert reduced["result"] == {"count": 3}
    assert reduced["chunks"] == [
        ["updates", {"a": {"count": 1}}],
        ["updates", {"b": {"count": 2}}],
    ]
    assert (reduced["generated"], reduced["checked"]) == (True, True)
    assert _run(project, _env(cache))["result"] == {"count": 3}


def test_another_flowc_version_reads_no_entry_of_this_one(tmp_path: Path) -> None:
    project, cache = _project(tmp_path), tmp_path / "cache"
    script = project / "main.py"
    # what an upgrade changes first: the version (and the files, which the key stamps too)
    script.write_text(
        "import os\nimport flowc\n\nflowc.__version__ = os.environ.get('FAKE_VERSION', "
        "flowc.__version__)\n" + SCRIPT,
        encoding="utf-8",
    )
    _run(project, _env(cache))
    assert _run(project, _env(cache))["checked"] is False
    other = _run(project, _env(cache, FAKE_VERSION="99.0"))
    assert (other["chunks"], other["generated"], other["checked"]) == (UPDATES, True, True)
    assert len(_warm_entries(cache)) == 2
    assert _run(project, _env(cache, FAKE_VERSION="99.0"))["checked"] is False


TWO_GRAPHS = """\
import json
import os

from flowc.langgraph import END, START, StateGraph

from nodes import State


def make(step):
    def add(state):
        return {"count": state["count"] + step}

    return add


def build(fn):
    builder = StateGraph(State)
    builder.add_node("a", fn)
    builder.add_edge(START, "a")
    builder.add_edge("a", END)
    return builder.compile()


graphs = {}
for name in os.environ["ORDER"]:
    graphs[name] = build(make(1) if name == "G" else make(10))
print(json.dumps({name: g.invoke({"count": 1}) for name, g in graphs.items()}))
"""


def test_a_cached_runner_is_not_used_where_its_names_are_other_objects(tmp_path: Path) -> None:
    project, cache = _project(tmp_path), tmp_path / "cache"
    (project / "main.py").write_text(TWO_GRAPHS, encoding="utf-8")
    assert _run(project, _env(cache, ORDER="G")) == {"G": {"count": 2}}
    # G and H have one key (their closures differ only by a number), and so one entry: H,
    # compiled first, takes its names for its own closure, and G's closure must not be run
    # as H's (nor H's as G's)
    assert _run(project, _env(cache, ORDER="HG")) == {"H": {"count": 11}, "G": {"count": 2}}
    assert _run(project, _env(cache, ORDER="GH")) == {"G": {"count": 2}, "H": {"count": 11}}


def test_a_cached_runner_that_fails_to_import_is_checked_and_made_again(tmp_path: Path) -> None:
    project, cache = _project(tmp_path), tmp_path / "cache"
    _run(project, _env(cache))
    (warm,) = _warm_entries(cache)
    good = warm.read_text(encoding="utf-8")
    data = json.loads(good)
    for file in data["files"]:
        file["text"] = 'raise ImportError("a module the runner imports is gone")\n' + file["text"]
    from flowc.cache import _entry_digest

    data["digest"] = _entry_digest(data["files"], data["objects"])
    warm.write_text(json.dumps(data), encoding="utf-8")
    again = _run(project, _env(cache))
    assert (again["chunks"], again["result"], again["checked"]) == (UPDATES, {"count": 2}, True)
    assert warm.read_text(encoding="utf-8") == good
    assert _run(project, _env(cache))["checked"] is False
