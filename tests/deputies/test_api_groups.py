"""The ``deputy-groups`` collection: the office creates and changes groups through the services; a group does
not reveal a leader the viewer may not see."""

import pytest

from deputies.models import DeputyGroup, GroupKind
from deputies.services import deputy_create, deputy_group_create, deputy_group_update
from duties.models import GridRole
from duties.services.assignments import grid_assignment_create
from tests.builders.people import client_for
from tests.builders.streets import START

pytestmark = pytest.mark.django_db

URL = "/api/v1/deputy-groups/"


def snapshot() -> list[tuple]:
    """Every group with its members, to show that a refused write changed nothing."""
    return [
        (group.id, group.name, group.kind, group.leader_id, tuple(sorted(m.id for m in group.members.all())))
        for group in DeputyGroup.objects.order_by("id").prefetch_related("members")
    ]


def members_of(group_id: int) -> set[str]:
    return set(DeputyGroup.objects.get(pk=group_id).members.values_list("name", flat=True))


# --- writes by the office ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["office", "admin"])
def test_office_and_admin_create_a_group_whose_leader_is_a_member(street, folks, who):
    response = client_for(getattr(folks, who)).post(
        URL,
        {
            "name": "教育专业代表小组",
            "kind": "profession",
            "leader": street.a.deputy.id,
            "members": [street.b.deputy.id],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind_label"] == "按专业" and body["leader_name"] == "A代表"
    assert body["member_count"] == 2
    assert "members" not in body  # write-only: members are listed through /deputies/?group=
    assert members_of(body["id"]) == {"A代表", "B代表"}


def test_office_changes_a_group(street, folks):
    client = client_for(folks.office)
    group = DeputyGroup.objects.get()
    newcomer = deputy_create(name="新代表")

    renamed = client.patch(f"{URL}{group.id}/", {"name": "A片区第一代表小组", "kind": "profession"}, format="json")
    assert renamed.status_code == 200, renamed.json()
    assert renamed.json()["name"] == "A片区第一代表小组" and renamed.json()["member_count"] == 1
    assert renamed.json()["kind"] == "profession" and DeputyGroup.objects.get().kind == "profession"

    # A new leader joins the group; the former leader stays a plain member.
    led = client.patch(f"{URL}{group.id}/", {"leader": street.b.deputy.id}, format="json")
    assert led.status_code == 200, led.json()
    assert led.json()["leader_name"] == "B代表" and led.json()["member_count"] == 2
    assert members_of(group.id) == {"A代表", "B代表"}

    # A member list replaces the current one, and the leader is kept in it.
    replaced = client.patch(f"{URL}{group.id}/", {"members": [newcomer.id]}, format="json")
    assert replaced.status_code == 200, replaced.json()
    assert members_of(group.id) == {"B代表", "新代表"}

    put = client.put(f"{URL}{group.id}/", {"name": "A片区代表小组", "kind": "area", "leader": None}, format="json")
    assert put.status_code == 200, put.json()
    group.refresh_from_db()
    assert (group.name, group.kind, group.leader) == ("A片区代表小组", GroupKind.AREA, None)
    assert members_of(group.id) == {"B代表", "新代表"}  # no member list given: members unchanged


@pytest.mark.parametrize("who", ["leader", "staff_a", "staff_a2", "staff_b", "deputy_a", "unit_officer"])
def test_other_roles_cannot_write_groups(street, folks, who):
    client = client_for(getattr(folks, who))
    group = DeputyGroup.objects.get()
    before = snapshot()

    writes = [
        client.post(URL, {"name": "新小组", "kind": "area"}, format="json"),
        client.patch(f"{URL}{group.id}/", {"name": "改名", "members": [street.b.deputy.id]}, format="json"),
        client.put(f"{URL}{group.id}/", {"name": "改名", "kind": "profession"}, format="json"),
        client.delete(f"{URL}{group.id}/"),
    ]

    assert [response.status_code for response in writes] == [403] * len(writes)
    assert snapshot() == before


def test_groups_are_not_deleted_through_the_api(street, folks):
    """No service deletes a group, so the API offers no delete."""
    before = snapshot()
    assert client_for(folks.office).delete(f"{URL}{DeputyGroup.objects.get().id}/").status_code == 405
    assert snapshot() == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "area"}, "name"),
        ({"name": "", "kind": "area"}, "name"),
        ({"name": "A片区代表小组", "kind": "area"}, "name"),  # taken
        ({"name": "新小组"}, "kind"),
        ({"name": "新小组", "kind": "hobby"}, "kind"),
        ({"name": "新小组", "kind": "area", "leader": 999999}, "leader"),
        ({"name": "新小组", "kind": "area", "leader": "A代表"}, "leader"),
        ({"name": "新小组", "kind": "area", "members": [999999]}, "members"),
        ({"name": "新小组", "kind": "area", "members": "all"}, "members"),
    ],
)
def test_bad_group_input_is_400_and_writes_nothing(street, folks, payload, field):
    before = snapshot()

    response = client_for(folks.office).post(URL, payload, format="json")

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("method", "payload", "field"),
    [
        ("patch", {"name": ""}, "name"),
        ("patch", {"name": "B小组"}, "name"),  # taken by the group made below
        ("patch", {"kind": "hobby"}, "kind"),
        ("patch", {"leader": 999999}, "leader"),
        ("patch", {"name": "改名", "members": [999999]}, "members"),
        ("put", {"name": "改名"}, "kind"),
    ],
)
def test_a_bad_group_update_is_400_and_changes_nothing(street, folks, method, payload, field):
    deputy_group_create(name="B小组", kind=GroupKind.AREA, leader=street.b.deputy)
    group = DeputyGroup.objects.get(name="A片区代表小组")
    before = snapshot()

    response = getattr(client_for(folks.office), method)(f"{URL}{group.id}/", payload, format="json")

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert snapshot() == before


