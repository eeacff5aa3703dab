"""The organisation API: stations (scope, the tree, writes, filters)."""

import pytest

from duties.models import GridAssignment
from organisation.models import Station, StationKind
from tests.builders.people import client_for
from tests.liaison.api_org_support import ALL_STATIONS, ASSIGNMENTS, GRIDS, STATIONS, counts, names

pytestmark = pytest.mark.django_db


def test_stations_are_scoped_by_role(street, folks):
    assert names(client_for(folks.office).get(STATIONS)) == ALL_STATIONS
    assert names(client_for(folks.leader).get(STATIONS)) == ALL_STATIONS
    # Staff of A (owner and colleague) see A's subtree; staff of B see B's.
    assert names(client_for(folks.staff_a).get(STATIONS)) == ["A片区实践站", "A社区实践点"]
    assert names(client_for(folks.staff_a2).get(STATIONS)) == ["A片区实践站", "A社区实践点"]
    assert names(client_for(folks.staff_b).get(STATIONS)) == ["B片区实践站", "B社区实践点"]
    # A deputy sees the station they are resident at / whose grid they serve.
    assert names(client_for(folks.deputy_a).get(STATIONS)) == ["A社区实践点"]
    assert client_for(folks.unit_officer).get(STATIONS).json()["count"] == 0


def test_a_station_outside_the_scope_is_404(street, folks):
    point_a = f"{STATIONS}{street.a.point.id}/"
    assert client_for(folks.staff_a).get(point_a).status_code == 200
    assert client_for(folks.staff_b).get(point_a).status_code == 404
    assert client_for(folks.deputy_b).get(point_a).status_code == 404
    assert client_for(folks.unit_officer).get(point_a).status_code == 404
    assert client_for(folks.staff_a).get(f"{STATIONS}{street.hub.id}/").status_code == 404


def test_a_station_shows_its_place_in_the_tree_and_its_residents(street, folks):
    body = client_for(folks.staff_a).get(f"{STATIONS}{street.a.point.id}/").json()
    assert body["kind"] == "point" and body["kind_label"] == "社区实践点"
    assert body["parent"] == street.a.station.id and body["parent_name"] == "A片区实践站"
    assert body["resident_deputies"] == [street.a.deputy.id]
    assert body["residents"] == [{"id": street.a.deputy.id, "name": "A代表"}]


@pytest.mark.parametrize("who", ["office", "admin"])
def test_office_and_admin_build_the_tree(street, folks, who):
    client = client_for(getattr(folks, who))
    response = client.post(
        STATIONS,
        {
            "name": "A二社区实践点",
            "kind": "point",
            "parent": street.a.station.id,
            "address": "A路20号",
            "opening_hours": "每月15日",
            "resident_deputies": [street.a.deputy.id],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    station = Station.objects.get(name="A二社区实践点")
    assert station.parent == street.a.station
    assert list(station.resident_deputies.all()) == [street.a.deputy]

    moved = client.patch(f"{STATIONS}{station.id}/", {"parent": street.b.station.id}, format="json")
    assert moved.status_code == 200 and moved.json()["parent_name"] == "B片区实践站"
    assert client.delete(f"{STATIONS}{station.id}/").status_code == 204
    assert not Station.objects.filter(pk=station.id).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "新站", "kind": "hub", "parent": "HUB", "address": "x"}, "parent"),  # a hub has no parent
        ({"name": "新站", "kind": "area", "address": "x"}, "parent"),
        ({"name": "新站", "kind": "point", "parent": "HUB", "address": "x"}, "parent"),
        ({"name": "新站", "kind": "area", "parent": "AREA", "address": "x"}, "parent"),
        ({"name": "新站", "kind": "tower", "address": "x"}, "kind"),
        ({"name": "新站", "kind": "point", "parent": "AREA"}, "address"),
        ({"name": "", "kind": "point", "parent": "AREA", "address": "x"}, "name"),
        ({"name": "A社区实践点", "kind": "point", "parent": "AREA", "address": "x"}, "name"),  # taken
        ({"name": "新站", "kind": "point", "parent": 999999, "address": "x"}, "parent"),
        (
            {"name": "新站", "kind": "point", "parent": "AREA", "address": "x", "resident_deputies": [999999]},
            "resident_deputies",
        ),
        ({"name": "新站", "kind": "point", "parent": "AREA", "address": "x", "is_active": "perhaps"}, "is_active"),
    ],
)
def test_bad_station_input_is_400_and_writes_nothing(street, folks, payload, field):
    refs = {"HUB": street.hub.id, "AREA": street.a.station.id}
    payload = {key: refs.get(value, value) if isinstance(value, str) else value for key, value in payload.items()}
    before = counts()

    response = client_for(folks.office).post(STATIONS, payload, format="json")

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert counts() == before


