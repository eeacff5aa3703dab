"""The ``users`` collection: administrators manage accounts, their roles and links."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import api_token_issue
from core.roles import Role
from tests.builders.organisation import handling_unit
from tests.builders.people import client_for
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/api/v1/users/"
NEW_PASSWORD = "Another-Good-Passphrase-9"


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, username="site_admin")


def test_an_admin_creates_station_staff_with_stations(admin, street):
    response = client_for(admin).post(
        URL,
        {
            "username": "staff_new",
            "password": NEW_PASSWORD,
            "role": "station_staff",
            "stations": [street.a.station.id],
            "last_name": "梁",
            "first_name": "晓敏",
            "phone": "13912345678",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert "password" not in body
    assert body["role"] == "station_staff"
    assert body["role_label"] == "联络站工作人员"
    assert body["stations"] == [street.a.station.id]
    user = User.objects.get(username="staff_new")
    assert user.check_password(NEW_PASSWORD)
    assert list(user.stations.all()) == [street.a.station]


def test_an_admin_creates_a_deputy_and_a_unit_officer(admin, street):
    client = client_for(admin)
    deputy = client.post(
        URL,
        {"username": "dep", "password": NEW_PASSWORD, "role": "deputy", "deputy": street.a.deputy.id},
        format="json",
    )
    unit = handling_unit()
    officer = client.post(
        URL, {"username": "unit", "password": NEW_PASSWORD, "role": "unit_officer", "unit": unit.id}, format="json"
    )

    assert deputy.status_code == 201 and officer.status_code == 201
    assert User.objects.get(username="dep").deputy == street.a.deputy
    assert User.objects.get(username="unit").unit == unit


def test_a_superuser_counts_as_admin(street):
    superuser = User.objects.create_superuser("root_admin", password=PASSWORD)
    assert client_for(superuser).get(URL).status_code == 200


@pytest.mark.parametrize("role", [Role.OFFICE, Role.LEADER, Role.STATION_STAFF, Role.DEPUTY, Role.UNIT_OFFICER])
def test_only_admins_manage_users(make_user, street, role):
    links = {
        Role.STATION_STAFF: {"stations": [street.a.station]},
        Role.DEPUTY: {"deputy": street.a.deputy},
        Role.UNIT_OFFICER: {"unit": handling_unit()},
    }.get(role, {})
    user = make_user(role, **links)
    other = make_user(Role.OFFICE)
    client = client_for(user)
    before = User.objects.count()

    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{other.id}/").status_code == 403
    assert client.get(f"{URL}{user.id}/").status_code == 403  # not even their own record through this door
    created = client.post(URL, {"username": "x", "password": NEW_PASSWORD, "role": "office"}, format="json")
    assert created.status_code == 403
    assert client.patch(f"{URL}{other.id}/", {"role": "admin"}, format="json").status_code == 403
    assert client.post(f"{URL}{other.id}/deactivate/").status_code == 403

    assert User.objects.count() == before
    other.refresh_from_db()
    assert other.role == Role.OFFICE and other.is_active


def test_anonymous_gets_401(street):
    assert APIClient().get(URL).status_code == 401


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"username": "n1", "password": "short", "role": "office"}, "password"),
        ({"username": "n1", "password": "password1234", "role": "office"}, "password"),  # common
        ({"username": "n1", "password": "123456789012345", "role": "office"}, "password"),  # numeric
        ({"username": "n1", "role": "office"}, "password"),
        ({"username": "n1", "password": NEW_PASSWORD, "role": "boss"}, "role"),
        ({"username": "n1", "password": NEW_PASSWORD}, "role"),
        ({"password": NEW_PASSWORD, "role": "office"}, "username"),
        ({"username": "site_admin", "password": NEW_PASSWORD, "role": "office"}, "username"),  # taken
        ({"username": "bad name!", "password": NEW_PASSWORD, "role": "office"}, "username"),
        ({"username": "n1", "password": NEW_PASSWORD, "role": "station_staff"}, "stations"),
        ({"username": "n1", "password": NEW_PASSWORD, "role": "station_staff", "stations": [999999]}, "stations"),
        ({"username": "n1", "password": NEW_PASSWORD, "role": "deputy"}, "deputy"),
        ({"username": "n1", "password": NEW_PASSWORD, "role": "deputy", "deputy": "abc"}, "deputy"),
        ({"username": "n1", "password": NEW_PASSWORD, "role": "unit_officer"}, "unit"),
        ({"username": "n1", "password": NEW_PASSWORD, "role": "office", "email": "not-an-email"}, "email"),
    ],
)
def test_bad_input_is_a_400_field_error_and_writes_nothing(admin, street, payload, field):
    before = User.objects.count()

    response = client_for(admin).post(URL, payload, format="json")

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert User.objects.count() == before


def test_link_errors_are_in_chinese(admin, street, make_user):
    make_user(Role.DEPUTY, deputy=street.a.deputy)
    client = client_for(admin)
    cases = [
        ({"role": "station_staff"}, "stations", "联络站工作人员至少要分配一个联络站。"),
        ({"role": "deputy", "deputy": street.a.deputy.id}, "deputy", "该代表档案已有账号。"),
        ({"role": "office", "stations": [street.a.station.id]}, "stations", "只有联络站工作人员才能分配联络站。"),
        ({"role": "unit_officer"}, "unit", "承办单位经办人账号必须关联一个承办单位。"),
    ]
    for extra, field, message in cases:
        response = client.post(URL, {"username": "n1", "password": NEW_PASSWORD, **extra}, format="json")
        assert response.status_code == 400
        assert response.json()[field] == [message]


def test_the_password_policy_speaks_chinese(admin, street):
    response = client_for(admin).post(URL, {"username": "n1", "password": "short", "role": "office"}, format="json")
    assert any("12" in message and "密码" in message for message in response.json()["password"])


def test_list_and_retrieve_with_filters(admin, make_user, street):
    staff = make_user(Role.STATION_STAFF, stations=[street.a.station], username="liang")
    make_user(Role.OFFICE, username="office_zhou")
    client = client_for(admin)

    everyone = client.get(URL).json()
    assert everyone["count"] == User.objects.count()
    assert set(everyone) == {"count", "next", "previous", "results"}
    staff_only = client.get(URL, {"role": "station_staff"}).json()
    assert [row["username"] for row in staff_only["results"]] == ["liang"]
    assert [row["username"] for row in client.get(URL, {"q": "zhou"}).json()["results"]] == ["office_zhou"]
    assert client.get(f"{URL}{staff.id}/").json()["stations"] == [street.a.station.id]
    assert client.get(URL, {"role": "boss"}).status_code == 400


def test_partial_update_changes_role_and_links(admin, make_user, street):
    staff = make_user(Role.STATION_STAFF, stations=[street.a.station])
    client = client_for(admin)

    moved = client.patch(f"{URL}{staff.id}/", {"stations": [street.b.station.id]}, format="json")
    assert moved.status_code == 200, moved.json()
    assert moved.json()["stations"] == [street.b.station.id]

    # Becoming a leader drops the stations, which a leader does not use.
    promoted = client.patch(f"{URL}{staff.id}/", {"role": "leader", "phone": "13700000000"}, format="json")
    assert promoted.status_code == 200, promoted.json()
    staff.refresh_from_db()
    assert staff.role == Role.LEADER and staff.phone == "13700000000"
    assert not staff.stations.exists()

    made_admin = client.patch(f"{URL}{staff.id}/", {"role": "admin"}, format="json")
    assert made_admin.status_code == 200
    staff.refresh_from_db()
    assert staff.is_staff and staff.is_superuser


def test_a_bad_partial_update_changes_nothing(admin, make_user, street):
    staff = make_user(Role.STATION_STAFF, stations=[street.a.station], username="liang")
    client = client_for(admin)
    bad = [
        {"role": "deputy"},  # no deputy record given
        {"stations": []},
        {"password": "short"},
        {"username": "renamed"},
        {"role": "office", "stations": [street.a.station.id]},
        {"deputy": street.a.deputy.id},  # station staff have no deputy record
    ]
    for payload in bad:
        response = client.patch(f"{URL}{staff.id}/", payload, format="json")
        assert response.status_code == 400, (payload, response.json())
    staff.refresh_from_db()
    assert staff.username == "liang" and staff.role == Role.STATION_STAFF
    assert list(staff.stations.all()) == [street.a.station]
    assert staff.check_password(PASSWORD)


def test_a_new_password_replaces_the_old_one_and_revokes_the_token(admin, make_user, street):
    office = make_user(Role.OFFICE)
    api_token_issue(user=office)

    response = client_for(admin).patch(f"{URL}{office.id}/", {"password": NEW_PASSWORD}, format="json")

    assert response.status_code == 200
    office.refresh_from_db()
    assert office.check_password(NEW_PASSWORD)
    assert not Token.objects.filter(user=office).exists()


def test_put_and_delete_are_not_offered(admin, make_user, street):
    office = make_user(Role.OFFICE)
    client = client_for(admin)
    assert client.put(f"{URL}{office.id}/", {"role": "office"}, format="json").status_code == 405
    assert client.delete(f"{URL}{office.id}/").status_code == 405
    assert User.objects.filter(pk=office.pk).exists()


def test_deactivate(admin, make_user, street):
    office = make_user(Role.OFFICE)
    colleague_admin = make_user(Role.ADMIN)
    api_token_issue(user=office)
    client = client_for(admin)

    response = client.post(f"{URL}{office.id}/deactivate/")

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    office.refresh_from_db()
    assert not office.is_active
    assert not Token.objects.filter(user=office).exists()
    assert client.get(URL, {"is_active": "false"}).json()["count"] == 1

    # An administrator cannot lock themselves out, nor demote themselves; a colleague can act on them.
    refused = client.post(f"{URL}{admin.id}/deactivate/")
    assert refused.status_code == 409
    assert refused.json()["detail"] == "不能停用自己的账号。"
    assert client.patch(f"{URL}{admin.id}/", {"role": "office"}, format="json").status_code == 409
    admin.refresh_from_db()
    assert admin.is_active and admin.role == Role.ADMIN
    assert client_for(colleague_admin).post(f"{URL}{admin.id}/deactivate/").status_code == 200


def test_unknown_user_is_404(admin):
    assert client_for(admin).get(f"{URL}999999/").status_code == 404


def test_user_list_query_count_is_constant(admin, make_user, street, django_assert_num_queries):
    """The list costs the same at 10 and 100 accounts.

    force_authenticate skips the session and user lookups, so what remains is:
    1 COUNT for the paginator, 1 SELECT of the page (deputy and unit joined), 1 prefetch of stations.
    """
    client = client_for(admin)
    for count in (10, 100):
        while User.objects.count() < count:
            make_user(Role.STATION_STAFF, stations=[street.a.station])
        with django_assert_num_queries(3):
            response = client.get(URL)
        assert response.json()["count"] == count
