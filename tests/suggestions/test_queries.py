"""List endpoints and pages run the same number of queries at 10 and at 100 rows of each kind."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from suggestions import services
from suggestions.models import State, Suggestion
from tests.builders.suggestions import drive, handled


def grow(w, n: int) -> None:
    """``n`` rows for every list: waiting for review, overdue with a pending extension and return request,
    a closed B reply to follow up, and a co-sign request."""
    for i in range(n):
        drive(w, State.SUBMITTED, title=f"待审{i}")
        s = drive(w, State.IN_PROGRESS, title=f"办理{i}")
        services.suggestion_extend(
            suggestion=s, actor=w.lead_officer, new_due=s.reply_due + timedelta(days=10), reason="协调"
        )
        services.suggestion_request_return(suggestion=s, actor=w.co_officer, reason="非本单位")
        services.suggestion_supervise(suggestion=s, actor=w.leader, note="督办", key_supervision=True)
        Suggestion.objects.filter(pk=s.pk).update(reply_due=timezone.localdate() - timedelta(days=1))
        handled(w, title=f"回头看{i}", reply_class="B", first_rating="satisfied")
        drive(w, State.DRAFT, title=f"附议{i}")  # invites ``cosigner``


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


API = [
    ("office", "/api/v1/suggestions/"),
    ("office", "/api/v1/suggestions/?overdue=true&key_supervision=true"),
    ("lead_officer", "/api/v1/suggestions/"),
    ("deputy", "/api/v1/suggestions/"),
    ("staff_a", "/api/v1/suggestions/"),
    ("office", "/api/v1/units/"),
    ("office", "/api/v1/stats/suggestions/"),
]
PAGES = [
    ("deputy", "/suggestions/"),
    ("office", "/suggestions/?state=submitted&unit=1&overdue=true"),
    ("office", "/suggestions/review/"),
    ("office", "/suggestions/overdue/"),
    ("office", "/suggestions/extensions/"),
    ("office", "/suggestions/return-requests/"),
    ("office", "/suggestions/stats/"),
    ("leader", "/suggestions/?key_supervision=true"),
    ("lead_officer", "/suggestions/inbox/"),
    ("lead_officer", "/suggestions/follow-ups/"),
    ("lead_officer", "/suggestions/overdue/"),
    ("cosigner", "/suggestions/cosign-requests/"),
    ("deputy", "/"),  # the home page's "my suggestions" panel
    ("lead_officer", "/"),  # the home page's unit inbox panel
]


def measure(w, client, api):
    users = w.users()
    counts = {}
    for user_name, url in API:
        api.force_authenticate(users[user_name])
        counts[(user_name, url)] = count(api, url)
    for user_name, url in PAGES:
        client.force_login(users[user_name])
        counts[(user_name, url)] = count(client, url)
    return counts


def test_query_counts_do_not_grow_with_rows(world, client):
    api = APIClient()
    grow(world, 10)
    at_10 = measure(world, client, api)
    grow(world, 90)
    at_100 = measure(world, client, api)
    assert at_100 == at_10, {key: (at_10[key], at_100[key]) for key in at_10 if at_10[key] != at_100[key]}
    # The API list: the user's deputy/unit link is already on the user, so it is
    # the page's keys, then its rows with lead deputy and lead unit joined (a cursor page needs no count).
    assert at_10[("office", "/api/v1/suggestions/")] == 2
    assert at_10[("lead_officer", "/api/v1/suggestions/")] == 2
    # Statistics: whether the summary tables are fresh, then one aggregate query (of the summaries, or of
    # the suggestions when they are stale, as here), whatever the number of suggestions.
    assert at_10[("office", "/api/v1/stats/suggestions/")] == 2


def test_detail_query_count_does_not_grow_with_the_record(world, client):
    """A suggestion with a long history costs the same queries as one with a single record of each kind.

    (Each kind of related row is one prefetch query, plus one for what it joins to once there is at least
    one row; the number of rows does not matter.)
    """
    short = drive(world, State.IN_PROGRESS, title="短")
    long = drive(world, State.IN_PROGRESS, title="长")
    for suggestion, times in ((short, 1), (long, 15)):
        for i in range(times):
            services.suggestion_supervise(suggestion=suggestion, actor=world.leader, note=f"督办{i}")
            services.suggestion_record_contact(
                suggestion=suggestion, actor=world.lead_officer, method="phone", note=f"{i}"
            )
        services.suggestion_co_unit_opinion(suggestion=suggestion, actor=world.co_officer, content="意见")
    api = APIClient()
    for user in (world.office, world.lead_officer, world.deputy):
        client.force_login(user)
        api.force_authenticate(user)
        assert count(client, f"/suggestions/{short.pk}/") == count(client, f"/suggestions/{long.pk}/")
        assert count(api, f"/api/v1/suggestions/{short.pk}/") == count(api, f"/api/v1/suggestions/{long.pk}/")
    client.force_login(world.office)  # an action page shows the record too
    assert count(client, f"/suggestions/{long.pk}/supervise/") == count(client, f"/suggestions/{short.pk}/supervise/")
