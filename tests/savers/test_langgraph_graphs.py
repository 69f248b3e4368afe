"""LangGraph programs run on flowc's savers (through LangGraphSaver) as on LangGraph's own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from langgraph.checkpoint.memory import InMemorySaver as LangGraphInMemorySaver

from flowc.savers.langgraph_adapter import LangGraphSaver

from . import langgraph_graph
from .conftest import SaverFactory

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.conformance


def run_to_the_end(checkpointer: object) -> tuple[dict[str, object], dict[str, object]]:
    app = langgraph_graph.build(checkpointer)
    langgraph_graph.start(app)
    paused = langgraph_graph.summary(app)
    langgraph_graph.resume(app)
    return paused, langgraph_graph.summary(app)


def test_an_interrupted_conversation_resumes_as_on_langgraphs_own_saver(
    make_saver: SaverFactory,
) -> None:
    expected = run_to_the_end(LangGraphInMemorySaver())
    assert expected[0]["interrupts"] == ["name?"]
    assert expected[1]["messages"] == [("HumanMessage", "hello"), ("AIMessage", "hi ada")]

    assert run_to_the_end(LangGraphSaver(make_saver())) == expected


def test_a_new_process_resumes_a_thread_from_the_sqlite_file(tmp_path: Path) -> None:
    db = str(tmp_path / "runs.db")

    def step(what: str) -> dict[str, object]:
        done = subprocess.run(
            [sys.executable, "-m", "tests.savers.langgraph_graph", db, what],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    expected = run_to_the_end(LangGraphInMemorySaver())
    paused, finished = step("start"), step("resume")
    assert [paused, finished] == json.loads(json.dumps(expected))
