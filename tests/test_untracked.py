"""A state field marked untracked lasts one run: no checkpoint or stored write holds it.

The TOML form is ``untracked = true`` on a field, the Python form
``Annotated[T, flowc.channels.Untracked]`` (and LangGraph's ``UntrackedValue``
in the drop-in, which ``tests/conformance/test_untracked.py`` compares with
LangGraph). Nodes read and write the field as any other, and the run's events
and result show it; the thread's state does not.
"""

from __future__ import annotations

import operator
from pathlib import Path
from typing import Annotated, Any, TypedDict

import pytest

from flowc import END, START, Graph, build
from flowc.channels import Untracked
from flowc.runtime.errors import InvalidUpdateError
from flowc.savers.memory import InMemorySaver

THREAD = {"configurable": {"thread_id": "t"}}


class State(TypedDict, total=False):
    log: Annotated[list[str], operator.add]
    resource: Annotated[str, Untracked]


def first(state: State) -> State:
    return {"log": [f"first saw {state.get('resource')}"], "resource": "opened"}


def second(state: State) -> State:
    return {"log": [f"second saw {state.get('resource')}"]}


def rival(state: State) -> State:
    return {"resource": "rival"}


SPEC = """
[graph]
name = "untracked_toml"

[state.fields]
log = { type = "list[str]", reducer = "add" }
resource = { type = "str", untracked = true }

[nodes.first]
call = "tests.test_untracked:first"

[nodes.second]
call = "tests.test_untracked:second"

[[edges]]
chain = ["START", "first", "second", "END"]
"""

decorated = Graph("untracked_decorated", State)
decorated.add_node(first)
decorated.add_node(second)
decorated.sequence(START, "first", "second", END)


def _module(form: str, tmp_path: Path) -> Any:
    if form == "toml":
        spec = tmp_path / "untracked.toml"
        spec.write_text(SPEC, encoding="utf-8")
        return build(spec)
    return build(decorated)


@pytest.mark.parametrize("form", ["toml", "decorated"])
def test_an_untracked_field_is_in_the_run_but_in_no_checkpoint(form: str, tmp_path: Path) -> None:
    module = _module(form, tmp_path)
    saver = InMemorySaver()
    graph = module.graph.with_checkpointer(saver)
    assert graph.invoke({"log": [], "resource": "given"}, config=THREAD) == {
        "log": ["first saw given", "second saw opened"],
        "resource": "opened",
    }
    stored = [t.checkpoint["channel_values"] for t in saver.list(THREAD)]
    assert stored and all("resource" not in values for values in stored)
    writes = [w for t in saver.list(THREAD) for w in t.pending_writes or ()]
    assert writes and all(channel != "resource" for _, channel, _ in writes)
    # a second run on the thread starts from the checkpoint: without the value
    assert graph.invoke({"log": []}, config=THREAD)["log"][2:] == [
        "first saw None",
        "second saw opened",
    ]


def test_the_generated_plan_names_the_untracked_keys(tmp_path: Path) -> None:
    module = _module("toml", tmp_path)
    assert module.PLAN.untracked == frozenset({"resource"})
    assert build(decorated).PLAN.untracked == frozenset({"resource"})


def test_two_writes_of_an_untracked_key_in_one_superstep_fail_in_langgraphs_words() -> None:
    clash = Graph("untracked_clash", State)
    clash.add_node(first)
    clash.add_node(rival)
    clash.edge(START, "first")
    clash.edge(START, "rival")
    module = build(clash)
    with pytest.raises(InvalidUpdateError) as raised:
        module.invoke({"log": []})
    assert str(raised.value) == (
        "At key 'resource': UntrackedValue(guard=True) can receive only one value per step. "
        "Use guard=False if you want to store any one of multiple values."
    )


def test_a_fields_mapping_marks_a_field_untracked_too() -> None:
    graph = Graph(
        "untracked_fields",
        fields={"log": Annotated[list[str], operator.add], "resource": Annotated[str, Untracked]},
    )
    graph.add_node(first)
    graph.add_node(second)
    graph.sequence(START, "first", "second", END)
    module = build(graph)
    assert module.PLAN.untracked == frozenset({"resource"})
    assert module.invoke({"log": []}) == {
        "log": ["first saw None", "second saw opened"],
        "resource": "opened",
    }
