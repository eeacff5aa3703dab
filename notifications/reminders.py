"""The reminder framework: rules say what is due; the sweep sends each reminder at most once.

A rule lives in the app that owns its data (``suggestions/reminders.py`` …) and is a function
``collect(*, today) -> Iterable[Due]`` that reads the due items with one indexed query (plus a
constant number of queries for the recipients). ``run_sweep`` then

1. reads which of the candidates were already claimed (``ReminderSent`` rows of the rule at the
   candidates' thresholds, on the ``(rule, threshold_key)`` index) and drops them: a warm sweep, where
   nearly everything due was sent on an earlier day, inserts nothing and stops there;
2. INSERTs one ``ReminderSent`` row per new (recipient, subject, threshold) with
   ``bulk_create(ignore_conflicts=True)``, all stamped with a fresh sweep token;
3. reads back the rows carrying its own token: those are the reminders this sweep won (a row that a
   concurrent sweep inserted first is skipped by the unique constraint — on PostgreSQL the second
   INSERT waits for the first transaction and then does nothing);
4. writes the notifications for the won rows and queues their external deliveries after commit.

All three steps run in one transaction, so a sweep that dies half-way (worker killed, database
restart) leaves no claim behind and the redelivered task does the whole job again. The number of
queries does not depend on how many items are due.

**Incremental sweeps.** A city has tens of thousands of items due at once (30,000 overdue
suggestions), nearly all of them reminded on an earlier day. A rule declared ``incremental`` is given
``since`` (a ``Since``: the day of the rule's last complete sweep and when that sweep began, from its
``SweepMark``) and reads only what can have become due since then: the items whose deadline passed
between that day and today (an index range on the deadline) and the rows changed since that sweep
began (``Suggestion.updated_at``). Everything else was due at the last sweep, with the same threshold,
and was claimed then. A full sweep runs when the rule has no mark, when the clock went back, and at
least every ``REMINDERS["FULL_SWEEP_DAYS"]`` days: it catches what no incremental read can see (a
recipient added since, a row changed without touching ``updated_at``), so nothing is missed for longer
than that.
"""

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import CharField, Exists, Expression, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import translation

from core import clock
from notifications.models import ReminderSent, SweepMark
from notifications.services import Message, notify_each

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    """One reminder a rule wants sent: to whom, about what, for which step, and what it says."""

    recipient_id: int
    subject_key: str  # what it is about, e.g. "suggestion:42"
    threshold: str  # which step of the rule, e.g. "7d" (7 days before) or "2024-W05" (weekly)
    title: str
    body: str = ""
    url: str = ""
    target_type_id: int | None = None
    target_id: int | None = None


@dataclass(frozen=True)
class Since:
    """What an incremental rule has already seen: its last complete sweep swept for ``day`` and read the
    database as of ``at`` (the moment that sweep began, less ``SINCE_MARGIN`` for transactions that were
    still open then)."""

    day: date
    at: datetime


# Rows written by a transaction that began before the last sweep but committed after it read.
SINCE_MARGIN = timedelta(minutes=10)


@dataclass(frozen=True)
class ReminderRule:
    key: str  # stable, snake_case; part of every threshold key, so never rename it
    collect: Callable[..., Iterable[Due]]
    description: str = ""
    # ``collect(today=…, since=Since | None)``: reads only what became due or changed since (see above).
    incremental: bool = False

    @property
    def verb(self) -> str:
        return f"reminder.{self.key}"

    def threshold_key(self, due: Due) -> str:
        return f"{self.key}:{due.threshold}"

    def is_enabled(self) -> bool:
        return self.key not in settings.REMINDERS_DISABLED


