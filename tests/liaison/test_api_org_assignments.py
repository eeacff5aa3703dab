"""The organisation API: grid assignments."""

from datetime import date

import pytest

from deputies.services import deputy_create
from duties.models import GridAssignment, GridRole
from tests.builders.people import client_for
from tests.builders.streets import START
from tests.liaison.api_org_support import (
    ASSIGNMENTS,
    counts,
    names,
)

pytestmark = pytest.mark.django_db


def test_assignments_are_visible_with_their_grid(street, folks):
    assert names(client_for(folks.office).get(ASSIGNMENTS), "deputy_name") == ["A代表", "B代表"]
    assert names(client_for(folks.staff_a).get(ASSIGNMENTS), "deputy_name") == ["A代表"]
    assert names(client_for(folks.deputy_b).get(ASSIGNMENTS), "deputy_name") == ["B代表"]
    a_assignment = GridAssignment.objects.get(grid=street.a.grid)
    assert client_for(folks.deputy_b).get(f"{ASSIGNMENTS}{a_assignment.id}/").status_code == 404
    assert client_for(folks.unit_officer).get(ASSIGNMENTS).json()["count"] == 0

    row = client_for(folks.staff_a).get(f"{ASSIGNMENTS}{a_assignment.id}/").json()
    assert row["role"] == "leader" and row["role_label"] == "网格长"
    assert row["mode"] == "part_time" and row["mode_label"] == "兼职"
    assert row["grid_code"] == "A-01" and row["end_date"] is None


def test_office_assigns_ends_and_reappoints(street, folks):
    client = client_for(folks.office)
    newcomer = deputy_create(name="新代表")
    leader = GridAssignment.objects.get(grid=street.a.grid, role=GridRole.LEADER)

    member = client.post(
        ASSIGNMENTS,
        {"grid": street.a.grid.id, "deputy": newcomer.id, "role": "member", "mode": "full_time", "start_date": START},
        format="json",
    )
    assert member.status_code == 201, member.json()

    # The grid and the deputy of an assignment do not change through an update: sending one is refused.
    moved = client.patch(
        f"{ASSIGNMENTS}{leader.id}/", {"end_date": "2024-06-30", "grid": street.b.grid.id}, format="json"
    )
    assert moved.status_code == 400 and moved.json()["code"] == "unknown_field", moved.json()
    leader.refresh_from_db()
    assert leader.end_date is None
    ended = client.patch(f"{ASSIGNMENTS}{leader.id}/", {"end_date": "2024-06-30"}, format="json")
    assert ended.status_code == 200, ended.json()
    leader.refresh_from_db()
    assert leader.end_date == date(2024, 6, 30) and leader.grid == street.a.grid

    promoted = client.patch(f"{ASSIGNMENTS}{member.json()['id']}/", {"role": "leader"}, format="json")
    assert promoted.status_code == 200, promoted.json()
    assert client.get(ASSIGNMENTS, {"grid": street.a.grid.id, "open": "true", "role": "leader"}).json()["count"] == 1


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"deputy": "NEW", "role": "leader"}, "role", "该网格已有网格长。"),
        ({"deputy": "A"}, "deputy", "该代表已分配到这个网格。"),
        ({"deputy": "NEW", "end_date": "2023-01-01"}, "end_date", "分配的结束日期不能早于开始日期。"),
        ({"deputy": "NEW", "role": "captain"}, "role", None),
        ({"deputy": "NEW", "mode": "sometimes"}, "mode", None),
        ({"deputy": "NEW", "start_date": "yesterday"}, "start_date", None),
        ({"deputy": "NEW", "start_date": None}, "start_date", None),
        ({"deputy": 999999}, "deputy", None),
        ({"deputy": "NEW", "grid": 999999}, "grid", None),
    ],
)
def test_bad_assignments_are_400_not_500_and_write_nothing(street, folks, payload, field, message):
    newcomer = deputy_create(name="新代表")
    refs = {"NEW": newcomer.id, "A": street.a.deputy.id}
    body = {"grid": street.a.grid.id, "start_date": "2024-03-01"}
    body.update({key: refs.get(value, value) if isinstance(value, str) else value for key, value in payload.items()})
    before = counts()

    response = client_for(folks.office).post(ASSIGNMENTS, body, format="json")

    assert response.status_code == 400
    assert field in response.json(), response.json()
    if message:
        assert response.json()[field] == [message]
    assert counts() == before


def test_a_bad_assignment_update_changes_nothing(street, folks):
    client = client_for(folks.office)
    newcomer = deputy_create(name="新代表")
    response = client.post(
        ASSIGNMENTS, {"grid": street.a.grid.id, "deputy": newcomer.id, "start_date": "2024-03-01"}, format="json"
    )
    member_id = response.json()["id"]

    for payload in ({"role": "leader"}, {"end_date": "2020-01-01"}, {"mode": "x"}):
        assert client.patch(f"{ASSIGNMENTS}{member_id}/", payload, format="json").status_code == 400
    row = GridAssignment.objects.get(pk=member_id)
    assert (row.role, row.end_date, row.mode) == (GridRole.MEMBER, None, "part_time")


def test_an_assignment_made_by_mistake_can_be_deleted(street, folks):
    client = client_for(folks.office)
    newcomer = deputy_create(name="新代表")
    created = client.post(
        ASSIGNMENTS, {"grid": street.b.grid.id, "deputy": newcomer.id, "start_date": "2024-03-01"}, format="json"
    )
    assert client.delete(f"{ASSIGNMENTS}{created.json()['id']}/").status_code == 204
    assert not GridAssignment.objects.filter(deputy=newcomer).exists()


def test_assignment_filters(street, folks):
    client = client_for(folks.office)
    assert names(client.get(ASSIGNMENTS, {"deputy": street.b.deputy.id}), "deputy_name") == ["B代表"]
    assert names(client.get(ASSIGNMENTS, {"role": "member"}), "deputy_name") == []
    assert names(client.get(ASSIGNMENTS, {"open": "false"}), "deputy_name") == []
    assert client.get(ASSIGNMENTS, {"open": "perhaps"}).status_code == 400
