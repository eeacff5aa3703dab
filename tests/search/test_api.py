"""GET /api/v1/search/: strict parameters, paging within the capped count, the documented shape."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.models import Opinion
from search import selectors
from tests.builders.people import client_for

pytestmark = pytest.mark.django_db


def many_opinions(station, n, start=0):
    Opinion.objects.bulk_create(
        Opinion(
            station=station,
            source="desk",
            category="other",
            content=f"第{i}号：小区电梯故障",
            received_on=date.fromordinal(date(2023, 1, 1).toordinal() + i),
        )
        for i in range(start, start + n)
    )


def test_results_and_shape(searchable):
    s = searchable
    body = client_for(s.world.office).get("/api/v1/search/", {"q": "电梯"}).json()
    assert set(body) == {"count", "count_capped", "next", "previous", "kind", "kinds", "results"}
    assert body["count"] == 2 and body["count_capped"] is False and body["next"] is None
    assert body["kind"] == "opinions"
    assert [k["kind"] for k in body["kinds"]] == ["opinions", "suggestions", "replies", "projects"]
    hit = body["results"][0]
    assert hit["id"] == s.lift_b.pk and hit["kind"] == "opinions" and hit["date"] == "2024-03-02"
    assert "<mark>电梯</mark>" in hit["snippet"] and hit["url"].endswith(f"/opinions/{s.lift_b.pk}/")
    projects = client_for(s.world.office).get("/api/v1/search/", {"q": "电梯", "kind": "projects"}).json()
    assert [r["id"] for r in projects["results"]] == [s.project.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "电梯", "stattion": "1"}, "fields"),
        ({"q": "电梯", "kind": "deputies"}, "kind"),
        ({"q": "电梯", "page": "0"}, "page"),
        ({"q": "电梯", "page": "abc"}, "page"),
        ({"q": "电梯", "page": str(10**30)}, "page"),
        ({"q": "电梯", "page": "26"}, "page"),
        ({"q": ""}, "q"),
        ({}, "q"),
    ],
)
def test_bad_parameters_are_machine_readable_400s(searchable, params, field):
    response = client_for(searchable.world.office).get("/api/v1/search/", params)
    assert response.status_code == 400, response.content
    assert field in response.json()
    if field == "fields":
        assert response.json()["code"] == "unknown_parameter"


def test_anonymous_is_refused(searchable):
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/search/", {"q": "电梯"}).status_code in (401, 403)


@pytest.mark.parametrize("sample_cap", [1000, 35], ids=["page by key", "page along the index"])
def test_paging_stops_at_the_cap(searchable, monkeypatch, sample_cap):
    monkeypatch.setattr(selectors, "COUNT_CAP", 30)
    monkeypatch.setattr(selectors, "SAMPLE_CAP", sample_cap)
    many_opinions(searchable.world.station_a, 40)
    client = client_for(searchable.world.office)
    first = client.get("/api/v1/search/", {"q": "电梯 故障"}).json()
    assert first["count"] == 30 and first["count_capped"] is True
    assert len(first["results"]) == 20 and first["previous"] is None
    assert "page=2" in first["next"] and "kind=opinions" in first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 10 and second["next"] is None and "page=1" in second["previous"]
    # Newest first across pages, no row twice.
    ids = [r["id"] for r in first["results"] + second["results"]]
    dates = [r["date"] for r in first["results"] + second["results"]]
    assert len(set(ids)) == 30 and dates == sorted(dates, reverse=True)
    # A page past the end is the last page.
    assert client.get("/api/v1/search/", {"q": "电梯 故障", "page": 5}).json()["results"] == second["results"]


def test_pages_of_a_few_hundred_matches_are_read_by_key(searchable):
    many_opinions(searchable.world.station_a, 25)
    client = client_for(searchable.world.office)
    first = client.get("/api/v1/search/", {"q": "电梯 故障"}).json()
    second = client.get(first["next"]).json()
    assert first["count"] == 25 and first["count_capped"] is False
    assert len(first["results"]) == 20 and len(second["results"]) == 5 and second["next"] is None
    expected = list(
        Opinion.objects.filter(content__contains="故障").order_by("-received_on", "-id").values_list("id", flat=True)
    )
    assert [r["id"] for r in first["results"] + second["results"]] == expected


def test_the_query_count_does_not_grow_with_the_hits(searchable):
    client = client_for(searchable.world.office)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/search/", {"q": "电梯"}).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    many_opinions(searchable.world.station_a, 30)
    assert queries() == few == 4 + 1  # a capped count per kind, one page


def test_the_query_count_of_each_kind_is_fixed(searchable):
    client = client_for(searchable.world.office)
    for kind in selectors.KINDS:
        with CaptureQueriesContext(connection) as captured:
            body = client.get("/api/v1/search/", {"q": "电梯", "kind": kind}).json()
        assert body["results"], kind
        assert len(captured.captured_queries) == 5, (kind, [q["sql"][:100] for q in captured.captured_queries])


def test_the_schema_documents_the_endpoint(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/search/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "kind", "page"}
    response = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][response.rsplit("/", 1)[1]]
    assert {"count", "count_capped", "next", "previous", "results"} <= set(component["properties"])
