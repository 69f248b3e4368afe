"""A graph's store, reached by nodes (a `store` parameter, `get_store()`, `runtime.store`),
a subgraph, a tool node's tools (`InjectedStore`, `ToolRuntime`) and an agent's.

Every write puts the same value at the same key, so a run reads what any earlier run left:
the runs of one graph give the same chunks whatever ran before them.
"""

from typing import Annotated, Any

from flowc_demo.fake_chat import ToolCallingFakeModel
from langchain_core.messages import AIMessage
from langgraph.config import get_store, get_stream_writer
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import (
    InjectedStore,
    ToolNode,
    ToolRuntime,
    create_react_agent,
    tools_condition,
)
from langgraph.runtime import Runtime
from langgraph.store.memory import InMemoryStore

store = InMemoryStore()
store.put(("profiles",), "ada", {"name": "Ada", "langs": ["en", "fr"], "age": 36})
store.put(("profiles",), "alan", {"name": "Alan", "langs": ["en"], "age": 41})
store.put(("profiles", "retired"), "grace", {"name": "Grace", "langs": ["en"], "age": 85})


class Notes(MessagesState):
    user: str
    found: list


def remember(state: Notes, store):
    store.put(("notes", state["user"]), "last", {"said": state["messages"][-1].content})
    return {}


def recall(state: Notes, runtime: Runtime):
    item = runtime.store.get(("notes", state["user"]), "last")
    get_stream_writer()({"recalled": item.value, "key": item.key, "ns": list(item.namespace)})
    return {"messages": [AIMessage(f"you said {item.value['said']!r}", id="recall")]}


def lookup(state: Notes):
    found = get_store().search(("profiles",), filter={"age": {"$lt": 50}, "langs": ["en"]})
    names = [(list(item.namespace), item.key, item.value["name"], item.score) for item in found]
    return {"found": names}


def older(state: Notes):
    shelf = get_store()
    every = shelf.search((), limit=2, offset=1)
    spaces = shelf.list_namespaces(prefix=("profiles",))
    return {"found": [[i.key for i in every], [list(ns) for ns in spaces]]}


inner = StateGraph(Notes).add_node(older).add_edge(START, "older").compile()

notes = (
    StateGraph(Notes)
    .add_node(remember)
    .add_node(recall)
    .add_node(lookup)
    .add_node("inner", inner)
    .add_edge(START, "remember")
    .add_edge("remember", "recall")
    .add_edge("recall", "lookup")
    .add_edge("lookup", "inner")
    .compile(store=store)
)


def save_note(text: str, user: Annotated[Any, InjectedStore()]) -> str:
    """Save a note for later."""
    user.put(("notes", "tools"), "saved", {"text": text})
    return f"saved {text!r}"


def read_notes(topic: str, runtime: ToolRuntime) -> str:
    """Read the notes about a topic."""
    runtime.stream_writer({"reading": topic, "call": runtime.tool_call_id})
    item = runtime.store.get(("notes", "tools"), "saved")
    text = item.value["text"] if item else None
    return f"{topic}: {text} ({len(runtime.state['messages'])} messages)"


def calls(*asked):
    return [
        AIMessage(
            "",
            id="ai-1",
            tool_calls=[
                {"name": name, "args": args, "id": f"call-{i}"}
                for i, (name, args) in enumerate(asked, 1)
            ],
        ),
        AIMessage(
            "",
            id="ai-2",
            tool_calls=[{"name": "read_notes", "args": {"topic": "x"}, "id": "call-9"}],
        ),
        AIMessage("Done.", id="ai-3"),
    ]


agent = create_react_agent(
    model=ToolCallingFakeModel(responses=calls(("save_note", {"text": "buy milk"}))),
    tools=[save_note, read_notes],
    store=store,
    version="v1",
)

noter = ToolCallingFakeModel(responses=calls(("save_note", {"text": "call mum"}))).bind_tools(
    [save_note, read_notes]
)


def call_model(state: MessagesState):
    return {"messages": [noter.invoke(state["messages"])]}


tool_graph = (
    StateGraph(MessagesState)
    .add_node(call_model)
    .add_node(ToolNode([save_note, read_notes]))
    .add_edge(START, "call_model")
    .add_conditional_edges("call_model", tools_condition)
    .add_edge("tools", "call_model")
    .compile(store=store)
)

GRAPHS = ["notes", "agent", "tool_graph"]
INPUTS = {
    "notes": [{"messages": [{"role": "user", "content": "I like tea"}], "user": "u1"}],
    "agent": [{"messages": [{"role": "user", "content": "note this"}]}],
    "tool_graph": [{"messages": [{"role": "user", "content": "note that"}]}],
}
