"""Where flowc caches what it generates, and the fingerprint of the generator that made it.

Both the run cache (:mod:`flowc.cache`, generated runner packages) and the
compile records (:mod:`flowc.codegen.fresh`) live under :func:`cache_dir`,
and both are valid only for the code generator that wrote them: its
:func:`generator_fingerprint` is part of every key and record.
"""

from __future__ import annotations

import os
import stat
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["cache_dir", "cache_dir_name", "generator_fingerprint", "private_dir", "unsafe_reason"]


def cache_dir() -> Path:
    """``$FLOWC_CACHE_DIR``, else ``$XDG_CACHE_HOME/flowc``, else ``~/.cache/flowc``."""
    from pathlib import Path

    return Path(cache_dir_name())


def cache_dir_name() -> str:
    """:func:`cache_dir` as a string: the drop-in's warm start reads the cache without
    importing :mod:`pathlib`."""
    explicit = os.environ.get("FLOWC_CACHE_DIR")
    if explicit:
        return explicit
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = xdg if xdg else os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "flowc")


@cache
def generator_fingerprint() -> str:
    """A hash of the code generator's source: a new flowc must not reuse old output."""
    import hashlib
    from pathlib import Path

    import flowc

    root = Path(flowc.__file__).parent
    digest = hashlib.sha256(getattr(flowc, "__version__", "").encode())
    for folder in ("codegen", "dsl"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".j2"):
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def unsafe_reason(path: str | Path) -> str | None:
    """Why flowc must not run code it reads from ``path``, or ``None`` if it may.

    The folder is the user's: it must be a real folder (not a link), owned by
    the user running flowc and writable by nobody else, so that no other
    account can put code there that flowc would then run. Where the platform
    has no owners (Windows), only the kind of file is checked.
    """
    try:
        info = os.lstat(path)
    except OSError as exc:
        return f"cannot read it ({exc.strerror or exc})"
    if stat.S_ISLNK(info.st_mode):
        return "it is a symbolic link"
    if not stat.S_ISDIR(info.st_mode):
        return "it is not a folder"
    getuid = getattr(os, "getuid", None)
    if getuid is not None:
        if info.st_uid != getuid():
            return f"it is owned by another user (uid {info.st_uid})"
        if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return f"other users may write to it (mode {stat.filemode(info.st_mode)})"
    return None


def private_dir(path: str | Path) -> None:
    """Create ``path`` if missing, with only its owner allowed in (mode 0700)."""
    os.makedirs(path, mode=0o700, exist_ok=True)
