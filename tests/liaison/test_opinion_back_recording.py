"""补录 of an opinion's outcome and resolution through the API: dated by the station's desk, refused to others."""

from datetime import date

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from liaison.models import Opinion, OpinionEvent
from liaison.services.opinions import opinion_create
from tests.liaison import reception_support

pytestmark = pytest.mark.django_db
street = reception_support.street

TODAY = date(2026, 12, 7)
RECEIVED = date(2023, 9, 26)


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _opinion(street, **extra):
    data = {"category": "traffic", "content": "路口缺少红绿灯"} | extra
    return opinion_create(actor=street.staff_a, station=street.a, data=data, received_on=RECEIVED)


def _state(pk):
    o = Opinion.objects.get(pk=pk)
    return (o.outcome, o.outcome_at, o.resolved_at, o.events.count())


def test_outcome_and_resolution_recorded_with_their_dates(street, frozen_today):
    frozen_today(TODAY)
    opinion = _opinion(street)
    client = _client(street.staff_a)
    response = client.post(
        f"/api/v1/opinions/{opinion.pk}/outcome/",
        {"outcome": "referred", "referral_unit": street.unit.pk, "happened_on": "2023-09-28"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["outcome_at"].startswith("2023-09-28")
    response = client.post(
        f"/api/v1/opinions/{opinion.pk}/resolve/", {"note": "已加装信号灯", "happened_on": "2023-11-02"}, format="json"
    )
    assert response.status_code == 200, response.content
    opinion.refresh_from_db()
    assert timezone.localdate(opinion.resolved_at) == date(2023, 11, 2)
    events = {e.kind: e for e in OpinionEvent.objects.filter(opinion=opinion)}
    assert timezone.localdate(events["outcome"].at) == date(2023, 9, 28)
    assert timezone.localdate(events["resolved"].at) == date(2023, 11, 2)
    assert timezone.localdate(events["resolved"].entered_at) == TODAY
    assert events["resolved"].actor == street.staff_a
    # Received on an earlier day, the opinion's own history is dated then and marked as entered afterwards.
    assert timezone.localdate(events["received"].at) == RECEIVED
    assert events["received"].entered_at is not None
    history = response.json()["events"]
    assert [e["kind"] for e in history] == ["received", "outcome", "resolved"]
    assert all(e["entered_at"] for e in history)


@pytest.mark.parametrize("happened_on", ["2026-12-08", "2023-09-25"])
def test_a_wrong_outcome_date_changes_nothing(street, frozen_today, happened_on):
    frozen_today(TODAY)
    opinion = _opinion(street)
    before = _state(opinion.pk)
    response = _client(street.office).post(
        f"/api/v1/opinions/{opinion.pk}/outcome/", {"outcome": "filed", "happened_on": happened_on}, format="json"
    )
    assert response.status_code == 400
    assert "happened_on" in response.json()
    assert _state(opinion.pk) == before


def test_a_resolution_before_its_outcome_is_refused(street, frozen_today):
    frozen_today(TODAY)
    opinion = _opinion(street)
    client = _client(street.office)
    client.post(
        f"/api/v1/opinions/{opinion.pk}/outcome/", {"outcome": "filed", "happened_on": "2023-10-10"}, format="json"
    )
    before = _state(opinion.pk)
    response = client.post(
        f"/api/v1/opinions/{opinion.pk}/resolve/", {"note": "已解决", "happened_on": "2023-10-09"}, format="json"
    )
    assert response.status_code == 400
    assert _state(opinion.pk) == before


def test_the_unit_officer_may_resolve_but_not_with_an_earlier_date(street, frozen_today):
    frozen_today(TODAY)
    opinion = _opinion(street)
    _client(street.staff_a).post(
        f"/api/v1/opinions/{opinion.pk}/outcome/",
        {"outcome": "referred", "referral_unit": street.unit.pk},
        format="json",
    )
    before = _state(opinion.pk)
    response = _client(street.unit_officer).post(
        f"/api/v1/opinions/{opinion.pk}/resolve/", {"note": "已解决", "happened_on": "2026-12-01"}, format="json"
    )
    assert response.status_code == 400
    assert "happened_on" in response.json()
    assert _state(opinion.pk) == before
    # Without a date it is resolved now, as before.
    response = _client(street.unit_officer).post(
        f"/api/v1/opinions/{opinion.pk}/resolve/", {"note": "已解决"}, format="json"
    )
    assert response.status_code == 200
    assert OpinionEvent.objects.get(opinion=opinion, kind="resolved").entered_at is None
