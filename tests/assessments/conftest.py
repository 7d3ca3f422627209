import pytest

from ..factories import make_quiz_from_text
from .test_quiz_audit import SMALL


@pytest.fixture
def small(tmp_path):
    """The hand-made scenario with four known paths (test_quiz_audit), for officers."""
    return make_quiz_from_text(tmp_path, SMALL)
