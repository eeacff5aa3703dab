"""Reminders of livelihood projects: overdue milestones to the responsible unit, weekly while overdue."""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from livelihood.selectors import overdue_milestones
from notifications.reminders import Due, ReminderRule, iso_week, users_by_unit


def collect_overdue_milestones(*, today: date):
    """Open milestones past their due date in cycles being implemented: the responsible unit's officers.

    Index: ``milestone_open_due_idx`` (partial, open milestones by due date).
    """
    rows = list(
        overdue_milestones(today)
        .order_by()
        .values_list("pk", "title", "due_date", "project_id", "project__title", "project__responsible_unit_id")
    )
    officers = users_by_unit({row[5] for row in rows})
    week = iso_week(today)
    for pk, title, due_date, project_id, project_title, unit_id in rows:
        for user_id in officers.get(unit_id, ()):
            yield Due(
                recipient_id=user_id,
                subject_key=f"milestone:{pk}",
                threshold=f"overdue:{week}",
                title=_("Milestone overdue: %(project)s — %(milestone)s")
                % {"project": project_title, "milestone": title},
                body=_("This milestone was due on %(date)s and is not marked complete.")
                % {"date": due_date.isoformat()},
                url=reverse("livelihood:project_detail", args=[project_id]),
            )


OVERDUE_MILESTONES = ReminderRule(key="livelihood_milestone_overdue", collect=collect_overdue_milestones)
