"""Where flowc caches what it generates, and the fingerprint of the generator that made it.

Both the run cache (:mod:`flowc.cache`, generated runner packages) and the
compile records (:mod:`flowc.codegen.fresh`) live under :func:`cache_dir`,
and both are valid only for the code generator that wrote them: its
:func:`generator_fingerprint` is part of every key and record.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

__all__ = ["cache_dir", "generator_fingerprint"]


def cache_dir() -> Path:
    """``$FLOWC_CACHE_DIR``, else ``$XDG_CACHE_HOME/flowc``, else ``~/.cache/flowc``."""
    explicit = os.environ.get("FLOWC_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "flowc"


@cache
def generator_fingerprint() -> str:
    """A hash of the code generator's source: a new flowc must not reuse old output."""
    import flowc

    root = Path(flowc.__file__).parent
    digest = hashlib.sha256(getattr(flowc, "__version__", "").encode())
    for folder in ("codegen", "dsl"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".j2"):
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()
