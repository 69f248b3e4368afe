"""A subgraph's own interrupt_before / interrupt_after, on its parent's thread, as in LangGraph.

The subgraph stops at its breakpoint; its task is interrupted with no interrupts and the root
run stops after that superstep (its ``__interrupt__`` update empty), keeping the siblings'
writes; a run with no input goes on inside the subgraph from its checkpoint. Conformance with
LangGraph 1.2.22 in every stream mode: ``tests/conformance/hitl/subgraph_breakpoints.py``.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

from flowc.langgraph import START, StateGraph
from flowc.savers.memory import InMemorySaver


class State(TypedDict, total=False):
    log: Annotated[list[str], operator.add]


def step(name: str) -> Any:
    def run(state: State) -> State:
        return {"log": [name]}

    return run


def inner() -> StateGraph[State]:
    graph = StateGraph(State)
    graph.add_node("inner_1", step("inner_1"))
    graph.add_node("inner_2", step("inner_2"))
    graph.add_edge(START, "inner_1")
    graph.add_edge("inner_1", "inner_2")
    return graph


def parent(sub: Any) -> StateGraph[State]:
    graph = StateGraph(State)
    graph.add_node("sub", sub)
    graph.add_node("sibling", step("sibling"))
    graph.add_node("last", step("last"))
    graph.add_edge(START, "sub")
    graph.add_edge(START, "sibling")
    graph.add_edge(["sub", "sibling"], "last")
    return graph


def test_a_subgraphs_interrupt_before_stops_the_root_run_and_no_input_goes_on_inside_it() -> None:
    app = parent(inner().compile(interrupt_before=["inner_2"])).compile(
        checkpointer=InMemorySaver()
    )
    config: Any = {"configurable": {"thread_id": "1"}}
    assert [*app.stream({"log": []}, config)] == [
        {"sibling": {"log": ["sibling"]}},
        {"__interrupt__": ()},
    ]
    assert app.get_state(config).next == ("sub",)
    # the sibling's writes were kept: it does not run again
    assert [*app.stream(None, config)] == [
        {"sibling": {"log": ["sibling"]}, "__metadata__": {"cached": True}},
        {"sub": {"log": ["inner_1", "inner_2"]}},
        {"last": {"log": ["last"]}},
    ]
    assert app.get_state(config).values == {"log": ["sibling", "inner_1", "inner_2", "last"]}


def test_a_subgraphs_interrupt_after_stops_after_its_node() -> None:
    app = parent(inner().compile(interrupt_after=["inner_1"])).compile(checkpointer=InMemorySaver())
    config: Any = {"configurable": {"thread_id": "1"}}
    assert app.invoke({"log": []}, config) == {"log": ["sibling"]}
    assert app.invoke(None, config) == {"log": ["sibling", "inner_1", "inner_2", "last"]}


def test_the_same_subgraph_without_breakpoints_in_another_parent_does_not_stop() -> None:
    # the breakpoints are on the plan of the parent's runner: another parent gets its own
    builder = inner()
    stopping = parent(builder.compile(interrupt_before=["inner_2"])).compile(
        checkpointer=InMemorySaver()
    )
    going = parent(builder.compile()).compile(checkpointer=InMemorySaver())
    config: Any = {"configurable": {"thread_id": "1"}}
    assert stopping.invoke({"log": []}, config) == {"log": ["sibling"]}
    # the superstep's writes in LangGraph's order of task names: sibling before sub
    assert going.invoke({"log": []}, config) == {"log": ["sibling", "inner_1", "inner_2", "last"]}


def test_langgraphs_node_finished_callback_hears_each_finished_node_at_every_depth() -> None:
    middle = StateGraph(State)
    middle.add_node("child_1", inner().compile(interrupt_before=["inner_2"]))
    middle.add_edge(START, "child_1")
    root = StateGraph(State)
    root.add_node("first", step("first"))
    root.add_node("child", middle.compile())
    root.add_edge(START, "first")
    root.add_edge("first", "child")
    app = root.compile(checkpointer=InMemorySaver())
    finished: list[str] = []
    config: Any = {"configurable": {"thread_id": "1", "__pregel_node_finished": finished.append}}
    assert app.invoke({"log": []}, config) == {"log": ["first"]}
    # LangGraph 1.2.22 calls it as each task's writes are committed; the interrupted ones never
    assert finished == ["first", "inner_1"]
    # each subgraph returns its whole log, which its parent's reducer adds (LangGraph's too)
    assert app.invoke(None, config) == {"log": ["first", "first", "first", "inner_1", "inner_2"]}
    assert finished == ["first", "inner_1", "inner_2", "child_1", "child"]
