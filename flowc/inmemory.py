"""``flowc.build``: compile a graph in memory and import its runner module.

The module is ``flowc.inmemory``, not ``flowc.build``, so that the package's
name ``build`` is only ever the function.

For notebooks and tests: no files are written. The generated modules live in
a package of their own in ``sys.modules``, named after a hash of their text,
so building the same graph twice returns the same module.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

try:  # the builtin module: hashlib loads OpenSSL first, which the drop-in's warm start skips
    from _blake2 import blake2b
except ImportError:  # pragma: no cover (an interpreter built without it)
    from hashlib import blake2b

if TYPE_CHECKING:
    from pathlib import Path

    from flowc.codegen.render import GeneratedFile
    from flowc.dsl.decorators import Graph
    from flowc.dsl.graph import CheckedGraph
    from flowc.dsl.spec import GraphSpec

__all__ = ["build", "build_checked", "exec_package"]


def build(
    target: Graph[Any] | GraphSpec | str | Path, *, cache: bool | str | Path = False
) -> types.ModuleType:
    """Check, generate and import a graph's runner module.

    The module is made at run time, so type checkers know it only as a
    ``ModuleType`` (its events are ``Any``); for typed events, compile the
    graph with ``flowc compile`` and import the generated module.

    Args:
        target: a decorator :class:`Graph`, a :class:`GraphSpec`, a TOML spec
            path, or ``"module:attribute"``.
        cache: reuse generated code from a disk cache (``True``: the default
            folder of :mod:`flowc.cache`; or a folder), generating it only
            when the graph changed.

    Raises:
        DiagnosticError: with every diagnostic, if the graph does not check.
    """
    # imported here: the drop-in runs cached code through exec_package, and needs none of it
    from flowc.dsl.checker import check
    from flowc.dsl.decorators import Graph
    from flowc.dsl.diagnostics import DiagnosticError, SourceMap
    from flowc.dsl.load import check_graph, check_target, load_subgraph
    from flowc.dsl.spec import GraphSpec

    if isinstance(target, Graph):
        result = check_graph(target)
    elif isinstance(target, GraphSpec):
        result = check(
            target, SourceMap("<spec>"), f"<spec {target.name}>", load_subgraph=load_subgraph
        )
    else:
        result = check_target(str(target))
    if result.graph is None:
        raise DiagnosticError(result.diagnostics, result.source_map.texts)
    if cache is not False:
        from pathlib import Path

        from flowc.cache import load_cached

        return load_cached(result.graph, None if cache is True else Path(cache))
    return build_checked(result.graph)


def build_checked(
    graph: CheckedGraph, *, salt: str = "", files: list[GeneratedFile] | None = None
) -> types.ModuleType:
    """Generate and import the runner module of a graph that passed the checks.

    Args:
        graph: the checked graph.
        salt: makes the module distinct from others with the same text (the
            drop-in builder's runners bind the very objects they were built
            for, which a same-named object defined again must not reuse).
        files: the graph's generated modules, if they were generated already
            (the drop-in reads them from its disk cache).
    """
    if files is None:
        # imported here: the code generator (libcst, Jinja) is slow to import, and
        # `flowc run` of an unchanged spec never needs it
        from flowc.codegen import generate

        files = generate(graph)
    return exec_package([(f.name, f.text) for f in files], graph.name, salt=salt)


def exec_package(files: list[tuple[str, str]], runner: str, *, salt: str = "") -> types.ModuleType:
    """Import generated modules (``(file name, text)`` pairs) as a package of their own.

    The package is named after a hash of ``salt`` and the texts: the same files give
    the same modules. Returns the module ``runner`` of the package.
    """
    text = salt + "".join(name + body for name, body in files)
    digest = blake2b(text.encode(), digest_size=8).hexdigest()
    package = f"_flowc_build_{digest}"
    main = f"{package}.{runner}"
    if main in sys.modules:
        return sys.modules[main]
    pkg = types.ModuleType(package)
    pkg.__path__ = []
    pkg.__package__ = package
    sys.modules[package] = pkg
    for file_name, body in files:
        stem = file_name.removesuffix(".py")
        name = f"{package}.{stem}"
        module = types.ModuleType(name)
        module.__package__ = package
        module.__file__ = f"<flowc build {file_name}>"
        sys.modules[name] = module
        try:
            exec(compile(body, module.__file__, "exec"), module.__dict__)
        except BaseException:
            del sys.modules[name]
            raise
        setattr(pkg, stem, module)
    return sys.modules[main]
