"""``flowc check`` on any input: it exits 0 or 1 and never raises or prints a traceback.

Inputs are random bytes, random text, TOML assembled from the spec format's
own keys with random values, and mutations of the real specs (of ``specs/``
and of the bad specs). Checking imports the modules a spec names; while these
tests run, a module that is not imported already cannot be imported (it looks
missing), so random names never run anyone's code.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import io
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowc.cli import main

from .conftest import ROOT, SPECS

ERRORS = ROOT / "tests" / "specs_with_errors"
SEEDS = sorted(
    [*SPECS.glob("*.toml"), *ERRORS.glob("*.toml"), *(ERRORS / "children").glob("*.toml")]
)
SEED_TEXTS = [p.read_bytes() for p in SEEDS]
ALLOWED = {"errnodes", "decostate", "flowc_demo"}
"""Modules the specs' references may import even if nothing imported them yet."""

FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


class _OnlyKnownModules(importlib.abc.MetaPathFinder):
    """Make every module that is not imported yet look missing (except the specs' own)."""

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: object = None) -> None:
        top = fullname.partition(".")[0]
        if top not in sys.modules and top not in ALLOWED:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where fuzzed specs are written: with the bad specs' children, so subgraph paths resolve."""
    path = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(ERRORS / "children", path / "children")
    return path


@pytest.fixture(scope="module")
def guarded() -> Iterator[None]:
    # the bad specs' node modules are importable from anywhere while fuzzing
    sys.path[:0] = [str(ERRORS), str(SPECS)]
    # warm up: everything a clean check imports is imported before the guard goes up
    for spec in SEEDS:
        _check_file(spec)
    finder = _OnlyKnownModules()
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
        for folder in (str(ERRORS), str(SPECS)):
            sys.path.remove(folder)


def _check_file(path: Path, *extra: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", "--color", "never", *extra, str(path)])
    return code, out.getvalue() + err.getvalue()


def _check_bytes(data: bytes, folder: Path, *extra: str) -> tuple[int, str]:
    path = folder / "fuzzed.toml"
    path.write_bytes(data)
    return _check_file(path, *extra)


def _assert_clean_exit(code: int, output: str) -> None:
    assert code in (0, 1), output
    assert "Traceback" not in output, output


# -- strategies -----------------------------------------------------------------------

_NAMES = st.sampled_from(
    [
        "a",
        "b",
        "refine",
        "START",
        "END",
        "__start__",
        "class",
        "my-node",
        "",
        "ok",
        "topic",
        "x" * 40,
    ]
)
_REFS = st.sampled_from(
    [
        "errnodes:ok",
        "errnodes:count",
        "errnodes:route_ab",
        "errnodes:route_end",
        "errnodes:typo_keys",
        "errnodes:reducer_one_arg",
        "errnodes:NOT_CALLABLE",
        "errnodes:State",
        "errnodes.ok",
        "flowc_demo.joke:refine_topic",
        "flowc_demo.loop:keep_going",
        "no_such_module:x",
        "operator:add",
        ":",
        "a:b:c",
    ]
)
_TYPES = st.sampled_from(
    [
        "str",
        "int",
        "list[str]",
        "dict[str, Any]",
        "Literal['a', 1]",
        "str | None",
        "list[",
        "os.path",
        "1 + 1",
        "",
        "os.sep",
        "sys.maxsize",
        "this.s",
        "list[os.sep, int]",
        " | ".join(["int"] * 3000),
        "|".join(["int"] * 100),
    ]
)
_SCALARS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.booleans().map(lambda b: "true" if b else "false"),
    st.floats(allow_nan=False).map(repr).filter(lambda s: "inf" not in s),
    st.sampled_from(["inf", "-inf", "+inf", "nan", "-nan", "9" * 5000, "[" * 3000 + "]" * 3000]),
    st.text(max_size=12).map(
        lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    ),
    _NAMES.map(lambda s: f'"{s}"'),
    _REFS.map(lambda s: f'"{s}"'),
    _TYPES.map(lambda s: f'"{s}"'),
    st.just("1979-05-27T07:32:00Z"),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.dictionaries(
            st.sampled_from(["type", "reducer", "default", "from", "to", "x"]), inner, max_size=3
        ).map(lambda d: "{ " + ", ".join(f"{k} = {v}" for k, v in d.items()) + " }"),
    ),
    max_leaves=6,
)
_KEYS = st.sampled_from(
    [
        "name", "description", "recursion_limit", "custom_type", "class", "kind", "call", "subgraph",
        "tags", "metadata", "writer", "writes", "from", "to", "chain", "router", "targets", "path_map",
        "type", "default", "reducer", "topic", "count", "log", "nmae", '"quoted key"',
    ]
)  # fmt: skip
_HEADERS = st.sampled_from(
    ["[graph]", "[state]", "[state.fields]", "[nodes.a]", "[nodes.b]", "[nodes.END]", "[[edges]]", "[[branches]]",
     "[nodes]", "[state.fields.topic]", "[grahp]", "[[nodes]]"]
)  # fmt: skip


