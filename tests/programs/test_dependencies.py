"""The registry knows nothing of courses or assessments: they link to it, never the reverse."""

import ast
from pathlib import Path

import cms.programs


def test_the_registry_imports_nothing_from_courses_or_assessments():
    imported = set()
    for path in Path(cms.programs.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
    assert not imported & {"courses", "assessments"}


def test_the_registry_templates_load_nothing_from_courses():
    folder = Path(cms.programs.__file__).parent / "templates"
    for template in folder.rglob("*.html"):
        text = template.read_text()
        assert "courses_tags" not in text and "courses:" not in text, template.name
