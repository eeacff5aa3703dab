"""List endpoints and pages run the same number of queries for 10 rows as for 100."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duties.services.grid_duties import activity_create
from liaison.services.reception import reception_day_add, roster_set, visit_record
from tests.liaison import reception_support

pytestmark = pytest.mark.django_db
street = reception_support.street

START = date(2023, 1, 1)


def add_rows(street, start: int, stop: int) -> None:
    """Rows ``start``..``stop``: a reception day with a roster, a visit with a deputy, a constituent
    and an opinion (with a grid and a referral), and an activity with attendance."""
    for n in range(start, stop):
        day = START + timedelta(days=n)
        reception_day = reception_day_add(station=street.a, date=day, actor=street.staff_a)
        roster_set(day=reception_day, deputies=[street.owner], groups=[street.group_a], actor=street.staff_a)
        visit_record(
            actor=street.staff_a,
            station=street.a,
            date=day,
            channel="at_station",
            headcount=2,
            deputies=[street.owner, street.colleague],
            grid=street.grid_a1,
            constituents=[{"name": f"群众{n}", "phone": f"138{n:08d}"}],
            opinions=[
                {
                    "category": "traffic",
                    "content": f"意见{n}",
                    "grid": street.grid_a2,
                    "outcome": "referred",
                    "referral_unit": street.unit,
                }
            ],
        )
        activity_create(
            station=street.a,
            kind="training",
            title=f"培训{n}",
            date=day,
            actor=street.staff_a,
            attendance={street.owner: "present"},
        )


def count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


# Every request: session and user (2) plus the session saved on each request inside a savepoint (3).
SESSION = 2 + 3
# Page size is 50, so 100 rows fill a full page while 10 rows do not: the count may not grow with rows.
CASES = [
    # API lists: count (1; not for the cursor-paginated visits and opinions), rows with their foreign keys
    # joined (1), then one query per prefetched relation.
    ("/api/v1/reception-days/", None, SESSION + 2 + 1),  # + the roster, its deputy and group joined
    # Staff: + their stations' ids, read first and matched as literals on the rows' station column.
    # The page: its keys, then its rows (core.pagination.page_rows).
    ("/api/v1/visits/", None, SESSION + 1 + 2 + 2),  # + receiving deputies, constituents
    ("/api/v1/opinions/", None, SESSION + 1 + 2),  # relations joined, photo count annotated
    # Pages add their own few constant queries (station choices, the triage count…).
    (reverse("liaison:visit_list"), None, None),
    (reverse("liaison:opinion_list"), None, None),
    (reverse("liaison:activity_list"), None, None),
    # January holds reception days in both cases (10 of them, then 31).
    (reverse("liaison:reception_calendar"), {"year": 2023, "month": 1}, None),
]


@pytest.mark.parametrize("url, params, expected", CASES)
def test_query_count_is_the_same_for_10_and_100_rows(client, street, url, params, expected):
    add_rows(street, 0, 10)
    client.force_login(street.staff_a)
    client.get(url, params or {})  # warm up: the first request of a session may create it
    at_10 = count(client, url, params)
    add_rows(street, 10, 100)
    at_100 = count(client, url, params)
    assert at_10 == at_100, (url, at_10, at_100)
    if expected is not None:
        assert at_10 == expected, (url, at_10)
