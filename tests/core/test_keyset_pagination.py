"""Keyset (cursor) pagination of the big API lists: opinions, visits, suggestions.

``next``/``previous`` links walk the list's index order from the last (first) row of a page, so every row
is listed exactly once, in order, whatever page it is on; there is no total count and no page number.
"""

import base64
import json
from datetime import date, timedelta

import pytest

from liaison.selectors import opinions_visible_to
from liaison.services.opinions import opinion_create
from tests.builders.people import client_for
from tests.liaison import reception_support

pytestmark = pytest.mark.django_db
street = reception_support.street

URL = "/api/v1/opinions/"


@pytest.fixture
def opinions(street):
    """23 opinions on 4 days, several on the same day (the id tells them apart), some at A, some at B."""
    start = date(2024, 12, 29)  # across a year boundary
    for n in range(23):
        opinion_create(
            actor=street.office,
            station=street.a if n % 3 else street.b,
            data={"category": "traffic", "content": f"意见{n}"},
            received_on=start + timedelta(days=n % 4),
        )


def walk(client, url, params=None):
    """Every page from ``url`` following ``next``: [[ids of page 1], [ids of page 2], …] and the bodies."""
    pages, bodies = [], []
    response = client.get(url, params or {})
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"next", "previous", "results"}
        pages.append([row["id"] for row in body["results"]])
        bodies.append(body)
        if not body["next"]:
            return pages, bodies
        response = client.get(body["next"])


def test_next_links_list_every_row_once_in_order(street, opinions):
    for user in (street.office, street.staff_a):
        client = client_for(user)
        expected = list(opinions_visible_to(user).order_by("-received_on", "-id").values_list("id", flat=True))
        pages, bodies = walk(client, URL, {"page_size": 5})
        assert [row for page in pages for row in page] == expected
        assert all(len(page) == 5 for page in pages[:-1]) and 0 < len(pages[-1]) <= 5
        assert bodies[0]["previous"] is None and bodies[-1]["next"] is None
        assert all(body["previous"] for body in bodies[1:])


def test_previous_links_go_back_page_by_page(street, opinions):
    client = client_for(street.office)
    pages, bodies = walk(client, URL, {"page_size": 4})
    assert len(pages) == 6
    body = bodies[-1]
    for number in range(len(pages) - 2, -1, -1):
        body = client.get(body["previous"]).json()
        assert [row["id"] for row in body["results"]] == pages[number]
        assert body["next"]
    assert body["previous"] is None


def test_filters_and_page_size_are_kept_in_the_links(street, opinions):
    client = client_for(street.office)
    pages, bodies = walk(client, URL, {"page_size": 2, "station": street.a.pk})
    assert "station=" in bodies[0]["next"] and "page_size=2" in bodies[0]["next"]
    at_a = list(
        opinions_visible_to(street.office)
        .filter(station=street.a)
        .order_by("-received_on", "-id")
        .values_list("id", flat=True)
    )
    assert [row for page in pages for row in page] == at_a


def test_visits_and_suggestions_have_cursor_links_too(street, opinions):
    client = client_for(street.office)
    for url in ("/api/v1/visits/", "/api/v1/suggestions/"):
        body = client.get(url).json()
        assert set(body) == {"next", "previous", "results"}, url


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "!!!",
        base64.urlsafe_b64encode(b'{"k": ["2024-01-01"], "r": false}').decode(),  # one key short
        base64.urlsafe_b64encode(b'{"k": ["not a date", 1], "r": false}').decode(),
        base64.urlsafe_b64encode(b'{"k": ["2024-01-01", 99999999999999999999999], "r": false}').decode(),
        base64.urlsafe_b64encode(b'{"k": ["2024-01-01", 1], "r": "yes"}').decode(),
        base64.urlsafe_b64encode(json.dumps([1, 2]).encode()).decode(),
    ],
)
def test_a_bad_cursor_is_a_400_not_a_500(street, cursor):
    response = client_for(street.office).get(URL, {"cursor": cursor})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_cursor" and body["fields"] == ["cursor"]


def test_a_page_number_is_refused_rather_than_ignored(street):
    response = client_for(street.office).get(URL, {"page": "2"})
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_parameter"


def test_the_schema_documents_the_cursor_and_the_links(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/opinions/"]["get"]
    assert {"cursor", "page_size"} <= {p["name"] for p in operation["parameters"]}
    assert "page" not in {p["name"] for p in operation["parameters"]}
    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page = schema["components"]["schemas"][reference.rsplit("/", 1)[1]]
    assert set(page["properties"]) == {"next", "previous", "results"}
