"""Switching an account back on: administrators only, through the service, in the API and the admin site.

A login lockout (django-axes) is not lifted by reactivation: it ends by itself or an administrator lifts
it explicitly.
"""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import api_token_issue, user_deactivate, user_reactivate
from core.errors import PermissionRefused
from core.roles import Role
from tests.builders.organisation import handling_unit
from tests.builders.people import client_for
from tests.builders.streets import build_street
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/api/v1/users/"
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, username="site_admin")


@pytest.fixture
def leaver(make_user, admin):
    """An office account that was switched off, its token revoked."""
    user = make_user(Role.OFFICE, username="leaver")
    api_token_issue(user=user)
    return user_deactivate(user=user, actor=admin)


def token_for(username: str, password: str = PASSWORD):
    return APIClient().post(TOKEN_URL, {"username": username, "password": password}, format="json")


def test_an_admin_reactivates_an_account_and_it_logs_in_again(admin, leaver, client):
    assert token_for("leaver").status_code == 400
    refused = client.post(reverse("accounts:login"), {"username": "leaver", "password": PASSWORD})
    assert refused.status_code == 200  # the form again, with its error

    response = client_for(admin).post(f"{URL}{leaver.id}/reactivate/")

    assert response.status_code == 200, response.json()
    assert response.json()["is_active"] is True
    leaver.refresh_from_db()
    assert leaver.is_active and leaver.role == Role.OFFICE and leaver.check_password(PASSWORD)
    # The login page and the token endpoint both let the account in again.
    page = client.post(reverse("accounts:login"), {"username": "leaver", "password": PASSWORD})
    assert page.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    issued = token_for("leaver")
    assert issued.status_code == 200
    assert Token.objects.get(user=leaver).key == issued.json()["token"]


def test_reactivation_issues_no_token_and_keeps_role_and_links(admin, make_user):
    street = build_street()
    staff = make_user(Role.STATION_STAFF, stations=[street.a.station])
    user_deactivate(user=staff, actor=admin)

    user_reactivate(user=staff, actor=admin)

    staff.refresh_from_db()
    assert staff.is_active and staff.role == Role.STATION_STAFF
    assert list(staff.stations.all()) == [street.a.station]
    assert not Token.objects.filter(user=staff).exists()  # the account asks for a new one when needed


def test_reactivating_an_active_account_changes_nothing(admin, make_user):
    office = make_user(Role.OFFICE)
    token = api_token_issue(user=office)

    response = client_for(admin).post(f"{URL}{office.id}/reactivate/")

    assert response.status_code == 200 and response.json()["is_active"] is True
    assert Token.objects.get(user=office) == token


@pytest.mark.parametrize("role", [Role.OFFICE, Role.LEADER, Role.STATION_STAFF, Role.DEPUTY, Role.UNIT_OFFICER])
def test_only_admins_reactivate(make_user, leaver, role):
    street = build_street()
    links = {
        Role.STATION_STAFF: {"stations": [street.a.station]},
        Role.DEPUTY: {"deputy": street.a.deputy},
        Role.UNIT_OFFICER: {"unit": handling_unit()},
    }.get(role, {})
    user = make_user(role, **links)

    assert client_for(user).post(f"{URL}{leaver.id}/reactivate/").status_code == 403
    with pytest.raises(PermissionRefused):
        user_reactivate(user=leaver, actor=user)
    with pytest.raises(PermissionRefused):
        user_deactivate(user=make_user(Role.OFFICE), actor=user)

    leaver.refresh_from_db()
    assert not leaver.is_active


def test_the_refusal_is_in_chinese(make_user, leaver):
    office = make_user(Role.OFFICE)
    with pytest.raises(PermissionRefused) as refused:
        user_reactivate(user=leaver, actor=office)
    assert refused.value.message == "只有管理员才能停用或重新启用账号。"


def test_anonymous_and_unknown(admin):
    assert APIClient().post(f"{URL}{admin.id}/reactivate/").status_code == 401
    assert client_for(admin).post(f"{URL}999999/reactivate/").status_code == 404


def test_reactivation_does_not_lift_a_login_lockout(admin, make_user):
    """Lockouts are about failed passwords from an address; switching the account on is a separate decision."""
    office = make_user(Role.OFFICE, username="locked")
    bad = {"username": "locked", "password": "wrong-password-123"}
    client = APIClient()
    statuses = [client.post(TOKEN_URL, bad, format="json").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses[-1] == 429

    user_deactivate(user=office, actor=admin)
    user_reactivate(user=office, actor=admin)

    office.refresh_from_db()
    assert office.is_active
    locked = client.post(TOKEN_URL, {"username": "locked", "password": PASSWORD}, format="json")
    assert locked.status_code == 429 and locked.json()["code"] == "locked_out"

    # An administrator lifts the lockout explicitly; then the right password works again.
    call_command("axes_reset_username", "locked", stdout=io.StringIO())
    assert client.post(TOKEN_URL, {"username": "locked", "password": PASSWORD}, format="json").status_code == 200


def test_failures_while_switched_off_still_count_after_reactivation(admin, leaver):
    """Someone trying the account while it is off (even with the right password) is locked out as usual."""
    client = APIClient()
    good = {"username": "leaver", "password": PASSWORD}
    statuses = [client.post(TOKEN_URL, good, format="json").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses[-1] == 429

    user_reactivate(user=leaver, actor=admin)

    assert client.post(TOKEN_URL, good, format="json").status_code == 429
    # From another address the account is not locked and logs in.
    other = APIClient(REMOTE_ADDR="10.0.0.9")
    assert other.post(TOKEN_URL, good, format="json").status_code == 200


# --- the admin site ------------------------------------------------------------------------------------------------


def admin_client(client, admin):
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_admin_list_offers_reactivation_and_uses_the_service(client, admin, leaver, make_user):
    other = make_user(Role.OFFICE)
    user_deactivate(user=other, actor=admin)
    still_active = make_user(Role.OFFICE)
    client = admin_client(client, admin)
    changelist = reverse("admin:accounts_user_changelist")
    assert "重新启用所选账号" in client.get(changelist).content.decode()

    response = client.post(
        changelist,
        {"action": "reactivate", "_selected_action": [leaver.pk, other.pk, still_active.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "已重新启用 2 个账号。" in response.content.decode()
    assert User.objects.filter(pk__in=[leaver.pk, other.pk, still_active.pk], is_active=True).count() == 3


def test_ticking_active_on_the_admin_form_reactivates(client, admin, leaver):
    client = admin_client(client, admin)
    url = reverse("admin:accounts_user_change", args=[leaver.pk])

    response = client.post(url, {"username": "leaver", "role": Role.OFFICE, "is_active": "on"})

    assert response.status_code == 302, response.content.decode()[:2000]
    leaver.refresh_from_db()
    assert leaver.is_active
    assert token_for("leaver").status_code == 200
