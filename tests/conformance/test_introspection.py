"""Introspection as LangGraph 1.2.22 gives it, for the same builder code.

``get_graph().to_json()`` (and ``draw_mermaid()``, which ``test_dropin``
compares) with ``xray`` off and on, ``get_input_jsonschema()`` /
``get_output_jsonschema()`` for TypedDict, pydantic and dataclass states, and
``add_messages(format="langchain-openai")``.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Annotated, Any, TypedDict

import pytest
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, RemoveMessage
from langgraph.graph import START, StateGraph
from langgraph.graph.message import add_messages as langgraph_add_messages

import flowc
from flowc.reducers import add_messages, add_messages_openai_format

from .oracle import normalize
from .test_dropin import DROPIN, graph_files, load, swap_imports

pytestmark = pytest.mark.conformance


def _exec(text: str, name: str, path: str, *, inherit: bool = True) -> types.ModuleType:
    """``text`` run as module ``name`` (registered, so that annotations resolve)."""
    module = types.ModuleType(name)
    module.__file__ = path
    sys.modules[name] = module
    # inherit=False: without this file's `from __future__ import annotations`
    exec(compile(text, path, "exec", dont_inherit=not inherit), module.__dict__)
    return module


# -- get_graph().to_json() --------------------------------------------------------------


@pytest.mark.parametrize("xray", [False, True, 1], ids=["plain", "xray", "xray1"])
@pytest.mark.parametrize("stem", graph_files())
def test_get_graph_to_json_is_langgraphs(stem: str, xray: bool | int) -> None:
    # DRAWN: the graphs whose drawings match (docs/differences-from-langgraph.md names the others)
    module = load(stem, "langgraph")
    for name in getattr(module, "DRAWN", module.GRAPHS):
        theirs, ours = (
            getattr(load(stem, impl), name).get_graph(xray=xray) for impl in ("langgraph", "flowc")
        )
        expected, actual = theirs.to_json(), ours.to_json()
        assert actual == expected, f"{stem}.{name}"
        assert list(map(list, actual["nodes"])) == list(map(list, expected["nodes"]))
        # the edges equal LangChain's Edge tuples, in order, and unpack as they do
        assert ours.edges == theirs.edges, f"{stem}.{name}"
        assert [tuple(edge) for edge in ours.edges] == [tuple(edge) for edge in theirs.edges]


def test_to_json_names_functions_subgraphs_and_metadata_as_langgraph() -> None:
    graph = load("subgraph", "flowc").graph
    callable_id = ["langgraph", "_internal", "_runnable", "RunnableCallable"]
    assert graph.get_graph().to_json() == {
        "nodes": [
            {
                "id": "__start__",
                "type": "runnable",
                "data": {"id": callable_id, "name": "__start__"},
            },
            {"id": "node_1", "type": "runnable", "data": {"id": callable_id, "name": "node_1"}},
            {
                "id": "node_2",
                "type": "runnable",
                "data": {
                    "id": ["langgraph", "graph", "state", "CompiledStateGraph"],
                    "name": "node_2",
                },
            },
            {"id": "__end__"},
        ],
        "edges": [
            {"source": "__start__", "target": "node_1"},
            {"source": "node_1", "target": "node_2"},
            {"source": "node_2", "target": "__end__"},
        ],
    }
    xray = graph.get_graph(xray=True).to_json()
    assert [n["id"] for n in xray["nodes"]] == [
        "__start__",
        "node_1",
        "__end__",
        "node_2:subgraph_node_1",
        "node_2:subgraph_node_2",
    ]
    closure = next(
        n
        for n in load("callables", "flowc").graph.get_graph().to_json()["nodes"]
        if n["id"] == "closure"
    )
    assert closure["metadata"] == {"kind": "closure", "rank": 1}


def test_to_json_marks_conditional_edges_and_their_labels() -> None:
    edges = load("routers", "flowc").graph.get_graph().to_json()["edges"]
    assert {"source": "a", "target": "b", "conditional": True} in edges
    assert {"source": "d", "target": "a", "data": "again", "conditional": True} in edges
    assert {"source": "c", "target": "d"} in edges


# -- get_input_jsonschema() / get_output_jsonschema() --------------------------------------

_TYPEDDICT_IMPORT = "from typing import"
_TE_IMPORT = "from typing_extensions import"


def _langgraph_on_typing_extensions(stem: str) -> types.ModuleType:
    """A drop-in file run by LangGraph with its ``typing`` TypedDicts made ``typing_extensions``'.

    Pydantic (and so LangGraph) cannot describe a ``typing.TypedDict`` before
    Python 3.12; flowc describes it as this copy.
    """
    path = DROPIN / f"{stem}.py"
    text = path.read_text(encoding="utf-8").replace(_TYPEDDICT_IMPORT, _TE_IMPORT)
    return _exec(text, f"introspection_te_{stem}", str(path))


@pytest.mark.parametrize("stem", graph_files())
def test_json_schemas_are_langgraphs(stem: str) -> None:
    reference = _langgraph_on_typing_extensions(stem)
    flowc_module = load(stem, "flowc")
    for name in reference.GRAPHS:
        for method in ("get_input_jsonschema", "get_output_jsonschema"):
            expected = getattr(getattr(reference, name), method)()
            actual = getattr(getattr(flowc_module, name), method)()
            assert actual == expected, f"{stem}.{name}.{method}"


_STATES = '''
import dataclasses
import operator
from typing import Annotated, Literal, NotRequired, Optional, Required, TypedDict

import pydantic
from langgraph.graph import START, StateGraph


class Plain(TypedDict):
    """A TypedDict state."""

    topic: str
    count: NotRequired[int]
    log: Annotated[list[str], operator.add]
    mood: Optional[Literal["happy", "sad"]]


class Partial(TypedDict, total=False):
    topic: Required[str]
    note: str | None


class Inner(pydantic.BaseModel):
    x: int = 1


class Model(pydantic.BaseModel):
    """A pydantic state."""

    topic: str
    count: int = 0
    log: Annotated[list[str], operator.add] = []
    inner: Inner = Inner()
    mood: str | None = None


@dataclasses.dataclass
class Data:
    topic: str
    count: int = 0
    log: Annotated[list[str], operator.add] = dataclasses.field(default_factory=list)
    note: Optional[str] = None
    mood: str | None = "ok"


def node(state):
    return None


def build(state, name=None):
    builder = StateGraph(state)
    builder.add_node("node", node)
    builder.add_edge(START, "node")
    return builder.compile(name=name) if name else builder.compile()


GRAPHS = {
    "typeddict": build(Plain),
    "typeddict_total_false": build(Partial),
    "pydantic": build(Model),
    "dataclass": build(Data),
    "dataclass_named": build(Data, "my_graph"),
    "dataclass_capitalised": build(Data, "Writer"),
}
'''


@pytest.fixture(scope="module")
def state_graphs() -> tuple[dict[str, Any], dict[str, Any]]:
    langgraph = _exec(
        _STATES.replace(_TYPEDDICT_IMPORT, _TE_IMPORT), "introspection_lg", "<states>"
    )
    flowc = _exec(swap_imports(_STATES), "introspection_flowc", "<states>")
    return langgraph.GRAPHS, flowc.GRAPHS


@pytest.mark.parametrize("method", ["get_input_jsonschema", "get_output_jsonschema"])
@pytest.mark.parametrize(
    "name",
    [
        "typeddict",
        "typeddict_total_false",
        "pydantic",
        "dataclass",
        "dataclass_named",
        "dataclass_capitalised",
    ],
)
def test_json_schema_of_each_state_form_is_langgraphs(
    state_graphs: tuple[dict[str, Any], dict[str, Any]], name: str, method: str
) -> None:
    langgraph, flowc = state_graphs
    assert getattr(flowc[name], method)() == getattr(langgraph[name], method)()


def test_dataclass_json_schema_has_langgraphs_title_defaults_and_required_keys(
    state_graphs: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    _, flowc = state_graphs
    assert flowc["dataclass_named"].get_output_jsonschema() == {
        "properties": {
            "topic": {"title": "Topic", "type": "string"},
            "count": {"default": 0, "title": "Count", "type": "integer"},
            "log": {"default": [], "items": {"type": "string"}, "title": "Log", "type": "array"},
            "note": {
                "anyOf": [{"type": "string"}, {"type": "null"}],
                "default": None,
                "title": "Note",
            },
            "mood": {
                "anyOf": [{"type": "string"}, {"type": "null"}],
                "default": "ok",
                "title": "Mood",
            },
        },
        "required": ["topic"],
        "title": "my_graph_output",
        "type": "object",
    }
    assert flowc["dataclass_capitalised"].get_input_jsonschema()["title"] == "WriterInput"


def test_a_typing_typeddict_is_described_where_langgraph_raises(
    state_graphs: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    """Pydantic refuses ``typing.TypedDict`` before 3.12, so LangGraph's call raises."""
    plain = _exec(_STATES, "introspection_lg_typing", "<states>").GRAPHS["typeddict"]
    with pytest.raises(Exception, match=r"Please use `typing_extensions.TypedDict`"):
        plain.get_input_jsonschema()
    _, flowc = state_graphs
    assert flowc["typeddict"].get_input_jsonschema() == {
        "description": "A TypedDict state.",
        "properties": {
            "topic": {"title": "Topic", "type": "string"},
            "count": {"title": "Count", "type": "integer"},
            "log": {"items": {"type": "string"}, "title": "Log", "type": "array"},
            "mood": {
                "anyOf": [{"enum": ["happy", "sad"], "type": "string"}, {"type": "null"}],
                "title": "Mood",
            },
        },
        "required": ["topic", "log", "mood"],
        "title": "Plain",
        "type": "object",
    }


