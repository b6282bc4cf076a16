"""Generated documentation stays in step with the catalogues it is generated from."""

from pathlib import Path

from careboard.measures import docs as measure_docs

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_measures_doc_is_generated_from_the_catalogue():
    assert (DOCS / "measures.md").read_text() == measure_docs.render(), (
        "docs/measures.md is stale: run python -m careboard.measures.docs > docs/measures.md"
    )


def test_validation_doc_is_generated_from_the_rules():
    from careboard.validate import docs as validation_docs

    assert (DOCS / "validation.md").read_text() == validation_docs.render(), (
        "docs/validation.md is stale: run python -m careboard.validate.docs > docs/validation.md"
    )
