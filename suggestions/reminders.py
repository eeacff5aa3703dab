"""Reminders of the suggestion lifecycle, swept daily by ``suggestions.tasks``.

Each rule reads the due items with one query on an index of ``Suggestion``/``Assignment`` and
resolves the recipients with a constant number of queries; ``notifications.reminders.run_sweep``
sends each reminder at most once per recipient, subject and threshold. Parameters come from
``settings.REMINDERS`` and ``settings.SUGGESTION_DEADLINES``.
"""

from collections import Counter
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.reminders import Due, ReminderRule, iso_week, pending_step
from organisation.models import HandlingUnit
from suggestions import risk
from suggestions.deadlines import WorkingCalendar, add_working_days
from suggestions.models import (
    AWAITING_REPLY,
    Assignment,
    AssignmentRole,
    CoUnitOpinion,
    State,
    Suggestion,
)
from suggestions.notices.base import suggestion_url
from suggestions.recipients import deputy_accounts, office_users, unit_officers


def collect_reply_due(*, today: date):
    """Lead-unit officers, 15, 7 and 1 days (configurable) before the reply deadline.

    Index: ``sugg_state_reply_due`` (state, reply_due). The threshold carries the deadline, so an
    extended or re-handling deadline is reminded afresh.
    """
    steps = settings.REMINDERS["REPLY_DUE_DAYS"]
    rows = list(
        Suggestion.objects.filter(
            state__in=AWAITING_REPLY, reply_due__gte=today, reply_due__lte=today + timedelta(days=max(steps))
        )
        .order_by()
        .values_list("pk", "title", "reply_due", "lead_unit_id")
    )
    officers = unit_officers({row[3] for row in rows})
    for pk, title, reply_due, unit_id in rows:
        step = pending_step((reply_due - today).days, steps)
        for user_id in officers.get(unit_id, ()):
            yield Due(
                recipient_id=user_id,
                subject_key=f"suggestion:{pk}",
                threshold=f"{reply_due.isoformat()}:{step}d",
                title=_("Reply due on %(date)s: %(title)s") % {"date": reply_due.isoformat(), "title": title},
                body=_("Your unit's written reply to this suggestion is due in %(days)s days.")
                % {"days": (reply_due - today).days},
                url=suggestion_url(pk),
            )


def collect_co_opinion_due(*, today: date):
    """Co-unit officers, 7 and 1 days (configurable) before their written opinion is due, until given.

    Index: ``assignment_opinion_due`` (active, opinion_due).
    """
    steps = settings.REMINDERS["CO_OPINION_DUE_DAYS"]
    rows = list(
        Assignment.objects.filter(
            active=True,
            role=AssignmentRole.CO,
            opinion_due__gte=today,
            opinion_due__lte=today + timedelta(days=max(steps)),
            suggestion__state__in=AWAITING_REPLY,
            suggestion__reply_round=0,
        )
        .exclude(Exists(CoUnitOpinion.objects.filter(assignment=OuterRef("pk"))))
        .order_by()
        .values_list("pk", "suggestion_id", "suggestion__title", "opinion_due", "unit_id")
    )
    officers = unit_officers({row[4] for row in rows})
    for assignment_id, pk, title, opinion_due, unit_id in rows:
        step = pending_step((opinion_due - today).days, steps)
        for user_id in officers.get(unit_id, ()):
            yield Due(
                recipient_id=user_id,
                subject_key=f"suggestion:{pk}",
                threshold=f"assignment:{assignment_id}:{opinion_due.isoformat()}:{step}d",
                title=_("Co-unit opinion due on %(date)s: %(title)s")
                % {"date": opinion_due.isoformat(), "title": title},
                body=_("Your unit's written opinion to the lead unit is due in %(days)s days.")
                % {"days": (opinion_due - today).days},
                url=suggestion_url(pk),
            )


# How many lead units an overdue digest names; the rest are counted together.
DIGEST_UNITS = 10


def collect_overdue(*, today: date):
    """Past the reply deadline, once per ISO week while it stays overdue: each overdue suggestion to its
    lead unit's officers; one digest to each office user (how many, by lead unit) and to each leader who
    flagged some for key supervision (how many of theirs), linking to the overdue list. A city has
    thousands overdue at once: a notice per suggestion per office user would bury the office.

    Index: ``sugg_state_reply_due`` (state, reply_due). Queries: this one, the officers, the office, the
    unit names.
    """
    rows = list(
        Suggestion.objects.filter(state__in=AWAITING_REPLY, reply_due__lt=today)
        .order_by()
        .values_list("pk", "title", "reply_due", "lead_unit_id", "key_supervision", "key_supervisor_id")
    )
    if not rows:
        return
    officers = unit_officers({row[3] for row in rows})
    week = iso_week(today)
    threshold = f"overdue:{week}"
    for pk, title, reply_due, unit_id, _key, _supervisor in rows:
        for user_id in officers.get(unit_id, ()):
            yield Due(
                recipient_id=user_id,
                subject_key=f"suggestion:{pk}",
                threshold=threshold,
                title=_("Overdue since %(date)s: %(title)s") % {"date": reply_due.isoformat(), "title": title},
                body=_("The reply to this suggestion is %(days)s days late.") % {"days": (today - reply_due).days},
                url=suggestion_url(pk),
            )
    url = reverse("suggestions:overdue")
    by_unit = Counter(row[3] for row in rows)
    names = dict(HandlingUnit.objects.filter(pk__in=by_unit).values_list("pk", "name"))
    named = [f"{names.get(unit_id, '?')} {count}" for unit_id, count in by_unit.most_common(DIGEST_UNITS)]
    rest = sum(count for _unit, count in by_unit.most_common()[DIGEST_UNITS:])
    if rest:
        named.append(_("other units %(count)s") % {"count": rest})
    office_digest = {
        "title": _("%(count)s suggestions are overdue") % {"count": len(rows)},
        "body": _("By lead unit: %(units)s.") % {"units": "、".join(named)},
    }
    for user_id in office_users():
        yield Due(recipient_id=user_id, subject_key="overdue", threshold=threshold, url=url, **office_digest)
    flagged = Counter(row[5] for row in rows if row[4] and row[5])
    for supervisor_id, count in flagged.items():
        yield Due(
            recipient_id=supervisor_id,
            subject_key="overdue:key-supervision",
            threshold=threshold,
            title=_("%(count)s suggestions under your key supervision are overdue") % {"count": count},
            url=url,
        )


