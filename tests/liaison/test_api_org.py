"""The organisation API: stations, communities, grid centres, grids and grid assignments."""

from datetime import date

import pytest

from deputies.services import deputy_create
from duties.models import GridAssignment, GridRole
from duties.services.assignments import grid_assignment_create
from organisation.models import Community, Grid, GridCentre, Station, StationKind
from organisation.services import community_create, grid_centre_create, grid_create, station_create
from tests.deputies.org import START, build_street, client_for, people

pytestmark = pytest.mark.django_db

STATIONS = "/api/v1/stations/"
GRIDS = "/api/v1/grids/"
CENTRES = "/api/v1/grid-centres/"
COMMUNITIES = "/api/v1/communities/"
ASSIGNMENTS = "/api/v1/grid-assignments/"


@pytest.fixture
def street():
    return build_street()


@pytest.fixture
def folks(make_user, street):
    return people(make_user, street)


def names(response, key: str = "name") -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(row[key] for row in response.json()["results"])


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Station, Community, GridCentre, Grid, GridAssignment))


ALL_STATIONS = ["A片区实践站", "A社区实践点", "B片区实践站", "B社区实践点", "代表之家"]


# --- stations ----------------------------------------------------------------------------------------------------


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


# --- grids, grid centres, communities ------------------------------------------------------------------------------


def test_grids_are_scoped_by_role(street, folks):
    assert names(client_for(folks.office).get(GRIDS)) == ["A一网格", "B一网格"]
    assert names(client_for(folks.staff_a).get(GRIDS)) == ["A一网格"]
    assert names(client_for(folks.staff_b).get(GRIDS)) == ["B一网格"]
    # A deputy sees their own grid, not another's.
    assert names(client_for(folks.deputy_a).get(GRIDS)) == ["A一网格"]
    assert client_for(folks.deputy_a).get(f"{GRIDS}{street.b.grid.id}/").status_code == 404
    assert client_for(folks.staff_b).get(f"{GRIDS}{street.a.grid.id}/").status_code == 404
    assert client_for(folks.unit_officer).get(GRIDS).json()["count"] == 0


def test_a_grid_shows_where_it_belongs(street, folks):
    body = client_for(folks.deputy_a).get(f"{GRIDS}{street.a.grid.id}/").json()
    assert body == {
        "id": street.a.grid.id,
        "centre": street.a.centre.id,
        "centre_name": "A网格中心",
        "community": street.a.community.id,
        "community_name": "A社区",
        "station": street.a.point.id,
        "station_name": "A社区实践点",
        "name": "A一网格",
        "code": "A-01",
        "households": 320,
    }


def test_office_creates_moves_and_deletes_grids(street, folks):
    client = client_for(folks.office)
    response = client.post(GRIDS, {"centre": street.a.centre.id, "name": "A二网格", "code": "A-02"}, format="json")
    assert response.status_code == 201, response.json()
    grid_id = response.json()["id"]

    moved = client.patch(f"{GRIDS}{grid_id}/", {"centre": street.b.centre.id, "households": 150}, format="json")
    assert moved.status_code == 200 and moved.json()["centre_name"] == "B网格中心"

    assert client.delete(f"{GRIDS}{grid_id}/").status_code == 204
    refused = client.delete(f"{GRIDS}{street.a.grid.id}/")  # it has assignments
    assert refused.status_code == 409
    assert Grid.objects.filter(pk=street.a.grid.id).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "新网格", "code": "N-1"}, "centre"),  # a grid needs its centre
        ({"centre": None, "name": "新网格", "code": "N-1"}, "centre"),
        ({"centre": 999999, "name": "新网格", "code": "N-1"}, "centre"),
        ({"centre": "A", "name": "A一网格", "code": "N-1"}, "name"),  # name taken in this centre
        ({"centre": "A", "name": "新网格", "code": "A-01"}, "code"),  # code taken
        ({"centre": "A", "name": "新网格"}, "code"),
        ({"centre": "A", "name": "新网格", "code": "N-1", "households": -5}, "households"),
        ({"centre": "A", "name": "新网格", "code": "N-1", "households": "many"}, "households"),
    ],
)
def test_bad_grid_input_is_400_and_writes_nothing(street, folks, payload, field):
    payload = {key: street.a.centre.id if value == "A" else value for key, value in payload.items()}
    before = counts()

    response = client_for(folks.office).post(GRIDS, payload, format="json")

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert counts() == before


def test_grid_name_clash_is_explained_in_chinese_and_nothing_moves(street, folks):
    client = client_for(folks.office)
    client.patch(f"{GRIDS}{street.b.grid.id}/", {"name": "A一网格"}, format="json")  # fine in centre B
    response = client.patch(f"{GRIDS}{street.b.grid.id}/", {"centre": street.a.centre.id}, format="json")
    assert response.status_code == 400
    assert response.json() == {"name": ["该网格中心已有同名网格。"]}
    street.b.grid.refresh_from_db()
    assert street.b.grid.centre == street.b.centre


