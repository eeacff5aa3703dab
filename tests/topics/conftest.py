import pytest

from tests.builders.streets import reception_street


@pytest.fixture
def street(make_user):
    """The reception street: stations A (with point A1) and B, grids A-1, A-2, B-1, one account per role."""
    return reception_street(make_user)
