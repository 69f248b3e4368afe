"""flowc.runtime.remaining_steps(): what LangGraph's managed RemainingSteps gives, for any node."""

import operator
from typing import Annotated, Any

import pytest
from typing_extensions import TypedDict

from flowc.langgraph import END, START, StateGraph
from flowc.runtime import GraphRecursionError, remaining_steps


class State(TypedDict):
    seen: Annotated[list[int], operator.add]


def count(state: State) -> dict[str, Any]:
    return {"seen": [remaining_steps()]}


def again(state: State) -> str:
    return END if len(state["seen"]) == 3 else "count"


def test_remaining_steps_counts_down_to_one_in_the_last_step_allowed() -> None:
    graph = (
        StateGraph(State)
        .add_node(count)
        .add_edge(START, "count")
        .add_conditional_edges("count", again)
        .compile()
    )
    with pytest.raises(GraphRecursionError):
        graph.invoke({"seen": []}, {"recursion_limit": 2})
    assert graph.invoke({"seen": []}, {"recursion_limit": 4}) == {"seen": [3, 2, 1]}
    assert graph.invoke({"seen": []}) == {"seen": [10006, 10005, 10004]}


def test_remaining_steps_outside_a_run_says_so() -> None:
    with pytest.raises(RuntimeError, match=r"remaining_steps\(\) was called outside"):
        remaining_steps()
