"""Regenerate the golden files: every spec under ``specs/`` compiled into ``tests/golden/``.

Run it as ``make golden`` (or ``python scripts/regen_golden.py``). Specs are
discovered, not listed: every ``*.toml`` under ``specs/``, and every
module-level :class:`flowc.Graph` of the Python modules under ``specs/``. The
generated modules of all specs (subgraphs included, next to their parents) go
side by side into the one package ``tests/golden``; modules that no spec makes
any more are removed. ``--check`` writes nothing and exits 1 when the folder is
out of date.

``tests/test_golden.py`` imports :func:`golden_files` from here, so the test
and the command agree on what the folder must hold.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECS = "specs"
GOLDEN = Path("tests", "golden")
COMMAND = "make golden"
"""The one documented way to regenerate the golden files."""


class GoldenError(Exception):
    """A spec does not compile, or two specs make different modules of the same name."""


@contextmanager
def project_root(root: Path) -> Iterator[None]:
    """Work from ``root`` with its specs importable, as the test suite does.

    Spec paths are given relative to ``root``, so banners name ``specs/x.toml``
    on every machine.
    """
    cwd = os.getcwd()
    added = [p for p in (str(root / SPECS), str(root)) if p not in sys.path]
    sys.path[:0] = added
    os.chdir(root)
    try:
        yield
    finally:
        os.chdir(cwd)
        for path in added:
            sys.path.remove(path)


def discover(root: Path) -> list[str]:
    """Every spec under ``root/specs``: TOML paths, then ``module:attribute`` targets."""
    from flowc.dsl.decorators import Graph

    specs = root / SPECS
    targets = sorted(p.relative_to(root).as_posix() for p in specs.rglob("*.toml"))
    modules = sorted(
        ".".join(p.relative_to(specs).with_suffix("").parts).removesuffix(".__init__")
        for p in specs.rglob("*.py")
        if "__pycache__" not in p.parts
    )
    seen: set[int] = set()
    # a decorator twin of a TOML spec (the same GraphSpec) makes the same modules
    twins = [spec for t in targets if (spec := _toml_spec(root / t)) is not None]
    for name in modules:
        module = importlib.import_module(name)
        for attr, value in sorted(vars(module).items()):
            if isinstance(value, Graph) and id(value) not in seen and _defined_in(value, module):
                seen.add(id(value))
                if value.spec() not in twins:
                    targets.append(f"{name}:{attr}")
    return targets


def _toml_spec(path: Path) -> object:
    from flowc.dsl.toml_loader import load_toml

    return load_toml(path.read_text(encoding="utf-8"), path.as_posix()).spec


def _defined_in(graph: object, module: object) -> bool:
    """The graph was declared in ``module`` (not imported into it from another)."""
    file = getattr(graph, "file", None)
    return file is None or file == getattr(module, "__file__", None)


def golden_files(root: Path = ROOT) -> dict[str, str]:
    """File name → text of everything ``tests/golden/`` must hold."""
    from flowc.codegen import TemplateError, render_graph, validate
    from flowc.codegen.write import PACKAGE_MARKER
    from flowc.dsl.diagnostics import render_all
    from flowc.dsl.load import check_target

    with project_root(root):
        rendered = []
        origin: dict[str, str] = {}
        for target in discover(root):
            result = check_target(target)
            if result.graph is None:
                report = render_all(result.diagnostics, result.source_map.texts, color=False)
                raise GoldenError(f"{target} does not check:\n{report}")
            for file in render_graph(result.graph):
                origin.setdefault(file.name, target)
                rendered.append(file)
        try:
            formatted = validate(rendered)
        except TemplateError as exc:
            raise GoldenError(str(exc)) from None
        files: dict[str, str] = {"__init__.py": PACKAGE_MARKER}
        for file in formatted:
            if files.setdefault(file.name, file.text) != file.text:
                raise GoldenError(
                    f"{origin[file.name]} and another spec both make {file.name}, differently; "
                    "give one of the graphs another name"
                )
    return dict(sorted(files.items()))


def stale(root: Path, files: dict[str, str]) -> list[str]:
    """Golden files that differ from ``files``, are missing, or should not be there."""
    folder = root / GOLDEN
    present = {p.name for p in folder.glob("*.py")} if folder.is_dir() else set()
    out = []
    for name in sorted(present | set(files)):
        path = folder / name
        text = path.read_text(encoding="utf-8") if path.is_file() else None
        if text != files.get(name):
            out.append(name)
    return out


def write(root: Path, files: dict[str, str]) -> list[str]:
    """Bring ``tests/golden/`` up to date (atomically per file); returns what changed."""
    from flowc.codegen.write import BANNER_PREFIX, PACKAGE_MARKER, atomic_write

    folder = root / GOLDEN
    changed = stale(root, files)
    for name in changed:
        path = folder / name
        if name in files:
            atomic_write(path, files[name])
            continue
        text = path.read_text(encoding="utf-8")
        if not (text.startswith(BANNER_PREFIX) or text == PACKAGE_MARKER):
            raise GoldenError(f"{path} was not generated by flowc; remove it by hand")
        path.unlink()
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    """``python scripts/regen_golden.py [--check]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    try:
        files = golden_files(ROOT)
        if args.check:
            names = stale(ROOT, files)
            for name in names:
                print(f"stale: {GOLDEN / name}", file=sys.stderr)
            if names:
                print(f"run `{COMMAND}` to regenerate", file=sys.stderr)
                return 1
            print(f"{GOLDEN}: {len(files)} files up to date")
            return 0
        changed = write(ROOT, files)
    except GoldenError as exc:
        print(f"regen_golden: error: {exc}", file=sys.stderr)
        return 1
    for name in changed:
        print(f"{'wrote' if name in files else 'removed'} {GOLDEN / name}")
    print(f"{GOLDEN}: {len(files)} files from {SPECS}/, {len(changed)} changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
