"""The office's and leaders' home pages: the suggestion workload, each count opening its filtered list."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.selectors import Workload, suggestion_workload
from suggestions import services
from suggestions.models import State, Suggestion
from tests.builders.suggestions import drive

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 10)


def _workload_rows(w, n=1):
    """``n`` suggestions of each kind the workload counts, and some it must not count."""
    for i in range(n):
        drive(w, State.SUBMITTED, title=f"待交办{i}")  # assignment due in 5 working days: also "due soon"
        late = drive(w, State.IN_PROGRESS, title=f"逾期{i}")
        Suggestion.objects.filter(pk=late.pk).update(reply_due=TODAY - timedelta(days=3))
        soon = drive(w, State.ASSIGNED, title=f"将到期{i}")
        Suggestion.objects.filter(pk=soon.pk).update(reply_due=TODAY + timedelta(days=7))
        drive(w, State.REPLIED, title=f"待评价{i}")
        flagged = drive(w, State.IN_PROGRESS, title=f"重点{i}")
        services.suggestion_supervise(suggestion=flagged, actor=w.leader, note="重点督办", key_supervision=True)
        # Not counted: a draft, a closed item, an item due in eight days.
        drive(w, State.DRAFT, title=f"草稿{i}")
        drive(w, State.CLOSED, title=f"办结{i}")
        later = drive(w, State.ASSIGNED, title=f"较晚{i}")
        Suggestion.objects.filter(pk=later.pk).update(reply_due=TODAY + timedelta(days=8))


def _listed(client, query) -> int:
    response = client.get(f"/suggestions/?{query}")
    assert response.status_code == 200, query
    return response.context["page_obj"].paginator.count


def test_workload_counts_match_the_lists_they_open(world, client, frozen_today):
    frozen_today(TODAY)
    _workload_rows(world)
    workload = suggestion_workload(world.office)
    # The submitted item's assignment deadline (5 working days on) is within the 7-day window too.
    assert workload == Workload(to_assign=1, overdue=1, due_soon=2, to_evaluate=1, key_supervision=1)
    client.force_login(world.office)
    assert _listed(client, "state=submitted") == workload.to_assign
    assert _listed(client, "overdue=true") == workload.overdue
    assert _listed(client, "due_soon=true") == workload.due_soon
    assert _listed(client, "state=replied") == workload.to_evaluate
    assert _listed(client, "key_supervision=true") == workload.key_supervision
    page = client.get("/").content.decode()
    for query in ("state=submitted", "overdue=true", "due_soon=true", "state=replied", "key_supervision=true"):
        assert f'href="/suggestions/?{query}"' in page


def test_due_soon_follows_the_frozen_clock(world, frozen_today):
    frozen_today(TODAY)
    s = drive(world, State.ASSIGNED)
    Suggestion.objects.filter(pk=s.pk).update(reply_due=TODAY + timedelta(days=7))
    assert suggestion_workload(world.office).due_soon == 1
    frozen_today(TODAY - timedelta(days=1))  # eight days ahead: not yet
    assert suggestion_workload(world.office).due_soon == 0
    frozen_today(TODAY + timedelta(days=8))  # past the deadline: overdue, no longer due soon
    assert suggestion_workload(world.office) == Workload(0, 1, 0, 0, 0)


def test_the_workload_is_scoped(world, frozen_today):
    frozen_today(TODAY)
    _workload_rows(world)
    # A station staff member of another station sees none of these deputies' suggestions.
    assert suggestion_workload(world.staff_b) == Workload(0, 0, 0, 0, 0)
    # Nobody sees a draft; the leader sees what the office sees.
    assert suggestion_workload(world.leader) == suggestion_workload(world.office)


def test_workload_is_one_query(world, frozen_today, django_assert_num_queries):
    frozen_today(TODAY)
    _workload_rows(world, 3)
    with django_assert_num_queries(1):
        workload = suggestion_workload(world.office)
    assert workload.overdue == 3


def _home_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries)


def test_home_pages_cost_the_same_queries_at_any_size(world, client, frozen_today, django_assert_num_queries):
    frozen_today(TODAY)
    _workload_rows(world, 1)
    small = {role: _home_queries(client, getattr(world, role)) for role in ("office", "leader")}
    _workload_rows(world, 4)
    for role in ("office", "leader"):
        client.force_login(getattr(world, role))
        with django_assert_num_queries(small[role]):
            assert client.get("/").status_code == 200


def test_leader_home_shows_the_year_and_what_needs_attention(world, client, frozen_today):
    frozen_today(TODAY)
    _workload_rows(world)
    client.force_login(world.leader)
    page = client.get("/").content.decode()
    for section in ("workload", "year-figures", "leader-attention", "longest-overdue", "key-figures"):
        assert f'id="{section}"' in page, section
    assert "重点0" in page and "逾期0" in page
    client.force_login(world.office)
    page = client.get("/").content.decode()
    assert 'id="workload"' in page and 'id="year-figures"' not in page
    client.force_login(world.lead_officer)
    assert 'id="workload"' not in client.get("/").content.decode()


def test_the_parts_of_each_count_are_disjoint_and_make_up_its_condition():
    from datetime import date

    from suggestions.selectors import due_soon_parts, due_soon_q, overdue_parts, overdue_q

    today = date(2026, 12, 28)
    for parts, whole in ((overdue_parts(today), overdue_q(today)), (due_soon_parts(today, 7), due_soon_q(today, 7))):
        states = [set(dict(part.children)["state__in"]) for part in parts]
        assert not states[0] & states[1]  # summing the parts counts no suggestion twice
        assert parts[0] | parts[1] == whole


def test_a_user_who_sees_no_suggestion_has_no_workload(world):
    from django.contrib.auth.models import AnonymousUser

    assert suggestion_workload(AnonymousUser()) == Workload(0, 0, 0, 0, 0)


def test_the_workload_across_new_year_matches_the_lists(world, client, frozen_today):
    """On 28 December, with deadlines in the new year (a year the holiday calendar may not know yet)."""
    december = date(2026, 12, 28)
    frozen_today(december)
    soon = drive(world, State.ASSIGNED, title="跨年将到期")
    Suggestion.objects.filter(pk=soon.pk).update(reply_due=date(2027, 1, 3))
    late = drive(world, State.IN_PROGRESS, title="跨年逾期")
    Suggestion.objects.filter(pk=late.pk).update(reply_due=date(2026, 12, 27))
    workload = suggestion_workload(world.office)
    assert (workload.overdue, workload.due_soon) == (1, 1)
    client.force_login(world.office)
    assert _listed(client, "overdue=true") == 1 and _listed(client, "due_soon=true") == 1
    frozen_today(date(2027, 1, 4))  # the new year: both overdue now
    assert suggestion_workload(world.office).overdue == 2
