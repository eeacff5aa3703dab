"""Reminders of the station's calendar: tomorrow's reception day and "四个一" duties near their period's end.

Swept daily by ``liaison.tasks``; each reminder goes at most once per recipient, subject and
threshold (``notifications.reminders.run_sweep``). Parameters come from ``settings.REMINDERS``.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import CharField, Exists, F, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils.translation import gettext as _

from deputies.models import Deputy, DeputyGroup
from duties.models import DUTY_PERIODS, GridAssignment, GridDuty, GridDutyKind
from duties.selectors import duty_period_bounds
from liaison.models import RosterEntry
from notifications.reminders import Due, ReminderRule, claimed, users_by_deputy


def collect_reception_tomorrow(*, today: date):
    """Deputies rostered for a reception day tomorrow (configurable), directly or through their group.

    Index: ``ReceptionDay.date``. Queries: roster entries of the coming days, the members of rostered
    groups, the deputies' accounts.
    """
    days_before = settings.REMINDERS["RECEPTION_DAYS_BEFORE"]
    entries = list(
        RosterEntry.objects.filter(
            day__date__gt=today, day__date__lte=today + timedelta(days=days_before), day__is_cancelled=False
        )
        .order_by()
        .values_list("day_id", "day__date", "day__station__name", "deputy_id", "group_id")
    )
    group_ids = {group_id for *_rest, group_id in entries if group_id}
    members: dict[int, list[int]] = {}
    if group_ids:
        through = DeputyGroup.members.through.objects.filter(deputygroup_id__in=group_ids).order_by()
        for group_id, deputy_id in through.values_list("deputygroup_id", "deputy_id"):
            members.setdefault(group_id, []).append(deputy_id)
    rostered = []  # (day id, date, station, deputy id), each deputy once per day
    seen = set()
    for day_id, day, station, deputy_id, group_id in entries:
        for deputy in [deputy_id] if deputy_id else members.get(group_id, []):
            if (day_id, deputy) not in seen:
                seen.add((day_id, deputy))
                rostered.append((day_id, day, station, deputy))
    accounts = users_by_deputy({deputy for *_rest, deputy in rostered})
    for day_id, day, station, deputy_id in rostered:
        user_id = accounts.get(deputy_id)
        if user_id is None:
            continue
        yield Due(
            recipient_id=user_id,
            subject_key=f"reception_day:{day_id}",
            threshold=day.isoformat(),
            title=_("Reception day on %(date)s at %(station)s") % {"date": day.isoformat(), "station": station},
            body=_("You are on the roster to receive constituents at %(station)s on %(date)s.")
            % {"station": station, "date": day.isoformat()},
            url=reverse("liaison:reception_day", args=[day_id]),
        )


def duties_near_period_end(today: date) -> dict[str, tuple[date, date]]:
    """The "四个一" duties whose current period ends within its reminder window: {kind: (start, end)}."""
    windows = settings.REMINDERS["GRID_DUTY_DAYS_BEFORE_END"]
    near = {}
    for kind in GridDutyKind:
        period = DUTY_PERIODS[kind]
        start, end = duty_period_bounds(period, today)
        if (end - today).days < windows[period]:
            near[kind.value] = (start, end)
    return near


def collect_grid_duty_missing(*, today: date):
    """A deputy assigned to a grid whose duty for the current period is still missing near its end.

    One query over the active deputies holding an open grid assignment (an EXISTS on the assignment's
    ``deputy`` index), with one EXISTS per duty kind near its period's end, each an index scan of
    ``GridDuty (deputy, kind, date)`` evaluated once per deputy (not once per assignment before a
    DISTINCT); then the deputies' accounts.
    """
    near = duties_near_period_end(today)
    if not near:
        return
    done = {
        f"done_{kind}": Exists(
            GridDuty.objects.filter(deputy_id=OuterRef("deputy_id"), kind=kind, date__gte=start, date__lte=end)
        )
        for kind, (start, end) in near.items()
    }
    # Reminded already this period (a warm sweep): skipped in SQL, one probe of the claims per duty kind.
    sent = {
        f"sent_{kind}": claimed(
            GRID_DUTY_MISSING.key,
            threshold=start.isoformat(),
            subject=Concat(Value("grid_duty:"), Cast(OuterRef("pk"), CharField()), Value(f":{kind}")),
        )
        for kind, (start, _end) in near.items()
    }
    assigned = GridAssignment.objects.filter(deputy_id=OuterRef("pk"), end_date__isnull=True)
    rows = list(
        Deputy.objects.filter(Exists(assigned), is_active=True)
        .annotate(deputy_id=F("pk"), **done, **sent)
        .order_by()
        .values("deputy_id", *done, *sent)
    )
    accounts = users_by_deputy({row["deputy_id"] for row in rows})
    labels = dict(GridDutyKind.choices)
    for row in rows:
        user_id = accounts.get(row["deputy_id"])
        if user_id is None:
            continue
        for kind, (start, end) in near.items():
            if row[f"done_{kind}"] or row[f"sent_{kind}"]:
                continue
            yield Due(
                recipient_id=user_id,
                subject_key=f"grid_duty:{row['deputy_id']}:{kind}",
                threshold=start.isoformat(),
                title=_("Still to do by %(date)s: %(duty)s") % {"date": end.isoformat(), "duty": labels[kind]},
                body=_("No %(duty)s is recorded for you between %(start)s and %(end)s.")
                % {"duty": labels[kind], "start": start.isoformat(), "end": end.isoformat()},
                url=reverse("liaison:duty_deputy", args=[row["deputy_id"]]),
            )


RECEPTION_TOMORROW = ReminderRule(key="reception_day_tomorrow", collect=collect_reception_tomorrow)
GRID_DUTY_MISSING = ReminderRule(key="grid_duty_missing", collect=collect_grid_duty_missing)
