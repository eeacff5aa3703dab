import pytest

from accounts.models import Role
from accounts.services import user_create

# Long enough and uncommon enough to pass the password policy.
PASSWORD = "Liaison-Station-2024!"


@pytest.fixture
def make_user(db):
    """Create an account through the service, as an administrator would."""
    counter = {"n": 0}

    def make(role: str = Role.OFFICE, **links):
        counter["n"] += 1
        return user_create(
            username=links.pop("username", f"{role}{counter['n']}"), password=PASSWORD, role=role, **links
        )

    return make
