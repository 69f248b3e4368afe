"""Tool approval with a real pause: each command is a process of its own.

``python tool_approval.py ask DB`` plans a tool call and stops at the approval
node's ``interrupt()``: the process prints the question and exits. Later,
``python tool_approval.py answer DB yes`` (a new process) resumes the thread
from the SQLite file with the answer, and the tool runs (or not).
"""

from __future__ import annotations

import operator
import sys
from typing import Annotated, Any, Literal, TypedDict

from flowc.langgraph import END, START, Command, StateGraph, interrupt
from flowc.savers.sqlite import SqliteSaver


class State(TypedDict, total=False):
    request: str
    call: dict[str, Any]
    log: Annotated[list[str], operator.add]


def plan(state: State) -> dict[str, Any]:
    return {"call": {"tool": "delete_file", "path": state["request"]}, "log": ["planned"]}


def approve(state: State) -> Command[Literal["run_tool", "__end__"]]:
    # the run stops here until someone answers; the answer is what interrupt() returns
    answer = interrupt({"question": "run this tool call?", "call": state["call"]})
    if answer == "yes":
        return Command(goto="run_tool", update={"log": ["approved"]})
    return Command(goto=END, update={"log": [f"refused: {answer}"]})


def run_tool(state: State) -> dict[str, Any]:
    return {"log": [f"ran {state['call']['tool']} on {state['call']['path']}"]}


builder = StateGraph(State)
builder.add_node("plan", plan)
builder.add_node("approve", approve)
builder.add_node("run_tool", run_tool)
builder.add_edge(START, "plan")
builder.add_edge("plan", "approve")
builder.add_edge("run_tool", END)


def main(argv: list[str]) -> None:
    command, db = argv[0], argv[1]
    config = {"configurable": {"thread_id": "ticket-7"}}
    with SqliteSaver(db) as saver:
        graph = builder.compile(checkpointer=saver)
        if command == "ask":
            result = graph.invoke({"request": "/tmp/old.log"}, config)
            (pending,) = result["__interrupt__"]
            print("asks:", pending.value)
        else:
            result = graph.invoke(Command(resume=argv[2]), config)
            print("log:", result["log"])


if __name__ == "__main__":
    main(sys.argv[1:])
