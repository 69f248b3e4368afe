"""The package keeps the shape of docs/DESIGN's "Layout and layers".

Layers, lowest first: runtime ← dsl ← codegen ← build/api ← langgraph,
integrations ← cli. A lower layer never imports a higher one, not even inside
a function, and nothing below the CLI prints or exits. Every import statement
of every module is read with :mod:`ast` (those inside functions and under
``TYPE_CHECKING`` too), without importing anything.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import flowc

PACKAGE = Path(flowc.__file__).resolve().parent

# (rank, group): a module may import one of a lower rank, or of its own group.
# Groups of one rank are beside each other and do not import each other.
_LAYERS: dict[str, tuple[int, str]] = {
    "runtime": (0, "runtime"),
    # the savers implement the runtime's checkpoint protocol and need nothing else
    "savers": (1, "savers"),
    # the stores implement the runtime's store contract and need nothing else
    "stores": (1, "stores"),
    "dsl": (1, "dsl"),
    "codegen": (2, "codegen"),
    "langgraph": (4, "langgraph"),
    "integrations": (4, "integrations"),
    "cli": (5, "cli"),
    "__main__": (5, "cli"),
}
_API = (3, "api")
"""The package root and its top-level modules (inmemory, cache, draw, schema, reducers)."""

LAYER_NAMES = {0: "runtime", 1: "dsl", 2: "codegen", 3: "build/api", 4: "langgraph", 5: "cli"}

KNOWN: dict[tuple[str, str], str] = {}
"""Violations that exist on purpose for now, each with why it is not fixed here."""


def layer_of(module: str) -> tuple[int, str]:
    """The (rank, group) of a module named ``flowc.<...>``."""
    parts = module.split(".")
    if len(parts) == 1:
        return _API
    return _LAYERS.get(parts[1], _API)


def module_name(path: Path) -> str:
    """``flowc/dsl/checker.py`` → ``flowc.dsl.checker``; a package's ``__init__`` is the package."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _lazy_names() -> dict[str, str]:
    """``from flowc import Graph`` imports ``flowc.dsl``: the root's lazy names and their modules."""
    return dict(vars(flowc)["_LAZY"])


@dataclass(frozen=True)
class Import:
    """One module of flowc that a module imports, and where."""

    importer: str
    target: str
    line: int


def imports_of(source: str, module: str, *, is_package: bool) -> list[Import]:
    """Every flowc module that ``source`` (the text of ``module``) imports, at any depth."""
    found: list[Import] = []
    lazy = _lazy_names()
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("flowc."):
                    found.append(Import(module, alias.name, node.lineno))
            continue
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            target = ".".join([*base, *([node.module] if node.module else [])])
        else:
            target = node.module or ""
        if target == "flowc":
            # the root is loaded before any submodule: only the names it loads lazily count
            for alias in node.names:
                name = lazy.get(alias.name)
                if name is None and (PACKAGE / alias.name).exists():
                    name = f"flowc.{alias.name}"
                if name is None and (PACKAGE / f"{alias.name}.py").exists():
                    name = f"flowc.{alias.name}"
                if name is not None:
                    found.append(Import(module, name, node.lineno))
        elif target.startswith("flowc."):
            found.append(Import(module, target, node.lineno))
    return sorted(found, key=lambda i: i.line)


def violations(found: list[Import]) -> dict[tuple[str, str], int]:
    """The imports of a lower layer's module of a higher layer's (or a neighbour's): line."""
    out: dict[tuple[str, str], int] = {}
    for imp in found:
        (rank, group), (target_rank, target_group) = layer_of(imp.importer), layer_of(imp.target)
        if group == target_group or target_rank < rank:
            continue
        out.setdefault((imp.importer, imp.target), imp.line)
    return out


def package_imports() -> list[Import]:
    """The flowc imports of every module of the installed package."""
    found: list[Import] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        found += imports_of(source, module_name(path), is_package=path.name == "__init__.py")
    return found


def test_no_lower_layer_imports_a_higher_one_except_the_known_cases() -> None:
    found = violations(package_imports())
    unexpected = {
        f"{importer} (line {line}, layer {LAYER_NAMES[layer_of(importer)[0]]}) imports {target}"
        f" (layer {LAYER_NAMES[layer_of(target)[0]]})"
        for (importer, target), line in found.items()
        if (importer, target) not in KNOWN
    }
    assert sorted(unexpected) == []
    # a known case that is fixed comes off the list, so that it cannot come back unseen
    assert sorted(set(KNOWN) - set(found)) == []


def test_an_import_inside_a_function_of_a_lower_layer_is_a_violation() -> None:
    source = "def helper():\n    from flowc.cli import main\n    return main\n"
    found = imports_of(source, "flowc.runtime.helper", is_package=False)
    assert violations(found) == {("flowc.runtime.helper", "flowc.cli"): 2}


