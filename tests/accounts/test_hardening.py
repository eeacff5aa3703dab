"""Account hardening: password spraying locks the username, API tokens expire and can be revoked."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.roles import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
REVOKE_URL = "/api/v1/auth/token/revoke/"


def _login(client, username, password, ip):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_failures_from_many_addresses_lock_the_username(client, settings, make_user):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_USERNAME_FAILURE_LIMIT = 6
    make_user(Role.OFFICE, username="office")
    make_user(Role.OFFICE, username="other")
    for n in range(5):  # one guess per address: no address reaches its own limit of three
        assert _login(client, "office", f"wrong-password-{n}", f"198.51.100.{n}").status_code == 200
    # Below the username's limit the right password still works from a new address...
    assert _login(client, "other", PASSWORD, "198.51.100.200").status_code == 302
    client.logout()
    _login(client, "office", "wrong-password-5", "198.51.100.5")  # the sixth failure, from a sixth address
    # ...and at it the username is locked from everywhere, even with the right password.
    response = _login(client, "office", PASSWORD, "203.0.113.99")
    assert response.status_code == 429
    assert "账号已锁定" in response.content.decode()
    # Another account is not affected.
    assert _login(client, "other", PASSWORD, "198.51.100.1").status_code == 302


def test_the_per_address_limit_still_applies_first(client, settings, make_user):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_USERNAME_FAILURE_LIMIT = 20
    make_user(Role.OFFICE, username="office")
    for _ in range(3):
        _login(client, "office", "wrong-password-1", "198.51.100.7")
    assert _login(client, "office", PASSWORD, "198.51.100.7").status_code == 429
    # Three failures are far from the username's limit: from elsewhere the owner logs in.
    assert _login(client, "office", PASSWORD, "198.51.100.8").status_code == 302


def test_the_username_lock_goes_through_the_token_endpoint_too(settings, make_user):
    settings.AXES_FAILURE_LIMIT = 10
    settings.AXES_USERNAME_FAILURE_LIMIT = 3
    make_user(Role.OFFICE, username="script")
    api = APIClient()
    for n in range(3):
        api.post(TOKEN_URL, {"username": "script", "password": "wrong-password-1"}, REMOTE_ADDR=f"10.0.0.{n}")
    response = api.post(TOKEN_URL, {"username": "script", "password": PASSWORD}, REMOTE_ADDR="10.0.0.99")
    assert response.status_code == 429 and response.json()["code"] == "locked_out"
    assert not Token.objects.exists()


def _token(username):
    response = APIClient().post(TOKEN_URL, {"username": username, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def _with(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _age(token_key, days):
    Token.objects.filter(key=token_key).update(created=Token.objects.get(key=token_key).created - timedelta(days=days))


def test_a_token_expires_after_the_configured_days_with_a_machine_readable_401(settings, make_user):
    settings.API_TOKEN_LIFETIME = timedelta(days=30)
    make_user(Role.OFFICE, username="script")
    issued = _token("script")
    token = Token.objects.get(key=issued["token"])
    assert datetime.fromisoformat(issued["expires_at"]) == token.created + timedelta(days=30)
    _age(issued["token"], 29)
    assert _with(issued["token"]).get("/api/v1/deputies/").status_code == 200
    _age(issued["token"], 1)  # now 30 days old
    response = _with(issued["token"]).get("/api/v1/deputies/")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "API令牌已过期，请通过 /api/v1/auth/token/ 重新获取。",
        "code": "token_expired",
    }
    assert response["WWW-Authenticate"] == "Token"
    # The token endpoint replaces the expired token with a new one, which works.
    renewed = _token("script")
    assert renewed["token"] != issued["token"]
    assert list(Token.objects.values_list("key", flat=True)) == [renewed["token"]]
    assert _with(renewed["token"]).get("/api/v1/deputies/").status_code == 200
    # Asking again before it expires returns the same token (scripts share one per account).
    assert _token("script")["token"] == renewed["token"]


def test_the_lifetime_is_configurable(settings, make_user):
    settings.API_TOKEN_LIFETIME = timedelta(days=2)
    make_user(Role.OFFICE, username="script")
    issued = _token("script")
    _age(issued["token"], 2)
    assert _with(issued["token"]).get("/api/v1/deputies/").json()["code"] == "token_expired"


def test_a_user_revokes_their_own_token(make_user):
    make_user(Role.OFFICE, username="script")
    make_user(Role.OFFICE, username="colleague")
    mine, theirs = _token("script")["token"], _token("colleague")["token"]
    response = _with(mine).post(REVOKE_URL)
    assert response.status_code == 200 and response.json() == {"revoked": 1}
    assert _with(mine).get("/api/v1/deputies/").status_code == 401
    assert _with(theirs).get("/api/v1/deputies/").status_code == 200
    # From a logged-in session too (nothing left to revoke: 0), and never anonymously.
    session = APIClient()
    session.force_login(get_user_model().objects.get(username="script"))
    assert session.post(REVOKE_URL).json() == {"revoked": 0}
    assert APIClient().post(REVOKE_URL).status_code == 401


def test_an_administrator_revokes_anyones_token_and_others_cannot(make_user):
    admin = make_user(Role.ADMIN, username="boss")
    office = make_user(Role.OFFICE, username="office")
    script = make_user(Role.OFFICE, username="script")
    token = _token("script")["token"]
    url = f"/api/v1/users/{script.pk}/revoke-tokens/"
    refused = APIClient()
    refused.force_authenticate(office)
    assert refused.post(url).status_code == 403
    assert _with(token).get("/api/v1/deputies/").status_code == 200
    allowed = APIClient()
    allowed.force_authenticate(admin)
    assert allowed.post(url).json() == {"revoked": 1}
    assert _with(token).get("/api/v1/deputies/").status_code == 401


def test_the_admin_site_revokes_the_selected_accounts_tokens(client, make_user):
    admin = make_user(Role.ADMIN, username="boss")
    script = make_user(Role.OFFICE, username="script")
    token = _token("script")["token"]
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "revoke_api_tokens", "_selected_action": [script.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "已吊销 1 个API令牌。" in response.content.decode()
    assert not Token.objects.filter(key=token).exists()
