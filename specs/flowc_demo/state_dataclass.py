"""Nodes of `state_dataclass.toml`, typed with the types flowc generates for it.

The generated types module never imports the runner, so a node module may
import it at run time; here it is imported for the type checker only, so that
the nodes load before the spec was ever compiled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.golden.state_dataclass_types import FinishUpdate, StateDataclassState, TallyUpdate

EXAMPLE_INPUT = {"topic": "ice cream"}
"""An input the example runs and tests use."""


def tally(state: StateDataclassState) -> TallyUpdate:
    return {"count": state.count + 1, "log": [f"tally {state.count}"]}


def finish(state: StateDataclassState) -> FinishUpdate:
    return {"topic": state.topic.upper(), "log": [f"finish after {state.count}"]}
