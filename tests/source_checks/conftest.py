"""Checks of the shipped curriculum against the source documents it quotes.

The documents are not part of the repository, so these checks are not part of `make test`:
`FLIGHTPATH_SOURCES=path/to/sources make check-sources` runs them.
"""

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def sources() -> Path:
    """The folder of source documents named by FLIGHTPATH_SOURCES."""
    folder = os.environ.get("FLIGHTPATH_SOURCES", "")
    if not folder:
        pytest.fail(
            "FLIGHTPATH_SOURCES is not set: name the folder of source documents, "
            "e.g. FLIGHTPATH_SOURCES=path/to/sources make check-sources",
            pytrace=False,
        )
    if not Path(folder).is_dir():
        pytest.fail(f"FLIGHTPATH_SOURCES={folder} is not a folder", pytrace=False)
    return Path(folder)
