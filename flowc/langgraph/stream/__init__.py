"""``langgraph.stream`` on flowc: LangGraph's v3 event streams over flowc's runs.

``graph.stream_events(input, version="v3")`` (``await graph.astream_events(..., version="v3")``)
returns a run whose projections (``run.values``, ``run.messages``, ``run.lifecycle``,
``run.subgraphs``, and those of the transformers given with ``transformers=[...]`` to
``compile`` or to the call) the caller reads; reading them runs the graph.
"""

from ._types import ProtocolEvent, StreamTransformer
from .run_stream import (
    AsyncGraphRunStream,
    AsyncSubgraphRunStream,
    GraphRunStream,
    SubgraphRunStream,
)
from .stream_channel import StreamChannel
from .transformers import (
    CheckpointsTransformer,
    CustomTransformer,
    DebugTransformer,
    LifecyclePayload,
    LifecycleTransformer,
    SubgraphStatus,
    SubgraphTransformer,
    TasksTransformer,
    UpdatesTransformer,
)

__all__ = [
    "AsyncGraphRunStream",
    "AsyncSubgraphRunStream",
    "CheckpointsTransformer",
    "CustomTransformer",
    "DebugTransformer",
    "GraphRunStream",
    "LifecyclePayload",
    "LifecycleTransformer",
    "ProtocolEvent",
    "StreamChannel",
    "StreamTransformer",
    "SubgraphRunStream",
    "SubgraphStatus",
    "SubgraphTransformer",
    "TasksTransformer",
    "UpdatesTransformer",
]
