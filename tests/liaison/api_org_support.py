"""What the organisation API tests share: the endpoints, a small street with its people, and helpers."""

import pytest

from duties.models import GridAssignment
from organisation.models import Community, Grid, GridCentre, Station
from tests.deputies.org import build_street, people

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
