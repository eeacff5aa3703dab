"""The organisation API, continued: communities and grid centres recorded and changed by the office through
the services; everyone else reads them within their scope."""

import pytest

from organisation.models import Community, Grid, GridCentre
from organisation.services import community_update, grid_centre_update
from tests.builders.people import client_for

pytestmark = pytest.mark.django_db

GRIDS = "/api/v1/grids/"
CENTRES = "/api/v1/grid-centres/"
COMMUNITIES = "/api/v1/communities/"


def snapshot() -> list[tuple]:
    """Every community and grid centre as stored, to show that a refused write changed nothing."""
    return [
        *Community.objects.order_by("id").values_list("id", "name", "station_id"),
        *GridCentre.objects.order_by("id").values_list("id", "name", "community_id"),
    ]


# --- communities and grid centres: writes -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["office", "admin"])
def test_office_and_admin_record_and_change_communities(street, folks, who):
    client = client_for(getattr(folks, who))

    created = client.post(COMMUNITIES, {"name": "侨苑社区", "station": street.a.point.id}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["name"] == "侨苑社区" and body["station_name"] == "A社区实践点"
    community = Community.objects.get(pk=body["id"])
    assert community.station == street.a.point

    renamed = client.patch(f"{COMMUNITIES}{community.id}/", {"name": "侨苑新社区"}, format="json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "侨苑新社区"

    moved = client.put(f"{COMMUNITIES}{community.id}/", {"name": "侨苑新社区", "station": street.b.point.id})
    assert moved.status_code == 200, moved.json()
    assert moved.json()["station_name"] == "B社区实践点"
    community.refresh_from_db()
    assert (community.name, community.station) == ("侨苑新社区", street.b.point)


def test_moving_a_community_takes_its_centres_and_grids_along(street, folks):
    client = client_for(folks.office)
    response = client.patch(f"{COMMUNITIES}{street.a.community.id}/", {"station": street.b.point.id}, format="json")
    assert response.status_code == 200, response.json()
    assert sorted(row["name"] for row in client.get(GRIDS, {"station": street.b.station.id}).json()["results"]) == [
        "A一网格",
        "B一网格",
    ]
    # Station staff of A no longer see the moved community; staff of B now do.
    assert client_for(folks.staff_a).get(f"{COMMUNITIES}{street.a.community.id}/").status_code == 404
    assert client_for(folks.staff_b).get(f"{COMMUNITIES}{street.a.community.id}/").status_code == 200


@pytest.mark.parametrize("who", ["office", "admin"])
def test_office_and_admin_record_and_change_grid_centres(street, folks, who):
    client = client_for(getattr(folks, who))

    created = client.post(CENTRES, {"name": "A第二网格中心", "community": street.a.community.id}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["community_name"] == "A社区" and body["station"] == street.a.point.id
    centre = GridCentre.objects.get(pk=body["id"])

    moved = client.patch(f"{CENTRES}{centre.id}/", {"community": street.b.community.id}, format="json")
    assert moved.status_code == 200, moved.json()
    assert moved.json()["station_name"] == "B社区实践点"
    renamed = client.put(f"{CENTRES}{centre.id}/", {"name": "B第二网格中心", "community": street.b.community.id})
    assert renamed.status_code == 200, renamed.json()
    centre.refresh_from_db()
    assert (centre.name, centre.community) == ("B第二网格中心", street.b.community)


def test_moving_a_grid_centre_takes_its_grids_along(street, folks):
    client = client_for(folks.office)
    response = client.patch(f"{CENTRES}{street.a.centre.id}/", {"community": street.b.community.id}, format="json")
    assert response.status_code == 200, response.json()
    grid = client.get(f"{GRIDS}{street.a.grid.id}/").json()
    assert grid["community_name"] == "B社区" and grid["station"] == street.b.point.id
    assert Grid.objects.get(pk=street.a.grid.id).centre.community == street.b.community


@pytest.mark.parametrize("who", ["leader", "staff_a", "staff_a2", "staff_b", "deputy_a", "unit_officer"])
def test_other_roles_cannot_write_communities_or_centres(street, folks, who):
    client = client_for(getattr(folks, who))
    before = snapshot()
    community, centre = f"{COMMUNITIES}{street.a.community.id}/", f"{CENTRES}{street.a.centre.id}/"

    writes = [
        client.post(COMMUNITIES, {"name": "新社区", "station": street.a.point.id}, format="json"),
        client.patch(community, {"name": "改名"}, format="json"),
        client.put(community, {"name": "改名", "station": street.b.point.id}, format="json"),
        client.delete(community),
        client.post(CENTRES, {"name": "新中心", "community": street.a.community.id}, format="json"),
        client.patch(centre, {"name": "改名"}, format="json"),
        client.put(centre, {"name": "改名", "community": street.b.community.id}, format="json"),
        client.delete(centre),
    ]

    assert [response.status_code for response in writes] == [403] * len(writes)
    assert snapshot() == before


def test_communities_and_centres_are_not_deleted_through_the_api(street, folks):
    """No service deletes them (grids and history hang on them), so the API offers no delete."""
    client = client_for(folks.office)
    before = snapshot()
    assert client.delete(f"{COMMUNITIES}{street.a.community.id}/").status_code == 405
    assert client.delete(f"{CENTRES}{street.a.centre.id}/").status_code == 405
    assert snapshot() == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"station": "A"}, "name"),
        ({"name": "", "station": "A"}, "name"),
        ({"name": "B社区", "station": "A"}, "name"),  # taken
        ({"name": "x" * 101, "station": "A"}, "name"),
        ({"name": "新社区"}, "station"),
        ({"name": "新社区", "station": None}, "station"),
        ({"name": "新社区", "station": 999999}, "station"),
        ({"name": "新社区", "station": "somewhere"}, "station"),
    ],
)
def test_bad_community_input_is_400_and_writes_nothing(street, folks, payload, field):
    payload = {key: street.a.point.id if value == "A" else value for key, value in payload.items()}
    before = snapshot()

    response = client_for(folks.office).post(COMMUNITIES, payload, format="json")

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"community": "A"}, "name"),
        ({"name": "", "community": "A"}, "name"),
        ({"name": "B网格中心", "community": "A"}, "name"),  # taken
        ({"name": "新中心"}, "community"),
        ({"name": "新中心", "community": None}, "community"),
        ({"name": "新中心", "community": 999999}, "community"),
    ],
)
def test_bad_grid_centre_input_is_400_and_writes_nothing(street, folks, payload, field):
    payload = {key: street.a.community.id if value == "A" else value for key, value in payload.items()}
    before = snapshot()

    response = client_for(folks.office).post(CENTRES, payload, format="json")

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("url", "method", "payload", "field"),
    [
        ("COMMUNITY", "patch", {"name": "B社区"}, "name"),
        ("COMMUNITY", "patch", {"name": ""}, "name"),
        ("COMMUNITY", "patch", {"station": None}, "station"),
        ("COMMUNITY", "patch", {"station": 999999}, "station"),
        ("COMMUNITY", "put", {"name": "只改名"}, "station"),  # a PUT needs every field
        ("CENTRE", "patch", {"name": "B网格中心"}, "name"),
        ("CENTRE", "patch", {"community": None}, "community"),
        ("CENTRE", "patch", {"community": 999999}, "community"),
        ("CENTRE", "put", {"name": "只改名"}, "community"),
    ],
)
def test_a_bad_update_is_400_and_changes_nothing(street, folks, url, method, payload, field):
    client = client_for(folks.office)
    target = {"COMMUNITY": f"{COMMUNITIES}{street.a.community.id}/", "CENTRE": f"{CENTRES}{street.a.centre.id}/"}[url]
    before = snapshot()

    response = getattr(client, method)(target, payload, format="json")

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert snapshot() == before


def test_a_name_clash_is_explained_in_chinese(street, folks):
    response = client_for(folks.office).patch(
        f"{COMMUNITIES}{street.b.community.id}/", {"name": "A社区"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"name": ["具有 名称 的 社区 已存在。"]}


def test_the_update_services_refuse_unknown_fields(street):
    with pytest.raises(TypeError):
        community_update(community=street.a.community, grid_count=3)
    with pytest.raises(TypeError):
        grid_centre_update(centre=street.a.centre, station=street.b.point)
