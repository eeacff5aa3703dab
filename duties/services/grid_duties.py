"""Grid duties "四个一" and deputy activities (视察, 调研, 执法检查 …) with attendance.

A duty counts for the deputy in the period it falls in: one patrol and one grid meeting
a month, one research visit a quarter, one report to constituents a year. Compliance is
computed from the recorded rows (see ``liaison.selectors.duty_compliance``).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core import clock
from core.errors import PermissionRefused
from core.roles import Role
from core.writes import check_fields, clean_instance
from deputies.models import Deputy
from duties.models import (
    Activity,
    ActivityAttendance,
    ActivityKind,
    AttendanceStatus,
    GridAssignment,
    GridDuty,
    GridDutyKind,
)
from organisation.access import can_run_desk, require_desk
from organisation.models import Grid, Station


@transaction.atomic
def grid_duty_record(*, deputy: Deputy, grid: Grid, kind: str, date: date, note: str = "", actor) -> GridDuty:
    """Record a patrol, grid meeting, research visit or 述职 by a deputy assigned to the grid.

    The deputy records their own; station staff of the grid's station and the office
    record for anyone.
    """
    today = clock.today()
    station_id = grid.centre.community.station_id
    own = actor.has_role(Role.DEPUTY) and actor.deputy_id == deputy.id
    if not (own or can_run_desk(actor, station_id)):
        raise PermissionRefused(_("You may record duties only for yourself or at your stations."))
    errors = {}
    if kind not in GridDutyKind.values:
        errors["kind"] = [_("Unknown duty.")]
    if date is None:
        errors["date"] = [_("Enter the date.")]
    elif date > today:
        errors["date"] = [_("The date cannot be in the future.")]
    else:
        assigned = GridAssignment.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=date), grid=grid, deputy=deputy, start_date__lte=date
        ).exists()
        if not assigned:
            errors["grid"] = [_("The deputy was not assigned to this grid on that date.")]
    note = (note or "").strip()
    if len(note) > 2000:
        errors["note"] = [_("Keep it under %(n)d characters.") % {"n": 2000}]
    if errors:
        raise ValidationError(errors)
    duty = GridDuty(deputy=deputy, grid=grid, kind=kind, date=date, note=note, recorded_by=actor)
    check_fields(duty)
    duty.save()
    return duty


def _clean_attendance(attendance: dict) -> dict[int, str]:
    cleaned = {}
    for deputy, status in (attendance or {}).items():
        deputy_id = deputy.pk if isinstance(deputy, Deputy) else int(deputy)
        if status not in AttendanceStatus.values:
            raise ValidationError({"attendance": [_("Unknown attendance status.")]})
        cleaned[deputy_id] = status
    if cleaned:
        known = set(Deputy.objects.filter(id__in=cleaned, is_active=True).values_list("id", flat=True))
        if known != set(cleaned):
            raise ValidationError({"attendance": [_("Unknown or inactive deputy.")]})
    return cleaned


@transaction.atomic
def activity_create(
    *,
    station: Station,
    kind: str,
    title: str,
    date: date,
    actor,
    location: str = "",
    description: str = "",
    attendance: dict | None = None,
) -> Activity:
    """Record an activity and, optionally, who attended (deputy or id → present/excused/absent)."""
    require_desk(actor, station.id)
    errors = {}
    if kind not in ActivityKind.values:
        errors["kind"] = [_("Unknown activity kind.")]
    if date is None:
        errors["date"] = [_("Enter the date.")]
    try:
        cleaned = _clean_attendance(attendance)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        cleaned = {}
    if errors:
        raise ValidationError(errors)
    activity = Activity(
        station=station,
        kind=kind,
        title=(title or "").strip(),
        date=date,
        location=(location or "").strip(),
        description=(description or "").strip(),
        created_by=actor,
    )
    clean_instance(activity, exclude=["created_by"])
    activity.save()
    ActivityAttendance.objects.bulk_create(
        [ActivityAttendance(activity=activity, deputy_id=d, status=s) for d, s in cleaned.items()]
    )
    return activity


@transaction.atomic
def activity_set_attendance(*, activity: Activity, attendance: dict, actor) -> Activity:
    """Replace the activity's attendance list."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    require_desk(actor, activity.station_id)
    cleaned = _clean_attendance(attendance)
    activity.attendance.all().delete()
    ActivityAttendance.objects.bulk_create(
        [ActivityAttendance(activity=activity, deputy_id=d, status=s) for d, s in cleaned.items()]
    )
    return activity
