"""A router whose Send carries an argument that is not the ``Job`` its annotation names."""

from typing import Literal

from flowc_demo.mapreduce import Job, MapState

from flowc.runtime import Send


def fan_out(state: MapState) -> list[Send[Literal["work"], Job]]:
    return [Send("work", {"items": item}) for item in state["items"]]


def fan_out_text(state: MapState) -> list[Send[Literal["work"], Job]]:
    return [Send("work", item) for item in state["items"]]
