"""A node annotated with a type of its own graph's generated module (imported
under TYPE_CHECKING) is checked against that type, and the generated code
never imports the checker's stand-in for it."""

from __future__ import annotations

from flowc import build
from flowc.codegen import generate
from flowc.dsl.load import check_target


def test_generated_update_type_named_by_a_node_is_not_imported_from_the_checker() -> None:
    result = check_target("tests.fixtures.generated_annotations:joke")
    assert result.graph is not None, result.diagnostics
    texts = {f.name: f.text for f in generate(result.graph)}
    assert all("flowc.dsl" not in text for text in texts.values())
    runner = build("tests.fixtures.generated_annotations:joke")
    assert runner.invoke({"topic": "cats"}) == {"topic": "cats", "joke": "a joke about cats"}
