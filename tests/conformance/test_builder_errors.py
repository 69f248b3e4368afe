"""Builder mistakes raise what LangGraph 1.2.22 raises, where it raises it.

The same builder code runs against LangGraph's ``StateGraph`` and flowc's. A mistake LangGraph
refuses at the builder call (a node added twice, a reserved name, END as a source, a join
on a node not added yet, a router added twice, a reducer that does not take two values, a
``checkpointer=`` that is no saver, which ``compile()`` refuses before any other check)
raises the same exception type with the same message at the same call in flowc. A mistake
LangGraph refuses at ``compile()`` (an edge or router naming an unknown node, no entry point)
fails flowc's ``compile()`` with a :class:`GraphCompileError` (a ``ValueError``, as
LangGraph's) whose diagnostics carry LangGraph's message, so ``pytest.raises(ValueError,
match=...)`` written for LangGraph passes.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Annotated, Any, TypedDict

import pytest
from langgraph.graph import END, START
from langgraph.graph import StateGraph as LangGraphStateGraph

from flowc.langgraph import GraphCompileError
from flowc.langgraph import StateGraph as FlowcStateGraph

pytestmark = pytest.mark.conformance


class State(TypedDict):
    n: int
    log: Annotated[list[str], operator.add]


def step(state: State) -> dict[str, Any]:
    return {"n": state["n"] + 1}


def route(state: State) -> str:
    return "step"


def one_argument(a: list[str]) -> list[str]:
    return a


class BadReducer(TypedDict):
    log: Annotated[list[str], one_argument]


class HalfASaver:
    def get_tuple(self, config: Any) -> None:
        return None


Build = Callable[[Any], Any]

AT_THE_CALL: dict[str, Build] = {
    "node added twice": lambda G: G(State).add_node("a", step).add_node("a", step),
    "function added twice": lambda G: G(State).add_node(step).add_node(step),
    "reserved node name": lambda G: G(State).add_node(END, step),
    "START as a node": lambda G: G(State).add_node(START, step),
    "| in a node name": lambda G: G(State).add_node("a|b", step),
    ": in a node name": lambda G: G(State).add_node("a:b", step),
    "END as a source": lambda G: G(State).add_node("a", step).add_edge(END, "a"),
    "START as a target": lambda G: G(State).add_node("a", step).add_edge("a", START),
    "join on a node not added yet": lambda G: (
        G(State).add_node("a", step).add_edge(["a", "b"], "a")
    ),
    "join into a node not added yet": lambda G: G(State).add_node("a", step).add_edge(["a"], "b"),
    "join from END": lambda G: G(State).add_node("a", step).add_edge(["a", END], "a"),
    "join into START": lambda G: G(State).add_node("a", step).add_edge(["a"], START),
    "sequence of the same function": lambda G: G(State).add_sequence([step, step]),
    "sequence after the same node": lambda G: G(State).add_node(step).add_sequence([step]),
    "empty sequence": lambda G: G(State).add_sequence([]),
    "router added twice": lambda G: (
        G(State)
        .add_node(step)
        .add_conditional_edges("step", route)
        .add_conditional_edges("step", route)
    ),
    "lambda routers added twice": lambda G: (
        G(State)
        .add_node(step)
        .add_conditional_edges("step", lambda s: END)
        .add_conditional_edges("step", lambda s: "step")
    ),
    "entry router added twice": lambda G: (
        G(State)
        .add_node(step)
        .set_conditional_entry_point(route)
        .set_conditional_entry_point(route)
    ),
    "reducer of one argument": lambda G: G(BadReducer),
    # refused before any other check: the unknown node goes unreported
    "checkpointer that is no saver": lambda G: (
        G(State).add_node("a", step).add_edge("a", "nowhere").compile(checkpointer=object())
    ),
    "checkpointer with some of a saver's methods": lambda G: (
        G(State).add_node("a", step).set_entry_point("a").compile(checkpointer=HalfASaver())
    ),
}

AT_COMPILE: dict[str, Build] = {
    "destination that is no node": lambda G: (
        G(State).add_node("a", step, destinations=("b", END)).add_edge(START, "a").compile()
    ),
    "edge from an unknown node": lambda G: (
        G(State).add_node("a", step).add_edge(START, "a").add_edge("nowhere", "a").compile()
    ),
    "edge to an unknown node": lambda G: (
        G(State).add_node("a", step).add_edge(START, "a").add_edge("a", "nowhere").compile()
    ),
    "entry point to an unknown node": lambda G: (
        G(State).add_node("a", step).set_entry_point("b").compile()
    ),
    "finish point at an unknown node": lambda G: (
        G(State).add_node("a", step).add_edge(START, "a").set_finish_point("b").compile()
    ),
    "no entry point": lambda G: G(State).add_node("a", step).compile(),
    "router from an unknown node": lambda G: (
        G(State)
        .add_node("a", step)
        .add_edge(START, "a")
        .add_conditional_edges("b", route)
        .compile()
    ),
    "path map to an unknown node": lambda G: (
        G(State)
        .add_node("step", step)
        .add_edge(START, "step")
        .add_conditional_edges("step", route, {"step": "stpe", "end": END})
        .compile()
    ),
    "lambda router's list to an unknown node": lambda G: (
        G(State)
        .add_node("a", step)
        .add_edge(START, "a")
        .add_conditional_edges("a", lambda s: END, ["b", END])
        .compile()
    ),
    "entry router to an unknown node": lambda G: (
        G(State).add_node("a", step).set_conditional_entry_point(route, ["a", "b"]).compile()
    ),
}


def raised(build: Build, graph_class: Any) -> BaseException:
    with pytest.raises(Exception) as info:
        build(graph_class)
    return info.value


@pytest.mark.parametrize("case", list(AT_THE_CALL))
def test_a_builder_call_raises_what_langgraph_raises(case: str) -> None:
    theirs = raised(AT_THE_CALL[case], LangGraphStateGraph)
    ours = raised(AT_THE_CALL[case], FlowcStateGraph)
    assert (type(ours), str(ours)) == (type(theirs), str(theirs))


@pytest.mark.parametrize("case", list(AT_COMPILE))
def test_compile_fails_with_langgraphs_message(case: str) -> None:
    theirs = raised(AT_COMPILE[case], LangGraphStateGraph)
    ours = raised(AT_COMPILE[case], FlowcStateGraph)
    assert type(theirs) is ValueError
    assert isinstance(ours, GraphCompileError) and isinstance(ours, ValueError)
    assert str(theirs) in [d.message for d in ours.diagnostics]


def test_compile_lists_every_edge_problem_each_at_its_call() -> None:
    builder = FlowcStateGraph(State).add_node("a", step)
    builder.add_edge("b", "a")  # mark: from b
    builder.add_edge("a", "c")  # mark: to c
    with pytest.raises(GraphCompileError) as info:
        builder.compile()  # mark: compile
    found = sorted((d.code, d.message, d.span and d.span.line) for d in info.value.diagnostics)
    lines = {mark: _line(mark) for mark in ("from b", "to c", "compile")}
    assert found == sorted(
        [
            ("E104", "Found edge starting at unknown node 'b'", lines["from b"]),
            ("E104", "Found edge ending at unknown node `c`", lines["to c"]),
            (
                "E204",
                "Graph must have an entrypoint: add at least one edge from START to another node",
                lines["compile"],
            ),
        ]
    )
    # flowc's checker does not report the same problems again in its own words
    assert len(info.value.diagnostics) == 3


def _line(marker: str) -> int:
    with open(__file__, encoding="utf-8") as source:
        lines = source.read().splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if line.rstrip().endswith(f"# mark: {marker}")]
    assert len(hits) == 1, marker
    return hits[0]
