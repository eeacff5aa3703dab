"""Reads of hot topics, scoped to the user through the opinions they may see.

A topic is visible to a user when at least one of its opinions is; every figure (opinions, stations,
grids, the trend) counts only the opinions the user may see, so station staff see their own stations'
share of a city-wide topic and the office and leaders the whole of it.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse

from core.roles import Role
from liaison.models import Opinion
from liaison.selectors import opinion_scope_q, opinions_visible_to
from topics.models import Topic, TopicEvent, TopicMember

HOT_LIMIT = 20
MIN_OPINIONS = 2
TREND_MONTHS = 12


def can_see_hot_topics(user) -> bool:
    """The 热点 pages and API: the office, leaders, administrators and station staff (their stations' share)."""
    return user.has_role(Role.OFFICE, Role.LEADER, Role.ADMIN, Role.STATION_STAFF)


def _opinions_in_scope(user):
    """``Opinion`` rows the user may see, without the list annotations (for counting)."""
    if not can_see_hot_topics(user):
        return Opinion.objects.none()
    condition = opinion_scope_q(user)
    return Opinion.objects.all() if condition is None else Opinion.objects.filter(condition)


def _members_in_scope(user):
    members = TopicMember.objects.all()
    if user.sees_everything:
        return members
    return members.filter(opinion__in=_opinions_in_scope(user).values("id"))


def topics_visible_to(user):
    """Topics with at least one opinion ``user`` may see."""
    if not can_see_hot_topics(user):
        return Topic.objects.none()
    if user.sees_everything:
        return Topic.objects.all()
    return Topic.objects.filter(pk__in=_members_in_scope(user).values("topic_id"))


@dataclass
class HotTopic:
    topic: Topic
    opinions: int  # in the period
    previous: int  # in the period of the same length just before
    stations: int
    grids: int

    @property
    def growth(self) -> int:
        return self.opinions - self.previous

    @property
    def heat(self) -> int:
        """Opinions in the period, plus two for each station beyond the first, one for each grid beyond the
        first, and the growth over the previous period when it grew."""
        return self.opinions + 2 * max(0, self.stations - 1) + max(0, self.grids - 1) + max(0, self.growth)


def _period_counts(user, date_from: date, date_to: date, topic_ids=None):
    rows = _members_in_scope(user).filter(received_on__gte=date_from, received_on__lte=date_to)
    if topic_ids is not None:
        rows = rows.filter(topic_id__in=topic_ids)
    return rows.values("topic_id").annotate(
        n=Count("opinion_id"),
        stations=Count("station_id", distinct=True),
        grids=Count("grid_id", distinct=True),
    )


def hot_topics(user, *, date_from: date, date_to: date, limit: int = HOT_LIMIT, min_opinions: int = MIN_OPINIONS):
    """The period's topics ranked by heat (growth and spread), with at least ``min_opinions`` opinions.

    Three queries whatever the number of topics: the period's counts per topic, the previous period's
    counts for those topics, and the topics themselves.
    """
    current = [r for r in _period_counts(user, date_from, date_to) if r["n"] >= min_opinions]
    if not current:
        return []
    length = (date_to - date_from).days + 1
    before_to = date_from - timedelta(days=1)
    before_from = before_to - timedelta(days=length - 1)
    ids = [r["topic_id"] for r in current]
    previous = {r["topic_id"]: r["n"] for r in _period_counts(user, before_from, before_to, topic_ids=ids).order_by()}
    rows = [
        HotTopic(
            topic=None,
            opinions=r["n"],
            previous=previous.get(r["topic_id"], 0),
            stations=r["stations"],
            grids=r["grids"],
        )
        for r in current
    ]
    for row, r in zip(rows, current, strict=True):
        row.topic = r["topic_id"]
    rows.sort(key=lambda h: (-h.heat, -h.opinions, h.topic))
    rows = rows[:limit]
    topics = Topic.objects.select_related("suggestion").in_bulk([h.topic for h in rows])
    for h in rows:
        h.topic = topics[h.topic]
    return rows


def _months(date_to: date, months: int) -> list[tuple[int, int]]:
    year, month = date_to.year, date_to.month
    result = []
    for _ in range(months):
        result.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return result[::-1]


def monthly_trend(user, topic_ids, *, date_to: date, months: int = TREND_MONTHS) -> tuple[list, dict]:
    """(months as (year, month), {topic id: [count per month]}) over the ``months`` ending with ``date_to``'s.

    One query.
    """
    axis = _months(date_to, months)
    start = date(axis[0][0], axis[0][1], 1)
    rows = (
        _members_in_scope(user)
        .filter(topic_id__in=list(topic_ids), received_on__gte=start, received_on__lte=date_to)
        .annotate(month=TruncMonth("received_on"))
        .values("topic_id", "month")
        .annotate(n=Count("opinion_id"))
        .order_by()
    )
    index = {key: i for i, key in enumerate(axis)}
    series = {pk: [0] * len(axis) for pk in topic_ids}
    for r in rows:
        key = (r["month"].year, r["month"].month)
        if key in index:
            series[r["topic_id"]][index[key]] = r["n"]
    return axis, series


def topic_sources(user, topic: Topic) -> dict:
    """Where the topic's visible opinions come from: counts by station, by grid and by channel. Three queries."""
    members = _members_in_scope(user).filter(topic=topic)
    by_station = list(
        members.values("opinion__station__name")
        .annotate(n=Count("opinion_id"))
        .order_by("-n", "opinion__station__name")
    )
    by_grid = list(
        members.filter(opinion__grid__isnull=False)
        .values("opinion__grid__code", "opinion__grid__name")
        .annotate(n=Count("opinion_id"))
        .order_by("-n", "opinion__grid__code")
    )
    by_source = list(members.values("opinion__source").annotate(n=Count("opinion_id")).order_by("-n"))
    return {
        "stations": [(r["opinion__station__name"], r["n"]) for r in by_station],
        "grids": [(f"{r['opinion__grid__code']} {r['opinion__grid__name']}", r["n"]) for r in by_grid],
        "channels": [(r["opinion__source"], r["n"]) for r in by_source],
    }


def topic_opinions(user, topic: Topic):
    """The topic's opinions ``user`` may see, newest first, with what the list shows."""
    return (
        opinions_visible_to(user)
        .filter(topic_membership__topic=topic)
        .select_related("topic_membership")
        .order_by("-received_on", "-id")
    )


def topic_events(topic: Topic):
    return TopicEvent.objects.filter(topic=topic).select_related("actor")


def related_opinions(user, opinion, limit: int):
    """The opinion page's related opinions: the others of its topic that ``user`` may see, newest first."""
    member = TopicMember.objects.filter(opinion_id=opinion.pk).select_related("topic").first()
    if member is None:
        return [], None
    related = list(
        opinions_visible_to(user)
        .filter(topic_membership__topic_id=member.topic_id)
        .exclude(pk=opinion.pk)
        .order_by("-received_on", "-id")[:limit]
    )
    group = {"title": member.topic.title, "size": member.topic.size, "url": ""}
    if can_see_hot_topics(user):
        group["url"] = reverse("topics:detail", args=[member.topic_id])
    return related, group


def unplaced_opinion_ids(*, limit: int) -> list[int]:
    """Opinions not yet in any topic, newest first (unscoped: for the catch-up task)."""
    return list(
        Opinion.objects.filter(~Q(pk__in=TopicMember.objects.values("opinion_id")))
        .order_by("-id")
        .values_list("id", flat=True)[:limit]
    )
