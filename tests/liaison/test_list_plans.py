"""The big lists read one page in index order: no GROUP BY over the whole table, no sort of every row.

On a small generated city (``seed_city``), PostgreSQL's plan of each list's page query must walk the
index matching the list's order under the LIMIT, and count photos / opinions per row of the page only.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from core.pagination import page_rows
from liaison.models import Opinion, Visit
from liaison.selectors import opinions_visible_to, visits_visible_to

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def city(settings):
    settings.DEBUG = True
    call_command("seed_city", "--scale", "0.01", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def top_nodes(text: str) -> str:
    """The plan without its SubPlans: what runs once for the whole list."""
    kept, skipping = [], None
    for line in text.splitlines():
        indent = len(line) - len(line.lstrip())
        if skipping is not None and indent > skipping:
            continue
        skipping = None
        if line.strip().startswith("SubPlan"):
            skipping = indent
            continue
        kept.append(line)
    return "\n".join(kept)


def test_office_opinion_page_walks_the_order_index(city):
    office = User.objects.get(username="city_office")
    text = plan(opinions_visible_to(office).order_by("-received_on", "-id")[:50])
    main = top_nodes(text)
    assert "Index Scan Backward using opinion_received_id" in main, text
    assert "Aggregate" not in main and "Sort" not in main, text
    # The photo count is a subquery run for the rows of the page.
    assert "SubPlan" in text, text


def test_office_visit_page_walks_the_order_index(city):
    office = User.objects.get(username="city_office")
    text = plan(visits_visible_to(office).order_by("-date", "-id")[:50])
    main = top_nodes(text)
    assert "Index Scan Backward using visit_date_id" in main, text
    assert "Aggregate" not in main and "Sort" not in main, text


def test_staff_lists_filter_on_the_station_column_without_grouping(city):
    staff = User.objects.get(username="city_staff_0001")
    for queryset in (
        opinions_visible_to(staff).order_by("-received_on", "-id")[:50],
        visits_visible_to(staff).order_by("-date", "-id")[:50],
    ):
        text = plan(queryset)
        main = top_nodes(text)
        assert "Aggregate" not in main, text
        # The scope is the station column matched against the staff member's stations, not an id list.
        assert "station_id" in main, text
        # Matched against literal ids on the table's own scan, not as a semi-join on top of the list's joins
        # (which walked and joined every row of the table before keeping the staff's ~1 %).
        assert "Semi Join" not in text and "station_id = ANY" in text, text


def test_counts_per_row_are_right(city):
    office = User.objects.get(username="city_office")
    opinions = list(opinions_visible_to(office).order_by("-received_on", "-id")[:200])
    photos = {o.pk: o.photos.count() for o in Opinion.objects.filter(pk__in=[o.pk for o in opinions])}
    assert {o.pk: o.photo_count for o in opinions} == photos
    visits = list(visits_visible_to(office).order_by("-date", "-id")[:200])
    assert {v.pk: v.opinion_count for v in visits} == {
        v.pk: v.opinions.count() for v in Visit.objects.filter(pk__in=[v.pk for v in visits])
    }
    assert any(v.opinion_count > 1 for v in visits) and any(o.photo_count for o in opinions_visible_to(office))


# Session and user (2), the session saved in a savepoint (3), the page (2: its keys, then its rows; a cursor
# needs no count), then one query per prefetched relation; the same for the whole jurisdiction as for one
# station's subtree.
API_QUERIES = {
    "/api/v1/opinions/": 5 + 2,
    "/api/v1/visits/": 5 + 2 + 2,  # + receiving deputies, constituents
}


def test_api_lists_run_a_fixed_number_of_queries_without_grouping_the_table(city, client):
    for username in ("city_office", "city_staff_0001"):
        client.force_login(User.objects.get(username=username))
        for url, expected in API_QUERIES.items():
            client.get(url)  # the first request of a session may create it
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200
            assert len(response.json()["results"]) == 50
            sqls = [q["sql"] for q in queries.captured_queries]
            # Staff read their stations' ids first (matched as literals on the rows' station column).
            staff = 1 if username.startswith("city_staff") else 0
            assert len(sqls) == expected + staff, (username, url, [sql[:120] for sql in sqls])
            # Before, every row of the table was grouped to count its photos or opinions.
            assert not any('GROUP BY "liaison_opinion"."id"' in sql for sql in sqls), (username, url)
            assert not any('GROUP BY "liaison_visit"."id"' in sql for sql in sqls), (username, url)
            assert not any("COUNT(*)" in sql.upper() for sql in sqls), (username, url)


def deep_page(queryset, ordering, last_row):
    """The page after ``last_row``, as the keyset pagination of the API reads it."""
    from core.api import KeysetPagination

    paginator = KeysetPagination(ordering)
    keys = [getattr(last_row, name.lstrip("-")) for name in ordering]
    return queryset.order_by(*ordering).filter(paginator._after(keys, forward=True))[:51]


@pytest.mark.parametrize(
    ("selector", "ordering", "index"),
    [
        (opinions_visible_to, ("-received_on", "-id"), "opinion_received_id"),
        (visits_visible_to, ("-date", "-id"), "visit_date_id"),
    ],
)
def test_the_deepest_page_starts_inside_the_order_index(city, selector, ordering, index):
    office = User.objects.get(username="city_office")
    queryset = selector(office)
    last = queryset.order_by(*ordering)[queryset.count() * 2 // 3]  # two thirds down the list
    text = plan(deep_page(queryset, ordering, last))
    main = top_nodes(text)
    assert f"Index Scan Backward using {index}" in main, text
    # The first key bounds the index range (no walk from the top of the index past every newer row).
    assert "Index Cond" in main and "Sort" not in main and "Aggregate" not in main, text
    assert f"Seq Scan on {queryset.model._meta.db_table} " not in main, text
    rows = list(deep_page(queryset, ordering, last))
    assert rows and all((getattr(r, ordering[0][1:]), r.pk) < (getattr(last, ordering[0][1:]), last.pk) for r in rows)


def test_a_staff_page_reads_its_keys_from_the_station_index(city):
    """The keys of a staff member's page come from the (station, date, id) index alone, not from a walk of
    the order index that skips every other station's rows in the table (``core.pagination.page_rows``).

    In this small city an area station holds a quarter of all rows, and walking the order index is then
    the right plan; the staff of one community point (a hundredth, as every station of a real city) show
    the plan a city's staff get. (Staff's suggestions, those of their stations' deputies, are read by
    ``sugg_deputy_created`` the same way at city scale — bench/RESULTS.md; on this small, unvacuumed
    table the planner's choice between that index and the deputy column's own varies from seed to seed.)
    """
    from core.roles import Role
    from organisation.models import Station

    point = Station.objects.filter(children__isnull=True, opinions__isnull=False).distinct().order_by("id").first()
    staff = User.objects.create_user("point_staff", password="x" * 20, role=Role.STATION_STAFF)
    staff.stations.add(point)
    for queryset, index in (
        (opinions_visible_to(staff).order_by("-received_on", "-id"), "opinion_station_received"),
        (visits_visible_to(staff).order_by("-date", "-id"), "visit_station_date"),
    ):
        keys = queryset.values_list("pk", flat=True)[:51]
        text = plan(keys)
        # One backward range of the index, already in the list's order: no sort, no table.
        assert f"Index Only Scan Backward using {index}" in text, text
        assert "Sort" not in text and "Filter" not in text, text
        # The rows then read by those keys are the page, in the list's order.
        rows = page_rows(queryset, 0, 51)
        assert [row.pk for row in rows] == list(queryset.values_list("pk", flat=True)[:51])
        assert rows, queryset.model


def test_page_rows_keeps_the_order_and_skips_rows_gone_in_between(city, monkeypatch):
    office = User.objects.get(username="city_office")
    queryset = opinions_visible_to(office).order_by("-received_on", "-id")
    expected = list(queryset.values_list("pk", flat=True)[10:30])
    rows = page_rows(queryset, 10, 30)
    assert [row.pk for row in rows] == expected
    assert all(hasattr(row, "photo_count") for row in rows)
    # A row deleted after its key was read is left out, the others keep their places.
    gone = expected[3]
    original = type(queryset).values_list

    def keys_then_delete(self, *args, **kwargs):
        keys = list(original(self, *args, **kwargs))  # read now, then the row goes
        Opinion.objects.filter(pk=gone).delete()
        return keys

    monkeypatch.setattr(type(queryset), "values_list", keys_then_delete)
    assert [row.pk for row in page_rows(queryset, 10, 30)] == [pk for pk in expected if pk != gone]


def test_anonymous_users_see_no_opinions_without_an_error(db):
    # The API schema is generated as an anonymous user: the scope must answer, not raise.
    from django.contrib.auth.models import AnonymousUser

    from liaison.selectors import opinions_visible_to

    assert list(opinions_visible_to(AnonymousUser())) == []


def test_the_staff_pending_count_reads_the_pending_index(city):
    staff = User.objects.get(username="city_staff_0001")
    pending = opinions_visible_to(staff).filter(outcome__isnull=True)
    text = plan(pending.values("pk"))
    assert "opinion_pending_station" in text, text
    assert "Seq Scan on liaison_opinion" not in text, text


def test_a_station_ranking_reads_its_deputies_opinions_of_the_year_by_index(city):
    from datetime import date

    from deputies.models import Deputy

    # A station's deputies are a small share of a city's (5 of this small city's 50, as 8 of 5,000 at scale 1); 40 of
    # 50 would be most of the year's opinions, and reading the year by date the right plan.
    deputies = list(Deputy.objects.order_by("id").values_list("id", flat=True)[:5])
    year = Opinion.objects.filter(deputy__in=deputies).order_by("-received_on").first().received_on.year
    opinions = Opinion.objects.filter(deputy__in=deputies, received_on__range=(date(year, 1, 1), date(year, 12, 31)))
    text = plan(opinions.values("deputy_id"))
    # One range per deputy on (deputy, received_on): not every opinion of the year, nor each deputy's every year.
    assert "opinion_deputy_received" in text, text
    assert "opinion_received_id" not in text and "Seq Scan on liaison_opinion" not in text, text