def test_the_update_service_refuses_unknown_fields(street):
    with pytest.raises(TypeError):
        deputy_group_update(group=DeputyGroup.objects.get(), members_count=3)


# --- a hidden leader stays hidden --------------------------------------------------------------------------------


@pytest.fixture
def hidden_leader_group(street):
    """A group led by B's deputy with a member who serves A's grid: people of A see the group, not its leader."""
    neighbour = deputy_create(name="A网格员")
    grid_assignment_create(grid=street.a.grid, deputy=neighbour, role=GridRole.MEMBER, start_date=START)
    return deputy_group_create(name="B片区代表小组", kind=GroupKind.AREA, leader=street.b.deputy, members=[neighbour])


@pytest.mark.parametrize("who", ["deputy_a", "staff_a"])
def test_a_group_does_not_reveal_a_leader_the_user_may_not_see(street, folks, hidden_leader_group, who):
    client = client_for(getattr(folks, who))
    row = client.get(f"{URL}{hidden_leader_group.id}/").json()
    assert row["name"] == "B片区代表小组"
    assert row["leader"] is None and row["leader_name"] is None
    # The group they belong to (or whose members they see) still shows its leader.
    own = client.get(f"{URL}{DeputyGroup.objects.get(name='A片区代表小组').id}/").json()
    assert own["leader_name"] == "A代表"


@pytest.mark.parametrize("who", ["office", "leader", "staff_b", "deputy_b"])
def test_those_who_may_see_the_leader_see_them(street, folks, hidden_leader_group, who):
    row = client_for(getattr(folks, who)).get(f"{URL}{hidden_leader_group.id}/").json()
    assert row["leader"] == street.b.deputy.id and row["leader_name"] == "B代表"


@pytest.mark.parametrize("who", ["office", "staff_a"])
def test_group_list_query_count_is_constant(street, folks, who, django_assert_num_queries):
    """Two queries at 10 and at 100 groups: 1 COUNT for the paginator and 1 SELECT of the page with the
    leader joined, the member count annotated and, for staff, the leader's visibility as a subquery
    (after one small query for the ids of the staff's stations)."""
    client = client_for(getattr(folks, who))
    for total in (10, 100):
        while DeputyGroup.objects.count() < total:
            n = DeputyGroup.objects.count()
            deputy_group_create(
                name=f"小组{n:03d}", kind=GroupKind.AREA, leader=street.b.deputy, members=[street.a.deputy]
            )
        with django_assert_num_queries(2 if who == "office" else 3):
            response = client.get(URL, {"page": 1})
        body = response.json()
        assert body["count"] == total
        expected_leader = street.b.deputy.id if who == "office" else None
        assert {row["leader"] for row in body["results"] if row["name"].startswith("小组")} == {expected_leader}


def test_a_group_leader_is_not_taken_out_of_their_group_through_the_deputy(street, folks):
    leader = deputy_create(name="新组长")
    group = deputy_group_create(name="教育专业代表小组", kind=GroupKind.PROFESSION, leader=leader)
    before = snapshot()
    response = client_for(folks.office).patch(f"/api/v1/deputies/{leader.id}/", {"groups": []}, format="json")
    assert response.status_code == 400, response.json()
    assert "教育专业代表小组的组长" in str(response.json())
    assert snapshot() == before
    # With another leader first, the former one may leave.
    deputy_group_update(group=group, leader=street.b.deputy)
    response = client_for(folks.office).patch(f"/api/v1/deputies/{leader.id}/", {"groups": []}, format="json")
    assert response.status_code == 200, response.json()
    assert leader.name not in members_of(group.id) and group.id not in [g.id for g in leader.groups.all()]
