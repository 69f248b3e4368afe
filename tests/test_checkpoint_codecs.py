"""Typed codecs: each state field's checkpoint codec decided from its declared type.

``flowc check`` refuses a field no codec can store in a graph that keeps
checkpoints (E801), pickle only by explicit opt-in (``[graph] checkpoints =
"pickle"``), whose saver must then take pickles: a run on a thread refuses one
that does not before anything runs. Dataclass and pydantic fields come back
from a saver as their own types.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import typing
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple, TypedDict

import pytest
from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages

from flowc import build
from flowc.dsl.codecs import codec_of, unstorable_part
from flowc.dsl.load import check_target
from flowc.runtime.checkpoint import CheckpointSerializationError, JsonSerializer
from flowc.savers.memory import InMemorySaver
from flowc.savers.sqlite import SqliteSaver
from tests.codecs_support import Connection, Profile, Visit


class Color(enum.Enum):
    RED = "red"


class Point(NamedTuple):
    x: int
    y: int


class Plain(TypedDict):
    name: str
    scores: list[int]


class WithWhen(TypedDict):
    at: dt.datetime


@dataclasses.dataclass
class Holder:
    connection: Connection


@pytest.mark.parametrize(
    ("declared", "codec"),
    [
        (str, "json"),
        (int | None, "json"),
        (list[str], "json"),
        (dict[str, list[float]], "json"),
        (Literal["a", 1, True, None], "json"),
        (Plain, "json"),
        (typing.Optional[Plain], "json"),  # noqa: UP045 - the typing form, as written in older code
        (tuple[int, str], "typed"),
        (set[str], "typed"),
        (frozenset[int], "typed"),
        (dict[int, str], "typed"),
        (bytes, "typed"),
        (dt.datetime, "typed"),
        (dt.timedelta, "typed"),
        (uuid.UUID, "typed"),
        (decimal.Decimal, "typed"),
        (Color, "typed"),
        (Literal[Color.RED], "typed"),
        (Point, "typed"),
        (WithWhen, "typed"),
        (Visit, "typed"),
        (Profile, "typed"),
        (list[Visit] | None, "typed"),
        (Annotated[list[AnyMessage], add_messages], "typed"),
        (Any, "value"),
        (list, "value"),
        (Sequence[int], "value"),
        (Connection, None),
        (list[Connection], None),
        (dict[str, Connection] | None, None),
        (Holder, None),
        (Callable[[int], int], None),
    ],
)
def test_each_declared_type_gets_the_codec_that_stores_it(declared: Any, codec: str | None) -> None:
    assert codec_of(declared) == codec


def test_the_unstorable_part_of_a_type_is_named() -> None:
    assert unstorable_part(list[Connection]) == "Connection"
    assert unstorable_part(Holder) == "Connection"
    assert unstorable_part(Callable[[int], int]) == "Callable"
    assert unstorable_part(list[Visit]) is None


def _spec(tmp_path: Path, graph: str, fields: str, node: str = "connect") -> str:
    path = tmp_path / "codecs.toml"
    path.write_text(
        f"""[graph]
name = "codecs"
{graph}

[state.fields]
topic = "str"
{fields}

[nodes.{node}]
call = "tests.codecs_support:{node}"

