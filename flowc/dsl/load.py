"""Front-end dispatch: a target (``spec.toml`` or ``module:attribute``) → spec.

This is where the front half reads files. A TOML target is read and handed to
:mod:`flowc.dsl.toml_loader`; a ``module:attribute`` target is imported and
must be a :class:`flowc.dsl.decorators.Graph` (or a :class:`GraphSpec`). A
target that cannot be read or imported gives a diagnostic, never an exception.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import os
import sys
import traceback
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .checker import check
from .decorators import Graph
from .diagnostics import Diagnostic, SourceMap, Span, text_lines
from .graph import CheckResult
from .pysource import display_path
from .spec import GraphSpec
from .toml_loader import LoadResult, load_toml
from .types import RefError, attribute_hint, module_hint, parse_ref
from .usercode import add_to_path

__all__ = [
    "check_graph",
    "check_target",
    "importable",
    "is_toml_target",
    "load_subgraph",
    "load_target",
    "spec_folder_modules_forgotten",
]


def is_toml_target(target: str) -> bool:
    """True for a TOML spec path (as opposed to ``module:attribute``)."""
    if ".py:" in target:
        return False  # path/file.py:graph
    return target.endswith(".toml") or os.sep in target or Path(target).is_file()


def load_target(target: str) -> tuple[LoadResult, str]:
    """Load a spec from a path or a ``module:attribute``; returns it and its origin."""
    if ".py:" in target:
        path = target.rpartition(":")[0]
        if not Path(path).is_file():
            diag = Diagnostic.error("E000", f"no such file: {path}", None)
            return LoadResult(None, SourceMap(target), (diag,)), target
        reference = _module_of_file(target)
        return _load_python(reference), reference
    if target.endswith(".py"):
        hint = f"name the graph in it (`{target}:graph`), or by module (`package.module:graph`)"
        diag = Diagnostic.error("E000", f"`{target}` is a Python file, not a graph", None, hint)
        return LoadResult(None, SourceMap(target), (diag,)), target
    if is_toml_target(target):
        return _load_file(target), target
    return _load_python(target), target


def _module_of_file(target: str) -> str:
    """``path/file.py:attr`` → ``module:attr``, the module named as ``sys.path`` finds it.

    The deepest folder of ``sys.path`` (or the working folder) that holds the
    file gives the name (``src/app/graphs.py`` is ``app.graphs`` when ``src`` is
    on the path); a file under none of them is imported from its own folder.
    """
    path, _, attr = target.rpartition(":")
    file = Path(path).resolve()
    best: tuple[str, ...] | None = None
    for entry in [os.getcwd(), *sys.path]:
        root = Path(entry or os.getcwd()).resolve()
        if file.is_relative_to(root):
            parts = file.relative_to(root).with_suffix("").parts
            if all(p.isidentifier() for p in parts) and (best is None or len(parts) < len(best)):
                best = parts
    if best is None:
        add_to_path(str(file.parent))
        best = (file.stem,)
    return ".".join(best).removesuffix(".__init__") + ":" + attr


MAX_SPEC_BYTES = 8 * 1024 * 1024
"""The largest spec file flowc reads (8 MiB): a bigger one is refused, never read whole."""


def _load_file(target: str) -> LoadResult:
    smap = SourceMap(target)
    whole = Span.whole(target)
    try:
        with open(target, "rb") as handle:
            raw = handle.read(MAX_SPEC_BYTES + 1)
    except FileNotFoundError:
        return LoadResult(None, smap, (Diagnostic.error("E000", f"no such file: {target}", whole),))
    except OSError as exc:
        message = f"cannot read {target}: {exc.strerror or exc}"
        return LoadResult(None, smap, (Diagnostic.error("E000", message, whole),))
    if len(raw) > MAX_SPEC_BYTES:
        message = f"the spec is larger than {MAX_SPEC_BYTES // (1024 * 1024)} MiB, the limit"
        hint = "a spec is a small TOML file; is this the right path?"
        return LoadResult(None, smap, (Diagnostic.error("E006", message, whole, hint),))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        smap.texts[target] = text_lines(raw.decode("utf-8", "replace"))
        diag = Diagnostic.error(
            "E001",
            f"invalid TOML: byte 0x{raw[exc.start]:02x} is not UTF-8 text",
            Span(target, line, col),
            "TOML files are UTF-8",
        )
        return LoadResult(None, smap, (diag,))
    return load_toml(text, target)


def _load_python(target: str) -> LoadResult:
    smap = SourceMap(target)
    try:
        module_name, attr = parse_ref(target)
    except RefError as exc:
        hint = "give a TOML file (`spec.toml`) or a Python graph (`package.module:graph`)"
        return LoadResult(None, smap, (Diagnostic.error("E000", str(exc), None, hint),))
    if "" not in sys.path:
        add_to_path(os.getcwd())
    try:
        obj: object = importlib.import_module(module_name)
    except Exception as exc:
        return LoadResult(None, smap, (_import_diagnostic(module_name, exc),))
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            message = f"module `{module_name}` has no attribute `{attr}`"
            close = attribute_hint(obj, part)
            return LoadResult(None, smap, (Diagnostic.error("E000", message, None, close),))
    if isinstance(obj, Graph):
        spec, gmap, diags = obj.to_spec()
        return LoadResult(spec, gmap, diags)
    if isinstance(obj, GraphSpec):
        return LoadResult(obj, smap, ())
    message = f"`{target}` is a {type(obj).__name__}, not a flowc Graph"
    return LoadResult(None, smap, (Diagnostic.error("E000", message, None),))


def _import_diagnostic(module: str, exc: Exception) -> Diagnostic:
    """Importing a graph's module failed: say where, in the user's code."""
    message = f"cannot import `{module}`: {type(exc).__name__}: {exc}"
    if isinstance(exc, SyntaxError) and exc.filename and exc.lineno:
        span = Span(display_path(exc.filename), exc.lineno, exc.offset or 1)
        return Diagnostic.error("E000", f"cannot import `{module}`: {exc.msg}", span)
    if isinstance(exc, ModuleNotFoundError) and exc.name and module.startswith(exc.name):
        return Diagnostic.error(
            "E000",
            f"cannot import `{module}`: no module named `{exc.name}`",
            None,
            module_hint(exc.name),
        )
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.startswith("<")]
    user = [f for f in frames if not _is_flowc_or_stdlib(f.filename)]
    frame = user[-1] if user else None
    if frame is not None and frame.lineno is not None:
        col = (frame.colno or 0) + 1
        end = (
            frame.end_colno + 1
            if frame.end_colno is not None and frame.end_lineno == frame.lineno
            else None
        )
        return Diagnostic.error(
            "E000", message, Span(display_path(frame.filename), frame.lineno, col, end)
        )
    return Diagnostic.error("E000", message, None)


_FLOWC_DIR = str(Path(__file__).resolve().parent.parent)
_STDLIB_DIR = os.path.dirname(os.__file__)


def _is_flowc_or_stdlib(filename: str) -> bool:
    path = os.path.abspath(filename)
    return path.startswith(_FLOWC_DIR + os.sep) or path.startswith(_STDLIB_DIR + os.sep)


def load_subgraph(
    ref: str, from_origin: str
) -> tuple[GraphSpec | None, SourceMap, tuple[Diagnostic, ...], str]:
    """Load the spec a subgraph node names, relative to the spec that names it."""
    if is_toml_target(ref) and is_toml_target(from_origin):
        ref = os.path.normpath(os.path.join(os.path.dirname(from_origin), ref))
    result, origin = load_target(ref)
    return result.spec, result.source_map, result.diagnostics, origin


def check_target(target: str) -> CheckResult:
    """Load and check one target."""
    loaded, origin = load_target(target)
    if loaded.spec is None:
        return CheckResult(None, loaded.diagnostics, loaded.source_map)
    return _check_loaded(loaded, origin)


def check_graph(graph: Graph[Any]) -> CheckResult:
    """Check a decorator-DSL graph object (front-end diagnostics included)."""
    spec, smap, diags = graph.to_spec()
    origin = graph.reference() or f"<graph {graph.name}>"
    return _check_loaded(LoadResult(spec, smap, diags), origin)


def _check_loaded(loaded: LoadResult, origin: str) -> CheckResult:
    assert loaded.spec is not None
    result = check(loaded.spec, loaded.source_map, origin, load_subgraph=load_subgraph)
    diags = (*loaded.diagnostics, *result.diagnostics)
    failed = any(d.severity.value == "error" for d in loaded.diagnostics)
    return CheckResult(None if failed else result.graph, diags, result.source_map)


def importable(module: str, extra: Iterable[str] = ()) -> bool:
    """Whether ``module`` (imported already) is found on ``sys.path`` (and ``extra``) as it was.

    A module found only because a TOML spec's folder was on the path while the
    spec was checked is not: a program importing the compiled package does not
    have that folder on its path.
    """
    top = module.partition(".")[0]
    loaded = sys.modules.get(top)
    file = getattr(loaded, "__file__", None)
    if loaded is None or not isinstance(file, str):
        return True  # built in, or not a file: nothing a folder decides
    found = importlib.machinery.PathFinder.find_spec(top, [*sys.path, *extra])
    if found is None or found.origin is None:
        return False
    return os.path.abspath(found.origin) == os.path.abspath(file)


@contextmanager
def spec_folder_modules_forgotten() -> Iterator[None]:
    """Afterwards, forget the modules that only a TOML spec's folder made importable.

    Checking a TOML spec imports its node modules with the spec's folder on
    ``sys.path`` (and then takes the folder off it); forgetting them too means
    a later target of the same command finds only what it would find alone, so
    the order of targets does not matter.
    """
    before = set(sys.modules)
    try:
        yield
    finally:
        found: dict[str, bool] = {}  # by top-level package: one search of the path each
        for name in sorted(set(sys.modules) - before):
            top = name.partition(".")[0]
            if found.setdefault(top, importable(top)) is False:
                del sys.modules[name]
