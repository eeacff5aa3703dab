"""The suggestion list reads one page in its order's index (-created_at, -id), without sorting every row."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from suggestions.selectors import suggestion_list
from tests.liaison.test_list_plans import plan, top_nodes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def city(settings):
    settings.DEBUG = True
    call_command("seed_city", "--scale", "0.01", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def test_office_suggestion_page_walks_the_order_index(city):
    office = User.objects.get(username="city_office")
    text = plan(suggestion_list(office)[:50])
    main = top_nodes(text)
    assert "Index Scan Backward using sugg_created_id" in main, text
    assert "Sort" not in main, text


def test_api_list_runs_a_fixed_number_of_queries(city, client):
    for username in ("city_office", "city_staff_0001"):
        client.force_login(User.objects.get(username=username))
        client.get("/api/v1/suggestions/")  # the first request of a session may create it
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/suggestions/")
        assert response.status_code == 200
        assert len(response.json()["results"]) == 50
        # Session and user (2), the session saved in a savepoint (3), the page (2: its keys, then its rows; a
        # cursor needs no count);
        # staff first read the ids of their stations, then of their deputies (matched as literals on the
        # lead deputy column).
        staff = 2 if username.startswith("city_staff") else 0
        assert len(queries) == 5 + 2 + staff, (username, [q["sql"][:120] for q in queries.captured_queries])
        follow = client.get(response.json()["next"])
        assert follow.status_code == 200 and len(follow.json()["results"]) == 50


def test_a_deep_suggestion_page_starts_inside_the_order_index(city):
    from tests.liaison.test_list_plans import deep_page

    office = User.objects.get(username="city_office")
    queryset = suggestion_list(office)
    last = queryset[queryset.count() * 2 // 3]  # two thirds down the list
    text = plan(deep_page(queryset, ("-created_at", "-id"), last))
    main = top_nodes(text)
    assert "Index Scan Backward using sugg_created_id" in main, text
    assert "Index Cond" in main and "Sort" not in main, text
