"""The admin: every organisation model and users, writes through the services."""

import pytest
from django.urls import reverse

from accounts.models import User
from core.roles import Role
from duties.models import GridAssignment
from organisation.models import Station, StationKind
from organisation.services import community_create, station_create
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

MODELS = [
    "accounts_user",
    "deputies_deputy",
    "deputies_deputygroup",
    "organisation_station",
    "organisation_community",
    "organisation_gridcentre",
    "organisation_grid",
    "duties_gridassignment",
]


@pytest.mark.parametrize("model", MODELS)
def test_admin_pages_open_with_search_and_filters(as_user, org, model):
    client = as_user("admin")
    assert client.get(reverse(f"admin:{model}_changelist"), {"q": "范"}).status_code == 200
    assert client.get(reverse(f"admin:{model}_add")).status_code == 200


def test_admin_change_pages_with_inlines_open(as_user, org, users):
    client = as_user("admin")
    for url in (
        reverse("admin:deputies_deputy_change", args=[org.owner.pk]),
        reverse("admin:organisation_grid_change", args=[org.grid_a1.pk]),
        reverse("admin:organisation_gridcentre_change", args=[org.centre_a.pk]),
        reverse("admin:organisation_station_change", args=[org.area_a.pk]),
        reverse("admin:accounts_user_change", args=[users["staff_a"].pk]),
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("key", ["office", "leader", "staff_a", "owner", "unit"])
def test_only_admins_reach_the_admin(as_user, key):
    response = as_user(key).get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_user_list_shows_role_and_links(as_user, org):
    page = as_user("admin").get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "联络站工作人员" in page and org.area_a.name in page
    assert org.owner.name in page


def add_user(client, **data):
    form = {"username": "new_staff", "password1": PASSWORD, "password2": PASSWORD, "role": Role.STATION_STAFF}
    form.update(data)
    return client.post(reverse("admin:accounts_user_add"), form)


def test_admin_creates_an_account_with_role_and_links(as_user, org):
    response = add_user(as_user("admin"), stations=[org.area_a.pk], last_name="黄")
    assert response.status_code == 302
    user = User.objects.get(username="new_staff")
    assert user.role == Role.STATION_STAFF
    assert list(user.stations.all()) == [org.area_a]
    assert user.check_password(PASSWORD)
    assert not user.is_staff


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"password1": "short", "password2": "short", "stations": []}, "密码"),
        ({"password1": "password1234", "password2": "password1234"}, "密码"),
        ({"password2": "Another-Password-2024!"}, "不一致"),
        ({"stations": []}, "至少要分配一个联络站"),
        ({"role": Role.DEPUTY}, "关联一名代表的档案"),
        ({"role": Role.UNIT_OFFICER}, "关联一个承办单位"),
    ],
)
def test_admin_account_form_refuses_bad_input_and_writes_nothing(as_user, org, data, message):
    data = {"stations": [org.area_a.pk], **data}
    response = add_user(as_user("admin"), **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="new_staff").exists()


def test_admin_changes_a_role_through_the_service(as_user, org, users):
    client = as_user("admin")
    staff = users["staff_a"]
    url = reverse("admin:accounts_user_change", args=[staff.pk])
    form = {"username": staff.username, "role": Role.DEPUTY, "deputy": org.rep.pk, "is_active": "on"}
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    staff.refresh_from_db()
    assert staff.role == Role.DEPUTY and staff.deputy == org.rep
    assert not staff.stations.exists()  # the service drops the links the new role does not use


def test_admin_cannot_remove_own_admin_role(as_user, users):
    admin = users["admin"]
    response = as_user("admin").post(
        reverse("admin:accounts_user_change", args=[admin.pk]),
        {"username": admin.username, "role": Role.OFFICE, "is_active": "on"},
    )
    assert response.status_code == 200
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN


