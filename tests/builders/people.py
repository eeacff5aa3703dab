"""Accounts of every role, created through the accounts service as an administrator would."""

from rest_framework.test import APIClient

from accounts.services import user_create
from core.roles import Role

# Long enough and uncommon enough to pass the password policy.
PASSWORD = "Liaison-Station-2024!"


def user(role: str = Role.OFFICE, *, username: str, password: str = PASSWORD, **links):
    """One account; ``links`` are the role's links (``stations``, ``deputy``, ``unit``) and name fields."""
    return user_create(username=username, password=password, role=role, **links)


class UserMaker:
    """``make_user(role, **links)``: a new account each call, named after its role unless ``username`` is given."""

    def __init__(self):
        self.count = 0

    def __call__(self, role: str = Role.OFFICE, **links):
        self.count += 1
        return user(role, username=links.pop("username", f"{role}{self.count}"), **links)


def client_for(account) -> APIClient:
    """An API client authenticated as ``account`` (no session, no CSRF)."""
    client = APIClient()
    client.force_authenticate(account)
    return client
