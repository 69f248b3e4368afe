"""The decorator DSL: every way of declaring a graph, what spec it gives, and where it was written."""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Optional, TypedDict

import pytest
import typing_extensions
from pydantic import BaseModel

from flowc import END, START, Graph
from flowc.dsl.decorators import field, type_expr
from flowc.dsl.load import check_graph, check_target
from flowc.dsl.spec import BranchSpec, EdgeSpec, FieldSpec, NodeSpec
from flowc.runtime import UpdatesEvent

HERE = "tests.test_decorators"


class State(TypedDict, total=False):
    topic: str
    mood: str
    log: Annotated[list[str], operator.add]


class TopicUpdate(TypedDict):
    topic: str


class MoodUpdate(TypedDict):
    mood: str


class LogUpdate(TypedDict):
    log: list[str]


def refine(state: State) -> TopicUpdate:
    return {"topic": state["topic"] + " and cats"}


def feel(state: State) -> MoodUpdate:
    return {"mood": "happy"}


def note(state: State) -> LogUpdate:
    return {"log": [state.get("topic", "")]}


def choose(state: State) -> Literal["feel", "note"]:
    return "feel" if state["topic"].startswith("ice") else "note"


def choose_key(state: State) -> Literal["yes", "no"]:
    return "yes"


def fan_out(state: State) -> Sequence[Literal["feel", "note"]]:
    return ["feel", "note"]


# -- a LangGraph builder, ported -------------------------------------------------------
# LangGraph:
#     builder = StateGraph(State)
#     builder.add_node("refine", refine)
#     builder.add_node(feel)
#     builder.add_edge(START, "refine")
#     builder.add_conditional_edges("refine", choose, ["feel", "note"])
#     ...
#     graph = builder.compile()

ported = Graph("ported", State)
ported.add_node("refine", refine)
ported.add_node(feel)
ported.add_node(note)
ported.add_edge(START, "refine")
ported.add_conditional_edges("refine", choose, ["feel", "note"])
ported.add_edge("feel", END)
ported.add_edge("note", END)


def test_a_ported_langgraph_builder_gives_the_expected_spec() -> None:
    spec, _, diags = ported.to_spec()
    assert diags == ()
    assert spec.state.class_ref == f"{HERE}:State"
    assert spec.nodes == (
        NodeSpec(name="refine", call=f"{HERE}:refine"),
        NodeSpec(name="feel", call=f"{HERE}:feel"),
        NodeSpec(name="note", call=f"{HERE}:note"),
    )
    assert spec.edges == (
        EdgeSpec(sources=(START,), targets=("refine",)),
        EdgeSpec(sources=("feel",), targets=(END,)),
        EdgeSpec(sources=("note",), targets=(END,)),
    )
    assert spec.branches == (
        BranchSpec(source="refine", router=f"{HERE}:choose", targets=("feel", "note")),
    )


def test_a_ported_builder_compiles_and_streams() -> None:
    module = ported.compile()
    events = list(module.stream({"topic": "ice cream"}, stream_mode="updates"))
    assert all(isinstance(e, UpdatesEvent) for e in events)
    assert [(e.node, e.data) for e in events] == [
        ("refine", {"topic": "ice cream and cats"}),
        ("feel", {"mood": "happy"}),
    ]
    assert module.invoke({"topic": "tea"}) == {"topic": "tea and cats", "log": ["tea and cats"]}


# -- nodes -----------------------------------------------------------------------------

decorated = Graph("decorated", State)


@decorated.node
def plain(state: State) -> TopicUpdate:
    return {"topic": "plain"}


@decorated.node(tags=["fast"], metadata={"owner": "me"}, description="Feels.", writes=["mood"])
def with_options(state: State) -> MoodUpdate:
    return {"mood": "ok"}


@decorated.node("renamed")
def named_positionally(state: State) -> LogUpdate:
    return {"log": ["x"]}


