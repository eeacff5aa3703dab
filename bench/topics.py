"""Hot topics: quality on the labelled set, and the time to place one opinion among 1,000,000.

Quality (no database needed)::

    .venv/bin/python bench/topics.py quality

reads ``bench/data/topics_eval.csv`` (opinions written for this benchmark, each labelled with the problem
it raises; ``--set bench/data/topics_holdout.csv`` for the held-out set, written after the algorithm's
words, weights and threshold were fixed, by a writer who saw neither them nor the first set), places them
one by one in a fixed shuffled order with ``topics.similarity.place`` (the same code the task runs, over
the in-memory store) and scores the grouping: pairwise precision (of the pairs put together, the share
that have the same label), pairwise recall (of the pairs with the same label, the share put together)
and the adjusted Rand index, for a range of thresholds. Two starts: *warm*, where the
document frequencies already count the whole set (a running system has seen its vocabulary), and *cold*,
where they grow as the opinions arrive, as on a new installation.

Speed (PostgreSQL, a copy of the city database)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_city_topics \\
        .venv/bin/python bench/topics.py speed --samples 200

times ``topics.services.topic_place_opinion`` (the task's work: read, segment, find candidates, score,
write the membership and the centroid) for new opinions among those already placed.
"""

import argparse
import csv
import os
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from math import comb
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This file is named like the app: run as a script, its own folder must not shadow the package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

EVAL = ROOT / "bench" / "data" / "topics_eval.csv"


def load_eval(path: Path = EVAL):
    with path.open(encoding="utf-8") as f:
        return [(row["topic"], row["text"]) for row in csv.DictReader(f)]


def pair_scores(labels: list[str], clusters: list[int]) -> dict:
    """Pairwise precision, recall, F1 and the adjusted Rand index of ``clusters`` against ``labels``."""
    n = len(labels)
    contingency = Counter(zip(labels, clusters, strict=True))
    same_both = sum(comb(c, 2) for c in contingency.values())
    same_cluster = sum(comb(c, 2) for c in Counter(clusters).values())
    same_label = sum(comb(c, 2) for c in Counter(labels).values())
    precision = same_both / same_cluster if same_cluster else 1.0
    recall = same_both / same_label if same_label else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    expected = same_cluster * same_label / comb(n, 2)
    maximum = (same_cluster + same_label) / 2
    ari = (same_both - expected) / (maximum - expected) if maximum != expected else 1.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "ari": ari,
        "clusters": len(set(clusters)),
        "singletons": sum(1 for c in Counter(clusters).values() if c == 1),
    }


def cluster(rows, *, threshold: float, warm: bool, seed: int) -> list[int]:
    from topics.similarity import MemoryStore
    from topics.text import features

    feats = [features(text) for _label, text in rows]
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    store = MemoryStore()
    if warm:
        for f in feats:
            store.df.update(f.keys())
        store.n = len(feats)
        base_n = store.n
    assigned = [0] * len(rows)
    for i in order:
        assigned[i] = store.add(i, feats[i], threshold=threshold)
        if warm:  # the frequencies already counted this opinion
            store.n = base_n
            store.df.subtract(feats[i].keys())
    return assigned


def quality(args) -> None:
    from topics.similarity import THRESHOLD

    rows = load_eval(Path(args.set))
    labels = [label for label, _text in rows]
    print(f"{Path(args.set).name}: {len(rows)} opinions, {len(set(labels))} labelled topics")
    print(f"default threshold {THRESHOLD}")
    thresholds = [round(0.30 + 0.05 * i, 3) for i in range(8)]
    if THRESHOLD not in thresholds:
        thresholds.append(THRESHOLD)
    print("start  threshold  precision  recall  F1     ARI    topics  singletons  (mean of seeds)")
    for warm in (True, False):
        for threshold in sorted(thresholds):
            runs = [pair_scores(labels, cluster(rows, threshold=threshold, warm=warm, seed=s)) for s in args.seeds]
            mean = {k: statistics.mean(r[k] for r in runs) for k in runs[0]}
            mark = " <- default" if threshold == THRESHOLD else ""
            print(
                f"{'warm' if warm else 'cold'}   {threshold:<9.3f}  {mean['precision']:.3f}      {mean['recall']:.3f}"
                f"   {mean['f1']:.3f}  {mean['ari']:.3f}  {mean['clusters']:<6.1f}  {mean['singletons']:<10.1f}{mark}"
            )
    if args.show:
        assigned = cluster(rows, threshold=THRESHOLD, warm=True, seed=args.seeds[0])
        groups = defaultdict(list)
        for (label, text), topic in zip(rows, assigned, strict=True):
            groups[topic].append((label, text))
        for topic, members in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            labels_in = Counter(label for label, _ in members)
            if len(labels_in) > 1 or args.show > 1:
                print(topic, dict(labels_in))
                for label, text in members:
                    print("   ", label, text[:40])


