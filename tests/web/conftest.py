"""A small organisation composed from the builders (tests/builders), with users on both sides of every scope.

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
from duties.models import GridRole
from tests.builders import deputies as d
from tests.builders import organisation as o


def term(level, start=2021, end=2026):
    return d.term(level, start_year=start, end_year=end)


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
    hub = o.hub("白沙街道代表之家", address="白沙大道1号", opening_hours="周一至周五")
    area_a = o.area(hub, "范罗岗片区实践站", address="范罗岗路18号")
    area_b = o.area(hub, "兴盛片区实践站", address="兴盛路66号")
    point_a = o.point(area_a, "范罗岗社区实践点", address="范罗岗社区")
    point_b = o.point(area_b, "兴盛社区实践点", address="兴盛社区")
    community_a = o.community(point_a, "范罗岗社区")
    community_b = o.community(point_b, "兴盛社区")
    centre_a = o.centre(community_a, "范罗岗社区网格中心")
    centre_b = o.centre(community_b, "兴盛社区网格中心")
    grid_a1 = o.grid(centre_a, "范罗岗第1网格", "BS-01-01", households=520)
    grid_a2 = o.grid(centre_a, "范罗岗第2网格", "BS-01-02")
    grid_b1 = o.grid(centre_b, "兴盛第1网格", "BS-02-01")

    owner = d.deputy(
        "谭咏诗",
        phone="13812345678",
        occupation="白沙小学副校长",
        terms=[term(Level.COUNTY), term(Level.TOWNSHIP)],
    )
    colleague = d.deputy("高德荣", phone="13900001111", terms=[term(Level.COUNTY)])
    outsider = d.deputy("余红", phone="13700002222", terms=[term(Level.MUNICIPAL)])
    rep = d.deputy("朱雪惠", kind=DeputyKind.DELIBERATION, phone="13600003333")
    group_a = d.group("教育代表小组", GroupKind.PROFESSION, leader=owner, members=[colleague])
    group_b = d.group("兴盛片区代表小组", GroupKind.AREA, members=[outsider])

    start = date(2023, 3, 1)
    d.assign(grid_a1, owner, role=GridRole.LEADER, start_date=start)
    d.assign(grid_a1, colleague, role=GridRole.MEMBER, start_date=start)
    d.assign(grid_b1, outsider, role=GridRole.LEADER, start_date=start)
    o.residents(area_a, [owner, rep])
    o.residents(area_b, [outsider])
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
    unit = o.handling_unit("蓬江区住房和城乡建设局", actor=admin)
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
