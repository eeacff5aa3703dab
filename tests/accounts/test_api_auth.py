"""Token authentication for scripts, and the login lockout applied to the token endpoint."""

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.services import user_deactivate
from core.roles import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def client():
    return APIClient()


def test_a_token_is_issued_for_good_credentials_and_authenticates(client, make_user):
    office = make_user(Role.OFFICE, username="office_script")

    response = client.post(TOKEN_URL, {"username": "office_script", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=office).key == token
    office.refresh_from_db()
    assert office.last_login is not None  # a token request counts as a login
    # The same account asking again gets the same token.
    again = client.post(TOKEN_URL, {"username": "office_script", "password": PASSWORD}, format="json")
    assert again.json()["token"] == token

    anonymous = APIClient()
    assert anonymous.get("/api/v1/deputies/").status_code == 401
    anonymous.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert anonymous.get("/api/v1/deputies/").status_code == 200


def test_a_wrong_token_is_refused(client, make_user):
    make_user(Role.OFFICE)
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.get("/api/v1/deputies/").status_code == 401


@pytest.mark.parametrize(
    "payload",
    [
        {"username": "office_script", "password": "wrong-password-123"},
        {"username": "nobody", "password": PASSWORD},
        {"username": "office_script"},
        {},
    ],
)
def test_bad_credentials_get_400_in_chinese_and_no_token(client, make_user, payload):
    make_user(Role.OFFICE, username="office_script")

    response = client.post(TOKEN_URL, payload, format="json")

    assert response.status_code == 400
    messages = " ".join(str(m) for value in response.json().values() for m in value)
    assert any("\u4e00" <= char <= "\u9fff" for char in messages), messages
    assert Token.objects.count() == 0


def test_wrong_password_message(client, make_user):
    make_user(Role.OFFICE, username="office_script")
    response = client.post(TOKEN_URL, {"username": "office_script", "password": "nope-nope-nope"}, format="json")
    assert response.json() == {"non_field_errors": ["用户名或密码错误，或账号已停用。"]}


def test_a_deactivated_account_gets_no_token_and_loses_its_token(client, make_user):
    admin = make_user(Role.ADMIN)
    user = make_user(Role.OFFICE, username="leaving")
    token = client.post(TOKEN_URL, {"username": "leaving", "password": PASSWORD}, format="json").json()["token"]

    user_deactivate(user=user, actor=admin)

    assert not Token.objects.filter(key=token).exists()
    scripted = APIClient()
    scripted.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert scripted.get("/api/v1/deputies/").status_code == 401
    response = client.post(TOKEN_URL, {"username": "leaving", "password": PASSWORD}, format="json")
    assert response.status_code == 400


def test_the_token_endpoint_locks_out_after_five_failures(client, make_user):
    make_user(Role.OFFICE, username="office_script")
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    bad = {"username": "office_script", "password": "wrong-password-123"}

    statuses = [client.post(TOKEN_URL, bad, format="json").status_code for _ in range(limit)]

    # Four plain refusals, then the fifth failure locks the account.
    assert statuses == [400] * (limit - 1) + [429]
    # Locked: even the right password gets no token now.
    response = client.post(TOKEN_URL, {"username": "office_script", "password": PASSWORD}, format="json")
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "locked_out"
    assert "锁定" in body["detail"]
    assert Token.objects.count() == 0

    # The lockout is per account and address: another account from the same address still works.
    make_user(Role.OFFICE, username="colleague")
    response = client.post(TOKEN_URL, {"username": "colleague", "password": PASSWORD}, format="json")
    assert response.status_code == 200


def test_a_success_before_the_limit_resets_the_count(client, make_user):
    make_user(Role.OFFICE, username="office_script")
    bad = {"username": "office_script", "password": "wrong-password-123"}
    for _ in range(4):
        assert client.post(TOKEN_URL, bad, format="json").status_code == 400
    assert client.post(TOKEN_URL, {"username": "office_script", "password": PASSWORD}, format="json").status_code == 200
    for _ in range(4):
        assert client.post(TOKEN_URL, bad, format="json").status_code == 400


def test_failures_on_the_login_page_and_the_token_endpoint_add_up(client, make_user):
    make_user(Role.OFFICE, username="office_script")
    for _ in range(3):
        client.post("/accounts/login/", {"username": "office_script", "password": "wrong-password-123"})
    bad = {"username": "office_script", "password": "wrong-password-123"}
    assert client.post(TOKEN_URL, bad, format="json").status_code == 400
    assert client.post(TOKEN_URL, bad, format="json").status_code == 429
