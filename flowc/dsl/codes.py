"""Every diagnostic code flowc gives, in one registry: the code, a title and an explanation.

A :class:`Code` is what ``error[E306]`` stands for. :data:`CODES` holds them
all, in order; ``docs/spec-format.md`` lists the same codes with the same
explanations (a test keeps them equal), :class:`~flowc.dsl.diagnostics.Diagnostic`
refuses a code that is not here, and ``flowc explain E306`` prints one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["CODES", "SECTIONS", "Code", "lookup"]


@dataclass(frozen=True, slots=True)
class Code:
    """One diagnostic code: ``E306``, what it is in a few words, and what it means at length."""

    code: str
    title: str
    """Lower case, no full stop: ``a write to a key the state lacks``."""
    explanation: str
    """What the check finds and why (Markdown, as docs/spec-format.md shows it)."""

    def __str__(self) -> str:
        return self.code


SECTIONS: tuple[tuple[str, str], ...] = (
    ("E0", "reading the spec"),
    ("E1", "names"),
    ("E2", "the shape of the graph"),
    ("E3", "the Python the spec names"),
    ("E4", "supersteps"),
    ("E5", "subgraphs"),
    ("E6", "the LangGraph drop-in"),
    ("E7", "prebuilt agents"),
    ("E8", "checkpoints"),
    ("W0", "warnings of `flowc compile`"),
)
"""The families of codes, by the first two characters of their code, as the docs group them."""

_CODES: dict[str, Code] = {}


def _code(code: str, title: str, explanation: str) -> Code:
    entry = Code(code, title, explanation)
    assert code not in _CODES, code
    _CODES[code] = entry
    return entry


E000 = _code(
    "E000",
    "a target that cannot be read or imported",
    (
        "The target cannot be read or imported: no such file, a Python file given as a "
        "path, a module that fails to import (the place is the failing line), an "
        "attribute that is not a graph."
    ),
)
E001 = _code(
    "E001",
    "invalid TOML (syntax, duplicate keys, not UTF-8)",
    ("Invalid TOML: a syntax error, a key or table declared twice, bytes that are not UTF-8."),
)
E002 = _code(
    "E002",
    "a required key is missing",
    (
        "A required key is missing (`[graph] name`, a field's `type`, an edge's `from` or "
        "`to`), or a graph has no state."
    ),
)
E003 = _code(
    "E003",
    "an unknown key, table or option",
    ("An unknown key, table or builder option; the hint names the closest known key."),
)
E004 = _code(
    "E004",
    "a value of the wrong type, or a builder call flowc cannot record",
    (
        'A value of the wrong type (`recursion_limit = "ten"`), an unusable value (`kind '
        '= "namedtuple"`, a recursion limit below 1), or a builder call flowc cannot '
        "record."
    ),
)
E005 = _code(
    "E005",
    "an edge written in a shape flowc does not accept",
    (
        "An edge in a shape flowc does not accept: `chain` with `from`/`to`, a chain of "
        "one node, an empty `from` or `to` list."
    ),
)
E006 = _code(
    "E006",
    "a spec beyond a limit flowc sets (size, nesting, subgraph depth)",
    (
        "A spec beyond a limit flowc sets, named in the message: a file over 8 MiB, "
        "arrays and inline tables nested more than 50 levels, an integer longer than "
        "Python reads (4,300 digits), subgraphs nested more than 32 graphs deep. (A type "
        "expression over 5,000 characters or nested more than 64 levels is an E302.)"
    ),
)
E101 = _code(
    "E101",
    "a name that cannot be a Python name",
    (
        "A graph or field name that cannot be a Python name where generated code "
        "puts it: a keyword, a non-identifier, a graph name starting with `__` (a "
        "graph `__init__` would be its package's `__init__.py`), a field of a generated "
        "pydantic model starting with `_` (pydantic drops it as a private attribute) or "
        "with `model_`, or named like a `BaseModel` method (`json`, `dict`, `copy`...), a "
        "field of a generated dataclass named `field` or of a pydantic model named "
        "`Field` (the class calls them for mutable defaults), a field of a generated "
        "dataclass or pydantic model that has a default and is named like a name the "
        "fields' types use (`list = 0` would make `log: list[str]` mean `0[str]`), a "
        "field starting with `__` (Python renames `__x` in a class body, and `__init__` "
        "or `__class__` are the class's own). A TypedDict state takes any other "
        "identifier; a state `class` must have keys that are identifiers too (a "
        "functional `TypedDict` may not). A node name holding `|` or `:`, which LangGraph "
        "keeps for the namespaces of subgraphs' tasks; any other string names a node, as in "
        'LangGraph (`"1"`, `"Call Tool"`), and generated code names the node\'s '
        "functions and classes with an identifier made from it (`N1Updated`, "
        "`CallToolUpdated`)."
    ),
)
E102 = _code(
    "E102",
    "a reserved name (START, END)",
    ("A node named `START` or `END` (either spelling)."),
)
E103 = _code(
    "E103",
    "a node declared twice",
    ("A node (or state field) declared twice."),
)
E104 = _code(
    "E104",
    "an unknown node in an edge or router",
    (
        "An edge, router, target list, path map or `interrupt_before` / `interrupt_after` "
        "list names a node that does not exist."
    ),
)
E106 = _code(
    "E106",
    "START or END on the wrong end of an edge",
    ("`START` on the receiving end of an edge, `END` on the sending end, or `START` in a join."),
)
E107 = _code(
    "E107",
    "a node with both or neither of call and subgraph",
    ("A node with both `call` and `subgraph`, or neither."),
)
E201 = _code(
    "E201",
    "a node unreachable from START",
    (
        "A node no run can reach from `START` (a join target is reached only if all its "
        "sources are)."
    ),
)
E202 = _code(
    "E202",
    "a node from which END cannot be reached",
    (
        "A node from which no path leads to `END`: a run that reaches it never ends. "
        "Reported where runs enter such a region."
    ),
)
E203 = _code(
    "E203",
    "a cycle with no conditional exit",
    ("A cycle of plain edges: they always fire, so the cycle never stops, whatever routers say."),
)
E204 = _code(
    "E204",
    "nothing leaves START",
    ("Nothing leaves `START`."),
)
E301 = _code(
    "E301",
    "an unimportable callable or type",
    (
        "A callable, reducer or class that cannot be imported (missing module or name, a "
        "`.` where `:` belongs, a function defined inside another or a lambda). A "
        "misspelt name gets a hint with the closest public name of the module, a misspelt "
        "module one with the closest module beside it (`did you mean `to_b`?`), as close "
        'as Python\'s own "Did you mean" requires.'
    ),
)
E302 = _code(
    "E302",
    "a type that does not resolve",
    (
        "A type that does not resolve: an unknown name, an expression that is not a type "
        "expression, a name that is not a type (a value such as `os.sep` or "
        "`sys.maxsize`, a function such as `os.system`, a module, a constant outside "
        "`Literal[...]`), a module that acts when it is imported (`this`, `antigravity`: "
        "flowc never imports them), a field type pydantic cannot validate in a `kind = "
        '"pydantic"` state, an expression over 5,000 characters or nested more than 64 '
        "levels (write a long union as `Union[A, B, ...]`), a node or state annotation "
        "naming something undefined."
    ),
)
E303 = _code(
    "E303",
    "a reference to something that is not callable",
    ("A reference to something that is not callable."),
)
E304 = _code(
    "E304",
    "a node or router signature that cannot take the state",
    (
        "A node or router whose signature cannot take the state: no parameter, a required "
        "parameter flowc cannot pass, `writer = true` without a `writer` parameter, "
        "`writer = false` with a required one."
    ),
)
E305 = _code(
    "E305",
    "a node parameter type that cannot take the state",
    (
        "A node whose first parameter's type cannot hold the state: another type, a "
        "TypedDict with keys the state lacks, another class than the state class (a key it "
        "types otherwise is an E316)."
    ),
)
E306 = _code(
    "E306",
    "a write to a key the state lacks",
    (
        "A node that writes a key the state lacks (its return TypedDict, or its `writes` "
        "list). LangGraph drops such writes silently; flowc refuses them."
    ),
)
E307 = _code(
    "E307",
    "a write of the wrong type",
    (
        "A node that writes a key with a value of the wrong type, or returns something "
        "that is not an update."
    ),
)
E308 = _code(
    "E308",
    "a reducer that does not fit its field",
    (
        "A reducer whose signature does not fit its field: not two arguments, or "
        "parameter or return types that do not match the field's type."
    ),
)
E309 = _code(
    "E309",
    "a router Literal naming an undeclared or missing target",
    (
        "A router whose `Literal` return annotation names a target that is not among its "
        '`targets`, not a key of its path map, or not a node (`"END"` is not END: a '
        'router returns `"__end__"`).'
    ),
)
E310 = _code(
    "E310",
    "a router whose targets are unknown",
    (
        "A router whose targets are unknown: no `targets`, no path map, no `Literal` "
        "return annotation. Also a node whose `Command` may go to something that is not a "
        "node of the graph (its `Command[Literal[...]]` return annotation, or its "
        "`destinations`)."
    ),
)
E311 = _code(
    "E311",
    "a default of the wrong type",
    (
        "A default value that does not have its field's type (a `Literal[...]` field's "
        "default must be one of its values)."
    ),
)
E312 = _code(
    "E312",
    "a node whose return type writes keys its `writes` leaves out",
    (
        "A node whose return type writes a key its `writes` list leaves out. A TypedDict "
        "names the keys it writes; one with every state key (the state itself, "
        "`total=False`, as in LangGraph's examples) names only its required keys."
    ),
)
E313 = _code(
    "E313",
    "a Send to a node the graph lacks",
    (
        "A router whose return annotation sends to a node that is not in the graph: "
        '`Send[Literal["worker"], Job]` names the node its `Send`s go to, which must be a '
        "node of the same graph."
    ),
)
E314 = _code(
    "E314",
    "a Send argument the node does not take",
    (
        'A router whose return annotation sends an argument (`Send[Literal["worker"], Job]`) '
        "that the node's first parameter cannot take: a `Send` task gets the argument instead "
        "of the state."
    ),
)
E315 = _code(
    "E315",
    "a graph input or output schema that does not fit the state",
    (
        "A graph's `input_schema` or `output_schema` that is not a state class (a TypedDict, "
        "dataclass or pydantic model), or that has a key the state lacks or types a key "
        "otherwise than the state: a schema names some of the state's keys, which a run "
        "takes as input or `invoke` returns."
    ),
)
E316 = _code(
    "E316",
    "a node schema key typed otherwise than the state",
    (
        "A node whose first parameter is a TypedDict, dataclass or pydantic model of some of "
        "the state's keys, one of which it types so that the state's values may not fit "
        "(`str` for the state's `Optional[str]`). LangGraph passes the value as it is; the "
        "drop-in does too, flowc's own specs refuse it."
    ),
)
E320 = _code(
    "E320",
    "a node policy that names the wrong kind of object",
    (
        "A retry policy's `retry_on` names something that is not an exception class (or, "
        "alone, a function deciding from the exception), a cache policy's `key` is not "
        "a function of one argument (the node's input), or an `error_handler` is not a "
        "function. The name is imported at check "
        "time, so that a wrong one fails here, not at the node's first failure."
    ),
)
E321 = _code(
    "E321",
    "a timeout that is not a positive number of seconds",
    (
        "A node's `timeout` (its `run_timeout` or `idle_timeout`), or the graph's "
        "`step_timeout`, is zero or negative, or a timeout table gives neither: a "
        "timeout is a number of seconds greater than 0."
    ),
)
E401 = _code(
    "E401",
    "two nodes of one superstep writing a last-value field",
    (
        "Two or more nodes that can run in the same superstep all write a field without a "
        "reducer. LangGraph fails at run time with `InvalidUpdateError`; flowc says so "
        "before. Only keys a node always writes count (its `writes`, or the required keys "
        "of its return TypedDict). Writes the checker cannot be sure of (a subgraph node "
        "writes every key it shares, if it has a value) fail at run time, as in "
        "LangGraph."
    ),
)
E502 = _code(
    "E502",
    "a subgraph sharing a key with another type",
    ("A key both states have, with different types."),
)
E503 = _code(
    "E503",
    "a graph that contains itself",
    ("A graph that contains itself, directly or through its subgraphs."),
)
E504 = _code(
    "E504",
    "a subgraph that cannot be loaded",
    (
        "A subgraph that cannot be loaded (a missing file, a graph object not held by a "
        "module-level name)."
    ),
)
E505 = _code(
    "E505",
    "two graphs of one tree compiled to the same module",
    (
        "Two different graphs of one tree with the same name: each graph of a tree is "
        "compiled to a module named after it, in one package."
    ),
)
E601 = _code(
    "E601",
    "a LangGraph feature flowc does not support yet",
    (
        "A LangGraph feature flowc does not support yet, named in the message with the call, "
        "node or router that uses it: LangGraph's own `interrupt()`, a store or cache given "
        "to `compile()`, a `StateGraph` schema "
        "option, a managed value or channel in the state, a node parameter flowc cannot pass."
    ),
)
E602 = _code(
    "E602",
    "something that cannot run as a node or router",
    (
        "Something given to the drop-in's builder that cannot run as a node or router: a "
        "state schema that is not a class, an object that is not callable, LangGraph's own "
        "`ToolNode` (import it from `flowc.langgraph.prebuilt`), a path map entry that is "
        "not a node name."
    ),
)
E603 = _code(
    "E603",
    "node metadata that generated code cannot hold",
    (
        "Node metadata that is not JSON values (str, int, float, bool, None, lists and "
        "dicts of them): flowc writes it into the generated module."
    ),
)
E604 = _code(
    "E604",
    "interrupt() in a graph compiled without a checkpointer",
    (
        "A node that calls `interrupt()` in a drop-in graph compiled without a checkpointer. Not "
        "refused: as in LangGraph, a root run of the graph stops there (on a scratch thread of "
        "its own: `invoke` returns the state with its `__interrupt__`, no checkpoint streams) and "
        "nothing can resume it (`Command(resume=...)` raises); run as a subgraph of a graph with "
        "a checkpointer, it keeps its checkpoints on its parent's thread and may be resumed. "
        "flowc's own specs take their checkpointer at run time, where `interrupt()` without one "
        "raises naming the node. Compile with `checkpointer=` (one of `flowc.savers`, or a "
        "LangGraph saver) and run on a thread to resume."
    ),
)
E701 = _code(
    "E701",
    "a model that is not a chat model",
    (
        "The `[agent]` table's `model` names something that is not a LangChain chat model object (a `BaseChatModel`, e.g. `ChatOpenAI(...)` assigned to a module-level name): the agent binds its tools to it and streams its tokens."
    ),
)
E702 = _code(
    "E702",
    "a tool the model cannot be told about",
    (
        "An `[agent]` tool that is not a function or LangChain tool, or one whose parameters the model cannot be given a JSON schema for: a parameter without a type annotation, or whose type pydantic has no JSON schema for (the message names the parameter)."
    ),
)
E703 = _code(
    "E703",
    "a response type that is not a model",
    (
        "The `[agent]` table's `response_format` is not a pydantic model or TypedDict: the structured response is validated as one and typed as one in the generated state."
    ),
)
E704 = _code(
    "E704",
    "an agent spec that also declares the graph",
    (
        "A spec with an `[agent]` table also declares nodes, edges, branches or a state: the agent's graph is LangGraph's prebuilt agent (`agent`, `tools`, `generate_structured_response`; `messages`, `structured_response`), made by flowc."
    ),
)
E801 = _code(
    "E801",
    "a state field no checkpoint codec can store",
    (
        'A state field whose declared type no checkpoint codec can store (a plain class, a callable, a file: not JSON values, tuples, sets, bytes, datetimes, UUIDs, Decimals, enums, named tuples, dataclasses, TypedDicts or pydantic models, or a container of such a type), in a graph that keeps checkpoints: its `[graph] checkpoints` is `"json"`, or it has breakpoints or a node that interrupts, which need a checkpointer. The message names the part of the type that cannot be stored. Opt into pickle with `checkpoints = "pickle"` (the saver then needs `serde=JsonSerializer(pickle_fallback=True)`: unpickling runs code, so only for a database you trust), or give the field a type a codec stores.'
    ),
)
W001 = _code(
    "W001",
    "a module found only through the spec's folder",
    (
        "A node, router or state module that was found only because it sits in the spec's "
        "folder: `flowc run` imports it, a program importing the compiled package does "
        "not have that folder on its path. Make it part of a package of yours, or name "
        "its folder in `[tool.flowc] python-path`."
    ),
)

CODES: Mapping[str, Code] = MappingProxyType(_CODES)
"""Every code by its name, in the order of :data:`SECTIONS`."""


def lookup(code: str) -> Code | None:
    """The registered :class:`Code` named ``code`` (any case: ``e306`` is ``E306``), if any."""
    return CODES.get(code.strip().upper())
