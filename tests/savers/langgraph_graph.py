"""A small LangGraph program with messages, a reducer and an interrupt, over any saver.

Run as a script (``python -m tests.savers.langgraph_graph DB start|resume``)
it drives the graph on a SQLite file, one step per process.
"""

from __future__ import annotations

import json
import operator
import sys
from typing import Annotated, Any, TypedDict

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.types import Command, interrupt


class State(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]
    n: Annotated[int, operator.add]


def ask(state: State) -> dict[str, Any]:
    name = interrupt("name?")
    return {"messages": [AIMessage(f"hi {name}")], "n": 1}


def bump(state: State) -> dict[str, Any]:
    return {"n": 10}


def build(checkpointer: Any) -> Any:
    graph = StateGraph(State)
    graph.add_node("ask", ask)
    graph.add_node("bump", bump)
    graph.add_edge(START, "ask")
    graph.add_edge("ask", "bump")
    graph.add_edge("bump", END)
    return graph.compile(checkpointer=checkpointer)


CONFIG = {"configurable": {"thread_id": "conversation"}}


def start(app: Any) -> Any:
    return app.invoke({"messages": [HumanMessage("hello")], "n": 0}, CONFIG)


def resume(app: Any) -> Any:
    return app.invoke(Command(resume="ada"), CONFIG)


def summary(app: Any) -> dict[str, Any]:
    """What the thread holds, without the random message ids."""
    state = app.get_state(CONFIG)
    return {
        "messages": [(type(m).__name__, m.content) for m in state.values["messages"]],
        "n": state.values["n"],
        "next": list(state.next),
        "interrupts": [i.value for i in state.interrupts],
        "history": [
            [s.metadata["step"], s.metadata["source"], list(s.next)]
            for s in app.get_state_history(CONFIG)
        ],
    }


if __name__ == "__main__":
    from flowc.savers.langgraph_adapter import LangGraphSaver
    from flowc.savers.sqlite import SqliteSaver

    with SqliteSaver(sys.argv[1]) as saver:
        app = build(LangGraphSaver(saver))
        (start if sys.argv[2] == "start" else resume)(app)
        print(json.dumps(summary(app)))
