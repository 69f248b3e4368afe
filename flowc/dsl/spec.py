"""The graph spec: what both front ends (TOML, decorators) produce.

A :class:`GraphSpec` is plain data: names, type expressions and references
(``package.module:attribute``) as strings. Nothing is imported here; the
checker resolves references and reports what does not resolve.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from .ends import END, START

__all__ = [
    "END",
    "REDUCER_ALIASES",
    "START",
    "AgentSpec",
    "BranchSpec",
    "CacheSpec",
    "DefaultValue",
    "EdgeSpec",
    "FieldSpec",
    "GraphSpec",
    "NodeSpec",
    "RetrySpec",
    "StateSpec",
    "TimeoutSpec",
]


UNNAMED: Final = "<unnamed>:object"
"""The reference a front end writes for an object no module-level name holds, after
reporting it (the checker does not report it again)."""

REDUCER_ALIASES: dict[str, str] = {
    "add": "operator:add",
    "operator.add": "operator:add",
    "add_messages": "flowc.reducers:add_messages",
}
"""Short reducer names a spec may use instead of a ``module:function`` reference."""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class DefaultValue(_Model):
    """A field's default value (wrapped so that ``None`` can be a default)."""

    value: JsonValue


class FieldSpec(_Model):
    """One state field."""

    name: str
    type: str = Field(description="A Python type expression, e.g. `list[str]`.")
    default: DefaultValue | None = None
    reducer: str | None = Field(
        default=None, description="`module:function`, or an alias: `add`, `add_messages`."
    )
    description: str | None = None
    untracked: bool | None = Field(
        default=None, description="No checkpoint stores the field: it lasts one run."
    )


class StateSpec(_Model):
    """The state schema: declared fields, or an existing Python class."""

    class_ref: str | None = Field(default=None, alias="class")
    kind: Literal["typeddict", "dataclass", "pydantic"] = "typeddict"
    fields: tuple[FieldSpec, ...] = ()


class RetrySpec(_Model):
    """A retry policy: how often and how soon a node's failed attempt runs again.

    The fields and defaults are LangGraph's ``RetryPolicy``'s.
    """

    initial_interval: float = 0.5
    backoff_factor: float = 2.0
    max_interval: float = 128.0
    max_attempts: int = 3
    jitter: bool = True
    retry_on: tuple[str, ...] | None = Field(
        default=None,
        description=(
            "`module:Class` of each exception class to retry, or one `module:function` "
            "deciding from the exception; by default LangGraph's rules (not on a bug in the code)."
        ),
    )


class TimeoutSpec(_Model):
    """How long each attempt of an async node may take (LangGraph's ``TimeoutPolicy``)."""

    run_timeout: float | None = Field(default=None, description="Seconds an attempt may take.")
    idle_timeout: float | None = Field(
        default=None, description="Seconds an attempt may go without emitting anything."
    )


class CacheSpec(_Model):
    """A node cache policy: a node run again on an input it saw takes its writes from the cache."""

    ttl: int | None = Field(default=None, description="Seconds an entry lives; none: for ever.")
    key: str | None = Field(
        default=None,
        description="`module:function` making the cache key from the node's input.",
    )


class NodeSpec(_Model):
    """A node: an imported callable, or another graph (a subgraph)."""

    name: str
    call: str | None = None
    subgraph: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    metadata: dict[str, JsonValue] = Field(default_factory=dict)
    writer: bool | None = Field(
        default=None, description="Pass a `writer` argument; by default, if the signature has one."
    )
    custom_type: str | None = None
    writes: tuple[str, ...] | None = Field(
        default=None, description="The state keys this node writes (for its update type)."
    )
    destinations: tuple[str, ...] | None = Field(
        default=None,
        description="Where the node may go when it returns a Command (for checking and drawing).",
    )
    streams: bool | None = Field(
        default=None,
        description=(
            "Whether the node may emit while it runs (custom events, a graph's events): `false` "
            "runs it in the superstep loop in every mode; by default, as flowc reads its code."
        ),
    )
    interrupts: str | None = Field(
        default=None,
        description="The type of the value the node passes to `interrupt()` (its payload).",
    )
    resumes: str | None = Field(
        default=None,
        description="The type of the answer a run resumes the node's `interrupt()` with.",
    )
    retry: tuple[RetrySpec, ...] = Field(
        default=(), description="Retry policies, the first whose `retry_on` matches applies."
    )
    timeout: TimeoutSpec | None = None
    cache: CacheSpec | None = None
    defer: bool = Field(
        default=False, description="Run the node only when nothing else is left to run."
    )
    error_handler: str | None = Field(
        default=None,
        description="`module:function` run in the node's place when it fails (after its retries).",
    )


