"""``langgraph.managed`` on flowc: the managed values ``RemainingSteps`` and ``IsLastStep``.

``from langgraph.managed import RemainingSteps`` becomes ``from flowc.langgraph.managed import
RemainingSteps`` (LangGraph's own annotations work in the drop-in too). A state key annotated
with one is no channel: nodes and routers read it in the state, computed for their superstep
(the steps the run's recursion limit still allows, this one included; ``IsLastStep`` is true
when that is 1), and nothing stores, takes as input or outputs it. Nodes outside the drop-in
read :func:`flowc.runtime.remaining_steps`.
"""

from __future__ import annotations

from typing import Annotated, TypeAlias

__all__ = ["IsLastStep", "IsLastStepManager", "RemainingSteps", "RemainingStepsManager"]


class RemainingStepsManager:
    """Marks a state key as the steps a run may still take (:data:`RemainingSteps`)."""


class IsLastStepManager:
    """Marks a state key as whether this is a run's last step (:data:`IsLastStep`)."""


RemainingSteps: TypeAlias = Annotated[int, RemainingStepsManager]
"""A state key holding the supersteps the run may still take, its own included."""

IsLastStep: TypeAlias = Annotated[bool, IsLastStepManager]
"""A state key that is true in the last superstep the run's recursion limit allows."""