def test_relative_and_root_imports_are_resolved_to_the_modules_they_load() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "from . import check\n"
        "from ..codegen import generate\n"
        "if TYPE_CHECKING:\n"
        "    from flowc import Graph, __version__, build\n"
    )
    found = imports_of(source, "flowc.dsl.load", is_package=False)
    assert [(i.target, i.line) for i in found] == [
        ("flowc.dsl", 2),
        ("flowc.codegen", 3),
        ("flowc.graph", 5),
        ("flowc.inmemory", 5),
    ]
    assert violations(found) == {
        ("flowc.dsl.load", "flowc.codegen"): 3,
        ("flowc.dsl.load", "flowc.graph"): 5,
        ("flowc.dsl.load", "flowc.inmemory"): 5,
    }


def test_modules_beside_each_other_do_not_import_each_other() -> None:
    found = imports_of("import flowc.langgraph\n", "flowc.integrations.x", is_package=False)
    assert violations(found) == {("flowc.integrations.x", "flowc.langgraph"): 1}


_EXITS = {("sys", "exit"), ("os", "_exit")}
_STREAMS = {"stdout", "stderr"}


def prints_or_exits(source: str) -> list[tuple[int, str]]:
    """Calls of ``print``, ``exit``, ``sys.exit``, ``os._exit`` and uses of ``sys.stdout``/``stderr``."""
    out: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in ("print", "exit", "quit"):
                out.append((node.lineno, node.func.id))
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            pair = (node.value.id, node.attr)
            if pair in _EXITS or (node.value.id == "sys" and node.attr in _STREAMS):
                out.append((node.lineno, ".".join(pair)))
    return sorted(out)


ASKED_TO_PRINT = frozenset({"flowc.langgraph._printing"})
"""Modules that print because the caller asked them to: the drop-in's ``debug=True`` and
``print_mode=``, which print a run's chunks to stdout by LangGraph's contract."""


def test_nothing_below_the_cli_prints_or_exits() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        if layer_of(module)[1] == "cli" or module in ASKED_TO_PRINT:
            continue
        for line, what in prints_or_exits(path.read_text(encoding="utf-8")):
            found.append(f"{module}:{line}: {what}")
    assert found == []


def test_a_print_or_an_exit_is_found_wherever_it_is() -> None:
    source = (
        '"""print(1) in a docstring is not a call."""\n'
        "import os, sys\n"
        "def f():\n"
        "    print('x')\n"
        "    sys.stderr.write('y')\n"
        "    os._exit(1)\n"
    )
    assert prints_or_exits(source) == [(4, "print"), (5, "sys.stderr"), (6, "os._exit")]


_LIST_EDITS = {"insert", "append", "extend", "remove", "pop", "clear"}


def edits_sys_path(source: str) -> list[int]:
    """Lines that change ``sys.path``: a call of a method that edits it, or an assignment."""
    out: list[int] = []
    for node in ast.walk(ast.parse(source)):
        target = None
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _LIST_EDITS
        ):
            target = node.func.value
        elif isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            target = next((t.value for t in targets if isinstance(t, ast.Subscript)), None)
        if (
            isinstance(target, ast.Attribute)
            and target.attr == "path"
            and isinstance(target.value, ast.Name)
            and target.value.id == "sys"
        ):
            out.append(node.lineno)
    return sorted(out)


def test_only_the_user_code_module_edits_sys_path_below_the_api() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        if layer_of(module)[0] >= _API[0] or module == "flowc.dsl.usercode":
            continue
        found.extend(f"{module}:{line}" for line in edits_sys_path(path.read_text("utf-8")))
    assert found == []
    usercode = (PACKAGE / "dsl" / "usercode.py").read_text(encoding="utf-8")
    assert len(edits_sys_path(usercode)) == 3


def test_a_sys_path_edit_is_found_in_any_form() -> None:
    source = (
        "import sys\n"
        "sys.path.insert(0, 'a')\n"
        "sys.path[:0] = ['b']\n"
        "sys.path.remove('a')\n"
        "print(sys.path.index('b'))\n"
        "x = sys.path\n"
    )
    # reading it (`index`, another name for it) is no edit
    assert edits_sys_path(source) == [2, 3, 4]


_IMPORT_EVERY_MODULE = """
import importlib, json, pkgutil, sys, types
import flowc
out = {"failed": [], "hidden": []}
for info in pkgutil.walk_packages(flowc.__path__, "flowc."):
    try:
        importlib.import_module(info.name)
    except ModuleNotFoundError as exc:
        if (exc.name or "").startswith("flowc"):
            out["failed"].append(f"{info.name}: {exc}")
        continue  # an extra that is not installed
    except Exception as exc:
        out["failed"].append(f"{info.name}: {type(exc).__name__}: {exc}")
        continue
    parent, _, leaf = info.name.rpartition(".")
    bound = vars(sys.modules[parent]).get(leaf)
    if bound is not None and not isinstance(bound, types.ModuleType):
        out["hidden"].append(f"{info.name} (by a {type(bound).__name__})")
print(json.dumps(out))
"""


def test_every_module_imports_in_a_fresh_interpreter_and_no_package_name_hides_a_module() -> None:
    # `flowc.dsl.check` was once both the checker's module and the function `check`, which
    # hid it: `flowc.dsl.check.passes` failed and `import flowc.dsl.check as m` gave a function
    import json
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_EVERY_MODULE],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert json.loads(done.stdout) == {"failed": [], "hidden": []}
