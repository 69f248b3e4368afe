"""Up to date: whether a spec's modules in a folder are current, by the content of their sources.

After ``flowc compile`` writes a spec's modules, or finds them as they should
be, it records (:func:`record`), for that folder and that spec, the sha256 of
everything the modules were made from: the spec and its subgraph specs, the
source files of your modules that were loaded when the spec was checked (nodes,
routers, types and what they import), and flowc's code generator; and the
sha256 of each module it made. A later ``flowc compile`` or ``flowc compile
--check`` of the spec (:func:`current`) skips checking and rendering it only
when every one of those hashes is the same now. Nothing is decided by
modification times: a touched file is still current, an edited one is not, and
a module edited by hand is stale for both commands.

The records live in flowc's cache folder (``compiled/`` under
:func:`flowc.codegen.cachedir.cache_dir`), one JSON file per output folder. They are
only a cache: without one (a fresh clone, a CI job) the spec is checked,
rendered and compared byte for byte with the files. Modules of the standard
library and of ``site-packages`` are not hashed; after upgrading a package that
a spec's types come from, ``flowc compile --force`` regenerates everything.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import sysconfig
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import cachedir

__all__ = ["current", "record", "sources", "spec_key"]

_VERSION = 1


def spec_key(target: str, base: Path) -> str:
    """The name a spec's record is kept under: the target as compiled, from ``base``."""
    return f"{base}\n{target}"


def current(key: str, out: Path) -> tuple[Path, ...] | None:
    """The modules of a spec in ``out``, if they and their sources are as last recorded."""
    entry = _read(out).get(key)
    if not isinstance(entry, dict) or entry.get("generator") != _generator():
        return None
    inputs, outputs = entry.get("inputs"), entry.get("outputs")
    if not isinstance(inputs, dict) or not isinstance(outputs, dict) or not outputs:
        return None
    for path, digest in (*inputs.items(), *outputs.items()):
        if _hash_file(path) != digest:
            return None
    if not all((out / name).is_file() for name in ("__init__.py", "py.typed")):
        return None
    return tuple(Path(path) for path in outputs)


def record(out: Path, key: str, inputs: dict[str, str], outputs: dict[Path, str]) -> None:
    """Remember what a spec's modules (path → text) in ``out`` were made from."""
    entries = _read(out)
    entries[key] = {
        "generator": _generator(),
        "inputs": inputs,
        "outputs": {
            os.path.abspath(path): hashlib.sha256(text.encode()).hexdigest()
            for path, text in outputs.items()
        },
    }
    path = _record_file(out)
    data = {"version": _VERSION, "folder": str(out.resolve()), "specs": entries}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, path)  # a compile running beside this one reads either record whole
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


def sources(spec_files: Iterable[str]) -> dict[str, str]:
    """The sha256 of the spec files and of every loaded module of yours (path → hash).

    Every module outside the standard library, ``site-packages`` and flowc
    itself counts: more than a spec needs, never less, since what its nodes
    import is not known without importing them.
    """
    paths = {os.path.abspath(p) for p in spec_files}
    skip = _not_hashed()
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if not isinstance(file, str) or not file.endswith(".py"):
            continue
        file = os.path.abspath(file)
        if not file.startswith(skip) and os.path.isfile(file):
            paths.add(file)
    hashes = {path: _hash_file(path) for path in sorted(paths)}
    return {path: digest for path, digest in hashes.items() if digest is not None}


def _not_hashed() -> tuple[str, ...]:
    import flowc

    folders = {Path(flowc.__file__).resolve().parent}
    for name in ("stdlib", "platstdlib", "purelib", "platlib"):
        with contextlib.suppress(KeyError):
            folders.add(Path(sysconfig.get_paths()[name]).resolve())
    return tuple(str(folder) + os.sep for folder in folders)


def _hash_file(path: str) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def _generator() -> str:
    return cachedir.generator_fingerprint()


def _record_file(out: Path) -> Path:
    name = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:24]
    return cachedir.cache_dir() / "compiled" / f"{name}.json"


def _read(out: Path) -> dict[str, Any]:
    try:
        data = json.loads(_record_file(out).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != _VERSION:
        return {}
    specs = data.get("specs")
    return specs if isinstance(specs, dict) else {}
