"""Reception calendar (rules → days → rosters) and visit logging.

Month ends: a monthly rule on a day the month lacks (the 31st in a 30-day month, the
29th–31st in February) falls on the month's last day, so no month is skipped. Leap years
follow the calendar: "the 29th" is 29 February in 2024 and 28 February in 2023.

A new rule generates its days from ``valid_from`` (past ones too, to back-fill a
calendar). Changing a rule re-generates its days from today on: days that no longer
match are removed unless they already have visits (those stay, detached from the rule);
days in the past are history and never touched.
"""

from calendar import monthrange
from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.errors import ActionRefused, PermissionRefused
from core.roles import Role
from core.text import clean_phone
from core.writes import check_fields, clean_instance, save_instance
from deputies.models import Deputy, DeputyGroup
from deputies.selectors import deputies_of_station
from liaison.models import (
    ReceptionDay,
    ReceptionDayOrigin,
    ReceptionRule,
    ReceptionRuleKind,
    RosterEntry,
    Visit,
    VisitChannel,
    VisitConstituent,
)
from liaison.services import opinions as opinion_services
from organisation.access import can_run_desk, check_grid_in_station, require_desk, station_subtree_ids
from organisation.models import Grid, Station

# Rules without an end date are generated this far ahead; ``reception_rules_extend``
# rolls the horizon forward (run it monthly).
HORIZON_DAYS = 400
RULE_FIELDS = ("kind", "day_of_month", "weekday", "date", "valid_from", "valid_to", "note", "is_active")


# --- pure date arithmetic ------------------------------------------------------------------------------


def month_day(year: int, month: int, day: int) -> date:
    """The ``day``-th of the month, or the month's last day when the month is shorter."""
    return date(year, month, min(day, monthrange(year, month)[1]))


