"""Command's static side: ``destinations=`` for checking and drawing, and PARENT without a parent."""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

import pytest
from langgraph.graph import StateGraph as LangGraphStateGraph
from langgraph.types import Command as LangGraphCommand

from flowc.langgraph import START, Command, GraphCompileError, StateGraph
from flowc.runtime.control import ParentCommand


class State(TypedDict):
    log: Annotated[list[str], operator.add]


def decide(state: State) -> Any:
    return Command(goto="done", update={"log": ["decide"]})


def done(state: State) -> Any:
    return {"log": ["done"]}


def chooser(builder: type[Any], destinations: Any) -> Any:
    graph = builder(State)
    graph.add_node("decide", decide, destinations=destinations)
    graph.add_node("done", done)
    graph.add_edge(START, "decide")
    return graph


def test_a_node_only_a_command_reaches_compiles_with_or_without_destinations() -> None:
    # as in LangGraph, a node no edge leads to may be reached by a Command: it compiles, and
    # destinations only add the edges checking and drawing see
    for destinations in (None, ("done",)):
        graph = chooser(StateGraph, destinations).compile()
        assert graph.invoke({"log": []}) == {"log": ["decide", "done"]}


def test_a_destination_that_is_no_node_fails_compile_once_in_langgraphs_words() -> None:
    with pytest.raises(GraphCompileError) as info:
        chooser(StateGraph, ("dne",)).compile()
    assert [(d.code, d.message) for d in info.value.diagnostics] == [
        ("E104", "Found edge ending at unknown node `dne`"),
    ]


@pytest.mark.parametrize("destinations", [("done",), {"done": "finish"}], ids=["names", "labels"])
def test_destinations_are_drawn_as_langgraph_draws_them(destinations: Any) -> None:
    expected = chooser(LangGraphStateGraph, destinations).compile().get_graph()
    actual = chooser(StateGraph, destinations).compile().get_graph()
    assert actual.draw_mermaid() == expected.draw_mermaid()
    assert actual.to_json() == expected.to_json()


def test_a_parent_command_from_the_root_graph_fails_naming_the_node() -> None:
    def up(state: State) -> Any:
        return Command(graph=Command.PARENT, goto="x")

    graph = StateGraph(State).add_node("up", up).add_edge(START, "up").compile()
    # LangGraph raises its ParentCommand too, with the command as the whole message
    with pytest.raises(
        ParentCommand, match=r"node 'up' returned Command\(graph=Command.PARENT\), "
    ):
        graph.invoke({"log": []})
    assert LangGraphCommand.PARENT == Command.PARENT


def test_a_parent_command_leaving_the_root_graph_carries_the_command_as_langgraph_does() -> None:
    from flowc.langgraph.errors import ParentCommand as DropInParentCommand

    def up(state: State) -> Any:
        return Command(graph=Command.PARENT, goto="x", update={"log": ["up"]})

    graph = StateGraph(State).add_node("up", up).add_edge(START, "up").compile()
    with pytest.raises(DropInParentCommand) as raised:
        graph.invoke({"log": []})
    # LangGraph 1.2.22: args == (Command(update={'log': ['up']}, goto='x'),), its graph unset
    assert raised.value.args == (Command(update={"log": ["up"]}, goto="x"),)
    assert raised.value.args[0].graph is None


def test_a_command_input_sending_to_no_node_fails_naming_it_and_leaves_the_thread() -> None:
    from flowc.langgraph import Send
    from flowc.runtime import InvalidUpdateError
    from flowc.savers.memory import InMemorySaver

    graph = chooser(StateGraph, None).compile(checkpointer=InMemorySaver())
    config: Any = {"configurable": {"thread_id": "t"}}
    graph.invoke({"log": []}, config)
    before = graph.get_state(config)
    # LangGraph logs "Ignoring unknown node name nope in pending sends" and runs nothing:
    # flowc refuses it, as it refuses Command(goto="nope") as input
    with pytest.raises(
        InvalidUpdateError,
        match=r"^Command\(goto='nope'\) as input: 'nope' is not a node of the graph$",
    ):
        graph.invoke(Command(goto=Send("nope", 1)), config)
    with pytest.raises(InvalidUpdateError, match=r"^Command\(goto='nope'\) as input"):
        graph.invoke(Command(goto="nope"), config)
    # nothing of a refused input is stored: the next run does not trip over it
    assert graph.get_state(config).values == before.values
    assert graph.invoke(Command(goto=[Send("done", {"log": []})]), config) == {
        "log": ["decide", "done", "done"]
    }


def test_a_parent_command_from_a_graph_a_node_invokes_steers_that_nodes_graph_one_level_up() -> (
    None
):
    reached: list[str] = []

    def leaf_node(state: State) -> Any:
        return Command(graph=Command.PARENT, goto="m2", update={"log": ["leaf"]})

    leaf = StateGraph(State).add_node("leaf_node", leaf_node).add_edge(START, "leaf_node").compile()

    def m1(state: State) -> Any:
        leaf.invoke({"log": []})
        reached.append("after leaf")  # never: the command stops the node here
        return {"log": ["m1"]}

    def m2(state: State) -> Any:
        return {"log": ["m2"]}

    mid = StateGraph(State).add_node("m1", m1).add_node("m2", m2).add_edge(START, "m1").compile()

    def root_node(state: State) -> Any:
        return {"log": mid.invoke({"log": []})["log"]}

    root = StateGraph(State).add_node("root_node", root_node).add_edge(START, "root_node")
    # the command reached mid's graph, not the root's: mid went on to m2 and ended
    assert root.compile().invoke({"log": []}) == {"log": ["leaf", "m2"]}
    assert reached == []
