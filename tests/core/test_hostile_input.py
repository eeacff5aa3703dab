"""Bad input is a clear 400 (or an empty list with the error on a page), never a 500, and changes nothing.

Every integer query parameter the API documents is tried with values beyond 64 bits, every list
endpoint with a parameter it does not know; years outside any plausible range; write bodies with
fields the endpoint does not take; and the bodies that used to reach a service with missing arguments.
"""

import inspect

import pytest
from django.test import Client
from django.urls import reverse
from django_filters import FilterSet
from rest_framework import serializers
from rest_framework.test import APIClient

from core.filters import StrictFilterSet
from core.roles import Role
from core.serializers import RejectUnknownFieldsMixin
from deputies.services import deputy_create
from livelihood.services.candidates import cycle_create
from organisation.models import HandlingUnit

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

HUGE = ["99999999999999999999", "-99999999999999999999", "-2.37e+197"]
BAD_YEARS = ["0", "-1", "10000", "20266", "99999999999999999999"]


@pytest.fixture
def office(make_user):
    return make_user(Role.OFFICE)


@pytest.fixture
def api(office):
    client = APIClient()
    client.force_authenticate(office)
    return client


@pytest.fixture
def schema(api):
    return api.get("/api/schema/", {"format": "json"}).json()


def _list_operations(schema):
    """(path, parameters) of every GET without a path parameter."""
    for path, item in schema["paths"].items():
        operation = item.get("get")
        if operation is None or "{" in path:
            continue
        yield path, operation.get("parameters", [])


def _integer_parameters(schema):
    pairs = []
    for path, parameters in _list_operations(schema):
        for parameter in parameters:
            if parameter["in"] == "query" and parameter.get("schema", {}).get("type") == "integer":
                if parameter["name"] not in ("page", "page_size"):
                    pairs.append((path, parameter["name"]))
    return pairs


def test_every_integer_filter_refuses_values_beyond_64_bits(api, schema):
    pairs = _integer_parameters(schema)
    assert len(pairs) >= 31  # every filter of every list, and the statistics' parameters
    answers = {}
    for path, name in pairs:
        for value in HUGE:
            response = api.get(path, {name: value})
            answers[(path, name, value)] = response.status_code
            assert response.status_code == 400, (path, name, value, response.status_code)
            assert name in response.json(), (path, name, response.json())
    assert set(answers.values()) == {400}


@pytest.mark.parametrize("path", ["/api/v1/suggestions/", "/api/v1/voter-contacts/", "/api/v1/livelihood/projects/"])
def test_implausible_years_are_refused_by_the_api_lists(api, path):
    for year in BAD_YEARS:
        response = api.get(path, {"year": year})
        assert response.status_code == 400, (path, year)
        assert "year" in response.json()
    assert api.get(path, {"year": "2024"}).status_code == 200


def test_implausible_years_are_refused_by_the_statistics(api):
    for year in BAD_YEARS:
        response = api.get("/api/v1/stats/suggestions/", {"year": year})
        assert response.status_code == 400 and "year" in response.json(), year


def test_unknown_query_parameters_are_refused_by_every_list_and_statistic(api, schema):
    paths = [path for path, _parameters in _list_operations(schema) if not path.startswith("/api/v1/public/")]
    assert "/api/v1/stats/stations/" in paths and "/api/v1/stats/suggestions/" in paths
    checked = 0
    for path in paths:
        if api.get(path).status_code == 403:
            continue  # the office may not read it at all (the account list is the administrators')
        checked += 1
        response = api.get(path, {"stattion": "3"})
        assert response.status_code == 400, (path, response.status_code)
        body = response.json()
        assert body["code"] == "unknown_parameter" and body["fields"] == ["stattion"], (path, body)
    assert checked >= 20


def test_the_station_statistics_take_a_year_as_the_same_period_as_its_date_range(api):
    # ``year`` used to be refused here (only the suggestion statistics took it); both endpoints now take
    # the same period parameters (core.periods), and a misspelt one is still refused.
    by_year = api.get("/api/v1/stats/stations/", {"year": "2023"})
    by_range = api.get("/api/v1/stats/stations/", {"date_from": "2023-01-01", "date_to": "2023-12-31"})
    assert by_year.status_code == by_range.status_code == 200
    assert by_year.json() == by_range.json()
    response = api.get("/api/v1/stats/stations/", {"yaer": "2023"})
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_parameter"
    assert api.get("/api/v1/stats/stations/", {"date_from": "2023-01-01"}).status_code == 200


def test_lists_still_take_pagination_and_format_parameters(api):
    response = api.get("/api/v1/units/", {"page": "1", "page_size": "10", "format": "json", "q": ""})
    assert response.status_code == 200
    assert api.get("/api/v1/suggestions/", {"page_size": "10", "state": "draft", "year": "2024"}).status_code == 200
    # The big lists walk a cursor (``next``/``previous`` links), not page numbers.
    assert api.get("/api/v1/suggestions/", {"page": "1"}).status_code == 400


