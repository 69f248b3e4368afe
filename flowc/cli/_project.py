"""The project a command runs in: ``[tool.flowc]`` of ``pyproject.toml``, its specs, its paths."""

from __future__ import annotations

import contextlib
import os
import sys
import tomllib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from flowc.cli._output import UsageError
from flowc.dsl.load import is_toml_target

__all__ = [
    "config_of",
    "configured_specs",
    "project",
    "python_path",
    "shown",
    "spec_base",
    "working_dir",
]


def python_path(targets: Sequence[str]) -> list[str]:
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
        config = config_of(root / "pyproject.toml")
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


def config_of(pyproject: Path) -> dict[str, Any]:
    """The ``[tool.flowc]`` table of one ``pyproject.toml`` (empty if it has none)."""
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}
    tool = data.get("tool", {}).get("flowc", {})
    return tool if isinstance(tool, dict) else {}


def project() -> tuple[Path | None, dict[str, Any]]:
    """The folder of the nearest ``pyproject.toml`` and its ``[tool.flowc]`` table."""
    for folder in (Path.cwd(), *Path.cwd().parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return folder, config_of(candidate)
    return None, {}


def configured_specs(root: Path, config: dict[str, Any]) -> list[str]:
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
def working_dir(folder: Path) -> Iterator[None]:
    """Run the block in ``folder``, then return to the folder it started in."""
    previous = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


def shown(path: Path, start: Path) -> str:
    """``path`` as the user would type it from ``start``."""
    try:
        return os.path.relpath(path, start)
    except ValueError:  # another drive (Windows)
        return str(path)


def spec_base(target: str, start: Path) -> tuple[str, Path]:
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
