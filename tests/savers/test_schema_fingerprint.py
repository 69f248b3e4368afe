"""Each checkpoint records its state schema; a run under a changed schema is checked, not surprised.

A thread is written by one graph, then run by a graph whose state differs:
a changed type or a removed field fails before any node runs, naming the
fields; a field added with a default (or one that admits ``None``) goes on.
``flowc check --against-db`` reports the same for every thread of a SQLite
file or a Postgres database.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any, TypedDict

import pytest

from flowc.cli import main
from flowc.langgraph import START, StateGraph
from flowc.runtime.checkpoint import BaseCheckpointSaver
from flowc.runtime.fingerprint import SchemaChangedError, fingerprint

from .conftest import SaverFactory

CONFIG: Any = {"configurable": {"thread_id": "t1"}}


class Before(TypedDict):
    topic: str
    count: int


class TypeChanged(TypedDict):
    topic: str
    count: str


class FieldRemoved(TypedDict):
    topic: str


class OptionalAdded(TypedDict):
    topic: str
    count: int
    note: str | None


class RequiredAdded(TypedDict):
    topic: str
    count: int
    note: str


@dataclasses.dataclass
class DataBefore:
    topic: str = ""


@dataclasses.dataclass
class DataAdded:
    topic: str = ""
    tone: str = "dry"


def _graph(state: type, saver: BaseCheckpointSaver, calls: list[str]) -> Any:
    def refine(s: Any) -> dict[str, Any]:
        calls.append("refine")
        topic = s["topic"] if isinstance(s, dict) else s.topic
        return {"topic": topic + "!"}

    builder = StateGraph(state)
    builder.add_node("refine", refine)
    builder.add_edge(START, "refine")
    return builder.compile(checkpointer=saver)


def test_a_checkpoint_records_the_fields_and_declared_types_of_its_state(
    make_saver: SaverFactory,
) -> None:
    saver = make_saver()
    _graph(Before, saver, []).invoke({"topic": "cats", "count": 1}, CONFIG)
    saved = saver.get_tuple(CONFIG)
    assert saved is not None
    schema = (("topic", "str", False), ("count", "int", False))
    assert saved.checkpoint["flowc_schema"] == {  # type: ignore[typeddict-item]
        "fingerprint": fingerprint(schema),
        "fields": {"topic": ["str", False], "count": ["int", False]},
    }


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        (TypeChanged, "field 'count' changed type from int to str"),
        (FieldRemoved, "field 'count' (int) was removed"),
        (
            RequiredAdded,
            "field 'note' (str) was added without a default, and stored checkpoints have no "
            "value for it",
        ),
    ],
)
def test_a_run_under_an_incompatible_schema_fails_before_any_node_runs_naming_the_field(
    make_saver: SaverFactory, changed: type, message: str
) -> None:
    saver = make_saver()
    _graph(Before, saver, []).invoke({"topic": "cats", "count": 1}, CONFIG)
    latest = saver.get_tuple(CONFIG)
    assert latest is not None
    calls: list[str] = []
    for given in ({"topic": "dogs"}, None):
        with pytest.raises(SchemaChangedError) as caught:
            _graph(changed, make_saver(), calls).invoke(given, CONFIG)
        assert caught.value.changes == (message,)
        assert caught.value.checkpoint_id == latest.checkpoint["id"]
        assert str(caught.value) == (
            f"thread 't1': checkpoint {latest.checkpoint['id']} was saved under another state "
            f"schema, and this graph cannot go on from it ({message}); run the thread with the "
            "graph that wrote it, or start a new thread"
        )
    assert calls == []
    # nothing was stored by the refused runs
    after = saver.get_tuple(CONFIG)
    assert after is not None and after.checkpoint["id"] == latest.checkpoint["id"]


def test_update_state_on_a_thread_saved_under_an_incompatible_schema_is_refused(
    make_saver: SaverFactory,
) -> None:
    saver = make_saver()
    _graph(Before, saver, []).invoke({"topic": "cats", "count": 1}, CONFIG)
    latest = saver.get_tuple(CONFIG)
    assert latest is not None
    graph = _graph(TypeChanged, make_saver(), [])
    with pytest.raises(SchemaChangedError) as caught:
        graph.update_state(CONFIG, {"topic": "dogs"}, as_node="refine")
    assert caught.value.changes == ("field 'count' changed type from int to str",)
    after = saver.get_tuple(CONFIG)
    assert after is not None and after.checkpoint["id"] == latest.checkpoint["id"]


def test_a_field_added_that_admits_none_goes_on_from_the_old_checkpoint(
    make_saver: SaverFactory,
) -> None:
    _graph(Before, make_saver(), []).invoke({"topic": "cats", "count": 1}, CONFIG)
    calls: list[str] = []
    graph = _graph(OptionalAdded, make_saver(), calls)
    assert graph.invoke({"count": 2}, CONFIG) == {"topic": "cats!!", "count": 2}
    assert calls == ["refine"]
    # the new checkpoint records the new schema: the old graph may not read it now
    with pytest.raises(SchemaChangedError, match="field 'note' \\(str \\| None\\) was removed"):
        _graph(Before, make_saver(), []).invoke({"count": 3}, CONFIG)


def test_a_field_added_with_a_default_goes_on_and_the_run_sees_the_default(
    make_saver: SaverFactory,
) -> None:
    _graph(DataBefore, make_saver(), []).invoke({"topic": "cats"}, CONFIG)
    seen: list[str] = []
    builder = StateGraph(DataAdded)
    builder.add_node("tone", lambda s: seen.append(s.tone) or {"topic": s.topic + "?"})
    builder.add_edge(START, "tone")
    result = builder.compile(checkpointer=make_saver()).invoke({}, CONFIG)
    assert seen == ["dry"]
    # as in LangGraph, a field never written is not in the output: the node saw its default
    assert result == {"topic": "cats!?"}


def _threads(db: str, state: type, names: list[str]) -> None:
    from flowc.savers.sqlite import SqliteSaver

    saver = SqliteSaver(db)
    graph = _graph(state, saver, [])
    for name in names:
        graph.invoke({"topic": "x"}, {"configurable": {"thread_id": name}})
    saver.close()


class Joke(TypedDict):
    topic: str
    joke: str


class JokeOld(TypedDict):
    topic: str
    joke: int


JOKE_SPEC = Path(__file__).parents[2] / "specs" / "joke.toml"


def test_check_against_db_reports_each_thread_of_a_sqlite_file_a_spec_change_breaks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "threads.db")
    _threads(db, Joke, ["fine-1", "fine-2"])
    _threads(db, JokeOld, ["old"])
    assert main(["check", str(JOKE_SPEC), "--against-db", db]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{db}: thread 'old' (checkpoint ")
    assert lines[0].endswith(
        ") cannot go on under graph 'joke': field 'joke' changed type from int to str"
    )
    assert lines[1] == "1 of 3 threads would break"
    assert main(["check", str(JOKE_SPEC), "--against-db", db, "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["threads"] == 3
    assert [(b["thread_id"], b["changes"]) for b in report["broken"]] == [
        ("old", ["field 'joke' changed type from int to str"])
    ]


def test_check_against_db_passes_a_database_whose_threads_all_match(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "threads.db")
    _threads(db, Joke, ["a", "b"])
    assert main(["check", str(JOKE_SPEC), "--against-db", f"sqlite:///{db}"]) == 0
    assert capsys.readouterr().out == f"all good: 2 threads in sqlite:///{db} can go on\n"


def test_check_against_db_refuses_a_missing_sqlite_file_rather_than_making_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "missing.db"
    assert main(["check", str(JOKE_SPEC), "--against-db", str(db)]) == 2
    assert capsys.readouterr().err == f"flowc: error: --against-db {db}: no such SQLite file\n"
    assert not db.exists()


def test_check_against_db_reads_the_threads_of_a_postgres_database(
    postgres_conninfo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from flowc.savers.postgres import PostgresSaver

    for state, names in ((Joke, ["fine"]), (JokeOld, ["old-1", "old-2"])):
        saver = PostgresSaver(postgres_conninfo, max_size=2)
        graph = _graph(state, saver, [])
        for name in names:
            graph.invoke({"topic": "x"}, {"configurable": {"thread_id": name}})
        saver.close()
    url = postgres_conninfo
    assert main(["check", str(JOKE_SPEC), "--against-db", url, "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["threads"] == 3
    assert [(b["thread_id"], b["changes"]) for b in report["broken"]] == [
        ("old-1", ["field 'joke' changed type from int to str"]),
        ("old-2", ["field 'joke' changed type from int to str"]),
    ]
