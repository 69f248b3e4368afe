"""The run cache's key: the checked graph's content, the same in every process.

``flowc run`` and ``flowc.build(cache=True)`` reuse a generated runner package
when the key of the checked graph is the one it was stored under
(:func:`flowc.cache.cache_key`: the view models the templates render, as
:func:`flowc.codegen.canonical.canonical_json`). Equal specs must hit, also
from another process, where every object has another address; any change to
what the generated code is made from must miss.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from flowc.cache import cache_key
from flowc.codegen.canonical import canonical_json
from flowc.codegen.view import tree_views
from flowc.dsl.load import check_target

NODES = """\
from dataclasses import dataclass, field


@dataclass
class State:
    topic: str
    items: list[str] = field(default_factory=list)


def work(state: State) -> dict[str, str]:
    return {"topic": state.topic}


def route(state: State) -> str:
    return "__end__"
"""

SPEC = """\
[graph]
name = "keyed"

[state]
class = "{module}:State"

[nodes.work]
call = "{module}:work"

[[edges]]
chain = ["START", "work", "END"]
"""


@pytest.fixture
def project(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A spec folder with its own node module (a name no other test uses)."""
    module = f"keyed_nodes_{tmp_path.name.replace('-', '_')}"
    yield tmp_path, module
    for name in [m for m in sys.modules if m == module]:
        del sys.modules[name]


def key_of(folder: Path, module: str, nodes: str = NODES, spec: str = SPEC) -> str:
    """Write the module and the spec, check them afresh and give the graph's key."""
    (folder / f"{module}.py").write_text(nodes, encoding="utf-8")
    (folder / "keyed.toml").write_text(spec.format(module=module), encoding="utf-8")
    sys.modules.pop(module, None)  # new function and class objects, at new addresses
    result = check_target(str(folder / "keyed.toml"))
    assert result.graph is not None, result.diagnostics
    return cache_key(result.graph)


def test_the_same_spec_checked_twice_has_the_same_key(project: tuple[Path, str]) -> None:
    folder, module = project
    first = key_of(folder, module)
    assert key_of(folder, module) == first
    assert len(first) == 24


def test_the_same_spec_checked_in_another_process_has_the_same_key(
    project: tuple[Path, str],
) -> None:
    folder, module = project
    here = key_of(folder, module)
    code = (
        "import sys; from flowc.cache import cache_key; from flowc.dsl.load import check_target; "
        "print(cache_key(check_target(sys.argv[1]).graph))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder / "keyed.toml")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == here


CHANGES = {
    # the dataclass's required input changes the generated code, not any name or type
    "a field loses its default factory": (
        "items: list[str] = field(default_factory=list)",
        "items: list[str]",
        None,
    ),
    "a field's type": ("topic: str", "topic: int", None),
    # the generator reads the body (a node that calls what it cannot see through may stream)
    "a node's body": (
        'return {"topic": state.topic}',
        'return {"topic": state.topic, **getattr(state, "extra")()}',
        None,
    ),
    "a node that takes the config": (
        "work(state: State)",
        "work(state: State, config: object)",
        None,
    ),
    "the graph's description": (
        None,
        None,
        ('name = "keyed"', 'name = "keyed"\ndescription = "d"'),
    ),
    "the recursion limit": (None, None, ('name = "keyed"', 'name = "keyed"\nrecursion_limit = 5')),
    "a router": (
        None,
        None,
        (
            'chain = ["START", "work", "END"]',
            'chain = ["START", "work"]\n'
            '[[branches]]\nfrom = "work"\nrouter = "{module}:route"\ntargets = ["END"]',
        ),
    ),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_any_change_to_the_graph_changes_the_key(project: tuple[Path, str], change: str) -> None:
    folder, module = project
    before = key_of(folder, module)
    old, new, spec_edit = CHANGES[change]
    nodes = NODES if old is None else NODES.replace(old, new or "")
    spec = SPEC if spec_edit is None else SPEC.replace(*spec_edit)
    assert nodes != NODES or spec != SPEC
    assert key_of(folder, module, nodes, spec) != before


def test_the_key_is_over_plain_data_with_no_address_in_it(project: tuple[Path, str]) -> None:
    folder, module = project
    key_of(folder, module)
    graph = check_target(str(folder / "keyed.toml")).graph
    assert graph is not None
    text = canonical_json(tree_views(graph))
    assert " at 0x" not in text
    # the dataclass field without a default is what a run must be given
    assert '"required_input":"(\'topic\',)"' in text


def test_a_view_holding_an_object_is_refused_not_keyed_by_its_address() -> None:
    @dataclass(frozen=True)
    class View:
        name: str
        thing: object

    assert (
        canonical_json(View("a", ("b", 1, None))) == '{"":"View","name":"a","thing":["b",1,null]}'
    )
    with pytest.raises(TypeError, match="a view holds only plain data, not function"):
        canonical_json(View("a", lambda: None))


def test_a_change_that_generates_the_same_modules_keeps_the_key(
    project: tuple[Path, str],
) -> None:
    from flowc.codegen import generate

    folder, module = project

    def key_and_files(nodes: str) -> tuple[str, list[tuple[str, str]]]:
        key = key_of(folder, module, nodes)
        graph = check_target(str(folder / "keyed.toml")).graph
        assert graph is not None
        return key, [(f.name, f.text) for f in generate(graph)]

    before = key_and_files(NODES)
    # the return type is a plain dict either way: the generated modules do not change
    after = key_and_files(NODES.replace("-> dict[str, str]:", "-> dict[str, object]:"))
    assert after == before
