"""The organisation's rules: the 1+4+N station tree, grids in exactly one centre, grid assignments."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from core.errors import ActionRefused
from core.roles import Role
from deputies.services import deputy_create
from duties.models import GridAssignment, GridRole
from duties.services.assignments import grid_assignment_create, grid_assignment_delete, grid_assignment_update
from organisation.models import Grid, Station, StationKind
from organisation.services import (
    community_create,
    grid_centre_create,
    grid_create,
    grid_delete,
    grid_update,
    station_create,
    station_delete,
    station_update,
)
from tests.builders.streets import START, build_street

pytestmark = pytest.mark.django_db


# --- the station tree -------------------------------------------------------------------------------------------


def test_the_tree_is_hub_then_area_then_point():
    hub = station_create(name="代表之家", kind=StationKind.HUB, address="中心路1号")
    area = station_create(name="东片区", kind=StationKind.AREA, parent=hub, address="东路1号")
    point = station_create(name="东一社区点", kind=StationKind.POINT, parent=area, address="东路2号")

    assert point.parent == area and area.parent == hub and hub.parent is None


@pytest.mark.parametrize(
    ("kind", "parent_kind"),
    [
        (StationKind.HUB, StationKind.HUB),  # a hub has no parent
        (StationKind.AREA, None),  # an area station needs a hub
        (StationKind.AREA, StationKind.AREA),
        (StationKind.AREA, StationKind.POINT),
        (StationKind.POINT, None),  # a point needs an area station
        (StationKind.POINT, StationKind.HUB),
        (StationKind.POINT, StationKind.POINT),
    ],
)
def test_a_station_in_the_wrong_place_is_refused(kind, parent_kind):
    hub = station_create(name="代表之家", kind=StationKind.HUB, address="中心路1号")
    area = station_create(name="东片区", kind=StationKind.AREA, parent=hub, address="东路1号")
    point = station_create(name="东一社区点", kind=StationKind.POINT, parent=area, address="东路2号")
    parent = {None: None, StationKind.HUB: hub, StationKind.AREA: area, StationKind.POINT: point}[parent_kind]

    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        station_create(name="新站", kind=kind, parent=parent, address="新路1号")

    assert "parent" in caught.value.message_dict
    assert Station.objects.count() == 3


def test_the_error_names_the_rule_in_chinese():
    hub = station_create(name="代表之家", kind=StationKind.HUB, address="中心路1号")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        station_create(name="东一社区点", kind=StationKind.POINT, parent=hub, address="东路2号")
    assert caught.value.message_dict["parent"] == ["社区实践点必须设在片区实践站之下。"]


def test_the_database_refuses_a_hub_with_a_parent_and_an_area_without_one():
    hub = station_create(name="代表之家", kind=StationKind.HUB, address="中心路1号")
    with pytest.raises(IntegrityError), transaction.atomic():
        Station.objects.create(name="第二基地", kind=StationKind.HUB, parent=hub, address="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Station.objects.create(name="孤立片区", kind=StationKind.AREA, parent=None, address="x")


def test_moving_or_changing_a_station_keeps_the_tree_valid():
    street = build_street()
    # A point cannot move under the hub; an area cannot become a point while points sit under it.
    with pytest.raises(ValidationError) as caught:
        station_update(station=street.a.point, parent=street.hub)
    assert "parent" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        station_update(station=street.a.station, kind=StationKind.POINT, parent=street.b.station)
    assert "kind" in caught.value.message_dict
    street.a.station.refresh_from_db()
    assert street.a.station.kind == StationKind.AREA

    # A point may move to another area station.
    station_update(station=street.a.point, parent=street.b.station)
    street.a.point.refresh_from_db()
    assert street.a.point.parent == street.b.station


def test_a_station_cannot_be_its_own_parent():
    street = build_street()
    with pytest.raises(ValidationError):
        station_update(station=street.a.station, parent=street.a.station)


def test_deleting_a_station_that_anything_hangs_on_is_refused(make_user):
    street = build_street()
    with pytest.raises(ActionRefused):
        station_delete(station=street.hub)  # areas sit under it
    with pytest.raises(ActionRefused):
        station_delete(station=street.a.point)  # a community is attached
    empty = station_create(name="新社区点", kind=StationKind.POINT, parent=street.a.station, address="x")
    make_user(Role.STATION_STAFF, stations=[empty])
    with pytest.raises(ActionRefused):
        station_delete(station=empty)  # staff are attached
    assert Station.objects.filter(pk=empty.pk).exists()

    mistake = station_create(name="录错的点", kind=StationKind.POINT, parent=street.a.station, address="x")
    station_delete(station=mistake)
    assert not Station.objects.filter(pk=mistake.pk).exists()


# --- grids ------------------------------------------------------------------------------------------------------


def test_a_grid_belongs_to_exactly_one_centre():
    street = build_street()
    # The centre is a required, single foreign key: not null in the database ...
    with pytest.raises(IntegrityError), transaction.atomic():
        Grid.objects.create(centre=None, name="无中心网格", code="X-01")
    # ... and required by the service.
    with pytest.raises(ValidationError) as caught:
        grid_create(centre=None, name="无中心网格", code="X-01")
    assert "centre" in caught.value.message_dict
    assert street.a.grid.centre == street.a.centre
    assert Grid.objects.count() == 2


def test_a_grid_name_is_unique_within_its_centre():
    street = build_street()
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        grid_create(centre=street.a.centre, name=street.a.grid.name, code="A-02")
    assert caught.value.message_dict == {"name": ["该网格中心已有同名网格。"]}

    # The same name in another centre is fine.
    grid_create(centre=street.b.centre, name=street.a.grid.name, code="B-02")

    with pytest.raises(IntegrityError), transaction.atomic():
        Grid.objects.create(centre=street.a.centre, name=street.a.grid.name, code="A-03")


def test_moving_a_grid_onto_a_name_taken_in_the_new_centre_is_refused():
    street = build_street()
    grid_update(grid=street.b.grid, name=street.a.grid.name)  # unique in centre B
    with pytest.raises(ValidationError) as caught:
        grid_update(grid=street.b.grid, centre=street.a.centre)
    assert "name" in caught.value.message_dict
    street.b.grid.refresh_from_db()
    assert street.b.grid.centre == street.b.centre


def test_grid_codes_are_unique():
    street = build_street()
    with pytest.raises(ValidationError) as caught:
        grid_create(centre=street.b.centre, name="另一个网格", code=street.a.grid.code)
    assert "code" in caught.value.message_dict


def test_a_grid_with_assignments_keeps_its_history():
    street = build_street()
    with pytest.raises(ActionRefused):
        grid_delete(grid=street.a.grid)
    empty = grid_create(centre=street.a.centre, name="空网格", code="A-09")
    grid_delete(grid=empty)
    assert not Grid.objects.filter(pk=empty.pk).exists()


def test_communities_and_centres_are_unique_by_name():
    street = build_street()
    with pytest.raises(ValidationError):
        community_create(name=street.a.community.name, station=street.b.point)
    with pytest.raises(ValidationError):
        grid_centre_create(name=street.a.centre.name, community=street.b.community)


# --- grid assignments -------------------------------------------------------------------------------------------


def test_one_open_grid_leader_per_grid():
    street = build_street()
    newcomer = deputy_create(name="新代表")

    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        grid_assignment_create(grid=street.a.grid, deputy=newcomer, role=GridRole.LEADER, start_date=START)
    assert caught.value.message_dict == {"role": ["该网格已有网格长。"]}
    assert GridAssignment.objects.count() == 2

    # The database holds the same line.
    with pytest.raises(IntegrityError), transaction.atomic():
        GridAssignment.objects.create(grid=street.a.grid, deputy=newcomer, role=GridRole.LEADER, start_date=START)

    # Once the current leader's assignment ends, a new leader can be appointed.
    leader = GridAssignment.objects.get(grid=street.a.grid, role=GridRole.LEADER)
    grid_assignment_update(assignment=leader, end_date=date(2024, 6, 30))
    grid_assignment_create(grid=street.a.grid, deputy=newcomer, role=GridRole.LEADER, start_date=date(2024, 7, 1))
    assert GridAssignment.objects.filter(grid=street.a.grid, role=GridRole.LEADER).count() == 2


def test_a_member_cannot_be_promoted_while_the_grid_has_a_leader():
    street = build_street()
    member = grid_assignment_create(grid=street.a.grid, deputy=deputy_create(name="组员"), start_date=START)
    with pytest.raises(ValidationError) as caught:
        grid_assignment_update(assignment=member, role=GridRole.LEADER)
    assert "role" in caught.value.message_dict
    member.refresh_from_db()
    assert member.role == GridRole.MEMBER


def test_one_open_assignment_per_deputy_and_grid():
    street = build_street()
    with pytest.raises(ValidationError) as caught:
        grid_assignment_create(grid=street.a.grid, deputy=street.a.deputy, start_date=START)
    assert "deputy" in caught.value.message_dict
    # The same deputy may serve in another grid.
    grid_assignment_create(grid=street.b.grid, deputy=street.a.deputy, start_date=START)


def test_an_assignment_cannot_end_before_it_starts():
    street = build_street()
    assignment = GridAssignment.objects.get(grid=street.a.grid)
    with pytest.raises(ValidationError) as caught:
        grid_assignment_update(assignment=assignment, end_date=date(2023, 12, 31))
    assert "end_date" in caught.value.message_dict
    assignment.refresh_from_db()
    assert assignment.end_date is None


def test_an_assignment_entered_by_mistake_can_be_deleted():
    street = build_street()
    mistake = grid_assignment_create(grid=street.b.grid, deputy=street.a.deputy, start_date=START)
    grid_assignment_delete(assignment=mistake)
    assert not GridAssignment.objects.filter(pk=mistake.pk).exists()
