"""Reading a key of the state that the output schema leaves out, and an input key it leaves out."""

from __future__ import annotations

from tests.golden import io_schemas


def run() -> None:
    result = io_schemas.invoke({"question": "why", "notes": ["mine"]})
    print(result["notes"])
