"""A small street built through the services, shared by the organisation tests.

One hub with two areas (A and B); each area has a community point, a community, a
grid centre and a grid, a resident deputy assigned to the grid as grid leader. The
people around it (owner / colleague / outsider) come from ``people``.
"""

from dataclasses import dataclass
from datetime import date

from rest_framework.test import APIClient

from core.roles import Role
from deputies.models import Deputy, GroupKind, Level
from deputies.services import deputy_create, deputy_group_create
from duties.models import GridRole
from duties.services.assignments import grid_assignment_create
from organisation.models import Community, Grid, GridCentre, Station, StationKind
from organisation.services import community_create, grid_centre_create, grid_create, station_create, station_update

START = date(2024, 1, 1)


def county_term(start_year: int = 2021) -> dict:
    return {
        "level": Level.COUNTY,
        "congress": "某区第十八届人民代表大会",
        "constituency": "第3选区",
        "start_year": start_year,
    }


def township_term(start_year: int = 2021) -> dict:
    return {
        "level": Level.TOWNSHIP,
        "congress": "某街道第八届人民代表大会",
        "constituency": "",
        "start_year": start_year,
    }


@dataclass
class Area:
    station: Station
    point: Station
    community: Community
    centre: GridCentre
    grid: Grid
    deputy: Deputy


@dataclass
class Street:
    hub: Station
    a: Area
    b: Area


def build_area(hub: Station, letter: str) -> Area:
    area = station_create(name=f"{letter}片区实践站", kind=StationKind.AREA, parent=hub, address=f"{letter}路1号")
    point = station_create(name=f"{letter}社区实践点", kind=StationKind.POINT, parent=area, address=f"{letter}路9号")
    community = community_create(name=f"{letter}社区", station=point)
    centre = grid_centre_create(name=f"{letter}网格中心", community=community)
    grid = grid_create(centre=centre, name=f"{letter}一网格", code=f"{letter}-01", households=320)
    deputy = deputy_create(
        name=f"{letter}代表", phone=f"1380000000{ord(letter) % 10}", terms=[county_term(), township_term()]
    )
    grid_assignment_create(grid=grid, deputy=deputy, role=GridRole.LEADER, start_date=START)
    station_update(station=point, resident_deputies=[deputy])
    return Area(station=area, point=point, community=community, centre=centre, grid=grid, deputy=deputy)


def build_street() -> Street:
    hub = station_create(
        name="代表之家", kind=StationKind.HUB, address="中心路1号", opening_hours="周一至周五 9:00-17:00"
    )
    street = Street(hub=hub, a=build_area(hub, "A"), b=build_area(hub, "B"))
    deputy_group_create(name="A片区代表小组", kind=GroupKind.AREA, leader=street.a.deputy)
    return street


def handling_unit(name: str = "区住房和城乡建设局"):
    # Reference data with no service of its own yet: created directly.
    from organisation.models import HandlingUnit

    return HandlingUnit.objects.create(name=name)


@dataclass
class People:
    office: object
    admin: object
    leader: object
    staff_a: object  # owner: staff of area station A
    staff_a2: object  # colleague: also staff of A
    staff_b: object  # outsider: staff of area station B
    deputy_a: object
    deputy_b: object
    unit_officer: object


def people(make_user, street: Street) -> People:
    return People(
        office=make_user(Role.OFFICE),
        admin=make_user(Role.ADMIN),
        leader=make_user(Role.LEADER),
        staff_a=make_user(Role.STATION_STAFF, stations=[street.a.station]),
        staff_a2=make_user(Role.STATION_STAFF, stations=[street.a.station]),
        staff_b=make_user(Role.STATION_STAFF, stations=[street.b.station]),
        deputy_a=make_user(Role.DEPUTY, deputy=street.a.deputy),
        deputy_b=make_user(Role.DEPUTY, deputy=street.b.deputy),
        unit_officer=make_user(Role.UNIT_OFFICER, unit=handling_unit()),
    )


def client_for(user) -> APIClient:
    """An API client authenticated as ``user`` (no session, no CSRF)."""
    client = APIClient()
    client.force_authenticate(user)
    return client
