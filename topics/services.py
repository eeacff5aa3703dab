"""Every change to hot topics: placing an opinion, staff corrections, and the actions on a topic.

``topic_place_opinion`` is what the task runs for each saved opinion: idempotent (an opinion already
placed stays where it is, pinned or not), bounded (``topics.store``), and serialised per topic by the
topic's row lock so two placements never lose each other's centroid update.
"""

import math
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils.translation import gettext as _

from core.errors import ActionRefused, PermissionRefused
from core.roles import Role
from liaison.models import Opinion
from suggestions import services as suggestion_services
from topics.models import DOCUMENTS, TermCount, Topic, TopicEvent, TopicEventKind, TopicMember, TopicTerm
from topics.similarity import place, vectorise
from topics.store import DatabaseStore
from topics.text import BIGRAM_PREFIX, CONCEPT_PREFIX, features

TITLE_LENGTH = 40
KEYWORDS = 5
NOTE_MAX = 2000
# How many member opinions a drafted suggestion quotes.
QUOTED_OPINIONS = 8


def title_for(content: str) -> str:
    line = (content or "").strip().splitlines()[0] if (content or "").strip() else ""
    return line if len(line) <= TITLE_LENGTH else line[: TITLE_LENGTH - 1] + "…"


def _count_documents(terms) -> None:
    """Add one document to the frequency of each term (and to the document count), in term order."""
    terms = sorted({*terms, DOCUMENTS})
    table = TermCount._meta.db_table
    values = ", ".join(["(%s, 1)"] * len(terms))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (term, documents) VALUES {values}"
            f" ON CONFLICT (term) DO UPDATE SET documents = {table}.documents + 1",
            terms,
        )


def _keywords(topic: Topic) -> str:
    rows = (
        TopicTerm.objects.filter(topic=topic)
        .exclude(term__startswith=BIGRAM_PREFIX)
        .order_by("-weight", "term")
        .values_list("term", flat=True)[: KEYWORDS * 2]
    )
    seen: list[str] = []
    for term in rows:
        word = term.removeprefix(CONCEPT_PREFIX)
        if word not in seen:
            seen.append(word)
    return " · ".join(seen[:KEYWORDS])[:200]


def _refresh_keywords(topic: Topic) -> bool:
    """Keywords are re-read while a topic is small and then at each doubling: bounded work per placement."""
    size = topic.size
    return size <= 4 or (size & (size - 1)) == 0


@transaction.atomic
def topic_place_opinion(*, opinion_id: int) -> TopicMember | None:
    """Put a saved opinion in its topic (an existing one, or a new topic of its own); nothing if gone."""
    opinion = (
        Opinion.objects.select_for_update()
        .filter(pk=opinion_id)
        .only("id", "content", "received_on", "station_id", "grid_id")
        .first()
    )
    if opinion is None:
        return None
    existing = TopicMember.objects.filter(opinion_id=opinion_id).first()
    if existing is not None:
        return existing
    terms = features(opinion.content)
    store = DatabaseStore()
    placement = place(terms, store)
    topic = None
    dot, weights = 0.0, {}
    if placement.topic_id is not None:
        topic = Topic.objects.select_for_update().filter(pk=placement.topic_id).first()
        if topic is not None:  # re-read the centroid under the lock: another placement may have moved it
            dot, _norm = store.dots([topic.pk], placement.vector)[topic.pk]
            weights = store.weights[topic.pk]
    if topic is None:
        topic = Topic.objects.create(
            title=title_for(opinion.content) or "—",
            first_received_on=opinion.received_on,
            last_received_on=opinion.received_on,
        )
    member = TopicMember.objects.create(
        opinion_id=opinion.pk,
        topic=topic,
        score=round(placement.score, 4),
        received_on=opinion.received_on,
        station_id=opinion.station_id,
        grid_id=opinion.grid_id,
    )
    if placement.vector:
        TopicTerm.objects.bulk_create(
            [TopicTerm(topic=topic, term=t, weight=weights.get(t, 0.0) + w) for t, w in placement.vector.items()],
            update_conflicts=True,
            unique_fields=["topic", "term"],
            update_fields=["weight"],
        )
    topic.size += 1
    topic.norm_sq = topic.norm_sq + 2 * dot + (1.0 if placement.vector else 0.0)
    topic.first_received_on = min(filter(None, [topic.first_received_on, opinion.received_on]))
    topic.last_received_on = max(filter(None, [topic.last_received_on, opinion.received_on]))
    fields = ["size", "norm_sq", "first_received_on", "last_received_on"]
    if _refresh_keywords(topic):
        topic.keywords = _keywords(topic)
        fields.append("keywords")
    topic.save(update_fields=fields)
    if terms:
        _count_documents(terms.keys())
    return member