[[edges]]
chain = ["START", "{node}", "END"]
""",
        encoding="utf-8",
    )
    return str(path)


def _errors(target: str) -> list[tuple[str, int, int, str]]:
    result = check_target(target)
    return [
        (d.code, d.span.line if d.span else 0, d.span.col if d.span else 0, d.message)
        for d in result.diagnostics
    ]


def test_check_refuses_a_field_no_codec_stores_when_the_graph_keeps_checkpoints(
    tmp_path: Path,
) -> None:
    target = _spec(
        tmp_path,
        'checkpoints = "json"',
        'connection = "tests.codecs_support.Connection"\nvisit = "tests.codecs_support.Visit"',
    )
    assert _errors(target) == [
        (
            "E801",
            7,
            14,
            "state field `connection` has type `Connection`, which no checkpoint codec can "
            'store, and the graph keeps checkpoints (`[graph] checkpoints = "json"`)',
        )
    ]


def test_breakpoints_make_a_graph_keep_checkpoints(tmp_path: Path) -> None:
    target = _spec(
        tmp_path,
        'interrupt_before = ["connect"]',
        'connections = "list[tests.codecs_support.Connection]"',
    )
    assert _errors(target) == [
        (
            "E801",
            7,
            15,
            "state field `connections` has type `list[Connection]` (because of `Connection` in "
            "it), which no checkpoint codec can store, and the graph keeps checkpoints (it has "
            "interrupts or breakpoints, which need a checkpointer)",
        )
    ]


def test_a_graph_that_does_not_keep_checkpoints_may_hold_anything(tmp_path: Path) -> None:
    target = _spec(tmp_path, "", 'connection = "tests.codecs_support.Connection"')
    assert _errors(target) == []
    module = build(target)
    assert module.PLAN.codecs == ()
    assert module.graph.invoke({"topic": "x"}) == {"topic": "x", "connection": Connection("db://x")}


def test_pickle_by_opt_in_needs_a_saver_that_takes_pickles(tmp_path: Path) -> None:
    target = _spec(
        tmp_path, 'checkpoints = "pickle"', 'connection = "tests.codecs_support.Connection"'
    )
    assert _errors(target) == []
    module = build(target)
    assert module.PLAN.codecs == (("connection", "pickle"),)
    refusing = InMemorySaver()
    graph = module.graph.with_checkpointer(refusing)
    config: Any = {"configurable": {"thread_id": "t"}}
    with pytest.raises(CheckpointSerializationError) as caught:
        graph.invoke({"topic": "x"}, config=config)
    assert str(caught.value) == (
        "graph 'codecs' stores state fields 'connection' (Connection) with pickle, as its spec "
        'opts into (`checkpoints = "pickle"`), and this saver\'s serializer refuses pickles: '
        "give the saver serde=JsonSerializer(pickle_fallback=True)"
    )
    # refused before anything was stored
    assert list(refusing.list(None)) == []
    taking = SqliteSaver(tmp_path / "runs.db", serde=JsonSerializer(pickle_fallback=True))
    graph = module.graph.with_checkpointer(taking)
    assert graph.invoke({"topic": "x"}, config=config) == {
        "topic": "x",
        "connection": Connection("db://x"),
    }
    taking.close()
    reopened = SqliteSaver(tmp_path / "runs.db", serde=JsonSerializer(pickle_fallback=True))
    state = module.graph.with_checkpointer(reopened).get_state(config)
    assert state.values == {"topic": "x", "connection": Connection("db://x")}
    reopened.close()


def test_dataclass_and_pydantic_fields_come_back_as_their_types(tmp_path: Path) -> None:
    target = _spec(
        tmp_path,
        'checkpoints = "json"',
        'visit = "tests.codecs_support.Visit"\nprofile = "tests.codecs_support.Profile"',
        node="visit",
    )
    assert _errors(target) == []
    module = build(target)
    config: Any = {"configurable": {"thread_id": "t"}}
    saver = SqliteSaver(tmp_path / "runs.db")
    module.graph.with_checkpointer(saver).invoke({"topic": "home"}, config=config)
    saver.close()
    reopened = SqliteSaver(tmp_path / "runs.db")
    values = module.graph.with_checkpointer(reopened).get_state(config).values
    reopened.close()
    assert values == {
        "topic": "home",
        "visit": Visit("home", dt.datetime(2026, 12, 2, 3, 0, tzinfo=dt.UTC)),
        "profile": Profile(name="home", tags=("a", "b")),
    }
    assert type(values["visit"]) is Visit
    assert type(values["profile"]) is Profile
    assert type(values["profile"].tags) is tuple


def test_the_decorator_dsl_declares_checkpoints_as_toml_does(tmp_path: Path) -> None:
    from flowc import END, START, Graph
    from flowc.dsl.load import check_graph, load_target
    from tests.codecs_support import connect

    graph = Graph(
        "codecs",
        fields={"topic": str, "connection": Connection},
        checkpoints="json",
    )
    graph.add_node(connect)
    graph.sequence(START, "connect", END)
    assert [(d.code, d.message) for d in check_graph(graph).diagnostics] == [
        (
            "E801",
            "state field `connection` has type `Connection`, which no checkpoint codec can "
            'store, and the graph keeps checkpoints (`[graph] checkpoints = "json"`)',
        )
    ]
    toml, _ = load_target(
        _spec(tmp_path, 'checkpoints = "json"', 'connection = "tests.codecs_support.Connection"')
    )
    assert toml.spec is not None
    assert graph.spec().checkpoints == toml.spec.checkpoints == "json"


def test_a_checkpoints_value_the_dsl_does_not_know_is_refused() -> None:
    from flowc import Graph
    from flowc.dsl.load import check_graph

    graph = Graph("codecs", fields={"topic": str}, checkpoints="yaml")  # type: ignore[call-overload]
    assert [(d.code, d.message) for d in check_graph(graph).diagnostics][:1] == [
        ("E004", '`checkpoints` must be "json" or "pickle", not \'yaml\'')
    ]
