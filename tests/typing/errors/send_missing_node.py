"""A router whose Send goes to a node its annotation does not name (a typo of ``work``)."""

from typing import Literal

from flowc_demo.mapreduce import Job, MapState

from flowc.runtime import Send


def fan_out(state: MapState) -> list[Send[Literal["work"], Job]]:
    return [Send("wrok", {"item": item}) for item in state["items"]]
