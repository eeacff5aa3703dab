"""The labelled set and the default threshold: the figures bench/topics.py reports, checked for one order."""

import importlib.util
import statistics
from collections import Counter
from pathlib import Path

import pytest

from topics.similarity import THRESHOLD

BENCH = Path(__file__).resolve().parents[2] / "bench" / "topics.py"


def _bench():
    spec = importlib.util.spec_from_file_location("topics_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_labelled_set_has_300_opinions_in_30_topics():
    rows = _bench().load_eval()
    labels = Counter(label for label, _text in rows)
    assert len(rows) >= 300 and len(labels) >= 30
    assert len({text for _label, text in rows}) == len(rows)  # no duplicate text


def test_pair_scores_on_known_groupings():
    bench = _bench()
    perfect = bench.pair_scores(["a", "a", "b", "b"], [1, 1, 2, 2])
    assert perfect["precision"] == perfect["recall"] == perfect["ari"] == 1.0
    lumped = bench.pair_scores(["a", "a", "b", "b"], [1, 1, 1, 1])
    assert lumped["recall"] == 1.0 and lumped["precision"] == 2 / 6


@pytest.mark.parametrize("warm", [True, False])
def test_default_threshold_meets_the_target_on_the_labelled_set(warm):
    """Mean over the benchmark's five arrival orders (one order alone varies by a few points)."""
    bench = _bench()
    rows = bench.load_eval()
    labels = [label for label, _text in rows]
    runs = [
        bench.pair_scores(labels, bench.cluster(rows, threshold=THRESHOLD, warm=warm, seed=seed))
        for seed in (1, 2, 3, 4, 5)
    ]
    assert statistics.mean(r["precision"] for r in runs) >= 0.85
    assert statistics.mean(r["recall"] for r in runs) >= 0.70


@pytest.mark.parametrize(("warm", "precision", "recall"), [(True, 0.68, 0.39), (False, 0.59, 0.44)])
def test_the_held_out_set_does_not_get_worse(warm, precision, recall):
    """The held-out set (written independently, never tuned on) falls short of the target: these are its
    measured means (bench/RESULTS.md) less two points, so that a change which helps the tuned set by
    fitting it harder, at the cost of unseen wording, shows here."""
    bench = _bench()
    rows = bench.load_eval(bench.ROOT / "bench" / "data" / "topics_holdout.csv")
    labels = [label for label, _text in rows]
    assert len(rows) >= 300 and len(set(labels)) >= 30
    runs = [
        bench.pair_scores(labels, bench.cluster(rows, threshold=THRESHOLD, warm=warm, seed=seed))
        for seed in (1, 2, 3, 4, 5)
    ]
    assert statistics.mean(r["precision"] for r in runs) >= precision
    assert statistics.mean(r["recall"] for r in runs) >= recall