def test_page_size_is_honoured_and_capped(api, office):
    from suggestions.services import unit_create

    for i in range(3):
        unit_create(actor=office, name=f"单位{i}")
    assert len(api.get("/api/v1/units/", {"page_size": "2"}).json()["results"]) == 2
    assert len(api.get("/api/v1/units/", {"page_size": "100000"}).json()["results"]) == 3


def test_a_write_with_an_unknown_field_is_refused_and_changes_nothing(api):
    response = api.post(
        "/api/v1/units/", {"name": "区水务局", "kind": "department", "assigned_on": "2024-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_field"
    assert response.json()["fields"] == ["assigned_on"]
    assert not HandlingUnit.objects.exists()


def test_a_read_only_field_sent_back_is_refused(api, office):
    from suggestions.services import unit_create

    unit = unit_create(actor=office, name="区水务局")
    response = api.patch(f"/api/v1/units/{unit.pk}/", {"id": 99, "name": "区水利局"}, format="json")
    assert response.status_code == 400 and response.json()["fields"] == ["id"]
    unit.refresh_from_db()
    assert unit.name == "区水务局"


def test_a_unit_created_with_is_active_is_created(api):
    response = api.post("/api/v1/units/", {"name": "x", "kind": "department", "is_active": True}, format="json")
    assert response.status_code == 201, response.content
    response = api.post("/api/v1/units/", {"name": "y", "kind": "department", "is_active": False}, format="json")
    assert response.status_code == 201
    assert dict(HandlingUnit.objects.values_list("name", "is_active")) == {"x": True, "y": False}


def test_a_candidate_without_title_and_description_is_a_400(api, office):
    cycle = cycle_create(year=2024, places=2, title="2024年民生实事", actor=office)
    response = api.post("/api/v1/livelihood/candidates/", {"cycle": cycle.pk, "proposer_kind": "deputy"}, format="json")
    assert response.status_code == 400, response.content
    assert "title" in response.json()
    assert not cycle.candidates.exists()


def test_a_public_opinion_for_a_deputy_without_station_is_a_400():
    deputy = deputy_create(name="李代表")
    response = APIClient().post(
        "/api/v1/public/opinions/", {"deputy": deputy.pk, "category": "other", "content": "路灯坏了"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"station": ["该二维码不属于正在开放的联络站。"]}


@pytest.mark.parametrize("year", BAD_YEARS)
def test_the_suggestion_list_page_shows_the_error_above_an_empty_list(office, year):
    client = Client()
    client.force_login(office)
    response = client.get(reverse("suggestions:list"), {"year": year})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 0
    assert "确保该值" in response.content.decode()


@pytest.mark.parametrize("year", BAD_YEARS)
def test_the_suggestion_statistics_page_answers_400_in_chinese(office, year):
    client = Client()
    client.force_login(office)
    response = client.get(reverse("suggestions:stats"), {"year": year})
    assert response.status_code == 400
    assert "请输入2000至2100之间的年份。" in response.content.decode()
    assert "total" not in response.context  # no all-years figures under a refused year


@pytest.mark.parametrize(
    "url",
    ["liaison:opinion_list", "liaison:visit_list", "suggestions:list", "deputies:deputy_list", "liaison:station_list"],
)
def test_pages_with_huge_ids_in_their_filters_answer_without_error(office, url):
    client = Client()
    client.force_login(office)
    for name in ("station", "grid", "unit", "deputy", "group", "within", "visit"):
        for value in HUGE:
            response = client.get(reverse(url), {name: value})
            assert response.status_code in (200, 400), (url, name, value, response.status_code)


def _project_classes(base):
    import importlib
    import pkgutil

    found = set()
    for app in (
        "core",
        "organisation",
        "deputies",
        "accounts",
        "notifications",
        "duties",
        "liaison",
        "suggestions",
        "livelihood",
        "reports",
    ):
        package = importlib.import_module(app)
        for module_info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in module_info.name or module_info.name.endswith(".tests"):
                continue
            module = importlib.import_module(module_info.name)
            for _name, obj in inspect.getmembers(module, inspect.isclass):
                if issubclass(obj, base) and obj.__module__ == module.__name__:
                    found.add(obj)
    return found


def test_every_serializer_refuses_unknown_fields():
    found = _project_classes(serializers.BaseSerializer)
    assert len(found) > 50
    # A list serializer reads each item through its child, which refuses the unknown fields itself.
    loose = [c for c in found if not issubclass(c, (RejectUnknownFieldsMixin, serializers.ListSerializer))]
    assert sorted(c.__qualname__ for c in loose) == []


def test_every_filterset_is_bounded():
    found = _project_classes(FilterSet)
    assert len(found) > 15
    assert sorted(c.__qualname__ for c in found if not issubclass(c, StrictFilterSet)) == []


def test_a_token_request_with_a_very_long_username_is_a_400():
    response = APIClient().post("/api/v1/auth/token/", {"username": "c" * 300, "password": "x"}, format="json")
    assert response.status_code == 400
    assert "username" in response.json()
