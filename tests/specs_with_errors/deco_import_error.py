"""A graph module that fails while it is imported: the diagnostic points at the failing line."""

from __future__ import annotations

from decostate import State

from flowc import Graph

graph = Graph("import_error", State)
settings = {"retries": 3}
retries = settings["retry"]
