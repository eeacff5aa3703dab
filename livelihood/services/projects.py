"""实施: turning the selected candidates into projects, their sub-items, milestones and progress."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.dates import check_event_date
from core.errors import ActionRefused
from core.uploads import clean_image
from livelihood.models import (
    Milestone,
    ProgressPhoto,
    ProgressUpdate,
    Project,
    SubItem,
    VoteResult,
    VotingSession,
    YearCycle,
)
from livelihood.services.common import (
    advance,
    check_stage,
    lock_cycle,
    lock_project_cycle,
    record_event,
    require_office,
    require_unit_or_office,
)

MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 5 * 1024 * 1024


@transaction.atomic
def implementation_start(*, cycle: YearCycle, actor) -> list[Project]:
    """Turn the selected candidates into projects; needs a closed vote with no tie pending."""
    require_office(actor)
    cycle = lock_cycle(cycle)
    check_stage(cycle, "implementation_start")
    session = VotingSession.objects.filter(cycle=cycle).first()
    if session is None or session.is_open:
        raise ActionRefused(_("Close the vote before starting implementation."), code="vote_open")
    if session.tie_pending:
        raise ActionRefused(
            _("The vote ended in a tie at the cut-off; record the decision before starting implementation."),
            code="tie_pending",
        )
    selected = list(cycle.candidates.filter(result=VoteResult.SELECTED).order_by("-votes_for", "id"))
    projects = Project.objects.bulk_create(
        [
            Project(
                cycle=cycle,
                candidate=c,
                title=c.title,
                description=c.description,
                responsible_unit_id=c.responsible_unit_id,
                budget=c.estimated_budget,
            )
            for c in selected
        ]
    )
    advance(cycle, "implementation_start", actor=actor, projects=len(projects))
    return list(Project.objects.filter(cycle=cycle))


@transaction.atomic
def sub_item_add(*, project: Project, title: str, actor, budget=None) -> SubItem:
    require_unit_or_office(actor, project)
    project = lock_project_cycle(project, "sub_item_add")
    item = SubItem(project=project, title=(title or "").strip(), budget=budget)
    item.full_clean()
    item.save()
    record_event(project.cycle, "sub_item_add", actor=actor, project=project, sub_item=item.pk)
    return item


@transaction.atomic
def milestone_add(*, project: Project, title: str, due_date: date, actor) -> Milestone:
    require_unit_or_office(actor, project)
    project = lock_project_cycle(project, "milestone_add")
    milestone = Milestone(project=project, title=(title or "").strip(), due_date=due_date)
    milestone.full_clean()
    milestone.save()
    record_event(project.cycle, "milestone_add", actor=actor, project=project, milestone=milestone.pk)
    return milestone


@transaction.atomic
def milestone_complete(*, milestone: Milestone, actor, completed_on: date | None = None) -> Milestone:
    require_unit_or_office(actor, milestone.project)
    project = lock_project_cycle(milestone.project, "milestone_complete")
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.completed_on is not None:
        raise ActionRefused(_("This milestone is already completed."), code="already_completed")
    completed_on = completed_on or clock.today()
    check_event_date(completed_on, "completed_on")
    if completed_on > clock.today():
        raise ValidationError({"completed_on": _("The completion date cannot be in the future.")})
    milestone.completed_on = completed_on
    milestone.save(update_fields=["completed_on"])
    record_event(project.cycle, "milestone_complete", actor=actor, project=project, milestone=milestone.pk)
    return milestone


def _clean_photos(photos) -> list:
    """Verified, re-encoded copies of the photos under generated names (``core.uploads``)."""
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(n)s photos per update.") % {"n": MAX_PHOTOS}})
    return [
        clean_image(
            photo,
            field="photos",
            max_bytes=MAX_PHOTO_BYTES,
            invalid_message=_("Only image files (JPEG, PNG…) can be attached."),
            too_big_message=_("Each photo must be smaller than 5 MB."),
        )
        for photo in photos
    ]


@transaction.atomic
def progress_record(
    *, project: Project, percent: int, note: str, actor, photos=(), sub_item: SubItem | None = None
) -> ProgressUpdate:
    """The responsible unit reports progress; the project keeps the latest percent for lists."""
    require_unit_or_office(actor, project)
    project = lock_project_cycle(project, "progress_record")
    project = Project.objects.select_for_update().select_related("cycle").get(pk=project.pk)
    photos = _clean_photos([photo for photo in photos or [] if photo])
    if sub_item is not None and sub_item.project_id != project.pk:
        raise ValidationError({"sub_item": _("The sub-item belongs to another project.")})
    update = ProgressUpdate(
        project=project, sub_item=sub_item, percent=percent, note=(note or "").strip(), recorded_by=actor
    )
    update.full_clean()
    update.save()
    for photo in photos:
        ProgressPhoto.objects.create(update=update, image=photo)
    project.progress_percent = update.percent
    project.progress_updated_at = update.created_at
    project.save(update_fields=["progress_percent", "progress_updated_at"])
    record_event(project.cycle, "progress_record", actor=actor, project=project, percent=update.percent)
    return update
