"""Overdue livelihood milestones: the responsible unit's officers, once per ISO week while overdue."""

from datetime import date

import pytest

from livelihood import reminders
from livelihood.services.projects import milestone_add, milestone_complete
from notifications.models import Notification
from notifications.reminders import run_sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def street(livelihood_street):
    return livelihood_street


@pytest.fixture
def sent_to(frozen_today):
    """``sent_to(day)``: run the sweep on ``day`` (the clock moves there); who got a reminder from it."""

    def sweep(today: date) -> set[str]:
        frozen_today(today)
        before = set(Notification.objects.values_list("pk", flat=True))
        run_sweep(reminders.OVERDUE_MILESTONES)
        return set(Notification.objects.exclude(pk__in=before).values_list("recipient__username", flat=True))

    return sweep


def test_an_overdue_milestone_reminds_the_responsible_unit_weekly(street, frozen_today, sent_to):
    _cycle, projects = street.implementing()
    project = projects[0]
    milestone = milestone_add(
        project=project, title="完成施工招标", due_date=date(2024, 6, 12), actor=street.unit_officer
    )  # a Wednesday
    unit = {street.unit_officer.username, street.colleague_officer.username}
    assert sent_to(date(2024, 6, 12)) == set()  # due today: not overdue
    assert sent_to(date(2024, 6, 13)) == unit  # the day after the due date
    assert sent_to(date(2024, 6, 14)) == set()  # same ISO week
    assert sent_to(date(2024, 6, 17)) == unit  # next week, still open
    notification = Notification.objects.filter(recipient=street.unit_officer).first()
    assert notification.url == f"/livelihood/projects/{project.pk}/"
    assert "完成施工招标" in notification.title
    frozen_today(date(2024, 6, 18))
    milestone_complete(milestone=milestone, actor=street.unit_officer, completed_on=date(2024, 6, 18))
    assert sent_to(date(2024, 6, 24)) == set()


def test_milestones_of_other_units_and_cycles_not_implementing_are_left_alone(street, sent_to):
    _cycle, projects = street.implementing()
    milestone_add(project=projects[0], title="开工", due_date=date(2024, 6, 1), actor=street.office)
    assert street.other_officer.username not in sent_to(date(2024, 6, 5))
    street.cycle(year=2025)  # a cycle still collecting candidates has no projects to remind about
    assert sent_to(date(2024, 6, 6)) == set()
