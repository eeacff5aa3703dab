"""The statistics endpoint on seeded sets whose figures are worked out by hand in the comments."""

from datetime import date, datetime

import pytest
from django.db.models import Count
from django.utils import timezone
from rest_framework.test import APIClient

from suggestions import services
from suggestions.models import State, Suggestion
from tests.builders.suggestions import drive, handled

FIELDS = [
    "assigned",
    "replied",
    "closed",
    "reply_rate",
    "on_time_rate",
    "closure_rate",
    "satisfaction_rate",
    "first_satisfaction_rate",
    "a_class_rate",
    "contact_rate",
]


def stats(user, **params):
    client = APIClient()
    client.force_authenticate(user)
    response = client.get("/api/v1/stats/suggestions/", params)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == set(FIELDS)
    return body


@pytest.fixture
def seeded(world):
    """100 assigned suggestions, numbered i = 0..99:

    - i < 60: led by ``deputy`` (station A), lead unit ``lead_unit``; i ≥ 60: ``other_deputy`` (station B),
      ``other_unit``;
    - replied if i < 90; the first reply late if i < 9; latest reply class A if i is even; the deputy
      contacted if i < 60;
    - first evaluation if i < 80: 不满意 for 75 ≤ i < 80 (re-handled, then final 满意 for 75–77 and 不满意
      for 78–79), 基本满意 when i % 3 == 0, else 满意.
    Plus noise that must not count: 3 withdrawn after assignment, 2 waiting for assignment, 1 draft.
    """
    w = world
    for i in range(100):
        ours = i < 60
        first = None
        second = None
        if i < 80:
            first = "unsatisfied" if i >= 75 else ("basically_satisfied" if i % 3 == 0 else "satisfied")
        if 75 <= i < 80:
            second = "satisfied" if i < 78 else "unsatisfied"
        handled(
            w,
            deputy_user=w.deputy if ours else w.other_deputy,
            unit=w.lead_unit if ours else w.other_unit,
            officer=w.lead_officer if ours else w.other_officer,
            title=f"建议{i}",
            reply=i < 90,
            reply_class="A" if i % 2 == 0 else "B",
            late=i < 9,
            contacted=i < 60,
            first_rating=first,
            second_rating=second,
        )
    for i in range(3):
        s = drive(w, State.ASSIGNED, title=f"撤回{i}")
        services.suggestion_withdraw(suggestion=s, actor=w.deputy, reason="已解决")
    drive(w, State.SUBMITTED, title="待交办1")
    drive(w, State.SUBMITTED, title="待交办2")
    drive(w, State.DRAFT, title="草稿")
    return w


def test_the_seeded_set_is_what_the_fixture_says(seeded):
    counts = dict(Suggestion.objects.values_list("state").annotate(n=Count("id")))
    # 80 closed, 10 replied awaiting evaluation, 10 in progress, 3 withdrawn, 2 submitted, 1 draft.
    assert counts == {"closed": 80, "replied": 10, "in_progress": 10, "withdrawn": 3, "submitted": 2, "draft": 1}


def test_overall_metrics(seeded):
    assert stats(seeded.office) == {
        "assigned": 100,
        "replied": 90,
        "closed": 80,
        "reply_rate": 0.9,  # 90 / 100
        "on_time_rate": 0.9,  # (90 - 9 late) / 90
        "closure_rate": 0.8,  # 80 / 100
        "satisfaction_rate": 0.975,  # final: 75 first-time satisfied + 3 after re-handling = 78 / 80
        "first_satisfaction_rate": 0.9375,  # 75 / 80
        "a_class_rate": 0.5,  # 45 even numbers below 90 / 90
        "contact_rate": 0.6667,  # 60 / 90, rounded to 4 places
    }
    # Leaders see the same; so does an admin.
    assert stats(seeded.leader) == stats(seeded.office) == stats(seeded.admin)


