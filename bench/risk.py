"""Deadline-risk benchmark: does ``suggestions.risk`` find the suggestions that really went overdue?

    .venv/bin/python bench/risk.py [--scale 0.1] [--database-url URL] [--reseed] [--fit] [--no-write]
    .venv/bin/python bench/risk.py --existing --database-url URL --fit --no-write   # a copy of a real city

1. Uses the PostgreSQL database ``--database-url`` (default ``liaison_risk_bench`` on 127.0.0.1), created,
   migrated and filled with ``manage.py seed_city --scale S`` when empty (the helpers of ``bench/city.py``),
   or as it is with ``--existing``. Nothing is written to it.
2. Replays the suggestions that got a first reply: each one is predicted on the day it was assigned
   (交办) and every 7 days after, as long as it was still unanswered and its deadline had not passed, with
   what the product would have known that day: the lead unit's record over the year before (read with
   ``risk.unit_history(as_of)``, as of the Monday of that week: nothing later is read), the working days
   left on the calendar, the holidays ahead, the co-unit opinions and extension requests made by then.
   The outcome is whether the first reply came after the deadline (``first_reply_on_time`` false).
3. Scores each prediction with the product's model (``risk.probability``, the weights shipped in
   ``suggestions/risk.py``) and with the naive ranking (fewest working days left first), and reports
   the AUC (the chance that a late item is ranked above an on-time one, ties counting half) and the
   precision in the top 10% (the share of late items among the 10% ranked riskiest), for the
   predictions at assignment and for all weekly predictions together.

The suggestions evaluated are those assigned in the year that ends 120 days before the last reply in the
data (so every one of them had its outcome by then); ``--fit`` fits the weights by logistic regression
on the suggestions assigned before that year and prints them (the product's weights came from such a
run, see the docstring of ``suggestions/risk.py``), then evaluates the fitted weights too.
"""

import argparse
import datetime
import math
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
RESULTS = BENCH / "RESULTS.md"
sys.path[:0] = [str(ROOT), str(BENCH)]

SECTION = "# Deadline-risk benchmark (`bench/risk.py`)"
WEEK = datetime.timedelta(days=7)
TOP_SHARE = 0.10
HOLD_BACK_DAYS = 120
FIT_SAMPLE = 30_000


def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def auc(scores: list[float], labels: list[bool]) -> float:
    """Mann–Whitney: P(score of a late item > score of an on-time one), ties counting half."""
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    positives = sum(labels)
    negatives = len(labels) - positives
    if not positives or not negatives:
        return float("nan")
    rank_sum = sum(rank for rank, label in zip(ranks, labels, strict=True) if label)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def precision_at_top(scores: list[float], labels: list[bool], share: float = TOP_SHARE) -> float:
    """Share of late items among the ``share`` ranked riskiest; ties at the cut are broken at random (seeded)."""
    rng = random.Random(7)
    keys = [(score, rng.random()) for score in scores]
    order = sorted(range(len(scores)), key=lambda i: keys[i], reverse=True)
    top = order[: max(1, math.ceil(len(order) * share))]
    return sum(labels[i] for i in top) / len(top)


