"""Graphs declared in code that is in no file (a notebook cell) are located like file code.

Jupyter runs each cell from a file name that does not exist and puts the
cell's text in :mod:`linecache`; so do other tools that ``exec`` code. Both
builders read that text as they read a file (:func:`flowc.dsl.pysource.source_of`),
so a diagnostic points at the argument in the cell and shows the cell's line.
"""

from __future__ import annotations

import linecache
from collections.abc import Iterator
from typing import Any

import pytest

from flowc.dsl.diagnostics import render_all
from flowc.dsl.load import check_graph

CELL = """\
from typing import TypedDict

from flowc import START, Graph


class State(TypedDict):
    topic: str


def write(state: State) -> State:
    return {"topic": state["topic"]}


graph = Graph("cell", State)
graph.add_node(write)
graph.add_edge(START, "wirte")
"""


@pytest.fixture
def cell() -> Iterator[tuple[str, dict[str, Any]]]:
    """The cell run as Jupyter runs it: from a file name that is not on disk."""
    filename = "/nonexistent/ipykernel_1/1234567.py"
    linecache.cache[filename] = (len(CELL), None, CELL.splitlines(True), filename)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    try:
        exec(compile(CELL, filename, "exec"), namespace)
        yield filename, namespace
    finally:
        linecache.cache.pop(filename, None)


def test_a_decorator_graph_in_a_notebook_cell_points_at_the_argument_in_the_cell(
    cell: tuple[str, dict[str, Any]],
) -> None:
    filename, namespace = cell
    result = check_graph(namespace["graph"])
    (diag,) = [d for d in result.diagnostics if d.code == "E104"]
    assert diag.span is not None
    assert (diag.span.file, diag.span.line, diag.span.col, diag.span.end_col) == (
        filename,
        16,
        23,
        30,
    )
    text = render_all([diag], result.source_map.texts, color=False)
    assert '16 | graph.add_edge(START, "wirte")' in text
    assert "^^^^^^^" in text


DROP_IN_CELL = """\
from typing import TypedDict

from flowc.langgraph import START, StateGraph


class State(TypedDict):
    topic: str


def write(state: State) -> State:
    return {"topic": state["topic"]}


builder = StateGraph(State).add_node(write)
builder.add_edge(START, "wirte")
"""


def test_a_drop_in_builder_in_a_notebook_cell_shows_the_cells_line() -> None:
    from flowc.langgraph import GraphCompileError

    filename = "/nonexistent/ipykernel_1/7654321.py"
    linecache.cache[filename] = (len(DROP_IN_CELL), None, DROP_IN_CELL.splitlines(True), filename)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    try:
        exec(compile(DROP_IN_CELL, filename, "exec"), namespace)
        with pytest.raises(GraphCompileError) as info:
            namespace["builder"].compile()
    finally:
        linecache.cache.pop(filename, None)
    assert f"{filename}:15:1: error[E104]: Found edge ending at unknown node `wirte`" in str(
        info.value
    )
    assert '15 | builder.add_edge(START, "wirte")' in str(info.value)