def test_tree_errors_are_in_chinese(street, folks):
    client = client_for(folks.office)
    response = client.post(
        STATIONS, {"name": "新站", "kind": "area", "parent": street.a.station.id, "address": "x"}, format="json"
    )
    assert response.json() == {"parent": ["片区实践站必须设在实践基地之下。"]}

    response = client.patch(f"{STATIONS}{street.a.station.id}/", {"kind": "point"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"parent", "kind"}
    street.a.station.refresh_from_db()
    assert street.a.station.kind == StationKind.AREA and street.a.station.parent == street.hub


def test_a_station_in_use_cannot_be_deleted(street, folks):
    response = client_for(folks.office).delete(f"{STATIONS}{street.hub.id}/")
    assert response.status_code == 409
    assert response.json()["detail"] == "该站点下还有下级站点，请先移走或删除。"
    assert counts()[0] == 5


@pytest.mark.parametrize("who", ["leader", "staff_a", "deputy_a", "unit_officer"])
def test_other_roles_cannot_change_the_organisation(street, folks, who):
    client = client_for(getattr(folks, who))
    assignment = GridAssignment.objects.filter(grid=street.a.grid).first()
    before = counts()
    writes = [
        client.post(STATIONS, {"name": "新站", "kind": "point", "parent": street.a.station.id, "address": "x"}),
        client.patch(f"{STATIONS}{street.a.point.id}/", {"name": "改名"}, format="json"),
        client.delete(f"{STATIONS}{street.a.point.id}/"),
        client.post(GRIDS, {"centre": street.a.centre.id, "name": "新网格", "code": "N-1"}, format="json"),
        client.patch(f"{GRIDS}{street.a.grid.id}/", {"name": "改名"}, format="json"),
        client.delete(f"{GRIDS}{street.a.grid.id}/"),
        client.post(
            ASSIGNMENTS,
            {"grid": street.a.grid.id, "deputy": street.b.deputy.id, "start_date": "2024-03-01"},
            format="json",
        ),
        client.patch(f"{ASSIGNMENTS}{assignment.id}/", {"end_date": "2024-12-31"}, format="json"),
        client.delete(f"{ASSIGNMENTS}{assignment.id}/"),
    ]
    assert [response.status_code for response in writes] == [403] * len(writes)
    assert counts() == before
    street.a.point.refresh_from_db()
    street.a.grid.refresh_from_db()
    assignment.refresh_from_db()
    assert street.a.point.name == "A社区实践点" and street.a.grid.name == "A一网格" and assignment.end_date is None


def test_station_filters(street, folks):
    client = client_for(folks.office)
    assert names(client.get(STATIONS, {"kind": "area"})) == ["A片区实践站", "B片区实践站"]
    assert names(client.get(STATIONS, {"parent": street.hub.id})) == ["A片区实践站", "B片区实践站"]
    assert names(client.get(STATIONS, {"q": "A路"})) == ["A片区实践站", "A社区实践点"]
    assert names(client.get(STATIONS, {"q": "代表之家"})) == ["代表之家"]
    assert client.get(STATIONS, {"kind": "tower"}).status_code == 400
    assert client.get(STATIONS, {"parent": "abc"}).status_code == 400
