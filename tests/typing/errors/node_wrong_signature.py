"""Node functions that do not fit the Protocols the generated types module declares."""

from __future__ import annotations

from tests.golden.state_typeddict_types import StateTypeddictState, TallyNode


def tally_count(state: int) -> dict[str, int]:
    return {"count": state + 1}


def tally_text(state: StateTypeddictState) -> str:
    return "tally"


first: TallyNode = tally_count
second: TallyNode = tally_text
