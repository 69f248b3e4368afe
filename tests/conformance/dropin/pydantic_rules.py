"""What a pydantic state's validation and coercion do, as LangGraph 1.2.22 does them.

A dict input and node updates are written as given (a ``Decimal`` field given ``"1.5"`` keeps
the string); a node receives the model built from the state, so a field validator runs once per
node read and not again for the input; an ``add_messages`` field takes ``("user", "...")``
tuples, in the input and in updates; a model input is written as its validated fields.
"""

import operator
from decimal import Decimal
from typing import Annotated

from langchain_core.messages import AnyMessage
from langgraph.graph import END, START, StateGraph, add_messages
from pydantic import BaseModel, field_validator


class State(BaseModel):
    amount: Decimal = Decimal(0)
    name: str = ""
    messages: Annotated[list[AnyMessage], add_messages] = []
    seen: Annotated[list[str], operator.add] = []

    @field_validator("name")
    @classmethod
    def validated(cls, value: str) -> str:
        return f"Validated {value}"


def look(state: State):
    kinds = ",".join(type(m).__name__ for m in state.messages)
    return {"seen": [f"{state.name}|{state.amount!r}|{kinds}"]}


def reply(state: State):
    return {"messages": [("user", "meow")], "amount": "2.5", "name": state.name}


graph = (
    StateGraph(State)
    .add_node(look)
    .add_node(reply)
    .add_node("look_again", look)
    .add_edge(START, "look")
    .add_edge("look", "reply")
    .add_edge("reply", "look_again")
    .add_edge("look_again", END)
    .compile()
)

GRAPHS = ["graph"]
INPUTS = [
    {"amount": "1.5", "name": "John", "messages": [("user", "hi")]},
    {"name": "Jo"},
    State(amount="3", name="Model"),
]
