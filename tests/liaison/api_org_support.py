"""What the organisation API tests share: the endpoints and helpers (the street and its people are the
shared ``street`` and ``folks`` fixtures)."""

from duties.models import GridAssignment
from organisation.models import Community, Grid, GridCentre, Station

STATIONS = "/api/v1/stations/"
GRIDS = "/api/v1/grids/"
CENTRES = "/api/v1/grid-centres/"
COMMUNITIES = "/api/v1/communities/"
ASSIGNMENTS = "/api/v1/grid-assignments/"


def names(response, key: str = "name") -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(row[key] for row in response.json()["results"])


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Station, Community, GridCentre, Grid, GridAssignment))


ALL_STATIONS = ["A片区实践站", "A社区实践点", "B片区实践站", "B社区实践点", "代表之家"]
