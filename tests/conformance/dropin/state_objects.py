"""Nodes that return a state object instead of a dict (annotated ``-> State``), as LangGraph
takes them: a dataclass updates every field, a pydantic model leaves out ``None`` fields
whose default is ``None`` unless they were set.
"""

import operator
from dataclasses import dataclass, field
from typing import Annotated, Optional

from langgraph.graph import END, START, StateGraph
from pydantic import BaseModel


@dataclass
class Plain:
    topic: str
    rounds: int = 0
    notes: Annotated[list[str], operator.add] = field(default_factory=list)


def plain_step(state: Plain) -> Plain:
    return Plain(topic=state.topic.upper(), rounds=state.rounds + 1, notes=["step"])


async def plain_async(state: Plain) -> Plain:
    return Plain(topic=state.topic + "!", rounds=state.rounds)


plain = (
    StateGraph(Plain)
    .add_node(plain_step)
    .add_node(plain_async)
    .add_edge(START, "plain_step")
    .add_edge("plain_step", "plain_async")
    .add_edge("plain_async", END)
    .compile()
)


class Model(BaseModel):
    topic: str
    mood: Optional[str] = None  # noqa: UP045
    score: int = 0
    tags: Annotated[list[str], operator.add] = []


def rate(state: Model) -> Model:
    return Model(topic=state.topic, score=len(state.topic))


def tag(state: Model) -> Model | dict:
    if state.score > 3:
        return {"tags": ["long"]}
    return Model(topic=state.topic, mood=None, tags=["short"])


model = (
    StateGraph(Model)
    .add_node(rate)
    .add_node(tag)
    .add_edge(START, "rate")
    .add_edge("rate", "tag")
    .compile()
)

GRAPHS = ["plain", "model"]
INPUTS = [{"topic": "tea"}]
