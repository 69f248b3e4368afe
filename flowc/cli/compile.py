"""``flowc compile``: generate runner modules (``--check``: only report the stale ones)."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from flowc.cli._output import UsageError, add_color, color, error, internal_error, print_diagnostics
from flowc.cli._project import configured_specs, project, shown, spec_base, working_dir
from flowc.dsl.diagnostics import Diagnostic, Severity, SourceMap, Span, render
from flowc.dsl.graph import CheckedGraph
from flowc.dsl.load import (
    check_target,
    importable,
    is_toml_target,
    spec_folder_modules_forgotten,
)

if TYPE_CHECKING:
    from flowc.codegen.write import Planned

__all__ = ["add_parser", "cmd_compile"]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``compile`` subcommand and its options."""
    p = sub.add_parser("compile", help="generate runner modules")
    p.add_argument("targets", nargs="*", metavar="SPEC")
    p.add_argument("-o", "--out", help="output folder (a package; default: [tool.flowc] out)")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if files are stale")
    p.add_argument(
        "--force",
        action="store_true",
        help="overwrite files flowc did not generate; regenerate current ones too",
    )
    add_color(p, "auto")
    p.set_defaults(func=cmd_compile)


def cmd_compile(args: argparse.Namespace) -> int:
    """Generate runner modules (``--check``: only report the stale ones).

    Specs named in ``[tool.flowc]`` are compiled from the folder of that
    ``pyproject.toml``, so their banners and the default ``out`` folder do not
    depend on where the command runs; a TOML spec given on the command line is
    compiled from the nearest folder above it that holds a ``pyproject.toml``.
    ``compile`` and ``compile --check`` decide what is current in the same way
    (:mod:`flowc.codegen.fresh`): ``--check`` exits 1 exactly when ``compile``
    would write something.
    """
    from flowc.codegen import TemplateError, WriteError, fresh, generate, plan, write_files
    from flowc.codegen.write import Planned

    start = Path.cwd()
    root, config = project()
    if args.targets:
        targets = [spec_base(t, start) for t in args.targets]
    elif root is None:
        raise UsageError("no spec given (and no pyproject.toml with a [tool.flowc] table)")
    else:
        targets = [(t, root) for t in configured_specs(root, config)]
    out_setting = config.get("out")
    if args.out:
        out = start / args.out
    elif isinstance(out_setting, str) and root is not None:
        out = root / out_setting
    else:
        out = start / "flowc_generated"
    out = Path(os.path.abspath(out))
    status = 0
    planned: dict[Path, Planned] = {}
    made_by: dict[Path, str] = {}
    current: dict[Path, str] = {}
    records: list[tuple[str, dict[str, str], list[Path]]] = []
    for target, base in targets:
        key = fresh.spec_key(target, base)
        found = None if args.force or not is_toml_target(target) else fresh.current(key, out)
        if found is not None:
            # its modules and all they were made from are as recorded: not checked nor rendered
            current.update((path, target) for path in found)
            continue
        with working_dir(base), spec_folder_modules_forgotten():
            result = check_target(target)
            if result.graph is None:
                diags, texts = _as_seen_from(result.diagnostics, result.source_map.texts, start)
                print_diagnostics(diags, texts, args.color)
                status = 1
                continue
            try:
                files = generate(result.graph)
            except TemplateError as exc:
                internal_error(str(exc))
                return 3
            spec_files = [g.origin for g in result.graph.tree()]
            inputs = fresh.sources(o for o in spec_files if is_toml_target(o))
            painted = color(args.color, sys.stderr)
            warnings, texts = _as_seen_from(
                _unimportable(result.graph, result.source_map, base),
                result.source_map.texts,
                start,
            )
            for warning in warnings:
                print(render(warning, texts, color=painted), file=sys.stderr)
        mine: list[Path] = []
        for item in plan(files, out):
            if item.role != "package":
                mine.append(item.path)
            if item.path in current and item.status != "unchanged":
                # a spec found current made this module, and its text is not this one
                planned.setdefault(item.path, Planned(item.path, "", "unchanged"))
                made_by.setdefault(item.path, current[item.path])
            other = planned.setdefault(item.path, item)
            if other.text != item.text:
                error(
                    f"{made_by[item.path]} and {target} both generate "
                    f"{shown(item.path, start)}; give one of the graphs another name"
                )
                return 1
            made_by.setdefault(item.path, target)
        records.append((key, inputs, mine))
    items = sorted(planned.values(), key=lambda p: p.path)
    if args.check:
        stale = [p for p in items if p.status != "unchanged"]
        for item in stale:
            print(f"stale: {shown(item.path, start)}", file=sys.stderr)
        if stale:
            print("run `flowc compile` to regenerate", file=sys.stderr)
            return 1
        _record(records, planned, out)
        if status == 0:
            count = len(items) + len(current.keys() - planned.keys()) + _package_files(items)
            print(f"up to date: {count} files in {shown(out, start)}")
        return status
    try:
        written = write_files(items, force=args.force, show=lambda p: shown(p, start))
    except WriteError as exc:
        error(str(exc))
        return 1
    _record(records, planned, out)
    for path in written:
        print(f"wrote {shown(path, start)}")
    if not written and status == 0:
        count = len(items) + len(current.keys() - planned.keys()) + _package_files(items)
        print(f"up to date: {count} files in {shown(out, start)}")
    return status


