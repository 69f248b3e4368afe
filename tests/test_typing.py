"""Typing: what ``mypy --strict`` says about generated modules and the code that uses them.

The session's one mypy run (tests/typing_support.py) checks
the golden modules, the consumer code of ``tests/typing/consumers.py``, the
example nodes written against generated types, and the snippets of
``tests/typing/errors/``, each of which holds one kind of mistake. The right
code must give no error; every mistake must give exactly the lines below.
"""

from __future__ import annotations

import pytest

from .conftest import ROOT
from .typing_support import CHECKED_NODES, TYPING, reported_in

EXPECTED: dict[str, list[str]] = {
    "values_wrong_key.py": [
        '10: error: TypedDict "JokeValues" has no key "jokes"  [typeddict-item]',
        '10: note: Did you mean "joke"?',
    ],
    "updates_wrong_node.py": [
        "9: error: Non-overlapping equality check (left operand type: "
        "\"Literal['refine_topic', 'generate_joke']\", right operand type: "
        "\"Literal['refine']\")  [comparison-overlap]",
    ],
    "node_wrong_signature.py": [
        '16: error: Incompatible types in assignment (expression has type "Callable[[int], '
        'dict[str, int]]", variable has type "TallyNode")  [assignment]',
        '16: note: "TallyNode.__call__" has type "Callable[[StateTypeddictState], '
        'TallyUpdate | Mapping[str, Any] | None]"',
        "17: error: Incompatible types in assignment (expression has type "
        '"Callable[[StateTypeddictState], str]", variable has type "TallyNode")  [assignment]',
        '17: note: "TallyNode.__call__" has type "Callable[[StateTypeddictState], '
        'TallyUpdate | Mapping[str, Any] | None]"',
    ],
    "context_wrong_attribute.py": [
        '9: error: Returning Any from function declared to return "str"  [no-any-return]',
        '9: error: "UserContext" has no attribute "user_name"  [attr-defined]',
        '13: error: Incompatible return value type (got "str", expected "int")  [return-value]',
    ],
    "custom_wrong_payload.py": [
        '15: error: Incompatible types in assignment (expression has type "Callable[[ProgressState, '
        'Callable[[int], None]], WorkUpdate]", variable has type "WorkNode")  [assignment]',
        '15: note: "WorkNode.__call__" has type "def __call__(self, ProgressState, /, *, '
        'writer: Callable[[Progress], None]) -> WorkUpdate | Mapping[str, Any] | None"',
        '19: error: Argument 1 has incompatible type "dict[str, str]"; expected "Progress | str"'
        "  [arg-type]",
        '26: error: TypedDict "Progress" has no key "percentage"  [typeddict-item]',
        '26: note: Did you mean "percent"?',
    ],
    "match_not_exhaustive.py": [
        '17: error: Argument 1 to "assert_never" has incompatible type "GenerateJokeUpdated"; '
        'expected "Never"  [arg-type]',
    ],
    "v2_custom_wrong_key.py": [
        '12: error: TypedDict "Progress" has no key "percentage"  [typeddict-item]',
        '12: note: Did you mean "percent"?',
    ],
    "v2_part_wrong_key.py": [
        '10: error: TypedDict "UpdatesPart" has no key "update"  [typeddict-item]',
    ],
    # the output schema's keys only (specs/io_schemas.toml), and the input schema's
    "output_schema_wrong_key.py": [
        '9: error: Extra key "notes" for TypedDict "IoSchemasInput"  [typeddict-unknown-key]',
        '10: error: TypedDict "IoSchemasOutput" has no key "notes"  [typeddict-item]',
    ],
    "input_wrong_key.py": [
        '9: error: Extra key "topics" for TypedDict "JokeInput"  [typeddict-unknown-key]',
    ],
    "resume_wrong_type.py": [
        # a dict that is no Approval is taken for a resume map {interrupt_id: Approval}
        '9: error: Dict entry 0 has incompatible type "str": "str"; expected "str": "Approval"'
        "  [dict-item]",
        '10: error: Argument 1 to "resume" of "InterruptingGraph" has incompatible type "bool"; '
        'expected "Approval | Mapping[str, Approval] | None"  [arg-type]',
    ],
    "interrupt_wrong_payload.py": [
        '11: error: TypedDict "ApprovalRequest" has no key "reasons"  [typeddict-item]',
        '11: note: Did you mean "reason"?',
    ],
    # flowc check proves the annotation's node exists and takes its argument type (E313, E314)
    "send_missing_node.py": [
        '11: error: Argument 1 to "Send" has incompatible type "Literal[\'wrok\']"; expected '
        "\"Literal['work']\"  [arg-type]",
    ],
    "send_wrong_payload.py": [
        '11: error: Missing key "item" for TypedDict "Job"  [typeddict-item]',
        '11: error: Extra key "items" for TypedDict "Job"  [typeddict-unknown-key]',
        '15: error: Argument 2 to "Send" has incompatible type "str"; expected "Job"  [arg-type]',
    ],
    # flowc check proves the annotation's destinations are nodes (E310)
    "command_missing_destination.py": [
        '11: error: Argument "goto" to "Command" has incompatible type "Literal[\'publish\']"; '
        "expected \"Literal['review', 'act'] | Send[str, Any] | "
        "Sequence[Literal['review', 'act'] | Send[str, Any]]\"  [arg-type]",
    ],
}


def test_golden_modules_pass_mypy_strict(mypy_report: dict[str, list[str]]) -> None:
    errors = {
        path: lines for path, lines in mypy_report.items() if path.startswith("tests/golden/")
    }
    assert errors == {}


def test_consumer_code_and_typed_nodes_pass_mypy_strict(mypy_report: dict[str, list[str]]) -> None:
    clean = [(TYPING / "consumers.py").as_posix(), *(p.as_posix() for p in CHECKED_NODES)]
    assert {path: mypy_report[path] for path in clean if path in mypy_report} == {}


def test_only_the_snippets_with_mistakes_have_errors(mypy_report: dict[str, list[str]]) -> None:
    snippets = {p.name for p in (ROOT / TYPING / "errors").glob("*.py")}
    assert snippets == set(EXPECTED)
    assert reported_in(mypy_report, "errors") == {
        (TYPING / "errors" / name).as_posix() for name in EXPECTED
    }


@pytest.mark.parametrize("snippet", sorted(EXPECTED))
def test_each_mistake_gives_mypys_exact_error(
    mypy_report: dict[str, list[str]], snippet: str
) -> None:
    assert mypy_report.get((TYPING / "errors" / snippet).as_posix()) == EXPECTED[snippet]
