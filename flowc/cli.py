"""The ``flowc`` command: check, compile, run, draw graph specs and print their schema.

Exit codes: 0 when all is well, 1 when a spec has errors (or, with
``compile --check``, when generated files are stale), 2 on usage errors,
130 when interrupted. No input, whatever its bytes, ends in a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import sys
import tomllib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flowc.dsl.diagnostics import (
    Diagnostic,
    Severity,
    SourceMap,
    Span,
    dumps,
    render,
    render_all,
)
from flowc.dsl.graph import CheckedGraph
from flowc.dsl.load import (
    check_target,
    importable,
    is_toml_target,
    spec_folder_modules_forgotten,
)

if TYPE_CHECKING:
    from flowc.codegen.write import Planned

__all__ = ["main"]


class UsageError(Exception):
    """Bad command-line use (exit 2)."""


def _color(choice: str, stream: Any) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def _python_path(targets: Sequence[str]) -> list[str]:
    """Folders your modules are imported from, besides ``sys.path``: ``[tool.flowc] python-path``
    of the nearest ``pyproject.toml`` (above the working folder, and above each TOML spec),
    else its ``src/`` folder when there is one (the src layout), and a ``src/`` beside a spec.

    Raises:
        UsageError: if ``python-path`` is not a list of folders.
    """
    roots: list[Path] = []
    folders: list[Path] = []
    for start in [Path.cwd(), *(Path(t).resolve().parent for t in targets if is_toml_target(t))]:
        root = next((f for f in (start, *start.parents) if (f / "pyproject.toml").is_file()), None)
        if root is not None and root not in roots:
            roots.append(root)
        if start != Path.cwd() and (start / "src").is_dir():
            folders.append(start / "src")
    for root in roots:
        config = _config_of(root / "pyproject.toml")
        setting = config.get("python-path")
        if setting is None:
            if (root / "src").is_dir():
                folders.append(root / "src")
            continue
        if not isinstance(setting, list) or not all(isinstance(p, str) for p in setting):
            raise UsageError(
                f"{root / 'pyproject.toml'}: [tool.flowc] python-path must be a list of folders, "
                'e.g. python-path = ["src"]'
            )
        for entry in setting:
            folder = root / entry
            if not folder.is_dir():
                raise UsageError(
                    f"{root / 'pyproject.toml'}: [tool.flowc] python-path: `{entry}` is not a folder"
                )
            folders.append(folder)
    found = list(dict.fromkeys(str(f.resolve()) for f in folders))
    return [f for f in found if f not in sys.path]


def _config_of(pyproject: Path) -> dict[str, Any]:
    """The ``[tool.flowc]`` table of one ``pyproject.toml`` (empty if it has none)."""
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}
    tool = data.get("tool", {}).get("flowc", {})
    return tool if isinstance(tool, dict) else {}


def _print_diagnostics(
    diags: Sequence[Diagnostic], texts: dict[str, list[str]], args: argparse.Namespace
) -> None:
    if not diags:
        return
    print(render_all(diags, texts, color=_color(args.color, sys.stderr)), file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    """Check specs and report every diagnostic at once (``--format json``: as a JSON list).

    Exit 0 when every spec is clean, 1 when any has an error. Specs named in
    ``[tool.flowc]`` are checked from the folder of that ``pyproject.toml``.
    """
    if args.targets:
        targets, base = list(args.targets), Path.cwd()
    else:
        root, config = _project()
        if root is None:
            raise UsageError("no spec given (and no pyproject.toml with a [tool.flowc] table)")
        targets, base = _configured_specs(root, config), root
    diags: list[Diagnostic] = []
    texts: dict[str, list[str]] = {}
    with _working_dir(base):
        for target in targets:
            with spec_folder_modules_forgotten():
                result = check_target(target)
            diags.extend(result.diagnostics)
            texts.update(result.source_map.texts)
    # a subgraph shared by several targets reports its own mistakes once
    diags = list(dict.fromkeys(diags))
    if args.format == "json":
        print(dumps(diags))
    elif diags:
        _print_diagnostics(diags, texts, args)
    else:
        print(f"all good: {len(targets)} spec{'s' if len(targets) != 1 else ''} checked")
    return 1 if any(d.severity.value == "error" for d in diags) else 0


def _project() -> tuple[Path | None, dict[str, Any]]:
    """The folder of the nearest ``pyproject.toml`` and its ``[tool.flowc]`` table."""
    for folder in (Path.cwd(), *Path.cwd().parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return folder, _config_of(candidate)
    return None, {}


def _configured_specs(root: Path, config: dict[str, Any]) -> list[str]:
    """``[tool.flowc] specs``: paths (globs allowed) relative to ``root``, or ``module:attr``."""
    specs = config.get("specs")
    if not isinstance(specs, list) or not all(isinstance(s, str) for s in specs) or not specs:
        raise UsageError(
            "no spec given, and [tool.flowc] of pyproject.toml has no `specs` list "
            '(e.g. specs = ["specs/*.toml", "app.graphs:graph"])'
        )
    targets: list[str] = []
    for spec in specs:
        if any(ch in spec for ch in "*?["):
            found = sorted(p.relative_to(root).as_posix() for p in root.glob(spec))
            if not found:
                raise UsageError(f"[tool.flowc] specs: `{spec}` matches no file")
            targets.extend(found)
        else:
            targets.append(spec)
    return targets


@contextlib.contextmanager
def _working_dir(folder: Path) -> Iterator[None]:
    previous = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


def _shown(path: Path, start: Path) -> str:
    """``path`` as the user would type it from ``start``."""
    try:
        return os.path.relpath(path, start)
    except ValueError:  # another drive (Windows)
        return str(path)


def _spec_base(target: str, start: Path) -> tuple[str, Path]:
    """A TOML target spelled one way whatever way it was given, and the folder it is read from.

    That folder is the nearest one above the spec holding a ``pyproject.toml``
    (else the spec's own): banners, and so freshness, do not depend on whether
    the path was absolute, relative, or typed from another folder.
    """
    if not is_toml_target(target):
        return target, start
    path = Path(os.path.abspath(start / target))
    for folder in path.parents:
        if (folder / "pyproject.toml").is_file():
            return path.relative_to(folder).as_posix(), folder
    return path.name, path.parent


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
    root, config = _project()
    if args.targets:
        targets = [_spec_base(t, start) for t in args.targets]
    elif root is None:
        raise UsageError("no spec given (and no pyproject.toml with a [tool.flowc] table)")
    else:
        targets = [(t, root) for t in _configured_specs(root, config)]
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
        with _working_dir(base), spec_folder_modules_forgotten():
            result = check_target(target)
            if result.graph is None:
                diags, texts = _as_seen_from(result.diagnostics, result.source_map.texts, start)
                _print_diagnostics(diags, texts, args)
                status = 1
                continue
            try:
                files = generate(result.graph)
            except TemplateError as exc:
                print(f"flowc: internal error: {exc}", file=sys.stderr)
                return 3
            spec_files = [g.origin for g in (result.graph, *_tree(result.graph))]
            inputs = fresh.sources(o for o in spec_files if is_toml_target(o))
            color = _color(args.color, sys.stderr)
            warnings, texts = _as_seen_from(
                _unimportable(result.graph, result.source_map, base),
                result.source_map.texts,
                start,
            )
            for warning in warnings:
                print(render(warning, texts, color=color), file=sys.stderr)
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
                print(
                    f"flowc: error: {made_by[item.path]} and {target} both generate "
                    f"{_shown(item.path, start)}; give one of the graphs another name",
                    file=sys.stderr,
                )
                return 1
            made_by.setdefault(item.path, target)
        records.append((key, inputs, mine))
    items = sorted(planned.values(), key=lambda p: p.path)
    if args.check:
        stale = [p for p in items if p.status != "unchanged"]
        for item in stale:
            print(f"stale: {_shown(item.path, start)}", file=sys.stderr)
        if stale:
            print("run `flowc compile` to regenerate", file=sys.stderr)
            return 1
        _record(records, planned, out)
        if status == 0:
            count = len(items) + len(current.keys() - planned.keys()) + _package_files(items)
            print(f"up to date: {count} files in {_shown(out, start)}")
        return status
    try:
        written = write_files(items, force=args.force, show=lambda p: _shown(p, start))
    except WriteError as exc:
        print(f"flowc: error: {exc}", file=sys.stderr)
        return 1
    _record(records, planned, out)
    for path in written:
        print(f"wrote {_shown(path, start)}")
    if not written and status == 0:
        count = len(items) + len(current.keys() - planned.keys()) + _package_files(items)
        print(f"up to date: {count} files in {_shown(out, start)}")
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
        return _shown(path.resolve(), start)

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
    for g in (graph, *_tree(graph)):
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
            folder = _shown(Path(where).parent, base)
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


def _tree(graph: CheckedGraph) -> list[CheckedGraph]:
    """Every subgraph of ``graph``, at any depth."""
    out: list[CheckedGraph] = []
    for sub in graph.subgraphs:
        out += [sub, *_tree(sub)]
    return out


def _record(
    records: list[tuple[str, dict[str, str], list[Path]]],
    planned: dict[Path, Planned],
    out: Path,
) -> None:
    """Remember what each rendered spec's modules were made from, now that they are on disk."""
    from flowc.codegen import fresh

    for key, inputs, paths in records:
        fresh.record(out, key, inputs, {path: planned[path].text for path in paths})


def cmd_run(args: argparse.Namespace) -> int:
    from flowc.runner_cli import run_command

    return run_command(args)


def cmd_draw(args: argparse.Namespace) -> int:
    from flowc.draw import draw_command

    return draw_command(args)


def cmd_schema(args: argparse.Namespace) -> int:
    from flowc.schema import schema_command

    return schema_command(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flowc", description="Check, compile, run and draw flowc graph specs."
    )
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    parser.add_argument("--version", action="version", version=f"flowc {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="check specs and report every problem")
    p.add_argument("targets", nargs="*", metavar="SPEC", help="spec.toml or module:attribute")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("compile", help="generate runner modules")
    p.add_argument("targets", nargs="*", metavar="SPEC")
    p.add_argument("-o", "--out", help="output folder (a package; default: [tool.flowc] out)")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if files are stale")
    p.add_argument(
        "--force",
        action="store_true",
        help="overwrite files flowc did not generate; regenerate current ones too",
    )
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    p.set_defaults(func=cmd_compile)

    from flowc.runner_cli import MODES

    p = sub.add_parser(
        "run",
        help="compile if stale, run, and print events as they arrive",
        description="Run a graph and print its events as they arrive (schema of jsonl: docs/cli.md).",
    )
    p.add_argument("target", metavar="SPEC", help="spec.toml or module:attribute")
    p.add_argument("--input", required=True, help="the input: JSON text, @file, or - for stdin")
    p.add_argument(
        "--stream-mode",
        action="append",
        dest="stream_modes",
        metavar="MODE",
        choices=MODES,
        help=f"one of {', '.join(MODES)}; repeat for several (default: updates; "
        "checkpoints needs durable runs, which flowc does not have yet)",
    )
    p.add_argument("--subgraphs", action="store_true", help="include the events of subgraphs")
    p.add_argument(
        "--config",
        help="run config as JSON, @file or -: recursion_limit, tags, metadata, configurable, "
        "run_id",
    )
    p.add_argument("--format", choices=("pretty", "jsonl"), default="pretty")
    p.add_argument("--color", choices=("auto", "always", "never"), default=argparse.SUPPRESS)
    p.add_argument(
        "--async",
        dest="use_async",
        action="store_true",
        help="run with astream (automatic for async graphs)",
    )
    p.add_argument(
        "--traceback", action="store_true", help="print the whole traceback of a failure"
    )
    p.set_defaults(func=cmd_run)

    p = sub.add_parser(
        "draw",
        help="draw a graph (Mermaid, or SVG/PNG with Graphviz)",
        description="Draw a graph: Mermaid text (offline), or SVG/PNG through Graphviz's `dot`.",
    )
    p.add_argument("target", metavar="SPEC", help="spec.toml or module:attribute")
    p.add_argument("--format", choices=("mermaid", "dot", "svg", "png"), default="mermaid")
    p.add_argument("-o", "--out", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument("--xray", action="store_true", help="draw the inside of subgraphs")
    p.add_argument("--color", choices=("auto", "always", "never"), default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_draw)

    p = sub.add_parser(
        "schema",
        help="JSON Schema of a graph's input, state, updates and events",
        description="Print the JSON Schema of a graph's input, state, updates and stream events.",
    )
    p.add_argument("target", metavar="SPEC", help="spec.toml or module:attribute")
    p.add_argument("-o", "--out", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument("--color", choices=("auto", "always", "never"), default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_schema)
    return parser


def _version() -> str:
    from flowc import __version__

    return __version__


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``flowc`` console script (and of ``python -m flowc``)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if exc.code in (0, None) else 2
    added: list[str] = []
    try:
        targets = getattr(args, "targets", None) or [getattr(args, "target", None) or ""]
        added = _python_path([t for t in targets if t])
        sys.path[:0] = added
        return int(args.func(args))
    except UsageError as exc:
        print(f"flowc: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    finally:
        for folder in added:
            with contextlib.suppress(ValueError):
                sys.path.remove(folder)


if __name__ == "__main__":
    sys.exit(main())
