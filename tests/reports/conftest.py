import pytest

from tests.reports.random_city import random_city  # noqa: F401 (a fixture of the reports tests)
from tests.reports.seed import seed_street


@pytest.fixture
def street(db):
    """The organisation plus the area station's year (visits, opinions, duties, activities, suggestions)."""
    return seed_street()


@pytest.fixture
def org(db):
    """The organisation and its people only, for permission and page tests."""
    return seed_street(full_year=False)