def iso_week(day: date) -> str:
    """The threshold of a weekly repeat: "2024-W05". The same ISO week never repeats a reminder."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def run_sweep(rule: ReminderRule) -> dict:
    """Send every reminder of ``rule`` due today (``core.clock.today()``) that has not gone out yet; returns counts.

    Safe to run twice and concurrently (see the module docstring). Queries: the rule's own (constant)
    + 1 per ``CLAIM_LOOKUP_CHUNK`` thresholds to find the earlier claims, then, when anything is new,
    2 for the claims + 3 for the notifications, whatever the number of due items.
    """
    if not rule.is_enabled():
        return {"rule": rule.key, "disabled": True}
    today = clock.today()
    started_at = clock.now()
    # Reminders are written in the site's language (zh-hans), not in whatever a worker happens to use.
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        since = sweep_since(rule, today) if rule.incremental else None
        summary = {"rule": rule.key, "today": today.isoformat()}
        if rule.incremental:
            summary["incremental"] = since is not None
        collected = rule.collect(today=today, since=since) if rule.incremental else rule.collect(today=today)
        candidates = {}
        for due in collected:
            candidates.setdefault((due.recipient_id, due.subject_key, rule.threshold_key(due)), due)
        if rule.incremental:
            mark_sweep(rule, today, started_at, full=since is None)
        if not candidates:
            return summary | {"due": 0, "sent": 0}
        claimed = already_claimed(
            rule.key,
            {threshold_key for _r, _s, threshold_key in candidates},
            subjects={subject for _r, subject, _t in candidates},
        )
        new = [key for key in candidates if key not in claimed]
        if not new:
            logger.info("Reminder sweep %s for %s: %d due, all sent before", rule.key, today, len(candidates))
            return summary | {"due": len(candidates), "sent": 0}
        token = uuid.uuid4()
        now = clock.now()
        ReminderSent.objects.bulk_create(
            [
                ReminderSent(
                    recipient_id=recipient_id,
                    rule=rule.key,
                    subject_key=subject_key,
                    threshold_key=threshold_key,
                    sweep_token=token,
                    created_at=now,
                )
                for recipient_id, subject_key, threshold_key in new
            ],
            ignore_conflicts=True,
        )
        won = {
            (recipient_id, subject_key, threshold_key): pk
            for pk, recipient_id, subject_key, threshold_key in ReminderSent.objects.filter(
                sweep_token=token
            ).values_list("pk", "recipient_id", "subject_key", "threshold_key")
        }
        messages = [
            Message(
                recipient_id=due.recipient_id,
                verb=rule.verb,
                title=due.title,
                body=due.body,
                url=due.url,
                target_type_id=due.target_type_id,
                target_id=due.target_id,
                reminder_id=won[key],
            )
            for key, due in candidates.items()
            if key in won
        ]
        notify_each(messages=messages)
    logger.info("Reminder sweep %s for %s: %d due, %d sent", rule.key, today, len(candidates), len(messages))
    return summary | {"due": len(candidates), "sent": len(messages)}


def sweep_since(rule: ReminderRule, today: date) -> Since | None:
    """Where ``rule``'s incremental read starts today, or ``None`` for a full sweep (no mark yet, the clock
    went back, or the last full sweep is ``FULL_SWEEP_DAYS`` old). Locks the mark: concurrent sweeps of a
    rule take turns."""
    mark = SweepMark.objects.select_for_update().filter(rule=rule.key).first()
    if mark is None or mark.day > today or (today - mark.full_on).days >= settings.REMINDERS["FULL_SWEEP_DAYS"]:
        return None
    return Since(day=mark.day, at=mark.started_at - SINCE_MARGIN)


def mark_sweep(rule: ReminderRule, today: date, started_at: datetime, *, full: bool) -> None:
    """Record the sweep (in its transaction: a sweep that fails leaves the previous mark)."""
    defaults = {"day": today, "started_at": started_at}
    if full:
        defaults["full_on"] = today
    updated = SweepMark.objects.filter(rule=rule.key).update(**defaults)
    if not updated:
        SweepMark.objects.create(rule=rule.key, **({"full_on": today} | defaults))


# How many threshold keys one lookup of earlier claims names (an IN list on the index).
CLAIM_LOOKUP_CHUNK = 500


def already_claimed(rule_key: str, threshold_keys, subjects=None) -> set[tuple[int, str, str]]:
    """The (recipient, subject, threshold) claims of ``rule_key`` at these thresholds: what was sent before.

    Index: ``reminder_rule_threshold_idx`` (rule, threshold_key, subject_key). Reads the claims of the
    thresholds due now only (a weekly repeat: this week's; a deadline step: that step's), not the rule's
    history; and when the candidates are about few ``subjects`` (up to ``CLAIM_LOOKUP_CHUNK``: the daily
    run of an incremental rule), only theirs — not the 30,000 claims of a city's overdue week.
    """
    keys = sorted(threshold_keys)
    about = Q(subject_key__in=sorted(subjects)) if subjects is not None and len(subjects) <= CLAIM_LOOKUP_CHUNK else Q()
    claimed: set[tuple[int, str, str]] = set()
    for start in range(0, len(keys), CLAIM_LOOKUP_CHUNK):
        chunk = keys[start : start + CLAIM_LOOKUP_CHUNK]
        claimed.update(
            ReminderSent.objects.filter(about, rule=rule_key, threshold_key__in=chunk)
            .order_by()
            .values_list("recipient_id", "subject_key", "threshold_key")
        )
    return claimed


# --- Helpers for rules -------------------------------------------------------------------------


def keyed(prefix: str, value) -> Expression:
    """A claim's key as SQL: ``prefix`` followed by ``value`` (an expression such as ``OuterRef("pk")``,
    or a string), e.g. ``keyed("suggestion:", OuterRef("pk"))`` for ``"suggestion:42"``."""
    if isinstance(value, str):
        return Value(prefix + value, output_field=CharField())
    return Concat(Value(prefix), Cast(value, output_field=CharField()), output_field=CharField())


def claimed(rule_key: str, *, threshold, subject) -> Exists:
    """EXISTS a claim of ``rule_key`` about ``subject`` at ``threshold`` (the rule's own threshold, without
    the rule's prefix; strings or ``keyed`` expressions), for anyone.

    A rule annotates its candidate rows with it and skips those claimed, so that a warm sweep (everything
    due was sent before) builds no reminder for them. Use it with a threshold that is the same for every
    row (a week, a period): PostgreSQL then reads the threshold's claims once, on
    ``reminder_rule_threshold_idx`` (rule, threshold_key, subject_key), into a hashed subplan. (With a
    threshold that varies by row it may plan a nested loop over the claims, quadratic in the items due.)
    ``run_sweep`` still drops, per recipient, what was claimed: the rule's filter only saves work. (A
    recipient who joins after the subject was reminded — a new unit officer — hears of it at the rule's
    next threshold.)
    """
    if isinstance(threshold, str):
        threshold = keyed(f"{rule_key}:", threshold)
    else:
        threshold = Concat(Value(f"{rule_key}:"), threshold, output_field=CharField())
    subject = keyed("", subject) if isinstance(subject, str) else subject
    return Exists(ReminderSent.objects.filter(rule=rule_key, threshold_key=threshold, subject_key=subject))


def url_maker(name: str) -> Callable[[int], str]:
    """``reverse(name, args=[pk])`` for many pks at the cost of one ``reverse`` (a sweep names thousands)."""
    from django.urls import reverse

    marker = 987654321987
    head, tail = reverse(name, args=[marker]).split(str(marker))
    return lambda pk: f"{head}{int(pk)}{tail}"


def pending_step(days_left: int, steps) -> int | None:
    """Which "N days before" reminder an item due in ``days_left`` days is at, or None.

    The smallest step not below ``days_left``: with steps 15, 7, 1 an item 15 to 8 days away is at
    step 15, 7 to 2 days at step 7, 1 or 0 days at step 1. A day on which the sweep did not run is
    caught up the next day (same step, still unsent); a step already sent is not sent again.
    """
    if days_left < 0:
        return None
    candidates = [step for step in steps if step >= days_left]
    return min(candidates) if candidates else None


def users_by_unit(unit_ids) -> dict[int, list[int]]:
    """Active handling-unit officers of these units: {unit id: [user id, …]}. One query."""
    from core.roles import Role

    result: dict[int, list[int]] = {}
    if not unit_ids:
        return result
    rows = (
        get_user_model()
        .objects.filter(role=Role.UNIT_OFFICER, unit_id__in=set(unit_ids), is_active=True)
        .order_by("pk")
        .values_list("unit_id", "pk")
    )
    for unit_id, user_id in rows:
        result.setdefault(unit_id, []).append(user_id)
    return result


def users_by_deputy(deputy_ids) -> dict[int, int]:
    """The active account of each of these deputies: {deputy id: user id}. One query."""
    if not deputy_ids:
        return {}
    rows = get_user_model().objects.filter(deputy_id__in=set(deputy_ids), is_active=True).values_list("deputy_id", "pk")
    return dict(rows)


def users_with_role(role: str) -> list[int]:
    """Active accounts with this role (e.g. the suggestion office). One query."""
    return list(get_user_model().objects.filter(role=role, is_active=True).order_by("pk").values_list("pk", flat=True))
