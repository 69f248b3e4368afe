"""Support code of ``bench/run.py``: node functions, spec generation, the
LangGraph and hand-written versions of each benchmark graph, and timing."""
