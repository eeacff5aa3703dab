"""List pages over big sets: no exact COUNT(*) past a limit, page navigation that still works, and filter
selects with a bounded number of options whatever the user's scope."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.pagination import EstimatedPaginator, capped_count, count_label
from liaison.filters import reception as reception_filters
from liaison.models import Opinion
from liaison.services.opinions import opinion_create
from tests.liaison import reception_support

pytestmark = pytest.mark.django_db
street = reception_support.street

URL = "/stations/reception/opinions/"


@pytest.fixture
def opinions(street):
    start = date(2024, 12, 30)
    for n in range(12):
        opinion_create(
            actor=street.office,
            station=street.a if n % 2 else street.b,
            data={"category": "traffic", "content": f"意见{n}"},
            received_on=start + timedelta(days=n % 3),
        )


@pytest.fixture
def small_limit(monkeypatch):
    """Pretend that more than 5 rows is a big set (10,000 in production)."""
    monkeypatch.setattr(EstimatedPaginator, "exact_limit", 5)
    monkeypatch.setattr("organisation.desk.PAGE_SIZE", 4)


def result_count(html: str) -> str:
    return re.search(r'<p class="result-count">(.*?)</p>', html).group(1)


def ids_on(response) -> list[int]:
    return [o.pk for o in response.context["page_obj"].object_list]


def test_capped_count_counts_at_most_the_limit(street, opinions):
    assert capped_count(Opinion.objects.all(), 5) == 6
    assert capped_count(Opinion.objects.all(), 100) == 12
    assert count_label(1234, estimated=False) == "1,234"
    assert count_label(10_001, estimated=True) == "10000+"


def test_a_small_set_keeps_its_exact_count_and_last_page(client, street, opinions, monkeypatch):
    monkeypatch.setattr("organisation.desk.PAGE_SIZE", 5)
    client.force_login(street.office)
    html = client.get(URL).content.decode()
    assert "共 12 条意见" in result_count(html)
    assert "1 / 3" in html and "»</a>" in html


def test_a_big_set_shows_an_estimate_and_pages_still_walk_to_the_end(client, street, opinions, small_limit):
    client.force_login(street.office)
    expected = list(Opinion.objects.order_by("-received_on", "-id").values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        first = client.get(URL)
    html = first.content.decode()
    label = result_count(html)
    # More rows than counted: an estimate (PostgreSQL's planner) or "5+" elsewhere, never an exact count.
    assert ("约" in label) if connection.vendor == "postgresql" else ("5+" in label), label
    assert "第 1 页" in html and "»</a>" not in html  # no last page to jump to
    counts = [q["sql"] for q in queries.captured_queries if q["sql"].upper().startswith("SELECT COUNT(")]
    assert counts and all("LIMIT" in sql.upper() for sql in counts if "liaison_opinion" in sql), counts
    walked, number = [], 1
    while True:
        response = client.get(URL, {"page": number})
        assert response.status_code == 200
        walked += ids_on(response)
        if not response.context["page_obj"].has_next():
            break
        number += 1
    assert walked == expected and number == 3


def test_a_page_past_the_end_or_not_a_number_does_not_fail(client, street, opinions, small_limit):
    client.force_login(street.office)
    assert client.get(URL, {"page": "99"}).status_code == 200
    assert ids_on(client.get(URL, {"page": "x"})) == ids_on(client.get(URL))
    assert ids_on(client.get(URL, {"page": "-1"})) == ids_on(client.get(URL))


def test_the_suggestion_and_visit_lists_use_the_same_pagination(client, street, small_limit):
    client.force_login(street.office)
    for url in ("/suggestions/", "/stations/reception/visits/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert isinstance(response.context["page_obj"].paginator, EstimatedPaginator), url


def options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\d*)"', select)


def test_the_filter_selects_offer_a_bounded_number_of_places(client, street, monkeypatch):
    client.force_login(street.office)
    # Few places: all of them.
    html = client.get(URL).content.decode()
    assert len(options(html, "station")) == 1 + 4 and len(options(html, "grid")) == 1 + 3
    # Many places (here: more than 2): the top of the tree, then what is below the chosen station.
    monkeypatch.setattr(reception_filters, "PLACE_OPTIONS_LIMIT", 2)
    html = client.get(URL).content.decode()
    assert options(html, "station")[1:] == [str(street.hub.pk)]
    assert options(html, "grid") == [""] and "请先选择联络站" in html
    html = client.get(URL, {"station": street.hub.pk}).content.decode()
    assert set(options(html, "station")[1:]) == {str(s.pk) for s in (street.hub, street.a, street.b)}
    assert set(options(html, "grid")[1:]) == {str(g.pk) for g in (street.grid_a1, street.grid_a2, street.grid_b1)}
    html = client.get(URL, {"station": street.a.pk}).content.decode()
    assert set(options(html, "station")[1:]) == {str(s.pk) for s in (street.hub, street.a, street.a1)}
    assert set(options(html, "grid")[1:]) == {str(street.grid_a1.pk), str(street.grid_a2.pk)}
    # A chosen point keeps its path and its grid stays selectable; any visible place is still accepted.
    response = client.get(URL, {"station": street.a1.pk, "grid": street.grid_b1.pk})
    assert response.status_code == 200 and not response.context["filter"].errors
    html = response.content.decode()
    assert set(options(html, "station")[1:]) == {str(s.pk) for s in (street.hub, street.a, street.a1)}
    assert str(street.grid_b1.pk) in options(html, "grid")


def test_staff_see_only_their_places_in_the_selects(client, street, monkeypatch):
    monkeypatch.setattr(reception_filters, "PLACE_OPTIONS_LIMIT", 1)
    client.force_login(street.staff_a)
    html = client.get(URL).content.decode()
    assert options(html, "station")[1:] == [str(street.a.pk)]  # the top of their own tree
    response = client.get(URL, {"station": street.b.pk})
    assert response.context["filter"].errors  # outside their scope: refused, not listed


def test_the_visit_list_filter_is_bounded_the_same_way(client, street, monkeypatch):
    client.force_login(street.office)
    monkeypatch.setattr(reception_filters, "PLACE_OPTIONS_LIMIT", 2)
    html = client.get("/stations/reception/visits/").content.decode()
    assert options(html, "station")[1:] == [str(street.hub.pk)]
    assert options(html, "grid") == [""]
    html = client.get("/stations/reception/visits/", {"station": street.a.pk}).content.decode()
    assert set(options(html, "station")[1:]) == {str(s.pk) for s in (street.hub, street.a, street.a1)}
    assert set(options(html, "grid")[1:]) == {str(street.grid_a1.pk), str(street.grid_a2.pk)}
