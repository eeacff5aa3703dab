"""The organisation API: list queries cost the same whatever the number of rows."""

import pytest

from duties.services.assignments import grid_assignment_create
from organisation.models import Community, Grid, Station, StationKind
from organisation.services import community_create, grid_centre_create, grid_create, station_create
from tests.builders.people import client_for
from tests.builders.streets import START
from tests.liaison.api_org_support import ASSIGNMENTS, CENTRES, COMMUNITIES, GRIDS, STATIONS

pytestmark = pytest.mark.django_db


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

    force_authenticate skips the session and user lookups. The three: 1 COUNT for the paginator,
    1 SELECT of the page with the parent joined, 1 prefetch of the resident deputies; staff first read
    the ids of their stations (one small query), matched as literals.
    """
    client = client_for(getattr(folks, who))
    for total in (10, 100):
        _grow_stations(total, street)
        with django_assert_num_queries(3 if who == "office" else 4):
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
        # The staff's station ids (literals in the scope), 1 COUNT + 1 SELECT with centre, community and
        # station joined.
        (GRIDS, 3),
        # The same ids, 1 COUNT + 1 SELECT with grid and deputy joined.
        (ASSIGNMENTS, 3),
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
