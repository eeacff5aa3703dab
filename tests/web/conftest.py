"""A small organisation built through the services, with users on both sides of every scope.

    hub ─┬─ area_a (staff_a) ── point_a ── community_a ── centre_a ── grid_a1 (leader: owner, member: colleague)
         │                                                         └─ grid_a2 (no leader)
         └─ area_b (staff_b) ── point_b ── community_b ── centre_b ── grid_b1 (leader: outsider)

owner and colleague are in one group; outsider is in another. The owner holds county and
township terms at once; ``rep`` is a deliberation representative resident at area_a.
"""

from dataclasses import dataclass
from datetime import date

import pytest

from core.roles import Role
from deputies.models import DeputyKind, GroupKind, Level
from deputies.services import deputy_create, deputy_group_create
from duties.models import GridRole
from duties.services.assignments import grid_assignment_create
from organisation.models import StationKind
from organisation.services import community_create, grid_centre_create, grid_create, station_create
from suggestions.services import unit_create


def term(level, start=2021, end=2026):
    return {"level": level, "congress": "某区第十八届人民代表大会", "start_year": start, "end_year": end}


@dataclass
class Org:
    hub: object
    area_a: object
    area_b: object
    point_a: object
    point_b: object
    community_a: object
    centre_a: object
    grid_a1: object
    grid_a2: object
    grid_b1: object
    owner: object
    colleague: object
    outsider: object
    rep: object
    group_a: object
    group_b: object


@pytest.fixture
def org(db):
    hub = station_create(
        name="白沙街道代表之家", kind=StationKind.HUB, address="白沙大道1号", opening_hours="周一至周五"
    )
    area_a = station_create(name="范罗岗片区实践站", kind=StationKind.AREA, parent=hub, address="范罗岗路18号")
    area_b = station_create(name="兴盛片区实践站", kind=StationKind.AREA, parent=hub, address="兴盛路66号")
    point_a = station_create(name="范罗岗社区实践点", kind=StationKind.POINT, parent=area_a, address="范罗岗社区")
    point_b = station_create(name="兴盛社区实践点", kind=StationKind.POINT, parent=area_b, address="兴盛社区")
    community_a = community_create(name="范罗岗社区", station=point_a)
    community_b = community_create(name="兴盛社区", station=point_b)
    centre_a = grid_centre_create(name="范罗岗社区网格中心", community=community_a)
    centre_b = grid_centre_create(name="兴盛社区网格中心", community=community_b)
    grid_a1 = grid_create(centre=centre_a, name="范罗岗第1网格", code="BS-01-01", households=520)
    grid_a2 = grid_create(centre=centre_a, name="范罗岗第2网格", code="BS-01-02")
    grid_b1 = grid_create(centre=centre_b, name="兴盛第1网格", code="BS-02-01")

    owner = deputy_create(
        name="谭咏诗",
        phone="13812345678",
        occupation="白沙小学副校长",
        terms=[term(Level.COUNTY), term(Level.TOWNSHIP)],
    )
    colleague = deputy_create(name="高德荣", phone="13900001111", terms=[term(Level.COUNTY)])
    outsider = deputy_create(name="余红", phone="13700002222", terms=[term(Level.MUNICIPAL)])
    rep = deputy_create(name="朱雪惠", kind=DeputyKind.DELIBERATION, phone="13600003333")
    group_a = deputy_group_create(name="教育代表小组", kind=GroupKind.PROFESSION, leader=owner, members=[colleague])
    group_b = deputy_group_create(name="兴盛片区代表小组", kind=GroupKind.AREA, members=[outsider])

    start = date(2023, 3, 1)
    grid_assignment_create(grid=grid_a1, deputy=owner, role=GridRole.LEADER, start_date=start)
    grid_assignment_create(grid=grid_a1, deputy=colleague, role=GridRole.MEMBER, start_date=start)
    grid_assignment_create(grid=grid_b1, deputy=outsider, role=GridRole.LEADER, start_date=start)
    area_a.resident_deputies.add(owner, rep)
    area_b.resident_deputies.add(outsider)
    return Org(
        hub,
        area_a,
        area_b,
        point_a,
        point_b,
        community_a,
        centre_a,
        grid_a1,
        grid_a2,
        grid_b1,
        owner,
        colleague,
        outsider,
        rep,
        group_a,
        group_b,
    )


@pytest.fixture
def users(org, make_user):
    """One account per role; staff and deputies on both sides of the scopes."""
    admin = make_user(Role.ADMIN, username="admin", last_name="甄", first_name="家耀")
    unit = unit_create(actor=admin, name="蓬江区住房和城乡建设局")
    return {
        "admin": admin,
        "office": make_user(Role.OFFICE, username="office", last_name="区", first_name="志刚"),
        "leader": make_user(Role.LEADER, username="leader"),
        "staff_a": make_user(Role.STATION_STAFF, username="staff_a", stations=[org.area_a], last_name="梁"),
        "staff_b": make_user(Role.STATION_STAFF, username="staff_b", stations=[org.area_b]),
        "owner": make_user(Role.DEPUTY, username="owner", deputy=org.owner),
        "colleague": make_user(Role.DEPUTY, username="colleague", deputy=org.colleague),
        "outsider": make_user(Role.DEPUTY, username="outsider", deputy=org.outsider),
        "unit": make_user(Role.UNIT_OFFICER, username="unit", unit=unit),
    }


@pytest.fixture
def as_user(client, users):
    """Log the test client in as one of ``users`` by key."""

    def login(key):
        # Axes comes first in AUTHENTICATION_BACKENDS and cannot load a user from a session.
        client.force_login(users[key], backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login
