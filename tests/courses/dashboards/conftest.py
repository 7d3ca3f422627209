import pytest

from ...factories import UserFactory


@pytest.fixture
def staff(db):
    """A member of staff: every dashboard, every organisation."""
    return UserFactory(is_staff=True)