def fit_logistic(rows: list[dict[str, float]], labels: list[bool], names: list[str], fixed: dict, l2: float = 1.0):
    """Logistic regression by Newton's method (IRLS), a small L2 penalty on the weights. Pure Python.

    The weights of ``fixed`` (name → weight) are held: their part of each score is an offset."""
    k = len(names) + 1
    xs = [[1.0] + [row[name] for name in names] for row in rows]
    offsets = [sum(weight * row[name] for name, weight in fixed.items()) for row in rows]
    ys = [1.0 if label else 0.0 for label in labels]
    beta = [0.0] * k
    for _iteration in range(25):
        gradient = [0.0] * k
        hessian = [[0.0] * k for _ in range(k)]
        for x, y, offset in zip(xs, ys, offsets, strict=True):
            z = offset + sum(b * v for b, v in zip(beta, x, strict=True))
            p = 1 / (1 + math.exp(-max(-30, min(30, z))))
            w = p * (1 - p)
            for a in range(k):
                gradient[a] += (y - p) * x[a]
                xa = w * x[a]
                for b in range(a, k):
                    hessian[a][b] += xa * x[b]
        for a in range(k):
            for b in range(a):
                hessian[a][b] = hessian[b][a]
            if a:
                gradient[a] -= l2 * beta[a]
                hessian[a][a] += l2
        step = solve(hessian, gradient)
        beta = [b + s for b, s in zip(beta, step, strict=True)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return beta[0], dict(zip(names, beta[1:], strict=True))


def solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting."""
    n = len(vector)
    m = [row[:] + [vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        if abs(m[col][col]) < 1e-12:
            continue
        for r in range(n):
            if r != col:
                factor = m[r][col] / m[col][col]
                for c in range(col, n + 1):
                    m[r][c] -= factor * m[col][c]
    return [m[i][n] / m[i][i] if abs(m[i][i]) > 1e-12 else 0.0 for i in range(n)]


def replay(first: datetime.date, last: datetime.date, data_end: datetime.date):
    """Predictions for the suggestions assigned in [first, last): a list of (is_assignment, features, late)."""
    from django.utils import timezone

    from suggestions import risk
    from suggestions.deadlines import WorkingCalendar
    from suggestions.models import Assignment, AssignmentRole, CoUnitOpinion, Extension, Suggestion

    items = list(
        Suggestion.objects.filter(
            assigned_on__gte=first,
            assigned_on__lt=last,
            first_replied_on__isnull=False,
            first_reply_on_time__isnull=False,
            lead_unit__isnull=False,
        )
        .order_by("assigned_on", "id")
        .values_list(
            "id", "lead_unit_id", "category", "assigned_on", "first_replied_on", "first_reply_on_time", "reply_round"
        )
    )
    ids = [row[0] for row in items]
    # The first deadline: the due date of the first reply (``reply_due`` moves on after 不满意).
    from suggestions.models import Reply

    due_of = dict(Reply.objects.filter(suggestion_id__in=ids, round=1).values_list("suggestion_id", "due_on"))
    co_units = defaultdict(list)  # suggestion → [(assigned_on, opinion day or None)]
    opinion_day = {
        assignment_id: timezone.localtime(at).date()
        for assignment_id, at in CoUnitOpinion.objects.filter(suggestion_id__in=ids, round=1).values_list(
            "assignment_id", "submitted_at"
        )
    }
    for pk, suggestion_id, assigned_on in Assignment.objects.filter(
        suggestion_id__in=ids, role=AssignmentRole.CO
    ).values_list("id", "suggestion_id", "assigned_on"):
        co_units[suggestion_id].append((assigned_on, opinion_day.get(pk)))
    extensions = defaultdict(list)
    for suggestion_id, requested_at, status, decided_at in Extension.objects.filter(suggestion_id__in=ids).values_list(
        "suggestion_id", "requested_at", "status", "decided_at"
    ):
        extensions[suggestion_id].append((timezone.localtime(requested_at).date(), status, decided_at))

    histories: dict[datetime.date, risk.History] = {}
    calendar = WorkingCalendar()
    aheads: dict[datetime.date, risk.DaysAhead] = {}
    predictions = []
    for pk, unit_id, category, assigned_on, replied_on, on_time, _rounds in items:
        due = due_of.get(pk)
        if due is None:
            continue
        day = assigned_on
        while day < replied_on and day <= due and day <= data_end:
            week = monday(day)
            if week not in histories:
                histories[week] = risk.unit_history(week)
            if day not in aheads:
                aheads[day] = risk.DaysAhead(day, calendar)
            ahead = aheads[day]
            off, holidays = ahead.holidays_before(due)
            asked = [status for requested, status, _decided in extensions[pk] if requested <= day]
            features = risk.Features(
                working_days_left=ahead.working_days_left(due),
                days_left=(due - day).days,
                days_spent=(day - assigned_on).days,
                holiday_days=off,
                holidays=holidays,
                record=histories[week].record(unit_id, category, (day - assigned_on).days),
                co_opinions_missing=sum(
                    1 for since, given in co_units[pk] if since <= day and (given is None or given > day)
                ),
                rehandling=False,
                extension="pending" if asked else "",
            )
            predictions.append((day == assigned_on, features, not on_time))
            day += WEEK
    return predictions, len(items)


def evaluate(predictions, *, weights=None, intercept=None) -> dict:
    from suggestions import risk

    result = {}
    for name, chosen in (
        ("at assignment", [p for p in predictions if p[0]]),
        ("weekly (all)", predictions),
    ):
        labels = [late for _first, _features, late in chosen]
        model = [risk.probability(features, weights, intercept) for _first, features, _late in chosen]
        naive = [-features.working_days_left for _first, features, _late in chosen]
        result[name] = {
            "n": len(chosen),
            "late": sum(labels),
            "model_auc": auc(model, labels),
            "naive_auc": auc(naive, labels),
            "model_p10": precision_at_top(model, labels),
            "naive_p10": precision_at_top(naive, labels),
        }
    return result


def render(result: dict, *, scale_note: str, facts: dict, window: tuple, count: int, seconds: float, fitted) -> str:
    lines = [
        f"Run of {datetime.datetime.now(datetime.UTC):%d %b %Y, %H:%M} UTC — {scale_note}; "
        f"suggestions assigned {window[0]} to {window[1]} with a first reply: {count:,}; "
        f"{seconds:.0f} s; machine {facts['cpu']}, load {facts['load']} at the end (shared with other work).",
        "",
        "| predictions | n | really late | AUC model | AUC naive | top 10% precision model | top 10% precision naive |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, row in result.items():
        lines.append(
            f"| {name} | {row['n']:,} | {row['late']:,} ({row['late'] / row['n']:.1%}) | **{row['model_auc']:.3f}** | "
            f"{row['naive_auc']:.3f} | **{row['model_p10']:.1%}** | {row['naive_p10']:.1%} |"
        )
    if fitted:
        intercept, weights = fitted
        lines += [
            "",
            "Weights fitted on the earlier years (`--fit`; the chosen ones held): intercept "
            + f"{intercept:.2f}, "
            + ", ".join(f"{name} {value:.2f}" for name, value in weights.items())
            + ".",
        ]
    return "\n".join(lines) + "\n"


def write_results(text: str) -> None:
    content = RESULTS.read_text() if RESULTS.exists() else ""
    if SECTION not in content:
        return
    marker = "<!-- risk runs -->"
    content = content.replace(marker, marker + "\n\n" + text, 1)
    RESULTS.write_text(content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/liaison_risk_bench")
    parser.add_argument("--reseed", action="store_true", help="Drop the database and seed it again.")
    parser.add_argument("--fit", action="store_true", help="Fit the weights on the earlier years and print them.")
    parser.add_argument("--no-write", action="store_true", help="Do not add the run to bench/RESULTS.md.")
    parser.add_argument(
        "--existing",
        action="store_true",
        help="Use the database as it is (e.g. a copy of a real city's): no migration, no seeding.",
    )
    args = parser.parse_args()

    from city import ensure_database, machine, seed_if_needed, server_env

    env = server_env(args.database_url)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    if not args.existing:
        ensure_database(args.database_url, args.reseed)
        seed_if_needed(env, args.scale)
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
    import django

    django.setup()
    from django.db.models import Max

    from suggestions import risk
    from suggestions.models import Suggestion

    started = time.monotonic()
    data_end = Suggestion.objects.aggregate(end=Max("first_replied_on"))["end"]
    last = data_end - datetime.timedelta(days=HOLD_BACK_DAYS)
    first = last - datetime.timedelta(days=365)
    predictions, count = replay(first, last, data_end)
    fitted = None
    if args.fit:
        training, _count = replay(datetime.date(2000, 1, 1), first, data_end)
        # A sample keeps the pure-Python fit to a minute; the weights barely move beyond it.
        training = random.Random(11).sample(training, min(len(training), FIT_SAMPLE))
        names = list(risk.FITTED)
        fixed = {name: weight for name, weight in risk.WEIGHTS.items() if name not in risk.FITTED}
        rows = [features.vector() for _first, features, _late in training]
        intercept, weights = fit_logistic(rows, [late for _first, _features, late in training], names, fixed)
        fitted = intercept, weights | fixed
    result = evaluate(predictions)
    if fitted:
        refit = evaluate(predictions, weights=fitted[1], intercept=fitted[0])
        result.update({f"{name}, fitted weights": row for name, row in refit.items()})
    seconds = time.monotonic() - started
    text = render(
        result,
        scale_note="an existing database" if args.existing else f"`seed_city --scale {args.scale}`",
        facts=machine(),
        window=(first, last),
        count=count,
        seconds=seconds,
        fitted=fitted,
    )
    print(text)
    if not args.no_write:
        write_results(text)


if __name__ == "__main__":
    main()
