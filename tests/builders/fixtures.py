"""The shared fixtures, registered for every test by ``tests/conftest.py``.

``street`` is the organisation street; packages whose tests need another shape under that name
(reception, livelihood, reports) override it with one of the shapes below.
"""

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.builders.people import UserMaker
from tests.builders.streets import build_street, build_world, livelihood_street, people, reception_street


@pytest.fixture
def make_user(db):
    """Create an account through the service, as an administrator would: ``make_user(role, **links)``."""
    return UserMaker()


@pytest.fixture
def street(db):
    """The organisation street (``tests.builders.streets.build_street``)."""
    return build_street()


@pytest.fixture
def folks(make_user, street):
    """The people around the organisation street: office, admin, leader, staff on both sides, deputies."""
    return people(make_user, street)


@pytest.fixture
def world(make_user):
    """The suggestions world: deputies, units and one account per relationship to a suggestion."""
    return build_world(make_user)


@pytest.fixture(name="reception_street")
def reception_street_fixture(make_user):
    """The reception street: stations A, A1 and B with their grids, deputies, groups, units and accounts."""
    return reception_street(make_user)


@pytest.fixture(name="livelihood_street")
def livelihood_street_fixture(make_user):
    """The livelihood street: an office, a leader, units with officers; deputies on demand."""
    return livelihood_street(make_user)


@pytest.fixture(scope="module")
def demo_street_module(django_db_setup, django_db_blocker):
    """The demo street (``seed_demo``), built once for the module that asks for it, inside a transaction
    rolled back at the module's end; each test then runs in its own savepoint (``db``)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", verbosity=0, i_know_this_is_not_production=True)
        yield
        transaction.set_rollback(True)
