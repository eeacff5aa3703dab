"""A database created before the organisation and duties apps existed upgrades in place.

The schema is taken back to the previous release's migrations, rows are written there with
the historical models (as that release wrote them), and the migrations run forward: every
row is found again through today's models, and the moved models keep their content types.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The newest migration of each app in the release before the move (apps that did not exist: None).
PREVIOUS_RELEASE = [
    ("deputies", "0002_event_dates_between_2000_and_2100"),
    ("accounts", "0001_initial"),
    ("liaison", "0007_list_order_indexes"),
    ("suggestions", "0008_suggestion_created_order_index"),
    ("livelihood", "0004_event_dates_between_2000_and_2100"),
    ("organisation", None),
    ("duties", None),
]


def _migrate(targets):
    """Migrate to ``targets`` and answer the historical models there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([target for target in targets if target[1]]).apps


def _latest_targets():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_a_database_of_the_previous_release_migrates_forward():
    latest = _latest_targets()
    try:
        old = _migrate(PREVIOUS_RELEASE)
        Deputy = old.get_model("deputies", "Deputy")
        Station = old.get_model("liaison", "Station")
        Community = old.get_model("liaison", "Community")
        GridCentre = old.get_model("liaison", "GridCentre")
        Grid = old.get_model("liaison", "Grid")
        GridAssignment = old.get_model("liaison", "GridAssignment")
        Activity = old.get_model("liaison", "Activity")
        VoterContact = old.get_model("liaison", "VoterContact")
        HandlingUnit = old.get_model("suggestions", "HandlingUnit")
        User = old.get_model("accounts", "User")
        ContentType = old.get_model("contenttypes", "ContentType")
        station_type = ContentType.objects.get_or_create(app_label="liaison", model="station")[0]
        unit_type = ContentType.objects.get_or_create(app_label="suggestions", model="handlingunit")[0]

        deputy = Deputy.objects.create(name="王五")
        hub = Station.objects.create(name="代表之家", kind="hub", address="一号")
        area = Station.objects.create(name="东片站", kind="area", parent=hub, address="二号")
        point = Station.objects.create(name="东社区点", kind="point", parent=area, address="三号")
        hub.resident_deputies.add(deputy)
        community = Community.objects.create(name="东社区", station=point)
        grid = Grid.objects.create(
            centre=GridCentre.objects.create(name="东中心", community=community), name="一格", code="E1"
        )
        GridAssignment.objects.create(grid=grid, deputy=deputy, role="leader", start_date="2025-01-01")
        unit = HandlingUnit.objects.create(name="城管科")
        staff = User.objects.create(username="staff_e", role="station_staff")
        staff.stations.add(area)
        User.objects.create(username="unit_e", role="unit_officer", unit=unit)
        Activity.objects.create(station=area, kind="research", title="调研", date="2025-03-01", created_by=staff)
        VoterContact.objects.create(deputy=deputy, date="2025-03-02", way="phone", subject="回访", recorded_by=staff)
    finally:
        _migrate(latest)

    from django.contrib.contenttypes.models import ContentType

    from accounts.models import User
    from deputies.models import Deputy
    from duties.models import Activity, GridAssignment, VoterContact
    from organisation.models import HandlingUnit, Station

    hub = Station.objects.get(name="代表之家")
    assert set(Station.objects.within(hub).values_list("name", flat=True)) == {"代表之家", "东片站", "东社区点"}
    deputy = Deputy.objects.get(name="王五")
    assert list(deputy.resident_stations.values_list("name", flat=True)) == ["代表之家"]
    assert list(hub.resident_deputies.all()) == [deputy]
    assert list(User.objects.get(username="staff_e").stations.values_list("name", flat=True)) == ["东片站"]
    assert User.objects.get(username="unit_e").unit == HandlingUnit.objects.get(name="城管科")
    assert GridAssignment.objects.get(deputy=deputy).grid.centre.community.station.name == "东社区点"
    assert Activity.objects.get().station.name == "东片站"
    assert VoterContact.objects.get().deputy == deputy
    assert ContentType.objects.get_for_model(Station).pk == station_type.pk
    assert ContentType.objects.get_for_model(HandlingUnit).pk == unit_type.pk
    assert not ContentType.objects.filter(app_label="liaison", model="station").exists()
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    assert {"organisation_station", "deputies_deputy_resident_stations", "duties_activity"} <= tables
    assert not {"liaison_station", "liaison_station_resident_deputies", "suggestions_handlingunit"} & tables
