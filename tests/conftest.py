"""Shared fixtures: the example specs' node modules are importable from specs/."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"

for folder in (str(SPECS), str(ROOT)):
    if folder not in sys.path:
        sys.path.insert(0, folder)

# `flowc compile` records what it compiled in flowc's cache: never the user's own, in tests
# (subprocesses inherit it)
if "FLOWC_CACHE_DIR" not in os.environ:
    _cache = tempfile.mkdtemp(prefix="flowc-test-cache-")
    os.environ["FLOWC_CACHE_DIR"] = _cache
    atexit.register(shutil.rmtree, _cache, ignore_errors=True)
