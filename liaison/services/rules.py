"""Reception rules (接待日规则) and the days they generate.

Month ends: a monthly rule on a day the month lacks (the 31st in a 30-day month, the
29th–31st in February) falls on the month's last day, so no month is skipped. Leap years
follow the calendar: "the 29th" is 29 February in 2024 and 28 February in 2023.

A new rule generates its days from ``valid_from`` (past ones too, to back-fill a
calendar). Changing a rule re-generates its days from today on: days that no longer
match are removed unless they already have visits (those stay, detached from the rule);
days in the past are history and never touched. ``reception_rules_extend`` rolls every
open-ended rule's horizon forward in a constant number of queries, however many rules.
"""

from calendar import monthrange
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from core import clock
from core.writes import clean_instance, save_instance
from liaison.models import ReceptionDay, ReceptionDayOrigin, ReceptionRule, ReceptionRuleKind, Visit
from organisation.access import require_desk
from organisation.models import Station

# Rules without an end date are generated this far ahead; ``reception_rules_extend``
# rolls the horizon forward (run it monthly).
HORIZON_DAYS = 400


RULE_FIELDS = ("kind", "day_of_month", "weekday", "date", "valid_from", "valid_to", "note", "is_active")


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
    """Generate days up to the horizon for every open-ended active rule; safe to run twice.

    All rules in one transaction and a constant number of queries (rules, their future days,
    the stations' existing days, then one update, one delete and one insert), however many rules.
    Stale days are dropped before new ones are made, so a date one rule gives up and another rule
    of the station wants is kept for the latter (syncing rule by rule could lose it).
    """
    today = clock.today()
    rules = list(ReceptionRule.objects.filter(is_active=True).exclude(kind=ReceptionRuleKind.ONCE))
    if not rules:
        return 0
    wanted = {rule.id: set(rule_dates(rule, max(rule.valid_from, today), _horizon_end(rule, today))) for rule in rules}
    with transaction.atomic():
        future = ReceptionDay.objects.filter(rule__in=rules, date__gte=today).annotate(
            has_visits=Exists(Visit.objects.filter(reception_day=OuterRef("pk")))
        )
        detach, remove = [], []
        for day_id, rule_id, day, has_visits in future.values_list("id", "rule_id", "date", "has_visits"):
            if day not in wanted[rule_id]:
                (detach if has_visits else remove).append(day_id)
        # Days with visits are history: they stay, detached from the rule that no longer yields them.
        if detach:
            ReceptionDay.objects.filter(id__in=detach).update(rule=None)
        if remove:
            ReceptionDay.objects.filter(id__in=remove).delete()
        last = max((max(dates) for dates in wanted.values() if dates), default=today)
        existing = set(
            ReceptionDay.objects.filter(
                station_id__in={rule.station_id for rule in rules}, date__gte=today, date__lte=last
            ).values_list("station_id", "date")
        )
        new = {}
        for rule in rules:
            for day in sorted(wanted[rule.id]):
                key = (rule.station_id, day)
                if key not in existing and key not in new:
                    new[key] = ReceptionDay(
                        station_id=rule.station_id, date=day, origin=ReceptionDayOrigin.GENERATED, rule=rule
                    )
        # ignore_conflicts: a rule edited meanwhile may have created the same day.
        ReceptionDay.objects.bulk_create(new.values(), ignore_conflicts=True)
    return len(rules)
