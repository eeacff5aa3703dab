"""``/api/v1/grid-duties/``: the "四个一" duties through the API, scoped, filtered, documented, with 补录."""

from datetime import date

import pytest
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.routers import SimpleRouter
from rest_framework.test import APIClient

from duties.api.grid_duties import GridDutyViewSet
from duties.models import GridDuty
from duties.services.grid_duties import grid_duty_record
from tests.liaison import reception_support

pytestmark = pytest.mark.django_db
street = reception_support.street

TODAY = date(2024, 5, 20)
URL = "/api/v1/grid-duties/"


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _body(street, **extra):
    return {"deputy": street.owner.pk, "grid": street.grid_a1.pk, "kind": "patrol", "date": "2024-05-10"} | extra


def test_the_deputy_records_their_own_duty_of_the_open_period(street, frozen_today):
    frozen_today(TODAY)
    response = _client(street.owner_user).post(URL, _body(street), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["date"], body["back_recorded"]) == ("patrol", "2024-05-10", False)
    assert body["recorded_by"] == street.owner_user.display_name


def test_a_closed_period_is_back_recorded_by_the_station_not_the_deputy(street, frozen_today):
    frozen_today(TODAY)
    # April's patrol, entered in May by the deputy: refused, nothing written.
    response = _client(street.owner_user).post(URL, _body(street, date="2024-04-12"), format="json")
    assert response.status_code == 400
    assert "date" in response.json()
    assert not GridDuty.objects.exists()
    # The quarter is still open for a research visit of April.
    response = _client(street.owner_user).post(URL, _body(street, kind="research", date="2024-04-12"), format="json")
    assert response.status_code == 201
    assert response.json()["back_recorded"] is False
    # The grid's station staff record April's patrol afterwards: marked, with who entered it and when.
    response = _client(street.staff_a).post(URL, _body(street, date="2024-04-12"), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["back_recorded"] is True
    assert body["recorded_by"] == street.staff_a.display_name
    assert body["created_at"].startswith("2024-05-20")
    # Staff of another station may not record for this grid at all.
    assert _client(street.staff_b).post(URL, _body(street, date="2024-04-13"), format="json").status_code == 403
    assert GridDuty.objects.count() == 2


def test_the_list_is_scoped_and_filtered(street, frozen_today):
    frozen_today(TODAY)
    grid_duty_record(
        actor=street.office, deputy=street.owner, grid=street.grid_a1, kind="patrol", date=date(2024, 3, 5)
    )
    grid_duty_record(
        actor=street.office, deputy=street.owner, grid=street.grid_a1, kind="patrol", date=date(2024, 5, 5)
    )
    grid_duty_record(
        actor=street.office, deputy=street.colleague, grid=street.grid_a2, kind="grid_meeting", date=date(2024, 5, 6)
    )
    grid_duty_record(
        actor=street.office, deputy=street.outsider, grid=street.grid_b1, kind="patrol", date=date(2024, 5, 7)
    )

    def ids(user, **params):
        response = _client(user).get(URL, params)
        assert response.status_code == 200, response.content
        return sorted((d["deputy_name"], d["date"]) for d in response.json()["results"])

    assert len(ids(street.office)) == 4
    assert len(ids(street.leader)) == 4
    assert {name for name, _day in ids(street.staff_a)} == {street.owner.name, street.colleague.name}
    assert {name for name, _day in ids(street.staff_b)} == {street.outsider.name}
    assert {name for name, _day in ids(street.owner_user)} == {street.owner.name}
    assert ids(street.unit_officer) == []
    assert ids(street.office, month=3) == [(street.owner.name, "2024-03-05")]
    assert ids(street.office, kind="grid_meeting") == [(street.colleague.name, "2024-05-06")]
    assert len(ids(street.office, back_recorded="true")) == 1
    assert len(ids(street.office, year=2024, deputy=street.owner.pk)) == 2
    assert len(ids(street.office, station=street.b.pk)) == 1
    assert _client(street.office).get(URL, {"yaer": 2024}).status_code == 400
    assert _client(street.office).get(URL, {"month": 13}).status_code == 400
    # Someone else's duty is not found.
    other = GridDuty.objects.get(deputy=street.outsider)
    assert _client(street.staff_a).get(f"{URL}{other.pk}/").status_code == 404
    assert _client(street.staff_b).get(f"{URL}{other.pk}/").status_code == 200


def test_correcting_a_duty(street, frozen_today):
    frozen_today(TODAY)
    duty = grid_duty_record(
        actor=street.owner_user, deputy=street.owner, grid=street.grid_a1, kind="patrol", date=date(2024, 5, 10)
    )
    # The deputy may correct the date inside the open month, not move it into a closed one.
    deputy = _client(street.owner_user)
    assert deputy.patch(f"{URL}{duty.pk}/", {"date": "2024-05-11"}, format="json").status_code == 200
    response = deputy.patch(f"{URL}{duty.pk}/", {"date": "2024-04-30"}, format="json")
    assert response.status_code == 400
    duty.refresh_from_db()
    assert duty.date == date(2024, 5, 11)
    # The station may: the duty is then marked as recorded afterwards, with who changed it.
    response = _client(street.staff_a).patch(f"{URL}{duty.pk}/", {"date": "2024-04-30", "note": "补记"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["date"], body["back_recorded"], body["updated_by"]) == (
        "2024-04-30",
        True,
        street.staff_a.display_name,
    )
    # Closed now, the deputy can no longer change it; the deputy field is not writable.
    assert deputy.patch(f"{URL}{duty.pk}/", {"note": "改"}, format="json").status_code == 400
    assert (
        _client(street.office).patch(f"{URL}{duty.pk}/", {"deputy": street.colleague.pk}, format="json").status_code
        == 400
    )


def test_the_grid_duty_api_is_documented_without_warnings():
    router = SimpleRouter()
    router.register("grid-duties", GridDutyViewSet, basename="grid-duty")
    GENERATOR_STATS.reset()
    schema = SchemaGenerator(patterns=[path("api/v1/", include(router.urls))]).get_schema(request=None, public=True)
    assert set(schema["paths"]) == {"/api/v1/grid-duties/", "/api/v1/grid-duties/{id}/"}
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/grid-duties/"])
    assert {"get", "patch"} <= set(schema["paths"]["/api/v1/grid-duties/{id}/"])
    filters = {p["name"] for p in schema["paths"]["/api/v1/grid-duties/"]["get"]["parameters"]}
    assert {"deputy", "grid", "station", "kind", "year", "month", "date_from", "date_to", "back_recorded"} <= filters
    assert not GENERATOR_STATS._warn_cache, dict(GENERATOR_STATS._warn_cache)
    assert not GENERATOR_STATS._error_cache, dict(GENERATOR_STATS._error_cache)
