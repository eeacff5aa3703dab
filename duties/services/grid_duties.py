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
    DUTY_PERIODS,
    Activity,
    ActivityAttendance,
    ActivityKind,
    AttendanceStatus,
    GridAssignment,
    GridDuty,
    GridDutyKind,
)
from duties.selectors import duty_period_bounds
from organisation.access import can_run_desk, require_desk
from organisation.models import Grid, Station


def _period_start(kind: str, today: date) -> date:
    """The first day of the duty's period (month, quarter, year) that is open on ``today``."""
    return duty_period_bounds(DUTY_PERIODS[kind], today)[0]


def _check_duty(*, deputy: Deputy, grid: Grid, kind: str, date: date, note: str, actor) -> tuple[str, bool]:
    """Who may, and the fields; (clean note, back-recorded?) or a refusal. Nothing is written here.

    The deputy records their own duty while its period (month, quarter, year) is open; once it has
    closed, only the grid's station staff and the office may record it (补录), and it is marked so.
    """
    today = clock.today()
    station_id = grid.centre.community.station_id
    desk = can_run_desk(actor, station_id)
    own = actor.has_role(Role.DEPUTY) and actor.deputy_id == deputy.id
    if not (own or desk):
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
    back_recorded = False
    if not errors:
        back_recorded = date < _period_start(kind, today)
        if back_recorded and not desk:
            errors["date"] = [
                _(
                    "That period has closed: a duty of a closed period is recorded afterwards (补录) by the "
                    "station or the office."
                )
            ]
    note = (note or "").strip()
    if len(note) > 2000:
        errors["note"] = [_("Keep it under %(n)d characters.") % {"n": 2000}]
    if errors:
        raise ValidationError(errors)
    return note, back_recorded


@transaction.atomic
def grid_duty_record(*, deputy: Deputy, grid: Grid, kind: str, date: date, note: str = "", actor) -> GridDuty:
    """Record a patrol, grid meeting, research visit or 述职 by a deputy assigned to the grid.

    The deputy records their own while its period is open; station staff of the grid's station and
    the office record for anyone, and also afterwards, once the period has closed (补录, marked).
    """
    note, back_recorded = _check_duty(deputy=deputy, grid=grid, kind=kind, date=date, note=note, actor=actor)
    duty = GridDuty(
        deputy=deputy, grid=grid, kind=kind, date=date, note=note, recorded_by=actor, back_recorded=back_recorded
    )
    check_fields(duty)
    duty.save()
    return duty


DUTY_FIELDS = ("grid", "kind", "date", "note")


@transaction.atomic
def grid_duty_update(*, duty: GridDuty, actor, **changes) -> GridDuty:
    """Correct a recorded duty (grid, kind, date, note) under the same rules as recording it.

    Who may: whoever may record the corrected duty, and also the duty as it stood (a deputy cannot
    move a duty out of, or into, a closed period). The change is stamped with who and when.
    """
    duty = GridDuty.objects.select_for_update().select_related("grid__centre__community").get(pk=duty.pk)
    unknown = set(changes) - set(DUTY_FIELDS)
    if unknown:
        raise ValidationError({field: [_("This field cannot be changed.")] for field in sorted(unknown)})
    # The duty as it stands must be the actor's to change (its period may have closed since).
    _check_duty(deputy=duty.deputy, grid=duty.grid, kind=duty.kind, date=duty.date, note=duty.note, actor=actor)
    fields = {name: changes.get(name, getattr(duty, name)) for name in DUTY_FIELDS}
    note, back_recorded = _check_duty(deputy=duty.deputy, actor=actor, **fields)
    for name, value in fields.items():
        setattr(duty, name, value)
    duty.note = note
    duty.back_recorded = duty.back_recorded or back_recorded
    duty.updated_by = actor
    duty.updated_at = clock.now()
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