def rebuild_centroid(topic: Topic) -> None:
    """Recompute a topic's centroid, size and dates from its members (after a merge or a split)."""
    store = DatabaseStore()
    n = store.document_count() or 1
    contents = list(Opinion.objects.filter(topic_membership__topic=topic).values_list("content", flat=True))
    feats = [features(c) for c in contents]
    df = store.frequencies({t for f in feats for t in f})
    centroid: Counter = Counter()
    for f in feats:
        centroid.update(vectorise(f, df, n))
    TopicTerm.objects.filter(topic=topic).delete()
    TopicTerm.objects.bulk_create([TopicTerm(topic=topic, term=t, weight=w) for t, w in centroid.items()])
    dates = Opinion.objects.filter(topic_membership__topic=topic).aggregate(
        first=Min("received_on"), last=Max("received_on")
    )
    topic.size = len(contents)
    topic.norm_sq = math.fsum(w * w for w in centroid.values())
    topic.first_received_on, topic.last_received_on = dates["first"], dates["last"]
    topic.keywords = _keywords(topic)
    topic.save()


def can_correct(user) -> bool:
    """The suggestion office and administrators merge and split topics."""
    return user.has_role(Role.OFFICE, Role.ADMIN)


def _require_corrector(actor) -> None:
    if not can_correct(actor):
        raise PermissionRefused(_("Only the suggestion office can merge or split topics."))


def _clean_note(note: str, errors: dict, *, required: bool = False) -> str:
    note = (note or "").strip()
    if required and not note:
        errors["note"] = [_("Write a note.")]
    elif len(note) > NOTE_MAX:
        errors["note"] = [_("Keep it under %(n)d characters.") % {"n": NOTE_MAX}]
    return note


@transaction.atomic
def topic_merge(*, actor, topic: Topic, others) -> Topic:
    """Move every opinion of ``others`` into ``topic`` and delete them; all members become pinned."""
    _require_corrector(actor)
    other_ids = sorted({o.pk for o in others} - {topic.pk})
    if not other_ids:
        raise ValidationError({"others": [_("Choose at least one other topic to merge into this one.")]})
    locked = list(Topic.objects.select_for_update().filter(pk__in=[topic.pk, *other_ids]).order_by("pk"))
    by_id = {t.pk: t for t in locked}
    if topic.pk not in by_id or any(pk not in by_id for pk in other_ids):
        raise ValidationError({"others": [_("A topic to merge no longer exists.")]})
    topic = by_id[topic.pk]
    TopicMember.objects.filter(topic_id__in=[topic.pk, *other_ids]).update(topic=topic, pinned=True)
    if topic.suggestion_id is None:
        topic.suggestion_id = next((by_id[pk].suggestion_id for pk in other_ids if by_id[pk].suggestion_id), None)
    Topic.objects.filter(pk__in=other_ids).delete()
    topic.corrected = True
    rebuild_centroid(topic)
    TopicEvent.objects.create(
        topic=topic,
        kind=TopicEventKind.MERGED,
        actor=actor,
        note=", ".join(f"{by_id[pk].title} (#{pk})" for pk in other_ids),
    )
    return topic


