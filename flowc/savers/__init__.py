"""Checkpoint savers: where durable runs keep their checkpoints and pending writes.

* :mod:`flowc.savers.memory`: :class:`~flowc.savers.memory.InMemorySaver`, for tests
  and short-lived processes.
* :mod:`flowc.savers.sqlite`: :class:`~flowc.savers.sqlite.SqliteSaver`, one file,
  standard library only, safe across threads and processes.
* :mod:`flowc.savers.postgres`: :class:`~flowc.savers.postgres.PostgresSaver`,
  psycopg 3 with connection pools (``pip install 'flowc[postgres]'``).
* :mod:`flowc.savers.langgraph_adapter`: any of them as LangGraph's
  ``BaseCheckpointSaver`` (needs LangGraph).

Each implements :class:`flowc.runtime.checkpoint.BaseCheckpointSaver`.
"""
