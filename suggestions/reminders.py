"""Reminders of the suggestion lifecycle, swept daily by ``suggestions.tasks``.

Each rule reads the due items with one query on an index of ``Suggestion``/``Assignment`` and
resolves the recipients with a constant number of queries; ``notifications.reminders.run_sweep``
sends each reminder at most once per recipient, subject and threshold. Parameters come from
``settings.REMINDERS`` and ``settings.SUGGESTION_DEADLINES``.
"""

from collections import Counter
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.models import ReminderSent
from notifications.reminders import Due, ReminderRule, Since, claimed, iso_week, keyed, pending_step, url_maker
from organisation.models import HandlingUnit
from suggestions import risk
from suggestions.deadlines import WorkingCalendar, add_working_days
from suggestions.models import (
    AWAITING_REPLY,
    Assignment,
    AssignmentRole,
    CoUnitOpinion,
    Evaluation,
    Reply,
    State,
    Suggestion,
)
from suggestions.recipients import deputy_accounts, office_users, unit_officers


def changed_since(since: Since) -> set[int]:
    """The suggestions saved since an incremental rule's last sweep read the database (index
    ``sugg_updated_at``): every step of the lifecycle saves the suggestion."""
    return set(Suggestion.objects.filter(updated_at__gte=since.at).order_by().values_list("pk", flat=True))