def test_admin_password_change_uses_the_policy(as_user, users):
    staff = users["staff_a"]
    url = reverse("admin:auth_user_password_change", args=[staff.pk])
    client = as_user("admin")
    response = client.post(url, {"password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)
    response = client.post(url, {"password1": "A-New-Long-Password-9", "password2": "A-New-Long-Password-9"})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("A-New-Long-Password-9")


def test_station_admin_keeps_the_tree_valid(as_user, org):
    client = as_user("admin")
    response = client.post(
        reverse("admin:organisation_station_add"),
        {
            "name": "无上级的片区站",
            "kind": StationKind.AREA,
            "address": "某路",
            "is_active": "on",
            "communities-TOTAL_FORMS": "0",
            "communities-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "片区实践站必须设在实践基地之下" in response.content.decode()
    assert not Station.objects.filter(name="无上级的片区站").exists()


def test_station_admin_refuses_to_delete_a_station_with_staff(as_user, org, users):
    station = station_create(name="新社区实践点", kind=StationKind.POINT, parent=org.area_b, address="某路")
    users["staff_b"].stations.add(station)
    response = as_user("admin").post(
        reverse("admin:organisation_station_delete", args=[station.pk]), {"post": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert "仍有工作人员账号归属该站点" in response.content.decode()
    assert Station.objects.filter(pk=station.pk).exists()


def test_station_admin_deletes_an_unused_station(as_user, org):
    station = station_create(name="录错的站点", kind=StationKind.POINT, parent=org.area_b, address="某路")
    response = as_user("admin").post(reverse("admin:organisation_station_delete", args=[station.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Station.objects.filter(pk=station.pk).exists()


def grid_form(org, rows):
    data = {
        "centre": org.centre_a.pk,
        "name": org.grid_a2.name,
        "code": org.grid_a2.code,
        "households": "",
        "assignments-TOTAL_FORMS": str(len(rows)),
        "assignments-INITIAL_FORMS": "0",
    }
    for index, row in enumerate(rows):
        for field, value in row.items():
            data[f"assignments-{index}-{field}"] = value
    return data


def test_grid_admin_refuses_two_leaders_in_one_submission(as_user, org):
    rows = [
        {"deputy": org.colleague.pk, "role": "leader", "mode": "part_time", "start_date": "2024-01-01"},
        {"deputy": org.rep.pk, "role": "leader", "mode": "part_time", "start_date": "2024-01-01"},
    ]
    response = as_user("admin").post(
        reverse("admin:organisation_grid_change", args=[org.grid_a2.pk]), grid_form(org, rows)
    )
    assert response.status_code == 200
    assert "该网格已有网格长" in response.content.decode()
    assert not GridAssignment.objects.filter(grid=org.grid_a2).exists()


def test_grid_admin_adds_a_leader(as_user, org):
    rows = [{"deputy": org.colleague.pk, "role": "leader", "mode": "full_time", "start_date": "2024-01-01"}]
    response = as_user("admin").post(
        reverse("admin:organisation_grid_change", args=[org.grid_a2.pk]), grid_form(org, rows)
    )
    assert response.status_code == 302
    assert GridAssignment.objects.get(grid=org.grid_a2).deputy == org.colleague


def test_deputy_admin_refuses_terms_for_a_deliberation_representative(as_user, org):
    data = {
        "name": "新议政代表",
        "kind": "deliberation",
        "is_active": "on",
        "terms-TOTAL_FORMS": "1",
        "terms-INITIAL_FORMS": "0",
        "terms-0-level": "county",
        "terms-0-congress": "区人大",
        "terms-0-start_year": "2021",
        "contact_links-TOTAL_FORMS": "0",
        "contact_links-INITIAL_FORMS": "0",
        "constituent_links-TOTAL_FORMS": "0",
        "constituent_links-INITIAL_FORMS": "0",
    }
    response = as_user("admin").post(reverse("admin:deputies_deputy_add"), data)
    assert response.status_code == 200
    assert "议政代表由街道聘任" in response.content.decode()


def test_community_and_grid_centre_admins_write_through_the_services(as_user, org):
    client = as_user("admin")
    other = community_create(name="兴盛东社区", station=org.point_b)
    # A name another community already has: the service's rule, shown on the form, nothing written.
    response = client.post(
        reverse("admin:organisation_community_change", args=[other.pk]),
        {"name": org.community_a.name, "station": other.station_id, **inline("grid_centres")},
    )
    assert response.status_code == 200 and "errornote" in response.content.decode()
    other.refresh_from_db()
    assert other.name == "兴盛东社区"
    response = client.post(
        reverse("admin:organisation_gridcentre_change", args=[org.centre_a.pk]),
        {"name": "范罗岗社区第一网格中心", "community": org.community_a.pk, **inline("grids")},
    )
    assert response.status_code == 302
    org.centre_a.refresh_from_db()
    assert org.centre_a.name == "范罗岗社区第一网格中心"
    # No service deletes them: the admin does not offer it.
    assert client.get(reverse("admin:organisation_community_delete", args=[other.pk])).status_code == 403


def test_group_admin_keeps_the_leader_a_member(as_user, org):
    client = as_user("admin")
    response = client.post(
        reverse("admin:deputies_deputygroup_change", args=[org.group_a.pk]),
        {"name": org.group_a.name, "kind": org.group_a.kind, "leader": org.colleague.pk, "members": [org.owner.pk]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    # The service adds the new leader to the members, which the form alone would not have done.
    assert set(org.group_a.members.all()) == {org.owner, org.colleague}


def inline(prefix: str) -> dict:
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
