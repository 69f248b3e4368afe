"""``flowc.runtime.chunks``' v2 stream parts, on events made by hand."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator
from typing import Any

from flowc.runtime import (
    CustomEvent,
    Event,
    TaskId,
    TaskResultEvent,
    UpdatesEvent,
    ValuesEvent,
    ashape_parts,
    shape_parts,
)

from .conftest import ROOT

EVENTS: list[Event] = [
    ValuesEvent({"topic": "t"}),
    UpdatesEvent("refine", {"topic": "t!"}),
    ValuesEvent({"inner": 1}, ns=("child:1",)),
    CustomEvent({"progress": 1}, ns=("child:1",)),
    TaskResultEvent(TaskId("id-1"), "refine", None, {"topic": "t!"}, 1),
]


def _boxed(values: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return ("State", values)


EXPECTED = [
    {"type": "values", "ns": (), "data": ("State", {"topic": "t"}), "interrupts": ()},
    {"type": "updates", "ns": (), "data": {"refine": {"topic": "t!"}}},
    {"type": "values", "ns": ("child:1",), "data": {"inner": 1}, "interrupts": ()},
    {"type": "custom", "ns": ("child:1",), "data": {"progress": 1}},
    {
        "type": "tasks",
        "ns": (),
        "data": {
            "id": "id-1",
            "name": "refine",
            "error": None,
            "result": {"topic": "t!"},
            "interrupts": [],
        },
    },
]


def test_parts_map_only_the_root_graphs_values() -> None:
    assert list(shape_parts(EVENTS, _boxed)) == EXPECTED


def test_parts_without_a_mapper_keep_the_values_dict() -> None:
    parts = list(shape_parts(EVENTS))
    assert parts[0] == {"type": "values", "ns": (), "data": {"topic": "t"}, "interrupts": ()}
    assert parts[1:] == EXPECTED[1:]


def test_async_parts_are_the_same() -> None:
    async def events() -> AsyncIterator[Event]:
        for event in EVENTS:
            yield event

    async def collect() -> list[Any]:
        return [part async for part in ashape_parts(events(), _boxed)]

    assert asyncio.run(collect()) == EXPECTED


def test_importing_a_runner_does_not_load_the_parts_typeddicts() -> None:
    code = (
        "import sys; import tests.golden.joke; "
        "print('flowc.runtime.parts' in sys.modules); "
        "from flowc.runtime import StreamPart; "
        "print('flowc.runtime.parts' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PYTHONPATH": f"{ROOT}:{ROOT / 'specs'}"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.split() == ["False", "True"]