@decorated.node(name="renamed_too")
def named_by_keyword(state: State) -> LogUpdate:
    return {"log": ["y"]}


decorated.sequence(START, "plain", "with_options", "renamed", "renamed_too", END)


def test_node_decorator_with_and_without_arguments() -> None:
    spec, _, diags = decorated.to_spec()
    assert diags == ()
    assert spec.nodes == (
        NodeSpec(name="plain", call=f"{HERE}:plain"),
        NodeSpec(
            name="with_options",
            call=f"{HERE}:with_options",
            tags=("fast",),
            metadata={"owner": "me"},
            description="Feels.",
            writes=("mood",),
        ),
        NodeSpec(name="renamed", call=f"{HERE}:named_positionally"),
        NodeSpec(name="renamed_too", call=f"{HERE}:named_by_keyword"),
    )
    # the decorator returns the function itself
    assert plain({"topic": "x"}) == {"topic": "plain"}
    assert check_graph(decorated).ok


def test_add_sequence_adds_nodes_and_the_edges_between_them() -> None:
    graph = Graph("seq", State)
    graph.add_sequence([refine, ("noted", note)])
    graph.set_entry_point("refine")
    graph.set_finish_point("noted")
    spec, _, diags = graph.to_spec()
    assert diags == ()
    assert [n.name for n in spec.nodes] == ["refine", "noted"]
    assert spec.edges == (
        EdgeSpec(sources=("refine",), targets=("noted",)),
        EdgeSpec(sources=(START,), targets=("refine",)),
        EdgeSpec(sources=("noted",), targets=(END,)),
    )


def test_joins_and_fan_outs() -> None:
    graph = Graph("joins", State)
    for fn in (refine, feel, note):
        graph.add_node(fn)
    graph.add_edge(START, ["refine", "feel"])
    graph.add_edge(["refine", "feel"], "note")
    graph.add_edge("note", END)
    spec, _, _ = graph.to_spec()
    assert spec.edges == (
        EdgeSpec(sources=(START,), targets=("refine",)),
        EdgeSpec(sources=(START,), targets=("feel",)),
        EdgeSpec(sources=("refine", "feel"), targets=("note",)),
        EdgeSpec(sources=("note",), targets=(END,)),
    )
    result = check_graph(graph)
    assert result.graph is not None
    assert [j.channel for j in result.graph.joins] == ["join:refine+feel:note"]
    assert result.graph.node("note").triggers == ("branch:to:note", "join:refine+feel:note")


# -- routers ---------------------------------------------------------------------------


def test_routers_by_decorator_and_by_add_conditional_edges() -> None:
    graph = Graph("routes", State)
    for fn in (refine, feel, note):
        graph.add_node(fn)
    graph.add_edge(START, "refine")

    @graph.router("refine")
    def pick(state: State) -> Literal["feel", "note"]:
        return "feel"

    graph.add_conditional_edges("feel", choose_key, {"yes": "note", "no": END})
    graph.add_conditional_edges("note", choose, ["feel", "note"])
    spec, _, _ = graph.to_spec()
    assert spec.branches == (
        BranchSpec(
            source="refine",
            router=f"{HERE}:test_routers_by_decorator_and_by_add_conditional_edges.<locals>.pick",
        ),
        BranchSpec(source="feel", router=f"{HERE}:choose_key", path_map={"yes": "note", "no": END}),
        BranchSpec(source="note", router=f"{HERE}:choose", targets=("feel", "note")),
    )
    # `pick` is local to this test, so generated code could not import it
    result = check_graph(graph)
    assert [d.code for d in result.diagnostics] == ["E301"]


routed = Graph("routed", State)
routed.add_node(refine)
routed.add_node(feel)
routed.add_node(note)
routed.set_conditional_entry_point(choose)
routed.add_edge("feel", "refine")


@routed.router("refine", targets=["note", END])
def after_refine(state: State) -> Literal["note", "__end__"]:
    return "__end__"