@transaction.atomic
def topic_split(*, actor, topic: Topic, opinion_ids, title: str = "") -> Topic:
    """Move the chosen opinions of ``topic`` into a new topic; both topics' members become pinned."""
    _require_corrector(actor)
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    ids = sorted({int(i) for i in opinion_ids or ()})
    errors: dict = {}
    moving = list(TopicMember.objects.filter(topic=topic, opinion_id__in=ids).values_list("opinion_id", flat=True))
    if not ids or len(moving) != len(ids):
        errors["opinions"] = [_("Choose opinions of this topic.")]
    elif len(moving) >= TopicMember.objects.filter(topic=topic).count():
        errors["opinions"] = [_("Leave at least one opinion in this topic.")]
    title = (title or "").strip()
    if len(title) > 200:
        errors["title"] = [_("The title is too long.")]
    if errors:
        raise ValidationError(errors)
    first = Opinion.objects.filter(pk=moving[0]).values_list("content", flat=True).first()
    new = Topic.objects.create(title=title or title_for(first) or "—", corrected=True)
    TopicMember.objects.filter(opinion_id__in=moving).update(topic=new, pinned=True)
    TopicMember.objects.filter(topic=topic).update(pinned=True)
    topic.corrected = True
    rebuild_centroid(topic)
    rebuild_centroid(new)
    note = _("%(n)d opinions moved to “%(title)s”") % {"n": len(moving), "title": new.title}
    TopicEvent.objects.create(topic=topic, kind=TopicEventKind.SPLIT, actor=actor, note=note)
    TopicEvent.objects.create(topic=new, kind=TopicEventKind.SPLIT, actor=actor, note=note)
    return new


def suggestion_text(topic: Topic, opinions) -> str:
    """The draft's content: what the topic is, where it comes from, and a few of its opinions."""
    stations = sorted({o.station.name for o in opinions})
    lines = [
        _("Hot topic: %(title)s") % {"title": topic.title},
        _("%(n)d opinions from %(stations)s.") % {"n": len(opinions), "stations": "、".join(stations)},
        "",
    ]
    for i, opinion in enumerate(opinions[:QUOTED_OPINIONS], 1):
        lines.append(f"{i}. {opinion.content.strip()}")
    return "\n".join(lines)


@transaction.atomic
def topic_draft_suggestion(*, actor, topic: Topic, deputy, title: str = "") -> Topic:
    """形成建议: the office drafts one suggestion for ``deputy`` from all the topic's opinions."""
    if not actor.has_role(Role.OFFICE):
        raise PermissionRefused(_("Only the suggestion office can draft a suggestion from a hot topic."))
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.suggestion_id is not None:
        raise ActionRefused(_("This topic has already been drafted as a suggestion."), code="has_suggestion")
    opinions = list(
        Opinion.objects.filter(topic_membership__topic=topic).select_related("station").order_by("-received_on", "-id")
    )
    categories = Counter(o.category for o in opinions)
    suggestion = suggestion_services.suggestion_create_from_opinions(
        actor=actor,
        deputy=deputy,
        title=(title or "").strip() or topic.title,
        content=suggestion_text(topic, opinions),
        category=categories.most_common(1)[0][0] if categories else "",
        opinions=opinions,
    )
    topic.suggestion = suggestion
    topic.save(update_fields=["suggestion"])
    TopicEvent.objects.create(topic=topic, kind=TopicEventKind.SUGGESTION, actor=actor, note=suggestion.title)
    return topic


@transaction.atomic
def topic_key_supervise(*, actor, topic: Topic, note: str) -> Topic:
    """重点督办: a leader puts the topic's suggestion under key supervision."""
    if not actor.has_role(Role.LEADER):
        raise PermissionRefused(_("Only a leader can set key supervision."), code="leader_only")
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.suggestion_id is None:
        raise ActionRefused(_("Draft a suggestion from this topic first."), code="no_suggestion")
    errors: dict = {}
    note = _clean_note(note, errors, required=True)
    if errors:
        raise ValidationError(errors)
    suggestion_services.suggestion_supervise(suggestion=topic.suggestion, actor=actor, note=note, key_supervision=True)
    TopicEvent.objects.create(topic=topic, kind=TopicEventKind.KEY_SUPERVISION, actor=actor, note=note)
    return topic