def _as_seen_from(
    diags: Sequence[Diagnostic], texts: dict[str, list[str]], start: Path
) -> tuple[list[Diagnostic], dict[str, list[str]]]:
    """Diagnostics whose files are named from ``start`` (the folder the command was run in),
    as the user typed them, although the spec was read from its project's folder."""

    def seen(file: str) -> str:
        path = Path(file)
        if file.startswith("<") or path.is_absolute() or not path.exists():
            return file
        return shown(path.resolve(), start)

    moved = [
        dataclasses.replace(d, span=dataclasses.replace(d.span, file=seen(d.span.file)))
        if d.span is not None
        else d
        for d in diags
    ]
    return moved, {seen(file): lines for file, lines in texts.items()}


def _unimportable(graph: CheckedGraph, smap: SourceMap, base: Path) -> list[Diagnostic]:
    """A warning for each module the runner imports that only the spec's folder made
    importable: ``flowc run`` finds it, a program importing the package does not."""
    out: list[Diagnostic] = []
    for g in graph.tree():
        spec = g.spec
        refs: list[tuple[str, tuple[str | int, ...]]] = [
            (node.call, ("nodes", node.name, "call")) for node in spec.nodes if node.call
        ]
        refs += [(b.router, ("branches", i, "router")) for i, b in enumerate(spec.branches)]
        if spec.state.class_ref:
            refs.append((spec.state.class_ref, ("state", "class")))
        seen: set[str] = set()
        for ref, loc in refs:
            module = ref.partition(":")[0]
            top = module.partition(".")[0]
            if not top or top in seen or importable(module, [str(base)]):
                continue
            seen.add(top)
            where = getattr(sys.modules.get(top), "__file__", None) or top
            folder = shown(Path(where).parent, base)
            out.append(
                Diagnostic(
                    Severity.WARNING,
                    "W001",
                    f"`{top}` is imported from the spec's folder ({folder}), which programs "
                    f"importing the compiled package do not have on their path: they will fail "
                    f"with `No module named '{top}'`",
                    smap.get(loc) if g is graph else Span(g.origin, 1, 1),
                    "make it importable from the project (a package of yours, or a folder "
                    'named in [tool.flowc] python-path = ["..."] of pyproject.toml and on '
                    "your program's path)",
                )
            )
    return out


def _package_files(items: Sequence[Planned]) -> int:
    """``__init__.py`` and ``py.typed`` when no spec was rendered (and so none planned them)."""
    return 0 if items else 2


def _record(
    records: list[tuple[str, dict[str, str], list[Path]]],
    planned: dict[Path, Planned],
    out: Path,
) -> None:
    """Remember what each rendered spec's modules were made from, now that they are on disk."""
    from flowc.codegen import fresh

    for key, inputs, paths in records:
        fresh.record(out, key, inputs, {path: planned[path].text for path in paths})
