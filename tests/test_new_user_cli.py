"""A new user's project works with the ``flowc`` command as the docs say, with no PYTHONPATH.

Each test builds a small project in a temporary folder and runs the installed
``flowc`` executable there, with ``PYTHONPATH`` unset, as a user's shell would.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from langchain_core.messages import AIMessageChunk

from flowc.cli.run import Pretty
from flowc.runtime import MessagesEvent

from .cli_support import FLOWC, ROOT

HELLO = """\
[graph]
name = "hello"

[state.fields]
name = "str"
greeting = "str"

[nodes.greet]
call = "{module}:greet"

[[edges]]
chain = ["START", "greet", "END"]
"""

NODES = """\
from typing import TypedDict


class State(TypedDict, total=False):
    name: str
    greeting: str


def greet(state: State) -> State:
    return {"greeting": "hello " + state["name"]}
"""

DECORATED = """\
from typing import TypedDict

from flowc import END, START, Graph


class Loud(TypedDict, total=False):
    text: str


def upper(state: Loud) -> Loud:
    return {"text": state["text"].upper()}


shout = Graph("shout", Loud)
shout.node(upper)
shout.sequence(START, "upper", END)
"""


def run(folder: Path, *args: str, command: list[str] | None = None) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NO_COLOR")}
    env["FLOWC_CACHE_DIR"] = str(folder / ".cache")
    proc = subprocess.run(
        [*(command or FLOWC), *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return proc.returncode, proc.stdout, proc.stderr


def _src_project(
    folder: Path, pyproject: str = '[project]\nname = "myapp"\nversion = "0"\n'
) -> Path:
    (folder / "pyproject.toml").write_text(pyproject)
    package = folder / "src" / "myapp"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "nodes.py").write_text(NODES)
    (folder / "specs").mkdir()
    (folder / "specs" / "hello.toml").write_text(HELLO.format(module="myapp.nodes"))
    return folder


def test_a_src_layout_project_checks_compiles_and_runs_without_pythonpath(tmp_path: Path) -> None:
    project = _src_project(tmp_path)
    assert run(project, "check", "specs/hello.toml") == (0, "all good: 1 spec checked\n", "")
    status, out, err = run(project, "compile", "specs/hello.toml", "-o", "src/myapp/generated")
    assert (status, err) == (0, ""), err
    assert (project / "src" / "myapp" / "generated" / "py.typed").read_text() == ""
    status, out, err = run(project, "run", "specs/hello.toml", "--input", '{"name": "ada"}')
    assert (status, out) == (0, "updates   greet: {'greeting': 'hello ada'}\n"), err


def test_tool_flowc_python_path_names_the_folders_modules_come_from(tmp_path: Path) -> None:
    project = tmp_path
    (project / "pyproject.toml").write_text('[tool.flowc]\npython-path = ["lib"]\n')
    (project / "lib").mkdir()
    (project / "lib" / "hello_nodes.py").write_text(NODES)
    (project / "specs").mkdir()
    (project / "specs" / "hello.toml").write_text(HELLO.format(module="hello_nodes"))
    (project / "lib" / "graphs.py").write_text(DECORATED)
    assert run(project, "check", "specs/hello.toml", "graphs:shout") == (
        0,
        "all good: 2 specs checked\n",
        "",
    )
    (project / "pyproject.toml").write_text('[tool.flowc]\npython-path = "lib"\n')
    assert run(project, "check", "specs/hello.toml") == (
        2,
        "",
        f"flowc: error: {project / 'pyproject.toml'}: [tool.flowc] python-path must be a list "
        'of folders, e.g. python-path = ["src"]\n',
    )
    (project / "pyproject.toml").write_text('[tool.flowc]\npython-path = ["lbi"]\n')
    assert run(project, "check", "specs/hello.toml") == (
        2,
        "",
        f"flowc: error: {project / 'pyproject.toml'}: [tool.flowc] python-path: `lbi` is not "
        "a folder\n",
    )


def test_compile_warns_when_the_package_cannot_import_a_node_module_beside_its_spec(
    tmp_path: Path,
) -> None:
    project = tmp_path
    (project / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "0"\n')
    (project / "specs").mkdir()
    (project / "specs" / "hello.toml").write_text(HELLO.format(module="hello_nodes"))
    (project / "specs" / "hello_nodes.py").write_text(NODES)
    status, out, err = run(project, "compile", "specs/hello.toml", "-o", "gen")
    assert status == 0
    assert out.splitlines() == [
        "wrote gen/__init__.py",
        "wrote gen/hello.py",
        "wrote gen/hello_types.py",
        "wrote gen/py.typed",
    ]
    assert err == (
        "specs/hello.toml:9:8: warning[W001]: `hello_nodes` is imported from the spec's folder "
        "(specs), which programs importing the compiled package do not have on their path: "
        "they will fail with `No module named 'hello_nodes'`\n"
        "  |\n"
        '9 | call = "hello_nodes:greet"\n'
        "  |        ^^^^^^^^^^^^^^^^^^^\n"
        "  = hint: make it importable from the project (a package of yours, or a folder named "
        'in [tool.flowc] python-path = ["..."] of pyproject.toml and on your program\'s path)\n'
    )
    # what the warning foretells
    status, _, err = run(project, "-c", "import gen.hello", command=[sys.executable])
    assert status == 1 and "No module named 'hello_nodes'" in err
    # a node module beside a spec at the project's root is found from there: no warning
    (project / "hello.toml").write_text(HELLO.format(module="hello_nodes"))
    (project / "hello_nodes.py").write_text(NODES)
    status, _, err = run(project, "compile", "hello.toml", "-o", "gen2")
    assert (status, err) == (0, "")


def test_the_order_of_targets_does_not_matter(tmp_path: Path) -> None:
    project = tmp_path
    (project / "specs").mkdir()
    (project / "specs" / "hello.toml").write_text(HELLO.format(module="hello_nodes"))
    (project / "specs" / "hello_nodes.py").write_text(NODES + "\n" + DECORATED)
    forward = run(project, "check", "specs/hello.toml", "hello_nodes:shout")
    backward = run(project, "check", "hello_nodes:shout", "specs/hello.toml")
    # the module is beside the spec, not on the path: found for the spec's nodes only
    message = "error[E000]: cannot import `hello_nodes`: no module named `hello_nodes`\n"
    assert forward == backward == (1, "", message + "\nfound 1 error\n"), (forward, backward)
    (project / "pyproject.toml").write_text('[tool.flowc]\npython-path = ["specs"]\n')
    forward = run(project, "check", "specs/hello.toml", "hello_nodes:shout")
    backward = run(project, "check", "hello_nodes:shout", "specs/hello.toml")
    assert forward == backward == (0, "all good: 2 specs checked\n", "")


def test_the_docs_two_targets_pass_in_either_order_from_the_repository_root() -> None:
    for targets in (
        ("specs/joke.toml", "flowc_demo.joke_graph:graph"),
        ("flowc_demo.joke_graph:graph", "specs/joke.toml"),
    ):
        assert run(ROOT, "check", *targets) == (0, "all good: 2 specs checked\n", "")


def test_version_and_python_m_flowc(tmp_path: Path) -> None:
    from flowc import __version__

    assert run(tmp_path, "--version") == (0, f"flowc {__version__}\n", "")
    assert run(tmp_path, "-m", "flowc", "--version", command=[sys.executable]) == (
        0,
        f"flowc {__version__}\n",
        "",
    )


def test_a_graph_in_a_python_file_is_named_by_its_path(tmp_path: Path) -> None:
    project = tmp_path
    (project / "app").mkdir()
    (project / "app" / "graphs.py").write_text(DECORATED)
    assert run(project, "check", "app/graphs.py:shout") == (0, "all good: 1 spec checked\n", "")
    status, out, err = run(project, "run", "app/graphs.py:shout", "--input", '{"text": "hi"}')
    assert (status, out) == (0, "updates   upper: {'text': 'HI'}\n"), err
    assert run(project, "check", "app/nope.py:shout") == (
        1,
        "",
        "error[E000]: no such file: app/nope.py\n\nfound 1 error\n",
    )


def test_stream_mode_checkpoints_says_durable_runs_are_not_available(tmp_path: Path) -> None:
    project = _src_project(tmp_path)
    args = ("run", "specs/hello.toml", "--input", '{"name": "ada"}', "--stream-mode")
    assert run(project, *args, "checkpoints") == (
        2,
        "",
        "flowc: error: --stream-mode checkpoints: checkpoint events come from durable runs "
        "(a checkpointer saving the state after each step), which flowc does not have yet\n",
    )


def test_run_help_names_every_config_key(tmp_path: Path) -> None:
    status, out, _ = run(tmp_path, "run", "--help")
    assert status == 0
    text = " ".join(out.split())
    assert "recursion_limit, tags, metadata, configurable, run_id" in text


def test_tool_call_tokens_show_the_call_as_it_streams() -> None:
    out = io.StringIO()
    pretty = Pretty(out, color=False)
    meta = {"langgraph_node": "call_model"}
    pieces = [
        {"name": "search", "args": '{"q": ', "id": "call-1", "index": 0},
        {"name": None, "args": '"weather"}', "id": None, "index": 0},
    ]
    for piece in pieces:
        chunk = AIMessageChunk(content="", id="run-1", tool_call_chunks=[piece])  # type: ignore[list-item]
        pretty.event(MessagesEvent(chunk, meta))  # type: ignore[arg-type]
    pretty.close_line()
    assert out.getvalue() == 'messages  call_model: [tool call search] {"q": "weather"}\n'


def test_compile_names_a_spec_as_typed_from_another_folder(tmp_path: Path) -> None:
    project = _src_project(tmp_path)
    spec = project / "specs" / "hello.toml"
    spec.write_text(spec.read_text().replace("myapp.nodes:greet", "myapp.nodes:gret"))
    (project / "elsewhere").mkdir()
    status, out, err = run(project / "elsewhere", "compile", "../specs/hello.toml", "-o", "gen")
    assert (status, out) == (1, "")
    assert err.startswith(
        "../specs/hello.toml:9:8: error[E301]: node `greet`: module `myapp.nodes` has no "
        "attribute `gret`\n"
    ), err
