"""The pydantic models a TOML spec is validated against, table by table."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, model_validator
from pydantic_core import PydanticCustomError


class _Toml(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, strict=True)


class TomlGraph(_Toml):
    name: str
    description: str | None = None
    recursion_limit: int | None = Field(default=None, ge=1)
    custom_type: str | None = None
    interrupt_before: Literal["*"] | list[str] | None = None
    interrupt_after: Literal["*"] | list[str] | None = None
    checkpoints: Literal["json", "pickle"] | None = None
    step_timeout: float | None = Field(default=None, gt=0)
    context_type: str | None = None
    input_schema: str | None = None
    output_schema: str | None = None


class TomlField(_Toml):
    type: str
    default: JsonValue = None
    reducer: str | None = None
    description: str | None = None
    untracked: bool = False


class TomlState(_Toml):
    class_ref: str | None = Field(default=None, alias="class")
    kind: Literal["typeddict", "dataclass", "pydantic"] = "typeddict"
    fields: dict[str, str | TomlField] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _kind_needs_fields(self) -> TomlState:
        if self.class_ref is not None and "kind" in self.model_fields_set:
            raise PydanticCustomError(
                "kind_with_class",
                "`kind` applies to `[state.fields]`; a state `class` is used as it is",
                {"key": "kind"},
            )
        return self


class TomlRetry(_Toml):
    initial_interval: float = Field(default=0.5, ge=0)
    backoff_factor: float = Field(default=2.0, ge=1)
    max_interval: float = Field(default=128.0, ge=0)
    max_attempts: int = Field(default=3, ge=1)
    jitter: bool = True
    retry_on: str | list[str] | None = None


class TomlTimeout(_Toml):
    run_timeout: float | None = Field(default=None, gt=0)
    idle_timeout: float | None = Field(default=None, gt=0)


class TomlCache(_Toml):
    ttl: int | None = Field(default=None, ge=0)
    key: str | None = None


class TomlNode(_Toml):
    call: str | None = None
    subgraph: str | None = None
    description: str | None = None
    tags: list[str] = Field(default_factory=list)
    metadata: dict[str, JsonValue] = Field(default_factory=dict)
    writer: bool | None = None
    custom_type: str | None = None
    writes: list[str] | None = None
    destinations: list[str] | None = None
    streams: bool | None = None
    interrupts: str | None = None
    resumes: str | None = None
    retry: TomlRetry | list[TomlRetry] | None = None
    timeout: Annotated[float, Field(gt=0)] | TomlTimeout | None = None
    cache: bool | TomlCache | None = None
    defer: bool = False
    error_handler: str | None = None


class TomlEdge(_Toml):
    sources: str | list[str] | None = Field(default=None, alias="from")
    targets: str | list[str] | None = Field(default=None, alias="to")
    chain: list[str] | None = None

    @model_validator(mode="after")
    def _shape(self) -> TomlEdge:
        if self.chain is not None:
            if self.sources is not None or self.targets is not None:
                raise PydanticCustomError(
                    "edge_shape",
                    "an edge has either `chain` or `from`/`to`, not both",
                    {"key": "chain"},
                )
            if len(self.chain) < 2:
                raise PydanticCustomError(
                    "edge_shape", "a `chain` needs at least two nodes", {"key": "chain"}
                )
            return self
        for key, value in (("from", self.sources), ("to", self.targets)):
            if value is None:
                raise PydanticCustomError(
                    "edge_missing", "missing required key `{key}`", {"key": key}
                )
            if not value:
                raise PydanticCustomError(
                    "edge_shape", "an edge's `{key}` list is empty", {"key": key}
                )
        return self


class TomlBranch(_Toml):
    source: str = Field(alias="from")
    router: str
    targets: list[str] | None = None
    path_map: dict[str, str] | None = None


class TomlAgent(_Toml):
    model: str
    tools: list[str] = Field(default_factory=list)
    prompt: str | None = None
    response_format: str | None = None


class TomlSpec(_Toml):
    graph: TomlGraph
    state: TomlState
    nodes: dict[str, TomlNode] = Field(default_factory=dict)
    edges: list[TomlEdge] = Field(default_factory=list)
    branches: list[TomlBranch] = Field(default_factory=list)
    agent: TomlAgent | None = None

    @model_validator(mode="before")
    @classmethod
    def _agent_state(cls, data: Any) -> Any:
        # an agent spec has no [state]: the agent's is made by flowc
        if isinstance(data, dict) and "agent" in data and "state" not in data:
            return {**data, "state": {}}
        return data