def speed(args) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from liaison.models import Opinion
    from topics.models import TopicMember
    from topics.services import topic_place_opinion
    from topics.text import features

    features("预热")  # jieba's dictionary, once per process
    placed = TopicMember.objects.count()
    opinions = Opinion.objects.count()
    print(f"{opinions:,} opinions, {placed:,} placed in topics")
    last_placed = TopicMember.objects.order_by("-opinion_id").values_list("opinion_id", flat=True).first() or 0
    # The opinions saved next: unplaced ones after the last placed (or, when all are placed, the newest ones,
    # taken out of their topic inside the rolled-back transaction).
    samples = list(
        Opinion.objects.filter(id__gt=last_placed).order_by("id").values_list("id", flat=True)[: args.samples]
    )
    if len(samples) < args.samples:
        samples += list(Opinion.objects.order_by("-id").values_list("id", flat=True)[: args.samples - len(samples)])
    from topics.models import TermCount, Topic, TopicTerm

    print(
        f"index: {Topic.objects.count():,} topics, {TopicTerm.objects.count():,} centroid terms, "
        f"{TermCount.objects.count():,} term counts"
    )
    times = []
    for opinion_id in samples:
        with transaction.atomic():
            TopicMember.objects.filter(opinion_id=opinion_id).delete()  # rolled back below
            started = time.perf_counter()
            topic_place_opinion(opinion_id=opinion_id)
            times.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
    times.sort()
    print(f"{connection.vendor}: {len(times)} placements")
    print(
        f"p50 {statistics.median(times):.1f} ms, p90 {times[int(len(times) * 0.9)]:.1f} ms, "
        f"p99 {times[min(len(times) - 1, int(len(times) * 0.99))]:.1f} ms, max {times[-1]:.1f} ms"
    )


LOCALITIES = ("范罗岗", "美景", "兴盛", "甘化", "白沙", "港口", "建设", "丰乐", "东华", "荷塘", "杜阮", "棠下")
OPENINGS = ("", "", "", "我是{place}社区的居民，", "{place}花园{n}栋的住户反映：", "{place}片区{n}号楼：", "你好，")
CLOSINGS = ("", "", "", "麻烦尽快处理。", "已经反映过好几次了。", "谢谢！", "希望代表帮忙跟进。", "请给个答复。")


def generated_text(rng: random.Random, rows) -> str:
    """A constituent's opinion: a labelled one reworded with a place, an opening and a closing; one in four
    joins the first clause of one opinion to the rest of another (the long tail of mixed, unique matters)."""
    _label, text = rng.choice(rows)
    if rng.random() < 0.25:
        _other_label, other = rng.choice(rows)
        head, tail = text.split("，", 1)[0], other.split("，", 1)[-1]
        text = f"{head}，{tail}"
    place, n = rng.choice(LOCALITIES), rng.randint(1, 40)
    return rng.choice(OPENINGS).format(place=place, n=n) + text + rng.choice(CLOSINGS)


def generate(args) -> None:
    """Give the copy's opinions varied, realistic contents (the city generator repeats a few sentences)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql" or name == "liaison_city":
        sys.exit(f"refusing to rewrite {name!r}: run on a copy (createdb -T liaison_city liaison_city_topics)")
    import io

    rows = load_eval()
    rng = random.Random(args.seed)
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM liaison_opinion")
        low, high = cursor.fetchone()
        cursor.execute("CREATE TEMP TABLE new_content (id integer PRIMARY KEY, content text)")
        buffer = io.StringIO()
        for opinion_id in range(low, high + 1):
            buffer.write(f"{opinion_id}\t{generated_text(rng, rows)}\n")
        buffer.seek(0)
        cursor.copy_expert("COPY new_content (id, content) FROM STDIN", buffer)
        cursor.execute("UPDATE liaison_opinion o SET content = n.content FROM new_content n WHERE n.id = o.id")
        print(f"{cursor.rowcount:,} opinions rewritten in {name}")


def rebuild(args) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from topics.rebuild import topics_rebuild

    started = time.perf_counter()
    result = topics_rebuild(
        progress=lambda line: print(f"{time.perf_counter() - started:7.0f}s {line}", flush=True), limit=args.limit
    )
    print(result, f"{time.perf_counter() - started:.0f}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    q = sub.add_parser("quality")
    q.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    q.add_argument(
        "--set",
        default=str(EVAL),
        help="the labelled CSV (topic,text) to score; bench/data/topics_holdout.csv is the held-out set",
    )
    q.add_argument("--show", type=int, default=0, help="1: print mixed topics; 2: print all topics")
    s = sub.add_parser("speed")
    s.add_argument("--samples", type=int, default=200)
    s.add_argument("--window", type=int, default=5000)
    g = sub.add_parser("generate")
    g.add_argument("--seed", type=int, default=7)
    r = sub.add_parser("rebuild")
    r.add_argument("--limit", type=int, default=None, help="place only the first N opinions (by id)")
    args = parser.parse_args()
    {"quality": quality, "speed": speed, "generate": generate, "rebuild": rebuild}[args.command](args)


if __name__ == "__main__":
    main()