class EdgeSpec(_Model):
    """An edge; several sources make a join (wait for all), several targets a fan-out."""

    sources: Annotated[tuple[str, ...], Field(min_length=1)]
    targets: Annotated[tuple[str, ...], Field(min_length=1)]


class BranchSpec(_Model):
    """A conditional edge: ``router(state)`` names the next node(s)."""

    source: str
    router: str
    targets: tuple[str, ...] | None = None
    path_map: dict[str, str] | None = None


class AgentSpec(_Model):
    """A prebuilt agent: a chat model that calls tools until it answers.

    The graph it makes has LangGraph's agent nodes (``agent``, ``tools``, and
    ``generate_structured_response`` with a response type) and state
    (``messages``, and ``structured_response``).
    """

    model: str = Field(description="`module:attribute` of a LangChain chat model object.")
    tools: tuple[str, ...] = Field(default=(), description="`module:attribute` of each tool.")
    prompt: str | None = Field(default=None, description="A system prompt.")
    response_format: str | None = Field(
        default=None, description="A type expression: the structured response's pydantic model."
    )


class GraphSpec(_Model):
    """A whole graph."""

    name: str
    description: str | None = None
    recursion_limit: int | None = None
    state: StateSpec
    nodes: tuple[NodeSpec, ...] = ()
    edges: tuple[EdgeSpec, ...] = ()
    branches: tuple[BranchSpec, ...] = ()
    custom_type: str | None = None
    agent: AgentSpec | None = None
    interrupt_before: tuple[str, ...] | None = Field(
        default=None, description="The nodes a run on a thread stops before (`*`: every node)."
    )
    interrupt_after: tuple[str, ...] | None = Field(
        default=None, description="The nodes a run on a thread stops after (`*`: every node)."
    )
    checkpoints: Literal["json", "pickle"] | None = Field(
        default=None,
        description=(
            "The graph keeps checkpoints: every state field needs a codec (`json`), or a field "
            "no codec stores is pickled (`pickle`, opted into)."
        ),
    )
    step_timeout: float | None = Field(
        default=None, description="Seconds a superstep may take (LangGraph's `step_timeout`)."
    )
    context_type: str | None = Field(
        default=None,
        description="The type of a run's context (LangGraph's `context_schema`), read by nodes.",
    )

    input_schema: str | None = Field(
        default=None,
        description=(
            "`module:Class` of the keys an input may set (LangGraph's `input_schema`): a run "
            "ignores its input's other keys."
        ),
    )
    output_schema: str | None = Field(
        default=None,
        description="`module:Class` of the keys `invoke` returns (LangGraph's `output_schema`).",
    )
    input_keys: tuple[str, ...] | None = Field(
        default=None,
        description="As a subgraph, the keys it takes from its parent's state (default: all).",
    )
    output_keys: tuple[str, ...] | None = Field(
        default=None,
        description="As a subgraph, the keys it gives back to its parent (default: all).",
    )

    def digest(self) -> str:
        """A stable hash of the spec (sha256 of its canonical JSON)."""
        # a spec that declares none of the later keys (node destinations, interrupts, an
        # agent, breakpoints) hashes as it did before those keys existed
        unset = {
            key
            for key in ("destinations", "streams", "interrupts", "resumes")
            if all(getattr(node, key) is None for node in self.nodes)
        }
        unset |= {
            key
            for key in ("retry", "timeout", "cache", "defer", "error_handler")
            if not any(getattr(node, key) for node in self.nodes)
        }
        exclude: Any = {"nodes": {"__all__": unset}} if unset else {}
        for key in (
            "agent",
            "interrupt_before",
            "interrupt_after",
            "checkpoints",
            "step_timeout",
            "context_type",
            "input_schema",
            "output_schema",
            "input_keys",
            "output_keys",
        ):
            if getattr(self, key) is None:
                exclude[key] = True
        if all(f.untracked is None for f in self.state.fields):
            exclude["state"] = {"fields": {"__all__": {"untracked"}}}
        text = self.model_dump_json(by_alias=True, exclude=exclude or None)
        return hashlib.sha256(text.encode()).hexdigest()

    def node(self, name: str) -> NodeSpec | None:
        """The node called ``name``, if any."""
        for node in self.nodes:
            if node.name == name:
                return node
        return None


def dump(spec: GraphSpec) -> dict[str, Any]:
    """The spec as plain data (for JSON output and tests)."""
    return spec.model_dump(by_alias=True, exclude_defaults=True)
