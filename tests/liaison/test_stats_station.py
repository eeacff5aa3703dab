"""Station statistics: the five figures (docs/domain.md) for a seeded station-year (328 / 96 / 79 / 17 / 33)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from liaison.models import Opinion
from liaison.services.opinions import opinion_mark_escalated, opinion_resolve
from liaison.services.reception import visit_record
from tests.liaison import reception_support

pytestmark = pytest.mark.django_db
street = reception_support.street

URL = "/api/v1/stats/stations/"
YEAR = {"date_from": "2023-01-01", "date_to": "2023-12-31"}
SEEDED = {"visits_person_times": 328, "opinions": 96, "answered_on_site": 79, "escalated": 17, "resolved": 33}


def _visit(street, station, day, headcount, opinions=(), staff=None):
    return visit_record(
        actor=staff or street.office,
        station=station,
        date=day,
        channel="at_station",
        headcount=headcount,
        opinions=[{"category": "traffic", "content": f"第{n}条意见", **o} for n, o in enumerate(opinions)],
    )


@pytest.fixture
def seeded_year(street):
    """Station A in 2023: 41 visits of 8 people (328), 79 opinions answered on site and 17 escalated
    (96), 33 of them resolved. Around it: station B, the hub and A's neighbouring years."""
    start = date(2023, 1, 6)
    for n in range(40):
        answered = 1 if n == 39 else 2  # 39 × 2 + 1 = 79
        _visit(street, street.a, start + timedelta(days=8 * n), 8, [{"outcome": "answered_on_site"}] * answered)
    last = _visit(street, street.a, date(2023, 12, 28), 8, [{}] * 17)
    for opinion in last.opinions.all():
        opinion_mark_escalated(opinion=opinion, actor=street.staff_a)
    for opinion in Opinion.objects.filter(station=street.a).order_by("id")[:33]:
        opinion_resolve(opinion=opinion, note="已解决", actor=street.staff_a)
    # Noise that must not count for station A in 2023.
    _visit(street, street.a, date(2022, 12, 31), 5, [{"outcome": "answered_on_site"}])
    _visit(street, street.a, date(2024, 1, 1), 6, [{"outcome": "filed"}])
    _visit(street, street.b, date(2023, 6, 1), 50, [{"outcome": "answered_on_site"}] * 3)
    _visit(street, street.hub, date(2023, 6, 2), 9, [{"outcome": "answered_on_site"}])
    return street


def test_the_seeded_station_year_gives_exactly_the_seeded_figures(client, seeded_year):
    street = seeded_year
    client.force_login(street.staff_a)
    response = client.get(URL, {"station": street.a.pk, **YEAR})
    assert response.status_code == 200
    assert response.json() == SEEDED


def test_other_periods_and_stations_are_excluded_and_sub_stations_included(client, seeded_year):
    street = seeded_year
    client.force_login(street.office)
    assert client.get(URL, {"station": street.b.pk, **YEAR}).json() == {
        "visits_person_times": 50,
        "opinions": 3,
        "answered_on_site": 3,
        "escalated": 0,
        "resolved": 0,
    }
    # The hub's figures cover the whole tree: its own, A's and B's.
    hub = client.get(URL, {"station": street.hub.pk, **YEAR}).json()
    assert hub["visits_person_times"] == 328 + 50 + 9 and hub["opinions"] == 96 + 3 + 1
    # A period boundary is inclusive on both ends.
    assert (
        client.get(URL, {"station": street.a.pk, "date_from": "2024-01-01", "date_to": "2024-01-01"}).json()[
            "visits_person_times"
        ]
        == 6
    )
    assert client.get(URL, {"station": street.a.pk, "date_to": "2022-12-31"}).json()["opinions"] == 1
    # Without a station: everything the user sees (the office sees all).
    everything = client.get(URL).json()
    assert everything["visits_person_times"] == 328 + 5 + 6 + 50 + 9


def test_statistics_are_scoped_by_role(client, seeded_year):
    street = seeded_year
    client.force_login(street.staff_b)
    assert client.get(URL, {"station": street.a.pk, **YEAR}).status_code == 404
    # Staff of B without a station parameter see B only.
    assert client.get(URL, YEAR).json()["visits_person_times"] == 50
    client.force_login(street.leader)
    assert client.get(URL, {"station": street.a.pk, **YEAR}).json() == SEEDED
    client.force_login(street.owner_user)  # resident at A
    assert client.get(URL, {"station": street.a.pk, **YEAR}).json() == SEEDED
    client.force_login(street.outsider_user)  # resident at B
    assert client.get(URL, {"station": street.a.pk, **YEAR}).status_code == 404
    client.force_login(street.unit_officer)
    assert client.get(URL, YEAR).status_code == 403
    client.logout()
    assert client.get(URL, YEAR).status_code in (401, 403)


def test_bad_parameters_are_refused(client, street):
    client.force_login(street.office)
    for params, field in [
        ({"date_from": "2023-02-30"}, "date_from"),
        ({"date_to": "yesterday"}, "date_to"),
        ({"date_from": "2023-12-31", "date_to": "2023-01-01"}, "date_to"),
        ({"station": "abc"}, "station"),
    ]:
        response = client.get(URL, params)
        assert response.status_code == 400 and field in response.json(), params
    assert client.get(URL, {"station": 999999}).status_code == 404


def test_the_dashboard_page_shows_the_same_five_figures(client, seeded_year):
    street = seeded_year
    client.force_login(street.staff_a)
    response = client.get(reverse("liaison:reception_dashboard"), {"station": street.a.pk, **YEAR})
    assert response.status_code == 200 and response.context["figures"] == SEEDED
    body = response.content.decode()
    assert "接待人次" in body and "<svg" in body and "形成意见建议" in body
    months = response.context["chart"]["months"]
    assert len(months) == 12 and sum(m["person_times"] for m in months) == 328
    # A malformed period is reported, not a 500.
    assert client.get(reverse("liaison:reception_dashboard"), {"date_from": "2023-13-01"}).status_code == 200
