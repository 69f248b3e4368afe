"""Runner modules generated for drop-in graphs pass ``mypy --strict``.

Drop-in graphs import what has no importable name of its own (closures,
lambdas, classes defined in a function) from ``flowc.langgraph._objects``;
the modules generated for them must type-check like any other.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from mypy import api

from flowc.codegen import generate
from flowc.langgraph._lower import check_blueprint

APP = '''\
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


def test_generated_modules_of_drop_in_graphs_pass_mypy_strict(tmp_path: Path) -> None:
    (tmp_path / "dropin_typing_app.py").write_text(APP, encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    try:
        app = importlib.import_module("dropin_typing_app")
        package = tmp_path / "generated"
        package.mkdir()
        (package / "__init__.py").write_text("")
        for graph in (app.joke, app.local):
            result, _ = check_blueprint(graph.blueprint)
            assert result.graph is not None
            for file in generate(result.graph):
                (package / file.name).write_text(file.text, encoding="utf-8")
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("dropin_typing_app", None)
    names = sorted(p.name for p in package.iterdir())
    assert names == ["__init__.py", "joke.py", "joke_types.py", "local.py", "local_types.py"]
    assert "from flowc.langgraph._objects import" in (package / "local_types.py").read_text()
    stdout, stderr, status = api.run(
        [
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            str(package),
        ]
    )
    assert (status, stderr) == (0, ""), stdout
    assert stdout.startswith("Success: no issues found in 5 source files")
