"""The state-kind examples again, declared with decorators over the user's own classes.

flowc generates no state, update or node types for these graphs: its
generated modules import ``TypedState``, ``DataState``, ``PydanticState`` and
the update TypedDicts from here.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from typing import Annotated, NotRequired, TypedDict

from pydantic import BaseModel, Field

from flowc import END, START, Graph


class TypedState(TypedDict):
    topic: str
    count: NotRequired[int]
    log: Annotated[list[str], operator.add]


@dataclass
class DataState:
    topic: str
    count: int = 0
    log: Annotated[list[str], operator.add] = field(default_factory=list)


class PydanticState(BaseModel):
    topic: str
    count: int = 0
    log: Annotated[list[str], operator.add] = Field(default_factory=list)


class TallyUpdate(TypedDict):
    count: int
    log: list[str]


class FinishUpdate(TypedDict):
    topic: str
    log: list[str]


typed = Graph("user_typeddict", TypedState, description="Count and log over a user's TypedDict.")


@typed.node
def tally_typed(state: TypedState) -> TallyUpdate:
    count = state.get("count", 0)
    return {"count": count + 1, "log": [f"tally {count}"]}


@typed.node
def finish_typed(state: TypedState) -> FinishUpdate:
    return {"topic": state["topic"].upper(), "log": ["finish"]}


typed.sequence(START, "tally_typed", "finish_typed", END)


data = Graph("user_dataclass", DataState, description="Count and log over a user's dataclass.")


@data.node
def tally_data(state: DataState) -> TallyUpdate:
    return {"count": state.count + 1, "log": [f"tally {state.count}"]}


@data.node
def finish_data(state: DataState) -> FinishUpdate:
    return {"topic": state.topic.upper(), "log": [f"finish after {state.count}"]}


data.sequence(START, "tally_data", "finish_data", END)


model = Graph("user_pydantic", PydanticState, description="Count and log over a user's model.")


@model.node
def tally_model(state: PydanticState) -> TallyUpdate:
    return {"count": state.count + 1, "log": [f"tally {state.count}"]}


@model.node
def finish_model(state: PydanticState) -> FinishUpdate:
    return {"topic": state.topic.upper(), "log": [f"finish after {state.count}"]}


model.sequence(START, "tally_model", "finish_model", END)
