"""The demo street's reception year: last year's report figures, every outcome this year, idempotent."""

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from duties.models import Activity, GridDuty
from liaison.models import Opinion, OpinionOutcome, ReceptionDay, ReceptionRule, RosterEntry, Visit
from liaison.selectors import station_statistics
from organisation.models import Station

MODELS = [ReceptionRule, ReceptionDay, RosterEntry, Visit, Opinion, GridDuty, Activity]


@pytest.fixture(scope="module")
def _demo(demo_street_module):
    """The demo street, built once for this module (``demo_street_module``)."""


@pytest.fixture
def demo(_demo, db):
    """Each test runs in a savepoint inside the module's transaction."""


def test_last_year_reproduces_the_reports_figures(demo):
    year = timezone.localdate().year - 1
    figures = station_statistics(stations=Station.objects.all(), date_from=date(year, 1, 1), date_to=date(year, 12, 31))
    assert figures == {
        "visits_person_times": 328,
        "opinions": 96,
        "answered_on_site": 79,
        "escalated": 17,
        "resolved": 33,
    }
    # Each escalated opinion is linked to the draft suggestion made from it.
    escalated = Opinion.objects.filter(received_on__year=year, outcome=OpinionOutcome.ESCALATED)
    assert all(opinion.suggestions.exists() for opinion in escalated)


def test_this_year_has_every_outcome_and_public_submissions(demo):
    today = timezone.localdate()
    if today < date(today.year, 3, 1):
        pytest.skip("early in the year the demo has few of this year's visits")
    outcomes = set(Opinion.objects.filter(received_on__year=today.year).values_list("outcome", flat=True))
    assert outcomes == {None, *OpinionOutcome.values}
    assert Opinion.objects.filter(source="public", outcome__isnull=True).exists()
    assert Opinion.objects.filter(outcome=OpinionOutcome.REFERRED, referral_feedback__isnull=False).exists()
    assert Visit.objects.filter(recorded_by__username="demo_deputy").exists()


def test_a_calendar_with_rosters_and_the_rest_of_the_year(demo):
    today = timezone.localdate()
    assert ReceptionRule.objects.count() == 5
    assert ReceptionDay.objects.filter(date__gt=today).exists()
    assert not ReceptionDay.objects.filter(date__lt=today, roster__isnull=True, is_cancelled=False).exists()
    assert GridDuty.objects.exists() and Activity.objects.filter(attendance__isnull=False).exists()


def test_running_the_demo_again_adds_nothing(demo):
    before = {model.__name__: model.objects.count() for model in MODELS}
    call_command("seed_demo", verbosity=0, i_know_this_is_not_production=True)
    assert {model.__name__: model.objects.count() for model in MODELS} == before
