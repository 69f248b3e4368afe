"""A state object as a node's update, returned as it is or in a `Command`, without annotations.

LangGraph takes a returned pydantic or dataclass state (also a `Command`'s update) as the
update of its keys: a pydantic model leaves out the `None` of fields whose default is `None`
and that were not set; a dataclass gives every field.
"""

from dataclasses import dataclass

from langgraph.graph import END, START, StateGraph
from langgraph.types import Command
from pydantic import BaseModel, Field


class Inner(BaseModel):
    a: int = 0


class Model(BaseModel):
    foo: str | None = None
    bar: str | None = None
    inner: Inner = Field(default_factory=Inner)
    count: int = 0


def set_foo(state: Model):
    return Model(foo="foo", count=state.count + 1)


def set_bar(state: Model):
    return Command(update=Model(bar="bar"))


def mutate(state: Model):
    state.inner.a = 5
    state.count = 10
    return Command(update=state, goto=END)


model = (
    StateGraph(Model)
    .add_node("set_foo", set_foo)
    .add_node("set_bar", set_bar)
    .add_node("mutate", mutate)
    .add_edge(START, "set_foo")
    .add_edge("set_foo", "set_bar")
    .add_edge("set_bar", "mutate")
    .compile()
)


@dataclass
class Record:
    x: int = 0
    label: str = ""


def first(state: Record):
    return Record(x=state.x + 1, label="first")


def second(state: Record):
    # every field of a dataclass is written: `label` goes back to its default
    return Command(update=Record(x=state.x * 10))


record = (
    StateGraph(Record)
    .add_node("first", first)
    .add_node("second", second)
    .add_edge(START, "first")
    .add_edge("first", "second")
    .compile()
)

GRAPHS = ["model", "record"]
INPUTS = {"model": [{"count": 1}, Model(foo="given")], "record": [{"x": 1}, Record(x=2, label="z")]}