def test_metrics_per_unit_deputy_and_station(seeded):
    w = seeded
    ours = {
        "assigned": 60,
        "replied": 60,
        "closed": 60,
        "reply_rate": 1.0,
        "on_time_rate": 0.85,  # 51 / 60
        "closure_rate": 1.0,
        "satisfaction_rate": 1.0,
        "first_satisfaction_rate": 1.0,
        "a_class_rate": 0.5,  # 30 / 60
        "contact_rate": 1.0,
    }
    theirs = {
        "assigned": 40,
        "replied": 30,  # 60..89
        "closed": 20,  # 60..79
        "reply_rate": 0.75,
        "on_time_rate": 1.0,
        "closure_rate": 0.5,
        "satisfaction_rate": 0.9,  # 15 (60..74) + 3 (75..77) = 18 / 20
        "first_satisfaction_rate": 0.75,  # 15 / 20
        "a_class_rate": 0.5,  # 15 / 30
        "contact_rate": 0.0,
    }
    assert stats(w.office, unit=w.lead_unit.pk) == ours
    assert stats(w.office, deputy=w.lead_deputy.pk) == ours
    assert stats(w.office, station=w.station_a.pk) == ours
    assert stats(w.office, station=w.hub.pk)["assigned"] == 100  # the hub's subtree holds both stations
    assert stats(w.office, unit=w.other_unit.pk) == theirs
    assert stats(w.office, station=w.station_b.pk) == theirs
    # Each officer and each deputy only counts what they may see.
    assert stats(w.lead_officer) == ours
    assert stats(w.other_officer) == theirs
    assert stats(w.deputy) == ours
    assert stats(w.staff_a) == ours
    assert stats(w.co_officer)["assigned"] == 0


def test_metrics_per_cohort_year_are_per_year_first_submitted(seeded):
    """``year`` is the year first submitted (suggestions.periods), as in the suggestion list's filter; the year of
    交办 no longer moves a suggestion between years."""
    this_year = Suggestion.objects.filter(state=State.CLOSED).first().submitted_at.year
    # The ten still in progress were submitted in an earlier year (and assigned this year).
    in_progress = Suggestion.objects.filter(state=State.IN_PROGRESS)
    in_progress.update(submitted_at=timezone.make_aware(datetime(2023, 5, 4, 10)))
    old = stats(seeded.office, year=2023)
    assert (old["assigned"], old["replied"], old["reply_rate"], old["on_time_rate"]) == (10, 0, 0.0, None)
    current = stats(seeded.office, year=this_year)
    assert (current["assigned"], current["replied"], current["reply_rate"]) == (90, 90, 1.0)
    assert stats(seeded.office, year=2019)["assigned"] == 0
    # Moving the day of 交办 changes nothing in the cohort view.
    in_progress.update(assigned_on=date(2019, 5, 4))
    assert stats(seeded.office, year=2023)["assigned"] == 10
    assert stats(seeded.office, year=2019)["assigned"] == 0


def test_empty_parameters_mean_no_filter_and_bad_ones_are_400(seeded):
    assert stats(seeded.office, station="", unit="", deputy="", year="")["assigned"] == 100
    client = APIClient()
    client.force_authenticate(seeded.office)
    response = client.get("/api/v1/stats/suggestions/", {"year": "去年"})
    assert response.status_code == 400
    assert "year" in response.json()


def test_city_scale_rates(world):
    """One city's year, scaled: 1,000 assigned and replied, 910 closed; 857 of the 910 closed were rated
    满意 on the first reply, 53 were re-handled and rated 不满意 again. 857 / 910 = 0.94176 → 0.9418."""
    w = world
    for i in range(1000):
        if i < 857:
            handled(w, title=f"{i}", first_rating="satisfied", contacted=True)
        elif i < 910:
            handled(w, title=f"{i}", first_rating="unsatisfied", second_rating="unsatisfied")
        else:
            handled(w, title=f"{i}", reply_class="D")
    body = stats(w.office)
    assert body["assigned"] == 1000
    assert body["closed"] == 910
    assert body["closure_rate"] == 0.91
    assert body["reply_rate"] == 1.0
    assert body["satisfaction_rate"] == round(857 / 910, 4) == 0.9418
    assert body["first_satisfaction_rate"] == 0.9418
    assert body["a_class_rate"] == 0.91  # classes: A for the 910, D for the other 90
    assert body["contact_rate"] == 0.857
    assert body["on_time_rate"] == 1.0


def test_stats_page_shows_the_rates(seeded, client):
    client.force_login(seeded.leader)
    response = client.get("/suggestions/stats/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "97.5%" in html and "93.8%" in html  # satisfaction, first satisfaction (0.9375 → 93.8%)
    assert seeded.lead_unit.name in html and seeded.other_unit.name in html
    client.force_login(seeded.deputy)
    assert client.get("/suggestions/stats/").status_code == 403