def _key(name: str) -> str:
    return name if name and all(c.isalnum() or c in "_-" for c in name) else f'"{name}"'


@st.composite
def spec_like_toml(draw: st.DrawFn) -> bytes:
    """A spec built from the format's own tables and keys, with names, references and values
    drawn from plausible and implausible ones, so that most inputs get past the TOML parser."""
    maybe = st.one_of(st.none(), _VALUES)
    sections = [
        f"[graph]\nname = {draw(st.one_of(_NAMES.map(lambda n: f'{n!r}'.replace(chr(39), chr(34))), _VALUES))}"
    ]
    fields = draw(
        st.dictionaries(
            st.sampled_from(["topic", "count", "log", "class", "x y"]),
            _VALUES | _TYPES.map(lambda t: f'"{t}"'),
            max_size=3,
        )
    )
    sections.append("[state.fields]\n" + "\n".join(f"{_key(k)} = {v}" for k, v in fields.items()))
    for name in draw(st.lists(_NAMES, unique=True, max_size=4)):
        lines = [f"[nodes.{_key(name)}]", f'call = "{draw(_REFS)}"']
        for key in draw(
            st.lists(
                st.sampled_from(["writes", "writer", "tags", "subgraph", "cal"]),
                unique=True,
                max_size=2,
            )
        ):
            lines.append(f"{key} = {draw(_VALUES)}")
        sections.append("\n".join(lines))
    for _ in range(draw(st.integers(0, 4))):
        if draw(st.booleans()):
            chain = draw(st.lists(_NAMES, max_size=4))
            sections.append("[[edges]]\nchain = [" + ", ".join(f'"{n}"' for n in chain) + "]")
        else:
            src = draw(
                st.one_of(
                    _NAMES.map(lambda n: f'"{n}"'),
                    st.lists(_NAMES, max_size=3).map(
                        lambda xs: "[" + ", ".join(f'"{x}"' for x in xs) + "]"
                    ),
                )
            )
            sections.append(f'[[edges]]\nfrom = {src}\nto = "{draw(_NAMES)}"')
    for _ in range(draw(st.integers(0, 2))):
        lines = ["[[branches]]", f'from = "{draw(_NAMES)}"', f'router = "{draw(_REFS)}"']
        extra = draw(maybe)
        if extra is not None:
            lines.append(f"{draw(st.sampled_from(['targets', 'path_map', 'x']))} = {extra}")
        sections.append("\n".join(lines))
    return "\n\n".join(sections).encode()


