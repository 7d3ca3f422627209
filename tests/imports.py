"""What a package of Flightpath imports, for the tests that keep the dependencies one way."""

import ast
from pathlib import Path


def top_level_imports(package) -> set[str]:
    """The top-level names every module below `package`'s folder imports."""
    imported = set()
    for path in Path(package.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
    return imported
