"""Code that uses generated runners the right way: ``mypy --strict`` accepts every line.

``tests/test_typing.py`` runs mypy over this module (and over ``errors/``,
whose every file holds one mistake). The ``assert_type`` calls pin what mypy
infers; running this module is not needed for that.
"""

from __future__ import annotations

import types
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any, Literal, assert_never, assert_type

from flowc_demo.progress import Progress
from flowc_demo.user_states import PydanticState

from flowc import END, START, Graph
from flowc.langgraph import END as langgraph_end
from flowc.langgraph import START as langgraph_start
from flowc.runtime import (
    Config,
    CustomPart,
    InterruptEvent,
    InterruptValuesEvent,
    MessagesPart,
    StreamPart,
    StreamWriter,
    TasksPart,
    UpdatesPart,
    ValuesEvent,
)
from tests.golden import (
    approval,
    joke,
    nested,
    nested_child,
    nested_grandchild,
    progress,
    progress_types,
    state_dataclass,
    state_dataclass_types,
    state_pydantic,
    subgraph,
    subgraph_types,
    user_pydantic,
)
from tests.golden.joke_types import (
    GenerateJokeUpdate,
    JokeState,
    JokeUpdate,
    JokeValues,
    RefineTopicUpdate,
)
from tests.golden.progress_types import ProgressState, ProgressUpdate, ProgressValues
from tests.golden.state_pydantic_types import StatePydanticState


def builders() -> None:
    """``flowc.Graph`` keeps its state type through chained builder calls, up to ``compile()``."""
    typed = Graph("typed", JokeState)
    assert_type(typed, Graph[JokeState])
    assert_type(typed.add_edge(START, "a").set_finish_point("a"), Graph[JokeState])
    loose = Graph("loose", fields={"topic": str})
    assert_type(loose, Graph[dict[str, Any]])
    assert_type(loose.add_edge(START, "a").compile(), types.ModuleType)


def topics() -> list[str]:
    """A ``match`` over a graph's updates events narrows ``data`` and is exhaustive."""
    out: list[str] = []
    for ev in joke.stream({"topic": "ice cream"}, stream_mode="updates"):
        match ev:
            case joke.RefineTopicUpdated(data=data):
                assert_type(data, RefineTopicUpdate | None)
                if data is not None:
                    out.append(data["topic"])
            case joke.GenerateJokeUpdated(data=data):
                assert_type(data, GenerateJokeUpdate | None)
            case _:
                assert_never(ev)
    return out


def jokes() -> list[str]:
    """Comparing ``node`` with a node name narrows the event too; updates is the default mode."""
    out: list[str] = []
    for ev in joke.stream({"topic": "ice cream"}):
        assert_type(ev.node, Literal["refine_topic"] | Literal["generate_joke"])
        if ev.node == "generate_joke" and ev.data is not None:
            assert_type(ev, joke.GenerateJokeUpdated)
            out.append(ev.data["joke"])
    return out


def last_values(config: Config) -> JokeValues | None:
    """A values event carries the values TypedDict; keys never written are optional."""
    last = None
    for ev in joke.stream({"topic": "ice cream"}, stream_mode="values", config=config):
        assert_type(ev, ValuesEvent[JokeValues])
        last = ev.data
        assert_type(ev.data.get("joke"), str | None)
    return last


def pair() -> Iterator[str]:
    """A list of two modes gives the union of their events: still exhaustive."""
    for ev in joke.stream({"topic": "ice cream"}, stream_mode=["values", "updates"]):
        match ev:
            case ValuesEvent(data=values):
                yield values.get("topic", "")
            case joke.RefineTopicUpdated() | joke.GenerateJokeUpdated():
                yield ev.node
            case _:
                assert_never(ev)


def any_modes(modes: list[Literal["values", "updates", "custom", "tasks"]]) -> int:
    """Longer or computed lists of modes give every event of the graph."""
    events = list(joke.stream({"topic": "ice cream"}, stream_mode=modes, subgraphs=False))
    assert_type(events, list[joke.JokeEvent])
    return len(events)


def config() -> Config:
    """The run config is a TypedDict with LangGraph's keys."""
    return {
        "recursion_limit": 5,
        "tags": ["typed"],
        "metadata": {"user": "u-1"},
        "run_id": "00000000-0000-0000-0000-000000000001",
        "configurable": {"thread_id": "t-1"},
    }


def final_joke() -> str:
    """``invoke`` returns the final values."""
    result = joke.invoke({"topic": "ice cream"}, config=config())
    assert_type(result, JokeValues)
    return result.get("joke", "")


async def async_topics() -> AsyncIterator[str]:
    """``astream`` is typed as ``stream`` is."""
    async for ev in joke.astream({"topic": "ice cream"}, stream_mode="updates"):
        if isinstance(ev, joke.RefineTopicUpdated) and ev.data is not None:
            yield ev.data["topic"]


def custom_payloads() -> list[int]:
    """Declared custom payload types type the custom events."""
    percents: list[int] = []
    for ev in progress.stream({"items": ["a", "b"]}, stream_mode="custom"):
        assert_type(ev.data, Progress | str)
        if not isinstance(ev.data, str):
            percents.append(ev.data["percent"])
    return percents


def work(state: progress_types.ProgressState, writer: StreamWriter[Progress]) -> Mapping[str, Any]:
    """A node written against the generated types: it is a ``WorkNode``."""
    writer({"item": "a", "percent": 100})
    return {"done": state.get("items", [])}


checked_work: progress_types.WorkNode = work


def typed_writer() -> None:
    """The types module's ``get_stream_writer`` is typed with the graph's payloads."""
    writer = progress_types.get_stream_writer()
    assert_type(writer, StreamWriter[Progress | str])


