"""A small street for the reception tests, built through the services.

Hub → area stations A and B → community point A1 under A. Each area has a community
with one grid centre and two grids. Deputies: ``owner`` (resident at A, assigned to
grid A-1), ``colleague`` (assigned to grid A-2, in the group rostered at A), ``outsider``
(resident at B, assigned to grid B-1). Accounts: staff of A, staff of B, office, leader,
a deputy account for each deputy, and an officer of the community unit.
"""

import io
import random
import time
import uuid
from dataclasses import dataclass
from datetime import date

import pytest
from django_ratelimit.core import _get_window
from PIL import Image

from core.roles import Role
from deputies.models import GroupKind
from deputies.services import deputy_create, deputy_group_create
from duties.services.assignments import grid_assignment_create
from organisation.models import HandlingUnit, StationKind, UnitKind
from organisation.services import community_create, grid_centre_create, grid_create, station_create


def fresh_ip(min_seconds_left: int = 20) -> str:
    """A random client address whose one-minute rate-limit window has time left.

    django-ratelimit counts in fixed windows whose edge depends on the address; an address
    whose window ends in the next seconds could reset mid-test and hide a limit.
    """
    while True:
        ip = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
        if _get_window(ip, 60) - time.time() >= min_seconds_left:
            return ip


@pytest.fixture
def isolated_rate_limits(settings):
    """Count this test's requests apart from every other run sharing the cache (Redis in CI)."""
    settings.RATELIMIT_CACHE_PREFIX = f"rl-test-{uuid.uuid4().hex}:"


@dataclass
class Street:
    hub: object
    a: object
    b: object
    a1: object
    grid_a1: object
    grid_a2: object
    grid_b1: object
    owner: object
    colleague: object
    outsider: object
    group_a: object
    unit: object
    other_unit: object
    staff_a: object
    staff_b: object
    office: object
    leader: object
    admin: object
    owner_user: object
    colleague_user: object
    outsider_user: object
    unit_officer: object


def _grid(station, code):
    community = community_create(name=f"{station.name}社区{code}", station=station)
    centre = grid_centre_create(name=f"{station.name}网格中心{code}", community=community)
    return centre


@pytest.fixture
def street(make_user) -> Street:
    hub = station_create(name="代表之家", kind=StationKind.HUB, address="白沙大道1号")
    a = station_create(name="甲片区实践站", kind=StationKind.AREA, address="甲路1号", parent=hub)
    b = station_create(name="乙片区实践站", kind=StationKind.AREA, address="乙路1号", parent=hub)
    a1 = station_create(name="甲一社区实践点", kind=StationKind.POINT, address="甲路9号", parent=a)
    centre_a = _grid(a, "A")
    centre_b = _grid(b, "B")
    grid_a1 = grid_create(centre=centre_a, name="第一网格", code="A-1")
    grid_a2 = grid_create(centre=centre_a, name="第二网格", code="A-2")
    grid_b1 = grid_create(centre=centre_b, name="第一网格", code="B-1")
    owner = deputy_create(name="王代表")
    colleague = deputy_create(name="李代表")
    outsider = deputy_create(name="赵代表")
    from organisation.services import station_update

    station_update(station=a, resident_deputies=[owner])
    station_update(station=b, resident_deputies=[outsider])
    start = date(2020, 1, 1)
    grid_assignment_create(grid=grid_a1, deputy=owner, start_date=start, role="leader")
    grid_assignment_create(grid=grid_a2, deputy=colleague, start_date=start)
    grid_assignment_create(grid=grid_b1, deputy=outsider, start_date=start)
    group_a = deputy_group_create(name="甲片区代表小组", kind=GroupKind.AREA, members=[colleague])
    unit = HandlingUnit.objects.create(name="甲社区居委会", kind=UnitKind.COMMUNITY)
    other_unit = HandlingUnit.objects.create(name="区住建局", kind=UnitKind.DEPARTMENT)
    return Street(
        hub=hub,
        a=a,
        b=b,
        a1=a1,
        grid_a1=grid_a1,
        grid_a2=grid_a2,
        grid_b1=grid_b1,
        owner=owner,
        colleague=colleague,
        outsider=outsider,
        group_a=group_a,
        unit=unit,
        other_unit=other_unit,
        staff_a=make_user(Role.STATION_STAFF, username="staff_a", stations=[a]),
        staff_b=make_user(Role.STATION_STAFF, username="staff_b", stations=[b]),
        office=make_user(Role.OFFICE, username="office"),
        leader=make_user(Role.LEADER, username="leader"),
        admin=make_user(Role.ADMIN, username="admin"),
        owner_user=make_user(Role.DEPUTY, username="owner", deputy=owner),
        colleague_user=make_user(Role.DEPUTY, username="colleague", deputy=colleague),
        outsider_user=make_user(Role.DEPUTY, username="outsider", deputy=outsider),
        unit_officer=make_user(Role.UNIT_OFFICER, username="unit_officer", unit=unit),
    )


def png_bytes(size=(8, 8), color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def png_upload(name="photo.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")
