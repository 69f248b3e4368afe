"""Rewrite the snapshot of every bad spec: ``.venv/bin/python tests/specs_with_errors/regen.py``."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "specs"))

from tests.specs_with_errors.snapshots import cases, expected_path, render_case


def main() -> None:
    changed = 0
    for case in cases():
        text = render_case(case)
        path = expected_path(case)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed += 1
            print(f"wrote {path.name}")
    print(f"{changed} snapshot(s) changed, {len(cases())} cases")


if __name__ == "__main__":
    main()
