"""The demo's livelihood year: 13 candidates → 10 projects with 26 sub-items, built idempotently."""

from django.core.management import call_command
from django.utils import timezone

from livelihood.models import CycleEvent, ProjectRating, Stage, SubItem, VoteResult, YearCycle
from livelihood.selectors import overdue_milestones


def test_demo_builds_a_full_year_once(db):
    call_command("seed_demo", verbosity=0, i_know_this_is_not_production=True)
    published = YearCycle.objects.get(stage=Stage.PUBLISHED)
    assert published.candidates.count() == 13
    assert published.candidates.filter(result=VoteResult.SELECTED).count() == 10
    assert published.projects.count() == 10
    assert SubItem.objects.filter(project__cycle=published).count() == 26
    assert ProjectRating.objects.filter(project__cycle=published).count() == 400
    verdicts = sorted(published.projects.values_list("verdict", flat=True))
    assert verdicts == ["basically_satisfied"] + ["satisfied"] * 9
    current = YearCycle.objects.get(stage=Stage.IMPLEMENTING)
    assert current.projects.count() == 8
    # Two of this year's projects are late on a milestone, for the reminders to pick up.
    overdue = list(overdue_milestones(timezone.localdate()))
    assert len(overdue) == 2 and {m.project.cycle_id for m in overdue} == {current.pk}
    assert YearCycle.objects.filter(stage=Stage.COLLECTING).exists()

    events = CycleEvent.objects.count()
    call_command("seed_demo", verbosity=0, i_know_this_is_not_production=True)
    assert CycleEvent.objects.count() == events
    assert YearCycle.objects.count() == 3