def rule_dates(rule: ReceptionRule, start: date, end: date) -> list[date]:
    """The dates ``rule`` yields between ``start`` and ``end`` (inclusive), within its validity."""
    start = max(start, rule.valid_from)
    if rule.valid_to:
        end = min(end, rule.valid_to)
    if start > end:
        return []
    if rule.kind == ReceptionRuleKind.ONCE:
        return [rule.date] if start <= rule.date <= end else []
    if rule.kind == ReceptionRuleKind.WEEKLY:
        first = start + timedelta(days=(rule.weekday - start.weekday()) % 7)
        return [first + timedelta(weeks=n) for n in range(((end - first).days // 7) + 1)] if first <= end else []
    dates = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        day = month_day(year, month, rule.day_of_month)
        if start <= day <= end:
            dates.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dates


def _horizon_end(rule: ReceptionRule, today: date) -> date:
    limit = max(today, rule.valid_from) + timedelta(days=HORIZON_DAYS)
    return min(rule.valid_to, limit) if rule.valid_to else limit


# --- rules and the days they generate --------------------------------------------------------------------


def _normalise_rule(rule: ReceptionRule) -> None:
    """Clear the fields this kind does not use and pin a one-off rule's validity to its date."""
    if rule.kind != ReceptionRuleKind.MONTHLY:
        rule.day_of_month = None
    if rule.kind != ReceptionRuleKind.WEEKLY:
        rule.weekday = None
    if rule.kind != ReceptionRuleKind.ONCE:
        rule.date = None
    elif rule.date:
        rule.valid_from = rule.date
        rule.valid_to = rule.date
    errors = {}
    if rule.kind == ReceptionRuleKind.MONTHLY and rule.day_of_month is None:
        errors["day_of_month"] = [_("Choose the day of the month.")]
    if rule.kind == ReceptionRuleKind.WEEKLY and rule.weekday is None:
        errors["weekday"] = [_("Choose the weekday.")]
    if rule.kind == ReceptionRuleKind.ONCE and rule.date is None:
        errors["date"] = [_("Choose the date.")]
    if errors:
        raise ValidationError(errors)


def _sync_rule_days(rule: ReceptionRule, today: date, *, backfill: bool = False) -> None:
    """Make the rule's days from today on match the rule (and its past days too when ``backfill``)."""
    start = rule.valid_from if backfill else max(rule.valid_from, today)
    wanted = set(rule_dates(rule, start, _horizon_end(rule, today))) if rule.is_active else set()
    stale = rule.days.filter(date__gte=today).exclude(date__in=wanted)
    # Days with visits are history: they stay, detached from the rule that no longer yields them.
    stale.filter(visits__isnull=False).update(rule=None)
    stale.filter(visits__isnull=True).delete()
    existing = set(ReceptionDay.objects.filter(station=rule.station_id, date__in=wanted).values_list("date", flat=True))
    ReceptionDay.objects.bulk_create(
        [
            ReceptionDay(station_id=rule.station_id, date=day, origin=ReceptionDayOrigin.GENERATED, rule=rule)
            for day in sorted(wanted - existing)
        ],
        ignore_conflicts=True,  # another rule of the station may have created the same day meanwhile
    )


@transaction.atomic
def reception_rule_create(
    *,
    station: Station,
    kind: str,
    valid_from: date | None = None,
    valid_to: date | None = None,
    day_of_month: int | None = None,
    weekday: int | None = None,
    date: date | None = None,
    note: str = "",
    actor,
) -> ReceptionRule:
    """Add a rule and generate its days (past ones from ``valid_from`` too, up to the horizon)."""
    require_desk(actor, station.id)
    today = clock.today()
    rule = ReceptionRule(
        station=station,
        kind=kind,
        day_of_month=day_of_month,
        weekday=weekday,
        date=date,
        valid_from=valid_from or date or today,
        valid_to=valid_to,
        note=note,
    )
    if kind not in ReceptionRuleKind.values:
        raise ValidationError({"kind": [_("Unknown recurrence.")]})
    _normalise_rule(rule)
    clean_instance(rule)
    save_instance(rule)
    _sync_rule_days(rule, today, backfill=True)
    return rule


@transaction.atomic
def reception_rule_update(*, rule: ReceptionRule, actor, **fields) -> ReceptionRule:
    """Change a rule; days from today on follow it, days with visits are never removed."""
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"reception_rule_update() got unexpected fields: {sorted(unknown)}")
    rule = ReceptionRule.objects.select_for_update().get(pk=rule.pk)
    require_desk(actor, rule.station_id)
    today = clock.today()
    for name, value in fields.items():
        setattr(rule, name, value)
    if rule.kind not in ReceptionRuleKind.values:
        raise ValidationError({"kind": [_("Unknown recurrence.")]})
    _normalise_rule(rule)
    clean_instance(rule)
    save_instance(rule)
    _sync_rule_days(rule, today)
    return rule


def reception_rules_extend() -> int:
    """Generate days up to the horizon for every open-ended active rule; safe to run twice."""
    today = clock.today()
    count = 0
    for rule in ReceptionRule.objects.filter(is_active=True).exclude(kind=ReceptionRuleKind.ONCE):
        with transaction.atomic():
            _sync_rule_days(rule, today)
        count += 1
    return count


@transaction.atomic
def reception_day_add(*, station: Station, date: date, note: str = "", actor) -> ReceptionDay:
    """A one-off reception day (a themed reception, a make-up day)."""
    require_desk(actor, station.id)
    existing = ReceptionDay.objects.select_for_update().filter(station=station, date=date).first()
    if existing:
        raise ActionRefused(_("This station already has a reception day on that date."), code="exists")
    day = ReceptionDay(station=station, date=date, origin=ReceptionDayOrigin.ONE_OFF, note=note)
    clean_instance(day)
    save_instance(day)
    return day


@transaction.atomic
def reception_day_cancel(*, day: ReceptionDay, reason: str, actor) -> ReceptionDay:
    day = ReceptionDay.objects.select_for_update().get(pk=day.pk)
    require_desk(actor, day.station_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give a reason for cancelling the reception day.")]})
    if day.is_cancelled:
        raise ActionRefused(_("This reception day is already cancelled."), code="cancelled")
    if day.visits.exists():
        raise ActionRefused(_("Visits were already recorded on this day; it cannot be cancelled."), code="has_visits")
    day.is_cancelled = True
    day.cancel_reason = reason[:200]
    day.save(update_fields=["is_cancelled", "cancel_reason"])
    return day


@transaction.atomic
def roster_set(
    *, day: ReceptionDay, actor, deputies: Iterable[Deputy] = (), groups: Iterable[DeputyGroup] = ()
) -> list[RosterEntry]:
    """Replace the day's roster with these deputies and groups (编组轮值)."""
    day = ReceptionDay.objects.select_for_update().get(pk=day.pk)
    require_desk(actor, day.station_id)
    if day.is_cancelled:
        raise ActionRefused(_("This reception day is cancelled."), code="cancelled")
    deputies = list({d.pk: d for d in deputies}.values())
    groups = list({g.pk: g for g in groups}.values())
    inactive = [d.name for d in deputies if not d.is_active]
    if inactive:
        raise ValidationError({"deputies": [_("Not an active deputy: %(names)s") % {"names": "、".join(inactive)}]})
    # Rostered deputies are reminded and credited: only this station's (or a station's above it).
    _check_deputies_of_station(
        deputies, day.station, _("These deputies do not belong to this station and cannot be rostered: %(names)s")
    )
    day.roster.all().delete()
    return RosterEntry.objects.bulk_create(
        [RosterEntry(day=day, deputy=d) for d in deputies] + [RosterEntry(day=day, group=g) for g in groups]
    )


# --- visits -------------------------------------------------------------------------------------------


def _clean_constituents(constituents) -> list[dict]:

    cleaned, errors = [], {}
    for index, person in enumerate(constituents or []):
        name = (person.get("name") or "").strip()
        phone = (person.get("phone") or "").strip()
        if not name and not phone:
            continue
        try:
            phone = clean_phone(phone) if phone else ""
        except ValidationError as exc:
            errors[f"constituents[{index}].phone"] = exc.messages
        if len(name) > 50:
            errors[f"constituents[{index}].name"] = [_("The name is too long.")]
        cleaned.append({"name": name, "phone": phone})
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_receivers(deputies: list[Deputy], station: Station) -> None:
    """Receivers get credit for the visit and see it: only deputies of this station may be named. One query."""
    _check_deputies_of_station(
        deputies,
        station,
        _("These deputies do not belong to this station and cannot be receivers: %(names)s"),
    )


def _check_deputies_of_station(deputies: list[Deputy], station: Station, message: str) -> None:
    """Refuse (403) deputies who belong neither to ``station`` nor to a station above it. One query."""
    if not deputies:
        return
    allowed = set(
        deputies_of_station(station, with_residents_above=True)
        .filter(pk__in=[d.pk for d in deputies])
        .values_list("pk", flat=True)
    )
    strangers = [d.name for d in deputies if d.pk not in allowed]
    if strangers:
        raise PermissionRefused(message % {"names": "、".join(strangers)}, code="deputy_not_of_station")


@transaction.atomic
def visit_record(
    *,
    actor,
    station: Station,
    date: date,
    channel: str,
    headcount: int,
    deputies: Iterable[Deputy] = (),
    grid: Grid | None = None,
    note: str = "",
    constituents: Iterable[dict] = (),
    opinions: Iterable[dict] = (),
) -> Visit:
    """Record one reception event with its constituents and opinions, all or nothing.

    ``constituents``: dicts with ``name`` and/or ``phone``. ``opinions``: dicts accepted
    by ``opinions.opinion_build`` (category, content, grid, outcome, outcome_note,
    referral_unit, photos). Every input is checked before anything is written, so a bad
    opinion leaves no visit behind. Station staff and the office record for their
    stations; a deputy records visits they made themselves (always among the receivers).
    """
    today = clock.today()
    is_deputy = actor.has_role(Role.DEPUTY) and actor.deputy_id
    if not is_deputy:
        require_desk(actor, station.id)
    else:
        from organisation.selectors import stations_visible_to

        if not stations_visible_to(actor).filter(id=station.id).exists():
            raise PermissionRefused(_("You can record visits only at your own stations."))
    errors = {}
    if not station.is_active:
        errors["station"] = [_("This station is closed.")]
    if channel not in VisitChannel.values:
        errors["channel"] = [_("Unknown channel.")]
    if date is None:
        errors["date"] = [_("Enter the date.")]
    elif date > today:
        errors["date"] = [_("The visit cannot be in the future.")]
    if not isinstance(headcount, int) or headcount < 1:
        errors["headcount"] = [_("A visit receives at least one constituent.")]
    elif headcount > 10000:
        errors["headcount"] = [_("The number of constituents is implausibly large.")]
    subtree = station_subtree_ids(station)
    try:
        check_grid_in_station(grid, station, subtree)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    deputies = list({d.pk: d for d in deputies}.values())
    if is_deputy and actor.deputy_id not in {d.pk for d in deputies}:
        deputies.append(actor.deputy)
    _check_receivers(deputies, station)
    try:
        constituents = _clean_constituents(constituents)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    opinions = list(opinions or [])
    built = []
    for index, data in enumerate(opinions):
        try:
            built.append(
                opinion_services.opinion_build(
                    data=data,
                    station=station,
                    subtree=subtree,
                    received_on=date,
                    actor=actor,
                    source="deputy" if is_deputy else "desk",
                    allow_outcome=True,
                )
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[f"opinions[{index}].{field}"] = messages
    if errors:
        raise ValidationError(errors)
    day = (
        ReceptionDay.objects.filter(station=station, date=date, is_cancelled=False).first()
        if channel == VisitChannel.AT_STATION
        else None
    )
    visit = Visit(
        station=station,
        reception_day=day,
        date=date,
        channel=channel,
        headcount=headcount,
        grid=grid,
        note=(note or "").strip(),
        recorded_by=actor,
    )
    check_fields(visit)
    visit.save()
    visit.deputies.set(deputies)
    VisitConstituent.objects.bulk_create([VisitConstituent(visit=visit, **person) for person in constituents])
    for opinion in built:
        opinion_services.opinion_save_built(built=opinion, visit=visit, actor=actor)
    return visit


def visit_can_be_recorded_by(user, station_id: int) -> bool:
    return can_run_desk(user, station_id) or bool(user.has_role(Role.DEPUTY) and user.deputy_id)
