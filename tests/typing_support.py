"""One ``mypy --strict`` run for every typing test of the suite.

Each typing test file (tests/test_*typing*.py, test_typed_threads.py) reads
the lines mypy printed for its own files from the session fixture
``mypy_report`` (tests/conftest.py). mypy analyses flowc, typeshed, pydantic
and LangChain once instead of once per file, which is most of its time.

What the one run checks:
- the golden runner modules (tests/golden) and the runners generated at the
  start of the session for drop-in graphs and for the conformance graphs;
- the consumer modules ``tests/typing/*consumers.py`` and the example nodes
  written against generated types, which must give no error;
- every snippet of ``tests/typing/*errors/`` and ``tests/typing/state_snippets/``,
  each of which holds mistakes whose exact messages a test pins;
- ``tests/typing/messages_langchain.py``, whose revealed types show LangChain's
  message classes (so LangChain is followed, not skipped).

Settings: ``tests/typing/mypy.ini``, with a fresh cache per session (a cached
TypedDict prints its keys in another order than a fresh analysis).
All paths in the report are relative to the project root, with ``/``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TYPING = Path("tests", "typing")

CHECKED_NODES = [
    Path("specs", "flowc_demo", name)
    for name in (
        "progress.py",
        "state_dataclass.py",
        "state_pydantic.py",
        "state_typeddict.py",
        "user_states.py",
    )
]
"""Example node modules written against generated types: they must pass strict mypy."""

SNIPPET_FOLDERS = sorted(p.name for p in (ROOT / TYPING).iterdir() if p.name.endswith("errors"))


def snippet_paths(folder: str) -> list[Path]:
    """The snippets of ``tests/typing/<folder>/``, relative to the root."""
    return [p.relative_to(ROOT) for p in sorted((ROOT / TYPING / folder).glob("*.py"))]


def targets(generated: Path) -> list[str]:
    """Every path the session's mypy run checks (``generated``: the session's generated runners)."""
    consumers = sorted(p.relative_to(ROOT) for p in (ROOT / TYPING).glob("*.py"))
    paths = [
        Path("tests", "golden"),
        *consumers,
        *CHECKED_NODES,
        *(p for folder in SNIPPET_FOLDERS for p in snippet_paths(folder)),
        *snippet_paths("state_snippets"),
    ]
    return [*(str(p) for p in paths), *(str(p) for p in sorted(generated.iterdir()))]


def run_mypy(generated: Path, cache: Path) -> dict[str, list[str]]:
    """mypy's output lines per reported file, ``path -> [line without the path]``."""
    from mypy import api

    args = [
        "--config-file",
        str(TYPING / "mypy.ini"),
        "--cache-dir",
        str(cache),
        *targets(generated),
    ]
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        stdout, stderr, _ = api.run(args)
    finally:
        os.chdir(cwd)
    assert stderr == "", stderr
    report: dict[str, list[str]] = defaultdict(list)
    generated_prefix = generated.as_posix() + "/"
    for line in stdout.splitlines():
        path, _, rest = line.partition(":")
        path = Path(path).as_posix()
        if path.startswith(generated_prefix):
            path = "<generated>/" + path[len(generated_prefix) :]
        report[path].append(rest.strip())
    return dict(report)


DROPIN_APP = '''\
"""Drop-in graphs: module-level functions, a closure, a lambda, a class made in a function."""

import operator
from collections.abc import Callable
from typing import Annotated, TypedDict

from flowc.langgraph import END, START, CompiledStateGraph, StateGraph


class State(TypedDict):
    topic: str
    joke: str


def refine_topic(state: State) -> dict[str, str]:
    return {"topic": state["topic"] + " and cats"}


def make_joker(prefix: str) -> Callable[[State], dict[str, str]]:
    def generate_joke(state: State) -> dict[str, str]:
        return {"joke": f"{prefix} {state['topic']}"}

    return generate_joke


joke = (
    StateGraph(State)
    .add_node(refine_topic)
    .add_node("generate_joke", make_joker("A joke about"))
    .add_edge(START, "refine_topic")
    .add_edge("refine_topic", "generate_joke")
    .add_edge("generate_joke", END)
    .compile(name="joke")
)


def build_local() -> CompiledStateGraph:
    class Counter(TypedDict):
        n: int
        log: Annotated[list[str], operator.add]

    return (
        StateGraph(Counter)
        .add_node("bump", lambda s: {"n": s["n"] + 1, "log": ["bump"]})
        .add_edge(START, "bump")
        .compile(name="local")
    )


local = build_local()
'''
"""Drop-in graphs whose generated runners the session's mypy run checks."""

CONFORMANCE_GRAPHS = [
    "routed",
    "async_routed",
    "fanin_join",
    "fanin_separate",
    "dataclass_state",
    "pydantic_state",
    "meta",
    "parallel",
    "async_parallel",
    "empty_writes",
    "error_midway",
    "error_parallel",
]
"""Conformance graphs (tests/conformance/graphs.py) whose runners the mypy run checks: they
cover what the example specs do not (routers from START and from nodes, sync and async,
joins, dataclass and pydantic states, node input schemas and metadata)."""


def generate_dropin(package: Path, app_folder: Path) -> list[str]:
    """The runners of :data:`DROPIN_APP`'s graphs written into ``package``; their file names."""
    import importlib

    from flowc.codegen import generate
    from flowc.langgraph._lower import check_blueprint

    (app_folder / "dropin_typing_app.py").write_text(DROPIN_APP, encoding="utf-8")
    sys.path.insert(0, str(app_folder))
    try:
        app = importlib.import_module("dropin_typing_app")
        package.mkdir()
        (package / "__init__.py").write_text("")
        for graph in (app.joke, app.local):
            result, _ = check_blueprint(graph.blueprint)
            assert result.graph is not None
            for file in generate(result.graph):
                (package / file.name).write_text(file.text, encoding="utf-8")
    finally:
        sys.path.remove(str(app_folder))
        sys.modules.pop("dropin_typing_app", None)
    return sorted(p.name for p in package.iterdir())


def generate_conformance(package: Path) -> subprocess.CompletedProcess[str]:
    """``flowc compile`` of :data:`CONFORMANCE_GRAPHS` into ``package`` (as a user runs it)."""
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "specs"), str(ROOT)])}
    targets = [f"tests.conformance.graphs:{name}" for name in CONFORMANCE_GRAPHS]
    return subprocess.run(
        [str(bin_dir / "flowc"), "compile", *targets, "-o", str(package)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def reported_in(report: dict[str, list[str]], folder: str) -> set[str]:
    """The files of ``tests/typing/<folder>/`` that mypy reported anything for."""
    prefix = (TYPING / folder).as_posix() + "/"
    return {path for path in report if path.startswith(prefix)}
