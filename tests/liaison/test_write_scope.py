"""Writes name only deputies of the station concerned: visit receivers and the public QR channel.

Around station A: the owner is resident there (and leads grid A-1), the colleague holds grid A-2;
the outsider belongs to station B.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from core.errors import PermissionRefused
from liaison.models import Opinion, Visit
from liaison.services.public import public_opinion_submit
from liaison.services.reception import reception_day_add, roster_set, visit_record
from tests.liaison import reception_support
from tests.liaison.reception_support import fresh_ip

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_rate_limits")]
street = reception_support.street
isolated_rate_limits = reception_support.isolated_rate_limits

DAY = date(2024, 3, 15)


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _visit_body(street, deputies, station=None):
    return {
        "station": (station or street.a).pk,
        "date": DAY.isoformat(),
        "channel": "at_station",
        "headcount": 1,
        "deputies": [d.pk for d in deputies],
        "opinions": [{"category": "traffic", "content": "路灯不亮"}],
    }


def test_visit_api_refuses_a_receiver_from_another_station_and_writes_nothing(street):
    for actor in (street.staff_a, street.office, street.owner_user):
        response = _client(actor).post(
            "/api/v1/visits/", _visit_body(street, [street.owner, street.outsider]), format="json"
        )
        assert response.status_code == 403, (actor, response.content)
        body = response.json()
        assert body["code"] == "deputy_not_of_station"
        assert body["detail"] == "以下代表不属于本站，不能登记为接待代表：赵代表"
    assert not Visit.objects.exists() and not Opinion.objects.exists()


def test_visit_receivers_of_the_station_its_subtree_and_the_residents_above(street):
    # The resident (owner) and the grid holder (colleague) of station A receive at A.
    response = _client(street.staff_a).post(
        "/api/v1/visits/", _visit_body(street, [street.owner, street.colleague]), format="json"
    )
    assert response.status_code == 201, response.content
    assert {d["id"] for d in response.json()["deputies"]} == {street.owner.pk, street.colleague.pk}
    # At the community point below A, A's resident deputy receives too; a grid holder of A does not.
    visit = visit_record(
        actor=street.staff_a,
        station=street.a1,
        date=DAY,
        channel="at_station",
        headcount=1,
        deputies=[street.owner],
    )
    assert list(visit.deputies.values_list("pk", flat=True)) == [street.owner.pk]
    with pytest.raises(PermissionRefused):
        visit_record(
            actor=street.staff_a,
            station=street.a1,
            date=DAY,
            channel="at_station",
            headcount=1,
            deputies=[street.colleague],
        )
    # A deputy recording their own visit at B may not name a deputy of another station either.
    visit_record(actor=street.outsider_user, station=street.b, date=DAY, channel="home_visit", headcount=1)
    with pytest.raises(PermissionRefused):
        visit_record(
            actor=street.outsider_user,
            station=street.b,
            date=DAY,
            channel="home_visit",
            headcount=1,
            deputies=[street.owner],
        )
    assert Visit.objects.count() == 3


def test_the_refused_receiver_gets_no_credit_and_does_not_see_the_visit(street):
    with pytest.raises(PermissionRefused):
        visit_record(
            actor=street.office,
            station=street.a,
            date=DAY,
            channel="at_station",
            headcount=1,
            deputies=[street.outsider],
        )
    response = _client(street.outsider_user).get("/api/v1/visits/")
    assert response.status_code == 200 and response.json()["results"] == []


def test_visit_page_refuses_the_office_naming_another_stations_deputy(client, street):
    client.force_login(street.office)
    data = {
        "station": street.a.pk,
        "date": DAY.isoformat(),
        "channel": "at_station",
        "headcount": "1",
        "deputies": [street.outsider.pk],
        "grid": "",
        "note": "",
        "c-TOTAL_FORMS": "0",
        "c-INITIAL_FORMS": "0",
        "o-TOTAL_FORMS": "0",
        "o-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("liaison:visit_new"), data, HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 403, response.content
    assert "不属于本站" in response.json()["errors"]["__all__"][0]
    assert not Visit.objects.exists()


def _submit(client, **data):
    body = {"category": "traffic", "content": "路口的红绿灯坏了三天"} | data
    return client.post("/api/v1/public/opinions/", body, content_type="application/json", REMOTE_ADDR=fresh_ip())


def test_public_opinion_pairs_a_deputy_only_with_their_own_station(client, street):
    response = _submit(client, station=street.a.pk, deputy=street.outsider.pk)
    assert response.status_code == 400
    assert response.json()["deputy"] == ["该代表不在此联络站接收意见。"]
    assert not Opinion.objects.exists()
    # The resident and the grid holder of A (at A or above it); the outsider at B.
    for station, deputy in (
        (street.a, street.owner),
        (street.a, street.colleague),
        (street.hub, street.owner),  # the hub's subtree holds station A
        (street.b, street.outsider),
    ):
        response = _submit(client, station=station.pk, deputy=deputy.pk)
        assert response.status_code == 201, (station, deputy, response.content)
    assert list(Opinion.objects.order_by("id").values_list("station", "deputy")) == [
        (street.a.pk, street.owner.pk),
        (street.a.pk, street.colleague.pk),
        (street.hub.pk, street.owner.pk),
        (street.b.pk, street.outsider.pk),
    ]


def test_public_service_refuses_the_pairing_too(street):
    with pytest.raises(ValidationError) as refused:
        public_opinion_submit(station=street.b, deputy=street.colleague, category="traffic", content="x")
    assert "deputy" in refused.value.message_dict
    assert not Opinion.objects.exists()


def test_the_roster_takes_only_deputies_of_the_station_and_keeps_the_old_one_on_refusal(street):
    day = reception_day_add(station=street.a, date=DAY, actor=street.staff_a)
    roster_set(day=day, deputies=[street.owner], actor=street.staff_a)
    for actor in (street.staff_a, street.office):
        with pytest.raises(PermissionRefused) as refused:
            roster_set(day=day, deputies=[street.colleague, street.outsider], actor=actor)
        assert refused.value.code == "deputy_not_of_station"
        assert str(refused.value.message) == "以下代表不属于本站，不能排入接待轮值：赵代表"
    assert [entry.deputy for entry in day.roster.all()] == [street.owner]
    # The community point below A takes A's resident deputy.
    point_day = reception_day_add(station=street.a1, date=DAY, actor=street.staff_a)
    roster_set(day=point_day, deputies=[street.owner], actor=street.staff_a)
    assert [entry.deputy for entry in point_day.roster.all()] == [street.owner]
