"""interrupt(value, response_schema=...): the answer is validated; a refused one is not kept.

A node that fails after an earlier ``interrupt()`` call of it took its answer streams
``{node: None}`` in LangGraph 1.2.22 (the answers it stored count as writes of the failed task);
flowc streams nothing for a failed task. Each graph here refuses an answer of its first
``interrupt()`` call only (docs/differences-from-langgraph.md).
"""

from typing import TypedDict

from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from pydantic import BaseModel
from typing_extensions import TypedDict as ValidatedDict


class Decision(BaseModel):
    approved: bool


class Note(ValidatedDict):  # pydantic validates typing_extensions' TypedDict before 3.12
    text: str


class State(TypedDict, total=False):
    out: list[str]


def ask(state: State):
    decision = interrupt("approve?", response_schema=Decision)
    # a JSON schema dict is shown with the interrupt, and the answer taken as it is
    note = interrupt("why?", response_schema={"type": "string"})
    return {"out": [type(decision).__name__, str(decision.approved), note]}


def note(state: State):
    # a TypedDict validates (and gives) the dict
    extra = interrupt("anything else?", response_schema=Note)
    return {"out": [extra["text"]]}


model = StateGraph(State)
model.add_node("ask", ask)
model.add_edge(START, "ask")

typed = StateGraph(State)
typed.add_node("note", note)
typed.add_edge(START, "note")

GRAPHS = {"model": (model, {}), "typed": (typed, {})}
SCRIPTS = {
    "model": [
        {},
        # refused: the run fails with pydantic's error, the interrupt stays pending
        Command(resume={"approved": "maybe"}),
        Command(resume={"approved": "yes"}),
        Command(resume=3),
    ],
    "typed": [{}, Command(resume={"text": 4}), Command(resume={"text": "none"})],
}
