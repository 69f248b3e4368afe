"""A module attribute that is not a graph."""

graph = {"name": "not a graph"}