routed.add_conditional_edges("note", choose_key, {"yes": "feel", "no": END})


def test_router_targets_come_from_literals_lists_and_path_maps() -> None:
    result = check_graph(routed)
    assert result.diagnostics == ()
    assert result.graph is not None
    assert [b.targets for b in result.graph.start_branches] == [("feel", "note")]
    assert [b.targets for b in result.graph.node("refine").branches] == [("note", END)]
    assert [b.path_map for b in result.graph.node("note").branches] == [
        (("yes", "feel"), ("no", END))
    ]


# -- states ----------------------------------------------------------------------------


@dataclass
class DataState:
    topic: str = ""
    log: Annotated[list[str], operator.add] = dataclasses.field(default_factory=list)


class ModelState(BaseModel):
    topic: str = ""
    log: Annotated[list[str], operator.add] = []


def data_node(state: DataState) -> TopicUpdate:
    return {"topic": state.topic + "!"}


def model_node(state: ModelState) -> TopicUpdate:
    return {"topic": state.topic + "?"}


data_graph = Graph("data_graph", DataState)
data_graph.add_node(data_node)
data_graph.sequence(START, "data_node", END)
model_graph = Graph("model_graph", ModelState)
model_graph.add_node(model_node)
model_graph.sequence(START, "model_node", END)


@pytest.mark.parametrize(
    ("graph", "kind", "reducers"),
    [
        (ported, "typeddict", {"log": "operator:add"}),
        (data_graph, "dataclass", {"log": "operator:add"}),
        (model_graph, "pydantic", {"log": "operator:add"}),
    ],
    ids=["typeddict", "dataclass", "pydantic"],
)
def test_states_may_be_typeddicts_dataclasses_or_pydantic_models(
    graph: Graph[Any], kind: str, reducers: dict[str, str]
) -> None:
    result = check_graph(graph)
    assert result.diagnostics == ()
    assert result.graph is not None
    state = result.graph.state
    assert state.kind == kind
    assert state.cls is not None and state.cls.obj is graph.state
    assert {f.name: f.reducer.ref for f in state.fields if f.reducer is not None} == reducers


def test_pydantic_state_streams_through_a_compiled_graph() -> None:
    module = model_graph.compile()
    assert module.invoke({"topic": "hi"}) == {"topic": "hi?", "log": []}


def test_fields_declare_a_generated_state_like_toml() -> None:
    class Fields(TypedDict):
        topic: str
        log: Annotated[list[str], operator.add]

    by_class = Graph("f", fields=Fields)
    by_mapping = Graph(
        "f",
        fields={
            "topic": str,
            "log": field(list[str], reducer=operator.add, description="what happened"),
        },
        kind="dataclass",
    )
    assert by_class.spec().state.fields == (
        FieldSpec(name="topic", type="str"),
        FieldSpec(name="log", type="list[str]", reducer="add"),
    )
    assert by_mapping.spec().state.kind == "dataclass"
    assert by_mapping.spec().state.fields[1] == FieldSpec(
        name="log", type="list[str]", reducer="add", description="what happened"
    )


class Topic:
    """A user class a state field can have as its type."""


@pytest.mark.parametrize(
    ("tp", "text"),
    [
        (str, "str"),
        (list[dict[str, Any]], "list[dict[str, Any]]"),
        (Optional[int], "int | None"),  # noqa: UP045 - the old spelling must render too
        (int | str, "int | str"),
        (Literal["a", 1], "Literal['a', 1]"),
        (Annotated[list[str], operator.add], "list[str]"),
        (Sequence[Topic], "Sequence[tests.test_decorators.Topic]"),
        (None, "None"),
    ],
)
def test_type_expressions_are_written_as_toml_writes_them(tp: Any, text: str) -> None:
    assert type_expr(tp) == text


# -- subgraphs -------------------------------------------------------------------------