def collect_assignment_pending(*, today: date):
    """Still not assigned after the working-day deadline (5 by default) from submission: the office.

    ``assign_due`` was computed on the Chinese working-day calendar at submission.
    Index: ``sugg_state_assign_due`` (state, assign_due).
    """
    rows = list(
        Suggestion.objects.filter(state=State.SUBMITTED, assign_due__lt=today)
        .order_by()
        .values_list("pk", "title", "assign_due")
    )
    if not rows:
        return
    office = office_users()
    for pk, title, assign_due in rows:
        for user_id in office:
            yield Due(
                recipient_id=user_id,
                subject_key=f"suggestion:{pk}",
                threshold=f"assign_due:{assign_due.isoformat()}",
                title=_("Not yet assigned: %(title)s") % {"title": title},
                body=_("This suggestion should have been assigned by %(date)s.") % {"date": assign_due.isoformat()},
                url=suggestion_url(pk),
            )


def last_reply_day_to_remind(today: date, working_days: int) -> date:
    """The latest reply date whose evaluation has waited ``working_days`` full working days by ``today``:
    the largest ``d`` with ``add_working_days(d, working_days) < today``. One query (the loop shares
    one ``WorkingCalendar``)."""
    working_calendar = WorkingCalendar()
    day = today - timedelta(days=1)
    while add_working_days(day, working_days, calendar=working_calendar) >= today:
        day -= timedelta(days=1)
    return day


def collect_evaluation_pending(*, today: date):
    """A reply still not evaluated after 20 working days (configurable): the lead deputy, once per reply.

    Index: ``sugg_state_reply_due`` (its leading ``state`` column) then the reply by suggestion.
    """
    cutoff = last_reply_day_to_remind(today, settings.REMINDERS["EVALUATION_PENDING_WORKING_DAYS"])
    rows = list(
        Suggestion.objects.filter(
            state=State.REPLIED, replies__replied_on__lte=cutoff, replies__evaluation__isnull=True
        )
        .order_by()
        .values_list("pk", "title", "lead_deputy_id", "replies__pk", "replies__replied_on")
    )
    accounts = deputy_accounts({row[2] for row in rows})
    for pk, title, deputy_id, reply_id, replied_on in rows:
        user_id = accounts.get(deputy_id)
        if user_id is None:
            continue
        yield Due(
            recipient_id=user_id,
            subject_key=f"suggestion:{pk}",
            threshold=f"evaluate_reply:{reply_id}",
            title=_("Please evaluate the reply: %(title)s") % {"title": title},
            body=_("The unit replied on %(date)s; your evaluation is still missing.")
            % {"date": replied_on.isoformat()},
            url=suggestion_url(pk),
        )


def collect_risk_high(*, today: date):
    """Open suggestions whose risk of missing the reply deadline (``suggestions.risk``) reached a reminded
    level (high, very high): the lead unit's officers, once per level and deadline, so a unit hears it
    early and again only when the risk climbs a level or the deadline moves. Query count: ``risk.assess``'s
    (a constant) plus the officers.
    """
    rows = Suggestion.objects.select_related(None).only(
        "id", "title", "state", "category", "lead_unit_id", "assigned_on", "reply_due"
    )
    lowest = min(bound for _level, bound in risk.REMINDED_LEVELS)
    assessments = [a for a in risk.assess(rows, today=today) if a.probability >= lowest]
    officers = unit_officers({a.suggestion.lead_unit_id for a in assessments})
    for assessment in assessments:
        suggestion = assessment.suggestion
        level = next(name for name, bound in risk.REMINDED_LEVELS if assessment.probability >= bound)
        for user_id in officers.get(suggestion.lead_unit_id, ()):
            yield Due(
                recipient_id=user_id,
                subject_key=f"suggestion:{suggestion.pk}",
                threshold=f"{suggestion.reply_due.isoformat()}:{level}",
                title=_("At risk of missing the reply deadline (%(percent)s%%): %(title)s")
                % {"percent": assessment.percent, "title": suggestion.title},
                body=_("Reply due on %(date)s. Why: %(reasons)s.")
                % {"date": suggestion.reply_due.isoformat(), "reasons": assessment.reason_text},
                url=suggestion_url(suggestion.pk),
            )


REPLY_DUE = ReminderRule(key="suggestion_reply_due", collect=collect_reply_due)
CO_OPINION_DUE = ReminderRule(key="suggestion_co_opinion_due", collect=collect_co_opinion_due)
OVERDUE = ReminderRule(key="suggestion_overdue", collect=collect_overdue)
ASSIGNMENT_PENDING = ReminderRule(key="suggestion_assignment_pending", collect=collect_assignment_pending)
EVALUATION_PENDING = ReminderRule(key="suggestion_evaluation_pending", collect=collect_evaluation_pending)
RISK_HIGH = ReminderRule(key="suggestion_risk_high", collect=collect_risk_high)
