"""What a server running the graph tells its nodes: `Runtime.server_info`, made from the run's
`configurable` (`assistant_id`, `graph_id`, `langgraph_auth_user`), in a node, a router and a
subgraph's node; `None` for a run whose config names none of them."""

import operator
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime


class State(TypedDict):
    log: Annotated[list[str], operator.add]


class User:
    """A user as a server's auth gives it: attributes and item access."""

    def __init__(self, identity: str) -> None:
        self._data = {"identity": identity, "display_name": identity.title()}

    @property
    def identity(self) -> str:
        return self._data["identity"]

    def __getitem__(self, key: str) -> str:
        return self._data[key]


def seen(runtime: Runtime) -> str:
    info = runtime.server_info
    if info is None:
        return "no server"
    user = None if info.user is None else (info.user.identity, info.user["display_name"])
    return f"assistant={info.assistant_id!r} graph={info.graph_id!r} user={user!r}"


def read(state: State, runtime: Runtime):
    return {"log": [f"node: {seen(runtime)}"]}


def route(state: State, runtime: Runtime):
    return "inner" if runtime.server_info is not None else END


inner = StateGraph(State).add_node("deep", read).add_edge(START, "deep").compile()

graph = (
    StateGraph(State)
    .add_node("read", read)
    .add_node("inner", inner)
    .add_edge(START, "read")
    .add_conditional_edges("read", route, ["inner", END])
    .compile()
)

GRAPHS = ["graph"]
INPUTS = [{"log": []}]
# one of `assistant_id` / `graph_id` a config: LangGraph copies them into the metadata of its
# task events in the order of a frozenset, which changes from process to process
CONFIGS = [
    None,
    {"configurable": {"assistant_id": "asst-1", "thread_id": "not a checkpointed thread"}},
    {"configurable": {"graph_id": "g-2", "langgraph_auth_user": User("ada")}},
    {"configurable": {"langgraph_auth_user": {"identity": "not an object"}}},
]