class ChildState(TypedDict, total=False):
    topic: str
    extra: str


def child_node(state: ChildState) -> TopicUpdate:
    return {"topic": state["topic"] + " (child)"}


child = Graph("decorated_child", ChildState)
child.add_node(child_node)
child.sequence(START, "child_node", END)

parent = Graph("decorated_parent", State)
parent.add_node(refine)
parent.add_node("child", child)
parent.sequence(START, "refine", "child", END)


def test_a_graph_object_is_a_subgraph_node() -> None:
    spec, _, _ = parent.to_spec()
    assert spec.nodes[1] == NodeSpec(name="child", subgraph=f"{HERE}:child")
    result = check_graph(parent)
    assert result.diagnostics == ()
    assert result.graph is not None
    sub = result.graph.node("child").subgraph
    assert sub is not None and sub.name == "decorated_child"
    assert result.graph.node("child").writes == ("topic",)
    module = parent.compile()
    assert module.invoke({"topic": "tea"}) == {"topic": "tea and cats (child)", "log": []}


# -- mistakes are diagnostics, not exceptions -------------------------------------------


def test_builder_mistakes_are_recorded_where_they_were_made() -> None:
    graph = Graph("mistakes", State)
    graph.add_node("lonely")
    graph.add_edge(
        "refine",
        42,  # type: ignore[arg-type]
    )
    graph.add_node(refine)
    graph.add_node(refine)
    _, _, diags = graph.to_spec()
    where = [(d.code, d.span.line if d.span else None) for d in diags]
    line = test_builder_mistakes_are_recorded_where_they_were_made.__code__.co_firstlineno
    assert where == [("E004", line + 2), ("E004", line + 5), ("E103", line + 8)]
    assert diags[1].span is not None and (diags[1].span.col, diags[1].span.end_col) == (9, 11)


def test_a_graph_without_state_says_so() -> None:
    graph = Graph("stateless")  # type: ignore[call-overload]
    result = check_graph(graph)
    first = result.diagnostics[0]
    assert (first.code, first.message) == ("E002", "graph `stateless` has no state")
    assert not result.ok


def test_reference_names_the_module_that_declares_the_graph() -> None:
    assert ported.reference() == f"{HERE}:ported"
    assert Graph("nowhere", State).reference() is None


# -- typing_extensions TypedDicts ----------------------------------------------------


class ExtState(typing_extensions.TypedDict, total=False):
    topic: str
    count: typing_extensions.Required[Annotated[int, operator.add]]


class ExtCount(typing_extensions.TypedDict):
    count: int


extension_typed = Graph("extension_typed", ExtState)


@extension_typed.node
def bump(state: ExtState) -> ExtCount:
    return {"count": 1}


extension_typed.add_edge(START, "bump")
extension_typed.add_edge("bump", END)


def test_typing_extensions_typeddicts_are_states_and_update_types() -> None:
    module = extension_typed.compile()
    assert module.invoke({"count": 1, "topic": "t"}) == {"count": 2, "topic": "t"}
    assert [(e.node, e.data) for e in module.stream({"count": 5})] == [("bump", {"count": 1})]


def test_a_toml_spec_takes_a_typing_extensions_typeddict_state(tmp_path: Path) -> None:
    spec = tmp_path / "ext.toml"
    spec.write_text(
        '[graph]\nname = "ext"\n\n[state]\nclass = "tests.test_decorators:ExtState"\n\n'
        '[nodes.bump]\ncall = "tests.test_decorators:bump"\n\n'
        '[[edges]]\nchain = ["START", "bump", "END"]\n',
        encoding="utf-8",
    )
    result = check_target(str(spec))
    assert [d.code for d in result.diagnostics] == []
    assert result.graph is not None
    assert [(f.name, f.reducer is not None) for f in result.graph.state.fields] == [
        ("topic", False),
        ("count", True),
    ]