def nested_updates() -> list[str]:
    """With ``subgraphs=True``, the updates of every level's nodes, each exhaustive."""
    names: list[str] = []
    for ev in nested.stream({"foo": "x"}, stream_mode="updates", subgraphs=True):
        match ev:
            case nested.Parent1Updated() | nested.ChildGraphUpdated() | nested.Parent2Updated():
                names.append(ev.node)
            case nested_child.Child1Updated() | nested_child.GrandchildGraphUpdated():
                names.append(ev.node)
            case nested_child.Child2Updated():
                names.append(ev.node)
            case nested_grandchild.Grandchild1Updated() | nested_grandchild.Grandchild2Updated():
                names.append(ev.node)
            case _:
                assert_never(ev)
    return names


def instance_input() -> int:
    """Dataclass and pydantic states take an instance as input too."""
    state = state_dataclass_types.StateDataclassState(topic="ice cream")
    done = state_dataclass.invoke(state)
    models = list(user_pydantic.stream(PydanticState(topic="ice cream"), stream_mode="values"))
    return done.get("count", 0) + len(models)


def route_with_end(calls: int) -> Literal["tools", "__end__"]:
    """``flowc.END`` is the literal a router's return annotation names."""
    return "tools" if calls else END


def route_with_the_drop_ins_end(calls: int) -> Literal["tools", "__end__"]:
    """So is the drop-in's ``END``."""
    return "tools" if calls else langgraph_end


def start_and_end_are_literals() -> None:
    """``START`` and ``END`` (flowc's and the drop-in's, the same objects) are ``Final`` literals."""
    assert_type(START, Literal["__start__"])
    assert_type(END, Literal["__end__"])
    assert_type(langgraph_start, Literal["__start__"])
    assert_type(langgraph_end, Literal["__end__"])


def v2_parts() -> list[str]:
    """``version="v2"`` parts are typed by mode, with the graph's own payload types."""
    names: list[str] = []
    for update in joke.stream_chunks({"topic": "t"}, stream_mode="updates", version="v2"):
        assert_type(update, UpdatesPart)
        assert_type(update["ns"], tuple[str, ...])
        names.extend(update["data"])
    for part in progress.stream_chunks(
        {"topic": "t"}, stream_mode=["custom", "tasks"], version="v2"
    ):
        # `part["type"]` narrows the union
        if part["type"] == "custom":
            assert_type(part["data"], Progress | str)
        else:
            assert_type(part, TasksPart[progress.NodeName, ProgressState, ProgressUpdate])
            names.append(part["data"]["name"])
    for values in progress.stream_chunks({"topic": "t"}, stream_mode="values", version="v2"):
        # a TypedDict state's values dict (or, for a class state, the class)
        assert_type(values["data"], ProgressValues | ProgressState)
        assert_type(values["interrupts"], tuple[Any, ...])
    for model in state_pydantic.stream_chunks({"topic": "t"}, stream_mode="values", version="v2"):
        data = model["data"]
        if isinstance(data, StatePydanticState):
            names.append(data.topic)
    for debug in joke.stream_chunks({"topic": "t"}, stream_mode="debug", version="v2"):
        if debug["data"]["type"] == "task":
            assert_type(debug["data"]["payload"]["name"], Literal["refine_topic", "generate_joke"])
    for any_part in joke.stream_chunks({"topic": "t"}, stream_mode=("tasks",), version="v2"):
        assert_type(any_part, TasksPart[joke.NodeName, JokeState, JokeUpdate])
    for anything in joke.stream_chunks({"topic": "t"}, version="v2"):
        assert_type(anything, StreamPart)
    assert_type(joke.stream_chunks({"topic": "t"}), Iterator[Any])
    return names


def v2_parts_of_subgraphs() -> None:
    """With ``subgraphs=True`` the parts come from graphs of other types: LangGraph's typing."""
    for own in subgraph.stream_chunks({"foo": "f"}, stream_mode="custom", version="v2"):
        assert_type(own, CustomPart[subgraph_types.Custom])
    for deep in subgraph.stream_chunks(
        {"foo": "f"}, stream_mode="custom", subgraphs=True, version="v2"
    ):
        assert_type(deep, CustomPart[Any])


async def av2_parts() -> list[MessagesPart]:
    """The async twin, typed the same way."""
    chunks = joke.astream_chunks({"topic": "t"}, stream_mode="messages", version="v2")
    return [part async for part in chunks]


def interrupts_and_resume(saver: Any) -> list[str]:
    """An interrupt's value has the type its node declares; ``resume`` takes the declared answer."""
    from flowc_demo.approval import Approval, ApprovalRequest

    config: Config = {"configurable": {"thread_id": "t"}}
    graph = approval.graph.with_checkpointer(saver)
    reasons: list[str] = []
    for event in graph.stream({"action": "old-backups"}, config=config):
        if isinstance(event, InterruptEvent):
            assert_type(event, approval.ApprovalInterrupted)
            assert_type(event.interrupts[0].value, ApprovalRequest)
            assert_type(event.ids, tuple[str, ...])
            reasons.append(event.interrupts[0].value["reason"])
    for values in graph.stream({"action": "x"}, stream_mode="values", config=config):
        if isinstance(values, InterruptValuesEvent):
            reasons.extend(i.value["action"] for i in values.interrupts)
    answer: Approval = {"approved": True}
    assert_type(graph.resume(answer, config=config), approval.ApprovalValues)
    graph.resume({"0" * 32: answer}, config=config)
    graph.resume(config=config)
    return reasons


def io_schemas_answer() -> str | None:
    """``invoke`` of a graph with an output schema gives its keys, typed."""
    from tests.golden import io_schemas

    result = io_schemas.invoke({"question": "why"})
    return result.get("answer")
