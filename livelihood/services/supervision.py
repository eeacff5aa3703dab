"""监督, 测评 and 公示: supervision visits, the deputies' ratings and publishing the results."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from core import clock
from core.errors import ActionRefused, PermissionRefused
from core.roles import Role
from deputies.models import Deputy
from livelihood import rules
from livelihood.models import Project, ProjectRating, Rating, SupervisionVisit, YearCycle
from livelihood.services.common import (
    advance,
    check_stage,
    is_office,
    lock_cycle,
    lock_project_cycle,
    record_event,
    require_deputy_self_or_office,
    require_office,
)


@transaction.atomic
def supervision_start(*, cycle: YearCycle, actor) -> YearCycle:
    """代表监督: deputies inspect the projects under way."""
    require_office(actor)
    return advance(lock_cycle(cycle), "supervision_start", actor=actor)


@transaction.atomic
def visit_record(*, project: Project, deputy: Deputy, visited_on: date, findings: str, actor) -> SupervisionVisit:
    """A deputy records a supervision visit (the office may record it on their behalf)."""
    require_deputy_self_or_office(actor, deputy)
    project = lock_project_cycle(project, "visit_record")
    if visited_on and visited_on > clock.today():
        raise ValidationError({"visited_on": _("The visit date cannot be in the future.")})
    visit = SupervisionVisit(
        project=project, deputy=deputy, visited_on=visited_on, findings=(findings or "").strip(), recorded_by=actor
    )
    visit.full_clean()
    visit.save()
    record_event(project.cycle, "visit_record", actor=actor, project=project, visit=visit.pk)
    return visit


# --- 测评 and 公示 --------------------------------------------------------------------------------


@transaction.atomic
def evaluation_start(*, cycle: YearCycle, actor) -> YearCycle:
    require_office(actor)
    return advance(lock_cycle(cycle), "evaluation_start", actor=actor)


@transaction.atomic
def rating_record(*, project: Project, deputy: Deputy, rating: str, actor) -> ProjectRating:
    """A deputy rates a project once: 满意 / 基本满意 / 不满意.

    The office may enter a deputy's paper evaluation form on their behalf (recorded as ``entered_by``).
    """
    if not (is_office(actor) or (actor.has_role(Role.DEPUTY) and actor.deputy_id == deputy.pk)):
        raise PermissionRefused(_("Only the deputy themselves can rate a project."))
    project = lock_project_cycle(project, "rating_record")
    if rating not in Rating.values:
        raise ValidationError({"rating": _("Choose satisfied, basically satisfied or unsatisfied.")})
    try:
        with transaction.atomic():
            record = ProjectRating.objects.create(project=project, deputy=deputy, rating=rating, entered_by=actor)
    except IntegrityError:
        raise ActionRefused(
            _("%(deputy)s has already rated this project.") % {"deputy": deputy}, code="already_rated"
        ) from None
    return record


def rating_counts(project_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Per project: how many deputies chose each rating (one grouped query)."""
    counts = {pk: dict.fromkeys(Rating.values, 0) for pk in project_ids}
    rows = (
        ProjectRating.objects.filter(project_id__in=counts)
        .values_list("project_id", "rating")
        .annotate(n=Count("id"))
        .order_by()
    )
    for project_id, rating, n in rows:
        counts[project_id][rating] = n
    return counts


@transaction.atomic
def publish(*, cycle: YearCycle, actor) -> YearCycle:
    """公示: fix each project's verdict from its ratings and open the results to the public."""
    require_office(actor)
    cycle = lock_cycle(cycle)
    check_stage(cycle, "publish")
    projects = list(cycle.projects.select_for_update())
    counts = rating_counts([p.pk for p in projects])
    for project in projects:
        c = counts[project.pk]
        project.verdict = rules.project_verdict(
            satisfied=c[Rating.SATISFIED],
            basically_satisfied=c[Rating.BASICALLY_SATISFIED],
            unsatisfied=c[Rating.UNSATISFIED],
        )
    Project.objects.bulk_update(projects, ["verdict"])
    return advance(cycle, "publish", actor=actor, verdicts={p.pk: p.verdict for p in projects})
