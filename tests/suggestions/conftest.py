import pytest

from tests.suggestions.helpers import build_world


@pytest.fixture
def world(make_user):
    return build_world(make_user)
