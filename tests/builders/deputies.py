"""Deputies with their terms, deputy groups and grid assignments, through the services."""

from deputies.models import Level
from deputies.services import deputy_create, deputy_group_create
from duties.models import GridRole
from duties.services.assignments import grid_assignment_create

COUNTY_CONGRESS = "某区第十八届人民代表大会"
TOWNSHIP_CONGRESS = "某街道第八届人民代表大会"


def term(level: str, *, congress: str = COUNTY_CONGRESS, start_year: int = 2021, **fields) -> dict:
    """One term of office (``end_year``, ``constituency`` … as keyword fields)."""
    return {"level": level, "congress": congress, "start_year": start_year, **fields}


def county_term(start_year: int = 2021) -> dict:
    return term(Level.COUNTY, start_year=start_year, constituency="第3选区")


def township_term(start_year: int = 2021) -> dict:
    return term(Level.TOWNSHIP, congress=TOWNSHIP_CONGRESS, start_year=start_year, constituency="")


def deputy(name: str, **fields):
    return deputy_create(name=name, **fields)


def group(name: str, kind: str, *, leader=None, members=()):
    return deputy_group_create(name=name, kind=kind, leader=leader, members=members)


def assign(grid, person, *, start_date, role: str = GridRole.MEMBER, **fields):
    return grid_assignment_create(grid=grid, deputy=person, start_date=start_date, role=role, **fields)