def suggestion_urls():
    """The detail page's address of a suggestion by pk (one ``reverse`` for a whole sweep)."""
    return url_maker("suggestions:detail")


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
    suggestion_url = suggestion_urls()
    title_text = _("Reply due on %(date)s: %(title)s")
    body_text = _("Your unit's written reply to this suggestion is due in %(days)s days.")
    for pk, title, reply_due, unit_id in rows:
        step = pending_step((reply_due - today).days, steps)
        for user_id in officers.get(unit_id, ()):
            yield Due(
                recipient_id=user_id,
                subject_key=f"suggestion:{pk}",
                threshold=f"{reply_due.isoformat()}:{step}d",
                title=title_text % {"date": reply_due.isoformat(), "title": title},
                body=body_text % {"days": (reply_due - today).days},
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
    suggestion_url = suggestion_urls()
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


def collect_overdue(*, today: date, since: Since | None = None):
    """Past the reply deadline, once per ISO week while it stays overdue: each overdue suggestion to its
    lead unit's officers; one digest to each office user (how many, by lead unit) and to each leader who
    flagged some for key supervision (how many of theirs), linking to the overdue list. A city has
    thousands overdue at once: a notice per suggestion per office user would bury the office.

    Index: ``sugg_state_reply_due`` (state, reply_due), and per suggestion one probe of the claims
    (``claimed``): a warm sweep builds no per-suggestion reminder. Queries: this one, the officers, the
    office, the unit names.

    Incremental (``since``) within the ISO week of the last sweep, once this week's office digest went
    out: only the suggestions that fell overdue since that sweep's day (the index range
    ``reply_due >= since.day``) or changed since it are read, and no digest is built (it went out).
    A new week is a full sweep: everything still overdue is reminded again.
    """
    week = iso_week(today)
    threshold = f"overdue:{week}"
    overdue = Suggestion.objects.filter(state__in=AWAITING_REPLY, reply_due__lt=today)
    digest_sent = (
        since is not None
        and iso_week(since.day) == week
        and ReminderSent.objects.filter(
            rule=OVERDUE.key, threshold_key=f"{OVERDUE.key}:{threshold}", subject_key="overdue"
        ).exists()
    )
    if digest_sent:
        fell_overdue = set(overdue.filter(reply_due__gte=since.day).order_by().values_list("pk", flat=True))
        overdue = overdue.filter(pk__in=fell_overdue | changed_since(since))
    # Every overdue suggestion counts in the digests; the units hear of those not reminded this week yet.
    rows = list(
        overdue.annotate(sent=claimed(OVERDUE.key, threshold=threshold, subject=keyed("suggestion:", OuterRef("pk"))))
        .order_by()
        .values_list("pk", "title", "reply_due", "lead_unit_id", "key_supervision", "key_supervisor_id", "sent")
    )
    if not rows:
        return
    officers = unit_officers({row[3] for row in rows if not row[6]})
    suggestion_url = suggestion_urls()
    title_text = _("Overdue since %(date)s: %(title)s")
    body_text = _("The reply to this suggestion is %(days)s days late.")
    for pk, title, reply_due, unit_id, _key, _supervisor, sent in rows:
        if sent:
            continue
        for user_id in officers.get(unit_id, ()):
            yield Due(
                recipient_id=user_id,
                subject_key=f"suggestion:{pk}",
                threshold=threshold,
                title=title_text % {"date": reply_due.isoformat(), "title": title},
                body=body_text % {"days": (today - reply_due).days},
                url=suggestion_url(pk),
            )
    if digest_sent:
        return
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


def collect_assignment_pending(*, today: date, since: Since | None = None):
    """Still not assigned after the working-day deadline (5 by default) from submission: the office.

    ``assign_due`` was computed on the Chinese working-day calendar at submission.
    Index: ``sugg_state_assign_due`` (state, assign_due). Incremental (``since``): the suggestions whose
    assignment deadline passed since the last sweep's day, and those changed since (returned and
    resubmitted, a deadline recounted by the calendar).
    """
    pending = Suggestion.objects.filter(state=State.SUBMITTED, assign_due__lt=today)
    if since is not None:
        passed = set(pending.filter(assign_due__gte=since.day).order_by().values_list("pk", flat=True))
        pending = pending.filter(pk__in=passed | changed_since(since))
    rows = list(pending.order_by().values_list("pk", "title", "assign_due"))
    if not rows:
        return
    office = office_users()
    suggestion_url = suggestion_urls()
    title_text = _("Not yet assigned: %(title)s")
    body_text = _("This suggestion should have been assigned by %(date)s.")
    for pk, title, assign_due in rows:
        for user_id in office:
            yield Due(
                recipient_id=user_id,
                subject_key=f"suggestion:{pk}",
                threshold=f"assign_due:{assign_due.isoformat()}",
                title=title_text % {"title": title},
                body=body_text % {"date": assign_due.isoformat()},
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


def collect_evaluation_pending(*, today: date, since: Since | None = None):
    """A reply still not evaluated after 20 working days (configurable): the lead deputy, once per reply.

    Index: the leading ``state`` column of ``sugg_state_*`` (the suggestions waiting for an evaluation, a
    few percent of all), then for each its latest unevaluated reply on ``Reply.suggestion`` and the
    evaluation's unique ``reply`` column, as a subquery per suggestion — never a hash of every reply and
    evaluation (which PostgreSQL chose for a join at city scale).

    Incremental (``since``): the suggestions with a reply whose wait ran out since the last sweep's day
    (index ``reply_replied_on``: replied after that day's cutoff, up to today's) and those changed since.
    """
    working_days = settings.REMINDERS["EVALUATION_PENDING_WORKING_DAYS"]
    cutoff = last_reply_day_to_remind(today, working_days)
    waiting = (
        Reply.objects.filter(suggestion_id=OuterRef("pk"), replied_on__lte=cutoff)
        .exclude(Exists(Evaluation.objects.filter(reply_id=OuterRef("pk"))))
        .order_by("-id")
    )
    replied = Suggestion.objects.filter(state=State.REPLIED)
    if since is not None:
        previous_cutoff = last_reply_day_to_remind(since.day, working_days)
        ran_out = set(
            Reply.objects.filter(replied_on__gt=previous_cutoff, replied_on__lte=cutoff)
            .order_by()
            .values_list("suggestion_id", flat=True)
        )
        replied = replied.filter(pk__in=ran_out | changed_since(since))
    rows = [
        row
        for row in replied.annotate(reply_id=Subquery(waiting.values("pk")[:1]))
        .order_by()
        .values_list("pk", "title", "lead_deputy_id", "reply_id")
        if row[3] is not None
    ]
    accounts = deputy_accounts({row[2] for row in rows})
    rows = [row for row in rows if row[2] in accounts]
    replied_on_of = dict(Reply.objects.filter(pk__in=[row[3] for row in rows]).values_list("pk", "replied_on"))
    suggestion_url = suggestion_urls()
    for pk, title, deputy_id, reply_id in rows:
        replied_on = replied_on_of[reply_id]
        user_id = accounts[deputy_id]
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
    suggestion_url = suggestion_urls()
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
OVERDUE = ReminderRule(key="suggestion_overdue", collect=collect_overdue, incremental=True)
ASSIGNMENT_PENDING = ReminderRule(
    key="suggestion_assignment_pending", collect=collect_assignment_pending, incremental=True
)
EVALUATION_PENDING = ReminderRule(
    key="suggestion_evaluation_pending", collect=collect_evaluation_pending, incremental=True
)
RISK_HIGH = ReminderRule(key="suggestion_risk_high", collect=collect_risk_high)
