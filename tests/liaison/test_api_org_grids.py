"""The organisation API: grids, grid centres and communities."""

import pytest

from organisation.models import Grid
from tests.builders.people import client_for
from tests.liaison.api_org_support import CENTRES, COMMUNITIES, GRIDS, counts, names

pytestmark = pytest.mark.django_db


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
