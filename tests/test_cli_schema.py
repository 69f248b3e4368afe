"""``flowc schema``: a valid JSON Schema that every line of ``flowc run --format jsonl`` satisfies."""

from __future__ import annotations

import importlib.util
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
    updates = defs["UpdatesEvent"]
    assert updates["if"] == {"properties": {"ns": {"maxItems": 0}}}
    assert updates["else"] == {
        "properties": {
            "data": {"anyOf": [{"type": "object", "minProperties": 1, "maxProperties": 1}]}
        }
    }
    assert updates["then"]["properties"]["data"] == {
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
    ("specs/subgraph.toml", '{"foo": "foo"}', ("values", "updates", "tasks", "debug"), True),
    ("specs/subgraph_error.toml", '{"topic": "x"}', ("values", "updates", "custom", "tasks"), True),
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
        {
            "type": "tasks",
            "ns": [],
            "data": {"id": "1", "name": "nope", "input": {}, "triggers": []},
        },
    ]
    for line in bad:
        assert not validator.is_valid(line), line
    # nested events may come from graphs a node runs itself: described loosely
    nested = {"type": "updates", "ns": ["n:1"], "data": {"inner_node": {"any": "thing"}}}
    assert validator.is_valid(nested)
    assert not validator.is_valid({**nested, "data": {"a": 1, "b": 2}})


def test_subgraph_types_are_included(inproc: Callable[..., tuple[int, str, str]]) -> None:
    defs = schema_of(inproc, "specs/subgraph.toml")["$defs"]
    assert {"SubgraphValues", "SubgraphChildValues", "SubgraphChildInput"} <= set(defs)
    assert defs["NodeName"]["enum"] == ["node_1", "node_2"]
    nested_updates = defs["UpdatesEvent"]["else"]["properties"]["data"]["anyOf"][0]["oneOf"]
    assert [list(option["properties"]) for option in nested_updates] == [
        ["subgraph_node_1"],
        ["subgraph_node_2"],
    ]


def _example_input(spec: Path) -> object:
    """The ``EXAMPLE_INPUT`` of the module of a spec's first node (the example specs' convention)."""
    import tomllib

    nodes = tomllib.loads(spec.read_text(encoding="utf-8")).get("nodes", {})
    calls = [node["call"] for node in nodes.values() if "call" in node]
    if not calls:
        return None
    return getattr(importlib.import_module(calls[0].split(":")[0]), "EXAMPLE_INPUT", None)


@pytest.mark.slow
def test_every_spec_has_a_schema_that_its_example_run_satisfies(
    inproc: Callable[..., tuple[int, str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The liveness examples wait (5 s) for a consumer that reports the tokens it
    # saw; none does here, so let them fail at once: their error line is checked.
    if importlib.util.find_spec("flowc_demo.messages_live") is not None:
        monkeypatch.setattr("flowc_demo.messages_live.WAIT", 0.01, raising=False)
    checked = 0
    for spec in sorted(SPECS.glob("*.toml")):
        name = spec.relative_to(ROOT).as_posix()
        validator = Validator(schema_of(inproc, name))  # every spec's schema is valid
        given = _example_input(spec)
        if given is None:
            continue
        code, out, err = inproc(
            "run", name, "--input", json.dumps(given), "--format", "jsonl", "--subgraphs",
            "--stream-mode", "values", "--stream-mode", "updates", "--stream-mode", "custom",
            "--stream-mode", "messages", "--stream-mode", "tasks", "--stream-mode", "debug",
        )  # fmt: skip
        lines = [json.loads(line) for line in out.splitlines()]
        assert lines, f"{name}: nothing streamed ({err})"
        # a run that fails (an example that needs a server the tests start) ends
        # with an error line, which must fit the schema as well
        assert (lines[-1]["type"] == "error") == (code == 1), f"{name}: exit {code}"
        for line in lines:
            errors = [e.message for e in validator.iter_errors(line)]
            assert not errors, f"{name}: {line}: {errors}"
        checked += 1
    assert checked >= 10