@st.composite
def mutated_spec(draw: st.DrawFn) -> bytes:
    """A real spec with a few bytes, lines or tokens changed."""
    data = bytearray(draw(st.sampled_from(SEED_TEXTS)))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(
            st.sampled_from(["delete", "insert", "replace", "line", "swap", "truncate", "token"])
        )
        at = draw(st.integers(0, len(data)))
        if kind == "delete":
            del data[at : at + draw(st.integers(1, 20))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "replace" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif kind == "token":
            token = draw(
                st.sampled_from(
                    ['"', "'", "[", "]", "{", "}", "=", ",", "\n", "#", ".", "START", "END", "\\"]
                )
            )
            data[at:at] = token.encode()
        elif kind in ("line", "swap"):
            lines = bytes(data).split(b"\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            if kind == "line":
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
        elif kind == "truncate":
            del data[at:]
    return bytes(data)


# -- properties -----------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=300))
def test_random_bytes(data: bytes, guarded: None, folder: Path) -> None:
    _assert_clean_exit(*_check_bytes(data, folder))


@FUZZ
@given(text=st.text(max_size=300))
def test_random_text(text: str, guarded: None, folder: Path) -> None:
    _assert_clean_exit(*_check_bytes(text.encode("utf-8", "surrogatepass"), folder))


@FUZZ
@given(data=spec_like_toml())
def test_spec_shaped_toml(data: bytes, guarded: None, folder: Path) -> None:
    _assert_clean_exit(*_check_bytes(data, folder))
    _assert_clean_exit(*_check_bytes(data, folder, "--format", "json"))


@settings(FUZZ, max_examples=250)
@given(data=mutated_spec())
def test_mutated_real_specs(data: bytes, guarded: None, folder: Path) -> None:
    _assert_clean_exit(*_check_bytes(data, folder))


@settings(FUZZ, max_examples=4)
@given(data=st.one_of(st.binary(max_size=200), mutated_spec()))
def test_the_console_script_on_fuzzed_files(
    data: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "fuzzed.toml"
    path.write_bytes(data)
    flowc = Path(sys.executable).with_name("flowc")
    done = subprocess.run(
        [str(flowc), "check", "--color", "never", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    _assert_clean_exit(done.returncode, done.stdout + done.stderr)


# -- the decorator DSL ------------------------------------------------------------------

_BUILDER_METHODS = [
    "add_node", "add_edge", "add_conditional_edges", "sequence", "set_entry_point",
    "set_finish_point", "node", "router", "add_sequence", "subgraph", "set_conditional_entry_point",
]  # fmt: skip


@st.composite
def builder_calls(draw: st.DrawFn) -> list[tuple[str, list[object]]]:
    """Calls on a Graph builder with arguments of every kind, right and wrong."""
    import decostate
    import errnodes

    things = st.one_of(
        st.none(),
        st.integers(),
        st.text(max_size=5),
        _NAMES,
        st.lists(_NAMES, max_size=3),
        st.dictionaries(st.sampled_from(["x", "y"]), _NAMES, max_size=2),
        st.sampled_from(
            [
                errnodes.ok,
                errnodes.count,
                errnodes.route_ab,
                errnodes.NOT_CALLABLE,
                decostate.State,
                3.5,
            ]
        ),
    )
    return draw(
        st.lists(
            st.tuples(st.sampled_from(_BUILDER_METHODS), st.lists(things, max_size=3)), max_size=6
        )
    )


@FUZZ
@given(calls=builder_calls())
def test_decorator_builder_mistakes_are_diagnostics(
    calls: list[tuple[str, list[object]]], guarded: None
) -> None:
    import decostate
    import errnodes

    from flowc import Graph
    from flowc.dsl.load import check_graph

    graph = Graph("fuzz", decostate.State)
    for method, args in calls:
        try:
            result = getattr(graph, method)(*args)
        except TypeError as exc:
            # a call Python itself refuses (too many arguments) never reaches the builder
            assert "argument" in str(exc), exc
            continue
        if (
            getattr(result, "__name__", "") == "register"
        ):  # `@graph.node(...)` / `@graph.router(...)`
            result(errnodes.ok)
    result = check_graph(graph)
    assert all(d.code.startswith("E") for d in result.diagnostics)
