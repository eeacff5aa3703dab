"""Re-run the grouping over every opinion (``manage.py topics_rebuild``), keeping staff corrections.

What a rebuild keeps: every pinned membership (placed by a merge or a split) and the topics holding
them, with their titles and suggestions. What it redoes: the document frequencies, counted over all
opinions as they arrive; the centroids of the kept topics; and the placement of every other opinion, in
the order received, with the same ``topics.similarity.place`` the task runs, in memory (``MemoryStore``),
then written in bulk. A rebuild therefore never undoes a correction: a pinned opinion
is not placed again, and the unpinned ones may join the corrected topics like any other.

It runs in one transaction; the placement task waits on it for the rows it locks.
"""

import math
from collections import defaultdict

from django.db import transaction
from django.db.models import Exists, OuterRef

from liaison.models import Opinion
from topics.models import DOCUMENTS, TermCount, Topic, TopicMember, TopicTerm
from topics.services import _keywords, title_for
from topics.similarity import MemoryStore, place, vectorise
from topics.text import features

BATCH = 5000


def _opinions(queryset):
    """(id, content, received_on, station id, grid id), read in batches by id."""
    last = 0
    while True:
        rows = list(
            queryset.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "content", "received_on", "station_id", "grid_id")[:BATCH]
        )
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


@transaction.atomic
def topics_rebuild(*, progress=None, limit: int | None = None) -> dict:
    """``limit``: place only the first ``limit`` opinions (by id) and leave the rest unplaced (benchmarks)."""
    TopicMember.objects.filter(pinned=False).delete()
    Topic.objects.filter(~Exists(TopicMember.objects.filter(topic=OuterRef("pk")))).delete()
    TermCount.objects.all().delete()
    kept = {m: t for m, t in TopicMember.objects.values_list("opinion_id", "topic_id")}

    # One pass in the order received, as the task would have placed them: the frequencies grow as they
    # go. A pinned opinion joins its kept topic; every other one is placed.
    store = MemoryStore()
    new_ids = iter(range(-1, -(10**9), -1))
    placed: list[tuple] = []
    for count, (pk, content, day, station_id, grid_id) in enumerate(_opinions(Opinion.objects.all()), 1):
        if limit is not None and count > limit:
            break
        terms = features(content)
        if pk in kept:
            topic = kept[pk]
            vector = vectorise(terms, store.frequencies(terms.keys()), store.n + 1)
            dot = sum(w * store.postings.get(t, {}).get(topic, 0.0) for t, w in vector.items())
            store.norm_sq.setdefault(topic, 0.0)
            store.join(topic, vector, dot)
        else:
            placement = place(terms, store)
            topic = placement.topic_id if placement.topic_id is not None else next(new_ids)
            store.norm_sq.setdefault(topic, 0.0)
            store.join(topic, placement.vector, placement.dot)
            placed.append((pk, topic, round(placement.score, 4), day, station_id, grid_id))
        store.members[topic].append((pk, day))
        store.n += 1
        store.df.update(terms.keys())
        if progress and count % 50_000 == 0:
            progress(f"placed {count:,} opinions in {len(store.members):,} topics")
    n, df = store.n, store.df

    # 4. Write: new topics, memberships, centroids, frequencies.
    first_content = dict(
        Opinion.objects.filter(pk__in=[members[0][0] for t, members in store.members.items() if t < 0]).values_list(
            "pk", "content"
        )
    )
    new_topics = {}
    for temp, members in store.members.items():
        if temp < 0:
            new_topics[temp] = Topic(title=title_for(first_content.get(members[0][0], "")) or "—")
    created = Topic.objects.bulk_create(list(new_topics.values()), batch_size=BATCH)
    real = {temp: topic.pk for temp, topic in zip(new_topics, created, strict=True)}
    TopicMember.objects.bulk_create(
        [
            TopicMember(
                opinion_id=pk,
                topic_id=real[t] if t < 0 else t,
                score=score,
                received_on=day,
                station_id=station_id,
                grid_id=grid_id,
            )
            for pk, t, score, day, station_id, grid_id in placed
        ],
        batch_size=BATCH,
    )
    TopicTerm.objects.filter(topic_id__in=set(kept.values())).delete()
    terms = []
    for term, posting in store.postings.items():
        for t, weight in posting.items():
            terms.append(TopicTerm(topic_id=real[t] if t < 0 else t, term=term, weight=weight))
            if len(terms) >= BATCH:
                TopicTerm.objects.bulk_create(terms)
                terms = []
    TopicTerm.objects.bulk_create(terms)
    TermCount.objects.bulk_create(
        [TermCount(term=DOCUMENTS, documents=n)] + [TermCount(term=t, documents=c) for t, c in df.items() if c > 0],
        batch_size=BATCH,
    )
    by_id = Topic.objects.in_bulk([real.get(t, t) for t in store.members])
    updates = []
    for t, members in store.members.items():
        topic = by_id[real.get(t, t)]
        days = [day for _pk, day in members]
        topic.size = len(members)
        topic.norm_sq = store.norm_sq.get(t, 0.0) if math.isfinite(store.norm_sq.get(t, 0.0)) else 0.0
        topic.first_received_on, topic.last_received_on = min(days), max(days)
        updates.append(topic)
    Topic.objects.bulk_update(updates, ["size", "norm_sq", "first_received_on", "last_received_on"], batch_size=BATCH)
    multi = [topic for topic in updates if topic.size > 1]
    for topic in multi:
        topic.keywords = _keywords(topic)
    Topic.objects.bulk_update(multi, ["keywords"], batch_size=BATCH)
    sizes = defaultdict(int)
    for members in store.members.values():
        sizes[min(len(members), 3)] += 1
    return {"opinions": n, "topics": len(store.members), "kept": len(set(kept.values())), "singletons": sizes[1]}
