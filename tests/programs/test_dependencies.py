"""The registry knows nothing of courses or assessments: they link to it, never the reverse."""

from pathlib import Path

import cms.programs
from tests.imports import top_level_imports


def test_the_registry_imports_nothing_from_courses_or_assessments():
    assert not top_level_imports(cms.programs) & {"courses", "assessments"}


def test_the_registry_templates_load_nothing_from_courses():
    folder = Path(cms.programs.__file__).parent / "templates"
    for template in folder.rglob("*.html"):
        text = template.read_text()
        assert "courses_tags" not in text and "courses:" not in text, template.name
