"""The station API lists a station's residents only as far as the viewer may see those deputies."""

import pytest

from deputies.services import deputy_create, deputy_update
from organisation.models import Station, StationKind
from organisation.services import station_create, station_update
from tests.builders.people import client_for

pytestmark = pytest.mark.django_db

STATIONS = "/api/v1/stations/"


@pytest.fixture
def shared_point(street):
    """B's deputy is resident at A's community point too, next to A's deputy."""
    station_update(station=street.a.point, resident_deputies=[street.a.deputy, street.b.deputy])
    return street.a.point


def test_a_deputy_sees_only_the_residents_they_may_see(street, folks, shared_point):
    url = f"{STATIONS}{shared_point.id}/"

    # A's deputy shares no grid and no group with B's: B stays hidden, in names and in ids.
    body = client_for(folks.deputy_a).get(url).json()
    assert body["residents"] == [{"id": street.a.deputy.id, "name": "A代表"}]
    assert body["resident_deputies"] == [street.a.deputy.id]
    listed = client_for(folks.deputy_a).get(STATIONS).json()["results"]
    assert [row["residents"] for row in listed] == [[{"id": street.a.deputy.id, "name": "A代表"}]]

    # Staff of A see everyone resident in their subtree; the office sees everyone.
    both = [{"id": street.a.deputy.id, "name": "A代表"}, {"id": street.b.deputy.id, "name": "B代表"}]
    assert client_for(folks.staff_a).get(url).json()["residents"] == both
    assert client_for(folks.office).get(url).json()["residents"] == both


def test_residents_follow_the_deputies_one_may_see(street, folks, shared_point):
    # Once B joins A's group, A's deputy may see B, and so B appears among the residents.
    deputy_update(deputy=street.b.deputy, groups=list(street.a.deputy.groups.all()))
    body = client_for(folks.deputy_a).get(f"{STATIONS}{shared_point.id}/").json()
    assert [row["name"] for row in body["residents"]] == ["A代表", "B代表"]


def test_writing_residents_still_replaces_the_whole_set(street, folks, shared_point):
    """The office sees every deputy, so what it reads back is the full set it wrote."""
    newcomer = deputy_create(name="新代表")
    client = client_for(folks.office)
    response = client.patch(
        f"{STATIONS}{shared_point.id}/", {"resident_deputies": [newcomer.id, street.b.deputy.id]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert [row["name"] for row in response.json()["residents"]] == ["B代表", "新代表"]
    assert set(shared_point.resident_deputies.all()) == {newcomer, street.b.deputy}


def _grow_stations(total: int, street) -> None:
    """Add community points under area A with both A's and B's deputies resident."""
    while Station.objects.count() < total:
        station_create(
            name=f"A社区点{Station.objects.count():03d}",
            kind=StationKind.POINT,
            parent=street.a.station,
            address="A路",
            resident_deputies=[street.a.deputy, street.b.deputy],
        )


def test_a_deputys_station_list_query_count_is_constant(street, folks, django_assert_num_queries):
    """Three queries at 10 and at 100 stations, with the residents filtered to those the deputy may see.

    force_authenticate skips the session and user lookups. The three: 1 COUNT for the paginator, 1 SELECT
    of the page with the parent joined, 1 prefetch of the residents, whose visibility scope is a subquery.
    """
    client = client_for(folks.deputy_a)
    for total in (10, 100):
        _grow_stations(total, street)
        with django_assert_num_queries(3):
            response = client.get(STATIONS)
        body = response.json()
        # The grown points and A's own point: A's deputy is resident at each.
        assert body["count"] == total - 4
        assert {tuple(row["resident_deputies"]) for row in body["results"]} == {(street.a.deputy.id,)}
