"""A new user's src-layout project, set up as the README says, works end to end.

The project lives in a temporary folder with its own ``pyproject.toml``, a
spec, node functions and consumer code under ``src/myapp``. The installed
``flowc`` and ``mypy`` of this environment run there with no ``PYTHONPATH``
and no ``MYPYPATH``: ``flowc check``, ``flowc compile``, ``flowc run`` and
``mypy --strict`` over the consumer code and the generated package all pass.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent

SETTINGS = {
    # the src layout, found with no setting
    "detected": '[tool.flowc]\nspecs = ["specs/*.toml"]\nout = "src/myapp/generated"\n',
    # and named, as the README shows
    "configured": (
        '[tool.flowc]\npython-path = ["src"]\nspecs = ["specs/*.toml"]\n'
        'out = "src/myapp/generated"\n'
    ),
}

SPEC = """\
[graph]
name = "hello"
description = "Greet someone."

[state.fields]
name = "str"
greeting = "str"

[nodes.greet]
call = "myapp.nodes:greet"
writes = ["greeting"]

[[edges]]
chain = ["START", "greet", "END"]
"""

NODES = """\
from typing import TypedDict


class State(TypedDict, total=False):
    name: str
    greeting: str


class Greeting(TypedDict):
    greeting: str


def greet(state: State) -> Greeting:
    return {"greeting": "hello " + state["name"]}
"""

CONSUMER = """\
from myapp.generated import hello


def greeting(name: str) -> str:
    return hello.invoke({"name": name})["greeting"]


def written(name: str) -> list[str]:
    return [event.node for event in hello.stream({"name": name}, stream_mode="updates")]
"""


def _project(folder: Path, settings: str) -> Path:
    folder.mkdir()
    (folder / "pyproject.toml").write_text(
        '[project]\nname = "myapp"\nversion = "0.1.0"\n\n' + settings
    )
    package = folder / "src" / "myapp"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "nodes.py").write_text(NODES)
    (package / "app.py").write_text(CONSUMER)
    (folder / "specs").mkdir()
    (folder / "specs" / "hello.toml").write_text(SPEC)
    return folder


def _run(folder: Path, *command: str) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH", "NO_COLOR")}
    env["FLOWC_CACHE_DIR"] = str(folder / ".flowc-cache")
    proc = subprocess.run(
        list(command), cwd=folder, env=env, capture_output=True, text=True, timeout=600
    )
    return proc.returncode, proc.stdout, proc.stderr


@pytest.mark.slow
@pytest.mark.parametrize("layout", sorted(SETTINGS))
def test_a_src_layout_project_checks_compiles_runs_and_passes_mypy_strict(
    tmp_path: Path, layout: str, shared_mypy_cache: Path
) -> None:
    project = _project(tmp_path / "myproject", SETTINGS[layout])
    flowc, mypy = str(BIN / "flowc"), str(BIN / "mypy")
    assert _run(project, flowc, "check") == (0, "all good: 1 spec checked\n", "")
    assert _run(project, flowc, "compile") == (
        0,
        "wrote src/myapp/generated/__init__.py\n"
        "wrote src/myapp/generated/hello.py\n"
        "wrote src/myapp/generated/hello_types.py\n"
        "wrote src/myapp/generated/py.typed\n",
        "",
    )
    assert _run(project, flowc, "compile", "--check") == (
        0,
        "up to date: 4 files in src/myapp/generated\n",
        "",
    )
    assert _run(project, flowc, "run", "specs/hello.toml", "--input", '{"name": "ada"}')[:2] == (
        0,
        "updates   greet: {'greeting': 'hello ada'}\n",
    )
    status, out, err = _run(
        project, mypy, "--strict", "--cache-dir", str(shared_mypy_cache), "src/myapp"
    )
    assert (status, err) == (0, ""), out
    assert out == "Success: no issues found in 6 source files\n"
