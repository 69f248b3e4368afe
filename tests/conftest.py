"""Shared fixtures: the example specs' node modules are importable from specs/."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"

for folder in (str(SPECS), str(ROOT)):
    if folder not in sys.path:
        sys.path.insert(0, folder)