# -- add_messages(format=...) -----------------------------------------------------------


def _image_message() -> HumanMessage:
    return HumanMessage(
        [
            {"type": "text", "text": "what is this?"},
            {"type": "image", "source_type": "base64", "data": "1234", "mime_type": "image/jpeg"},
        ],
        id="h-1",
    )


def test_add_messages_with_format_formats_as_langgraph() -> None:
    for right in (
        [AIMessage([{"type": "text", "text": "a cat"}], id="a-1")],
        AIMessage("plain", id="a-2"),
        [("user", "and now?")],
        [RemoveMessage(id="h-1")],
    ):
        expected = langgraph_add_messages([_image_message()], right, format="langchain-openai")
        actual = add_messages([_image_message()], right, format="langchain-openai")
        assert normalize([actual]) == normalize([expected])
    assert add_messages([_image_message()], [], format="langchain-openai")[0].content == [
        {"type": "text", "text": "what is this?"},
        {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,1234"}},
    ]


def test_add_messages_with_format_alone_is_one_importable_reducer() -> None:
    reducer = add_messages(format="langchain-openai")
    assert reducer is add_messages_openai_format
    assert add_messages(format="langchain-openai") is reducer
    merged = reducer([_image_message()], [AIMessage([{"type": "text", "text": "a cat"}], id="a-1")])
    assert [m.content for m in merged] == [
        [
            {"type": "text", "text": "what is this?"},
            {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,1234"}},
        ],
        "a cat",
    ]


def test_add_messages_with_one_side_raises_langgraphs_error() -> None:
    message = "Must specify non-null arguments for both 'left' and 'right'. Only received: 'left'."
    for fn in (add_messages, langgraph_add_messages):
        with pytest.raises(
            ValueError, match=f"^{message}$".replace("(", r"\(").replace(")", r"\)")
        ):
            fn([HumanMessage("hi", id="1")], None)


def test_an_unknown_format_fails_at_the_call_where_langgraph_fails_at_the_first_merge() -> None:
    message = r"Unrecognized format='openai'\. Expected one of 'langchain-openai', None\."
    reducer = langgraph_add_messages(format="openai")  # type: ignore[call-arg]
    with pytest.raises(ValueError, match=message):
        reducer([], [HumanMessage("hi", id="1")])
    with pytest.raises(ValueError, match=message):
        add_messages(format="openai")  # type: ignore[call-overload]


_FORMATTED_STATE = """
from typing import Annotated, TypedDict

from langchain_core.messages import AnyMessage
from langgraph.graph import START, StateGraph, add_messages


class State(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages(format="langchain-openai")]


def reply(state: State):
    return {"messages": [("assistant", "seen")]}


graph = StateGraph(State).add_node(reply).add_edge(START, "reply").compile()
"""


@pytest.mark.parametrize("future", [False, True], ids=["annotations", "string-annotations"])
def test_a_formatted_messages_field_compiles_with_and_without_string_annotations(
    future: bool,
) -> None:
    """``dropin/messages_format.py`` compares every mode; this pins both annotation kinds."""
    text = swap_imports(_FORMATTED_STATE)
    if future:
        text = "from __future__ import annotations\n" + text
    module = _exec(text, f"introspection_format_{future}", "<format>", inherit=False)
    result = module.graph.invoke({"messages": [("user", "hi")]})
    assert [(type(m).__name__, m.content) for m in result["messages"]] == [
        ("HumanMessage", "hi"),
        ("AIMessage", "seen"),
    ]


def _describe(state: dict[str, Any]) -> dict[str, Any]:
    """The node of the TOML twin below."""
    return {"messages": [AIMessage([{"type": "text", "text": "a cat"}], id="a-1")]}


_FORMATTED_TOML = """
[graph]
name = "formatted"

[state.fields]
messages = { type = "list[langchain_core.messages.AnyMessage]", reducer = "flowc.reducers:add_messages_openai_format" }

[nodes.describe]
call = "tests.conformance.test_introspection:_describe"

[[edges]]
chain = ["START", "describe", "END"]
"""


def test_a_toml_spec_formats_messages_with_the_same_reducer(tmp_path: Path) -> None:
    spec = tmp_path / "formatted.toml"
    spec.write_text(_FORMATTED_TOML, encoding="utf-8")
    module = flowc.build(spec)
    state = {"messages": [_image_message()]}
    expected = _langgraph_formatted_graph().invoke(state)
    actual = module.invoke(state)
    assert normalize([actual]) == normalize([expected])
    assert actual["messages"][0].content[1] == {
        "type": "image_url",
        "image_url": {"url": "data:image/jpeg;base64,1234"},
    }


class _Formatted(TypedDict):
    messages: Annotated[list[AnyMessage], langgraph_add_messages(format="langchain-openai")]


def _langgraph_formatted_graph() -> Any:
    builder = StateGraph(_Formatted)
    builder.add_node("describe", _describe)
    builder.add_edge(START, "describe")
    return builder.compile()


def test_nodes_a_compile_interrupts_at_are_marked_in_the_drawing_as_langgraphs() -> None:
    from langgraph.checkpoint.memory import InMemorySaver

    from flowc.langgraph.graph import StateGraph as FlowcStateGraph

    class State(TypedDict):
        n: int

    def step(state: State) -> State:
        return {"n": state["n"] + 1}

    def build(builder_class: Any) -> Any:
        inner = (
            builder_class(State)
            .add_node("ask", step)
            .add_node("act", step)
            .add_edge(START, "ask")
            .add_edge("ask", "act")
            .compile(interrupt_before=["act"])
        )
        return (
            builder_class(State)
            .add_node("plan", step)
            .add_node("weather", inner)
            .add_node("report", step)
            .add_edge(START, "plan")
            .add_edge("plan", "weather")
            .add_edge("weather", "report")
            .compile(
                checkpointer=InMemorySaver(),
                interrupt_before=["report"],
                interrupt_after=["plan", "report"],
            )
        )

    theirs, ours = build(StateGraph), build(FlowcStateGraph)
    for xray in (False, True):
        expected = theirs.get_graph(xray=xray)
        actual = ours.get_graph(xray=xray)
        assert actual.draw_mermaid() == expected.draw_mermaid()
        assert normalize(actual.to_json()) == normalize(expected.to_json())
    marks = {n["id"]: n.get("metadata") for n in ours.get_graph(xray=True).to_json()["nodes"]}
    assert marks["plan"] == {"__interrupt": "after"}
    assert marks["report"] == {"__interrupt": "before,after"}
    assert marks["weather:act"] == {"__interrupt": "before"}