def test_grid_filters(street, folks):
    client = client_for(folks.office)
    assert names(client.get(GRIDS, {"centre": street.a.centre.id})) == ["A一网格"]
    assert names(client.get(GRIDS, {"community": street.b.community.id})) == ["B一网格"]
    assert names(client.get(GRIDS, {"station": street.a.point.id})) == ["A一网格"]
    assert names(client.get(GRIDS, {"station": street.a.station.id})) == ["A一网格"]  # area includes its points
    assert names(client.get(GRIDS, {"station": street.hub.id})) == ["A一网格", "B一网格"]
    assert names(client.get(GRIDS, {"q": "B-0"})) == ["B一网格"]
    assert client.get(GRIDS, {"centre": "x"}).status_code == 400


def test_centres_and_communities_are_scoped(street, folks):
    office, staff_a, staff_b = (client_for(u) for u in (folks.office, folks.staff_a, folks.staff_b))
    assert names(office.get(CENTRES)) == ["A网格中心", "B网格中心"]
    assert names(staff_a.get(CENTRES)) == ["A网格中心"]
    assert staff_b.get(f"{CENTRES}{street.a.centre.id}/").status_code == 404
    assert names(office.get(COMMUNITIES)) == ["A社区", "B社区"]
    assert names(staff_b.get(COMMUNITIES)) == ["B社区"]
    assert staff_a.get(f"{COMMUNITIES}{street.b.community.id}/").status_code == 404
    assert client_for(folks.unit_officer).get(CENTRES).json()["count"] == 0

    centre = office.get(f"{CENTRES}{street.a.centre.id}/").json()
    assert centre == {
        "id": street.a.centre.id,
        "name": "A网格中心",
        "community": street.a.community.id,
        "community_name": "A社区",
        "station": street.a.point.id,
        "station_name": "A社区实践点",
    }
    assert names(office.get(CENTRES, {"station": street.hub.id})) == ["A网格中心", "B网格中心"]
    assert names(office.get(CENTRES, {"community": street.b.community.id})) == ["B网格中心"]
    assert names(office.get(COMMUNITIES, {"station": street.a.point.id})) == ["A社区"]


# --- grid assignments --------------------------------------------------------------------------------------------


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


# --- query counts ------------------------------------------------------------------------------------------------


def _grow_stations(total: int, street) -> None:
    """Add community points under area A, so staff of A see them too."""
    while Station.objects.count() < total:
        station_create(
            name=f"A社区点{Station.objects.count():03d}",
            kind=StationKind.POINT,
            parent=street.a.station,
            address="A路",
            resident_deputies=[street.a.deputy, street.b.deputy],
        )


@pytest.mark.parametrize("who", ["office", "staff_a"])
def test_station_list_query_count_is_constant(street, folks, who, django_assert_num_queries):
    """Listing stations costs three queries whatever the number of rows.

    force_authenticate skips the session and user lookups; the role scope is a subquery inside the
    main query. The three: 1 COUNT for the paginator, 1 SELECT of the page with the parent joined,
    1 prefetch of the resident deputies.
    """
    client = client_for(getattr(folks, who))
    for total in (10, 100):
        _grow_stations(total, street)
        with django_assert_num_queries(3):
            response = client.get(STATIONS)
        assert response.json()["count"] == (total if who == "office" else total - 3)  # not the hub, not B's two


def _grow_grids(total: int, street) -> None:
    while Grid.objects.count() < total:
        n = Grid.objects.count()
        grid = grid_create(centre=street.a.centre, name=f"A网格{n:03d}", code=f"A-{n:03d}")
        grid_assignment_create(grid=grid, deputy=street.a.deputy, start_date=START)


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # 1 COUNT + 1 SELECT with centre, community and station joined.
        (GRIDS, 2),
        # 1 COUNT + 1 SELECT with grid and deputy joined.
        (ASSIGNMENTS, 2),
    ],
)
def test_grid_lists_query_count_is_constant(street, folks, url, queries, django_assert_num_queries):
    client = client_for(folks.staff_a)
    for total in (10, 100):
        _grow_grids(total, street)
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert response.json()["count"] == total - 1  # staff of A do not see B's grid


@pytest.mark.parametrize("url", [CENTRES, COMMUNITIES])
def test_centre_and_community_lists_query_count_is_constant(street, folks, url, django_assert_num_queries):
    """1 COUNT + 1 SELECT with the community and station joined, at 10 and at 100 rows."""
    client = client_for(folks.office)
    for total in (10, 100):
        while Community.objects.count() < total:
            n = Community.objects.count()
            community = community_create(name=f"社区{n:03d}", station=street.a.point)
            grid_centre_create(name=f"网格中心{n:03d}", community=community)
        with django_assert_num_queries(2):
            response = client.get(url)
        assert response.json()["count"] == total
