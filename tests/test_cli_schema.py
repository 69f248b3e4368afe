"""``flowc schema``: a valid JSON Schema that every line of ``flowc run --format jsonl`` satisfies."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from flowc.cli import main

from .cli_support import ROOT, SPECS, flowc

Validator = jsonschema.Draft202012Validator


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("flowc-cache")


@pytest.fixture
def inproc(
    cache: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., tuple[int, str, str]]:
    """``flowc ARGS`` in this process: exit code, stdout, stderr."""
    monkeypatch.setenv("FLOWC_CACHE_DIR", str(cache))
    monkeypatch.chdir(ROOT)

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def schema_of(inproc: Callable[..., tuple[int, str, str]], spec: str) -> dict[str, Any]:
    code, out, err = inproc("schema", spec)
    assert code == 0, err
    schema: dict[str, Any] = json.loads(out)
    Validator.check_schema(schema)
    return schema


def test_schema_of_the_joke_graph_as_a_subprocess(cache: Path) -> None:
    proc = flowc("schema", "specs/joke.toml", cache=cache)
    assert proc.returncode == 0, proc.stderr
    schema = json.loads(proc.stdout)
    Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["oneOf"] == [
        {"$ref": f"#/$defs/{name}"}
        for name in (
            "ValuesEvent", "UpdatesEvent", "CustomEvent", "MessagesEvent",
            "TasksEvent", "DebugEvent", "ErrorEvent",
        )
    ]  # fmt: skip
    defs = schema["$defs"]
    assert {k: v for k, v in defs["JokeInput"].items() if k != "description"} == {
        "title": "JokeInput",
        "type": "object",
        "properties": {"topic": {"type": "string"}, "joke": {"type": "string"}},
    }
    assert defs["JokeValues"]["properties"] == {
        "topic": {"type": "string"},
        "joke": {"type": "string"},
    }
    assert "required" not in defs["JokeValues"]  # keys appear once written
    assert defs["RefineTopicUpdate"]["properties"] == {"topic": {"type": "string"}}
    assert defs["GenerateJokeUpdate"]["properties"] == {"joke": {"type": "string"}}
    assert defs["UpdatesEvent"]["properties"]["data"] == {
        "oneOf": [
            {
                "type": "object",
                "properties": {
                    "refine_topic": {
                        "anyOf": [{"$ref": "#/$defs/RefineTopicUpdate"}, {"type": "null"}]
                    }
                },
                "required": ["refine_topic"],
                "additionalProperties": False,
            },
            {
                "type": "object",
                "properties": {
                    "generate_joke": {
                        "anyOf": [{"$ref": "#/$defs/GenerateJokeUpdate"}, {"type": "null"}]
                    }
                },
                "required": ["generate_joke"],
                "additionalProperties": False,
            },
        ]
    }


def test_schema_to_a_file(inproc: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    out = tmp_path / "joke.schema.json"
    code, stdout, err = inproc("schema", "specs/joke.toml", "-o", str(out))
    assert (code, stdout, err) == (0, "", f"wrote {out}\n")
    Validator.check_schema(json.loads(out.read_text()))


RUNS = [
    ("specs/joke.toml", '{"topic": "ice cream"}', ("values", "updates", "custom", "tasks", "debug"), False),
    ("specs/custom_writer.toml", '{"query": "example"}', ("custom", "updates", "debug"), False),
    ("specs/loop.toml", '{"count": 0, "target": 3}', ("values", "updates", "tasks"), False),
    ("specs/parallel_join.toml", '{"topic": "t"}', ("values", "updates", "debug"), False),
    ("specs/subgraph.toml", '{"foo": "foo"}', ("values", "updates", "tasks", "debug"), True),
    ("specs/nested.toml", '{"foo": "foo"}', ("values", "updates", "custom"), True),
    ("specs/subgraph_error.toml", '{"topic": "x"}', ("values", "updates", "custom", "tasks"), True),
    ("specs/messages_state.toml", '{"messages": [{"role": "user", "content": "hi"}]}',
     ("values", "updates", "messages"), False),
    ("specs/messages_call_model.toml", '{"topic": "ice cream"}', ("values", "messages", "debug"), False),
    ("specs/progress.toml", '{"items": ["a", "b"]}', ("custom", "updates"), False),
]  # fmt: skip


@pytest.mark.parametrize(("spec", "given", "modes", "subgraphs"), RUNS)
def test_every_jsonl_line_of_a_run_satisfies_the_schema(
    inproc: Callable[..., tuple[int, str, str]],
    spec: str,
    given: str,
    modes: tuple[str, ...],
    subgraphs: bool,
) -> None:
    validator = Validator(schema_of(inproc, spec))
    args = ["run", spec, "--input", given, "--format", "jsonl"]
    for mode in modes:
        args += ["--stream-mode", mode]
    if subgraphs:
        args.append("--subgraphs")
    code, out, err = inproc(*args)
    lines = [json.loads(line) for line in out.splitlines()]
    assert {line["type"] for line in lines} >= set(modes) - {"custom"}
    for line in lines:
        errors = [e.message for e in validator.iter_errors(line)]
        assert not errors, f"{line}: {errors}"
    assert code == (1 if spec.endswith("error.toml") else 0), err
    if code:
        assert lines[-1]["type"] == "error"


def test_lines_that_do_not_fit_the_graph_are_rejected(
    inproc: Callable[..., tuple[int, str, str]],
) -> None:
    validator = Validator(schema_of(inproc, "specs/joke.toml"))
    good = {"type": "updates", "ns": [], "data": {"refine_topic": {"topic": "x"}}}
    assert validator.is_valid(good)
    assert validator.is_valid({"type": "updates", "ns": [], "data": {"refine_topic": None}})
    bad = [
        {"type": "updates", "ns": [], "data": {"no_such_node": {"topic": "x"}}},
        {"type": "updates", "ns": [], "data": {"refine_topic": {"topic": 3}}},
        {"type": "values", "ns": [], "data": {"topic": ["not", "a", "string"]}},
        {"type": "values", "data": {"topic": "x"}},
        {"type": "everything", "ns": [], "data": {}},
        {"type": "error", "ns": [], "data": {"node": "x"}},
    ]
    for line in bad:
        assert not validator.is_valid(line), line


def test_every_spec_has_a_valid_schema(inproc: Callable[..., tuple[int, str, str]]) -> None:
    specs = sorted(p.relative_to(ROOT).as_posix() for p in SPECS.glob("*.toml"))
    assert specs
    for spec in specs:
        schema = schema_of(inproc, spec)
        assert {"ValuesEvent", "UpdatesEvent", "Namespace"} <= set(schema["$defs"]), spec


def test_subgraph_types_are_included(inproc: Callable[..., tuple[int, str, str]]) -> None:
    defs = schema_of(inproc, "specs/subgraph.toml")["$defs"]
    assert {"SubgraphValues", "SubgraphChildValues", "SubgraphChildInput"} <= set(defs)
    assert defs["TaskStart"]["properties"]["name"] == {
        "enum": ["node_1", "node_2", "subgraph_node_1", "subgraph_node_2"]
    }
