"""Generated documentation stays in step with the catalogues it is generated from."""

from pathlib import Path

from careboard.measures import docs as measure_docs

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_measures_doc_is_generated_from_the_catalogue():
    assert (DOCS / "measures.md").read_text() == measure_docs.render(), (
        "docs/measures.md is stale: run python -m careboard.measures.docs > docs/measures.md"
    )
