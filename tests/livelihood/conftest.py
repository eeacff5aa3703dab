import pytest


@pytest.fixture
def street(livelihood_street):
    """The livelihood street (``tests.builders.streets.livelihood_street``)."""
    return livelihood_street
