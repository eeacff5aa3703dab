"""Which topic a new opinion belongs to: TF-IDF vectors against topic centroids, found through the
inverted index of the opinion's rarest terms.

The choice, for 1,000,000 opinions:

* **TF-IDF cosine, not MinHash.** Two opinions about one problem are usually short and worded apart
  (「电梯又停了」「电梯三天两头坏」): they share a few telling terms among many ordinary ones. Jaccard
  similarity, which MinHash estimates, counts every shared term alike and falls low for such pairs, so
  LSH bands tuned to find them also collide on unrelated texts. TF-IDF weighs the telling terms
  (「电梯」「港口路」) above the everyday ones (「小区」「晚上」) and the cosine stays meaningful for short texts.
* **Topic centroids, not opinion neighbours.** A topic keeps the sum of its members' unit vectors
  (``TopicTerm`` rows) and the squared norm of that sum; a new opinion is compared with topics, not with a
  million opinions, and the centroid of a large topic is a steadier target than any one member. The
  cosine with a centroid needs the centroid's weights on the opinion's own terms only:
  ``cos(v, c) = Σ_t v_t·c_t / |c|``.
* **Candidates from rare terms.** The posting list of a common term (「小区」) holds most topics; the
  lists of the opinion's ``CANDIDATE_TERMS`` highest-IDF terms that are not too common
  (document frequency at most ``MAX_DF_SHARE`` of all opinions) are short. Topics are ranked by their
  partial score on those terms and the best ``CANDIDATES`` are then scored on all terms. A topic sharing
  none of the opinion's rare terms cannot pass the threshold anyway: what it shares is common words.
  The work per opinion is bounded by those constants, whatever the number of opinions.
* **One threshold.** The opinion joins the best topic when the cosine reaches ``THRESHOLD``, else it
  starts a topic of its own. ``bench/topics.py`` measures pairwise precision and recall on a labelled
  set across thresholds; the default is the one chosen there.

Weights: ``(1 + log tf) · idf`` with ``idf = log((N + 1) / (df + 1)) + 1``, then the vector is scaled to
unit length. Document frequencies grow as opinions are placed; a centroid keeps the weights its members
had when they joined, which drifts slowly and is reset by a rebuild (``topics_rebuild``).

``place`` works against a ``Store``: ``MemoryStore`` below (the benchmark, unit tests, bulk rebuilds)
or ``topics.store.DatabaseStore`` (the task placing one saved opinion).
"""

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

THRESHOLD = 0.50
CANDIDATE_TERMS = 12
CANDIDATES = 30
MAX_DF_SHARE = 0.05
# Below this many opinions every term counts as rare: the "common" cut needs a corpus to mean anything.
MIN_DOCS_FOR_DF_CUT = 200


def idf(df: int, n: int) -> float:
    return math.log((n + 1) / (df + 1)) + 1.0


def vectorise(features: Counter, df: dict[str, int], n: int) -> dict[str, float]:
    """The unit TF-IDF vector of one opinion's weighted terms."""
    vector = {term: (1.0 + math.log(tf) if tf >= 1 else tf) * idf(df.get(term, 0), n) for term, tf in features.items()}
    norm = math.sqrt(sum(w * w for w in vector.values()))
    if not norm:
        return {}
    return {term: w / norm for term, w in vector.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two sparse vectors (either may be unnormalised)."""
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = math.sqrt(sum(w * w for w in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def rare_terms(vector: dict[str, float], df: dict[str, int], n: int) -> dict[str, float]:
    """The opinion's terms that pick candidates: at most ``CANDIDATE_TERMS``, not too common, heaviest first."""
    limit = MAX_DF_SHARE * n if n >= MIN_DOCS_FOR_DF_CUT else float("inf")
    usable = [(w, t) for t, w in vector.items() if df.get(t, 0) <= limit]
    usable.sort(reverse=True)
    return {t: w for w, t in usable[:CANDIDATE_TERMS]}


class Store(Protocol):
    """Where document frequencies and topic centroids live."""

    def document_count(self) -> int: ...

    def frequencies(self, terms: Iterable[str]) -> dict[str, int]: ...

    def candidates(self, weights: dict[str, float], limit: int) -> list[int]:
        """Topic ids ranked by ``Σ weight·centroid / |centroid|`` over ``weights``' terms, best first."""

    def dots(self, topic_ids: list[int], vector: dict[str, float]) -> dict[int, tuple[float, float]]:
        """For each topic: (centroid · vector, squared norm of the centroid)."""


@dataclass(frozen=True)
class Placement:
    topic_id: int | None  # None: start a new topic
    score: float
    vector: dict[str, float]
    dot: float  # centroid · vector for the chosen topic (0 for a new one)


def place(features: Counter, store: Store, *, threshold: float = THRESHOLD) -> Placement:
    """Find the topic for an opinion with these ``features`` (``topics.text.features``); nothing is written."""
    n = store.document_count() + 1  # counting the opinion being placed
    df = store.frequencies(features.keys())
    vector = vectorise(features, df, n)
    if not vector:
        return Placement(None, 0.0, vector, 0.0)
    candidate_ids = store.candidates(rare_terms(vector, df, n), CANDIDATES)
    best, best_score, best_dot = None, 0.0, 0.0
    for topic_id, (dot, norm_sq) in store.dots(candidate_ids, vector).items():
        score = dot / math.sqrt(norm_sq) if norm_sq > 0 else 0.0
        if score > best_score or (score == best_score and best is not None and topic_id < best):
            best, best_score, best_dot = topic_id, score, dot
    if best is None or best_score < threshold:
        return Placement(None, best_score, vector, 0.0)
    return Placement(best, best_score, vector, best_dot)


class MemoryStore:
    """The index in memory: document frequencies, postings term → {topic: weight}, centroid norms."""

    def __init__(self, *, first_new_id: int = 1):
        self.n = 0
        self.df: Counter = Counter()
        self.postings: dict[str, dict[int, float]] = defaultdict(dict)
        self.norm_sq: dict[int, float] = {}
        self.members: dict[int, list] = defaultdict(list)
        self._next = first_new_id

    # Store protocol
    def document_count(self) -> int:
        return self.n

    def frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        return {t: self.df[t] for t in terms if t in self.df}

    def candidates(self, weights: dict[str, float], limit: int) -> list[int]:
        partial: dict[int, float] = defaultdict(float)
        for term, w in weights.items():
            for topic, cw in self.postings.get(term, {}).items():
                partial[topic] += w * cw
        ranked = sorted(partial, key=lambda t: (-partial[t] / math.sqrt(self.norm_sq[t]), t))
        return ranked[:limit]

    def dots(self, topic_ids: list[int], vector: dict[str, float]) -> dict[int, tuple[float, float]]:
        result = {}
        for topic in topic_ids:
            dot = sum(w * self.postings.get(t, {}).get(topic, 0.0) for t, w in vector.items())
            result[topic] = (dot, self.norm_sq[topic])
        return result

    # Writing
    def add(self, key, features: Counter, *, threshold: float = THRESHOLD) -> int:
        """Place ``key`` (any label) with ``features`` and record it; returns its topic id."""
        placement = place(features, self, threshold=threshold)
        topic = placement.topic_id
        if topic is None:
            topic = self._next
            self._next += 1
            self.norm_sq[topic] = 0.0
        self.join(topic, placement.vector, placement.dot)
        self.members[topic].append(key)
        self.n += 1
        self.df.update(features.keys())
        return topic

    def join(self, topic: int, vector: dict[str, float], dot: float) -> None:
        for term, w in vector.items():
            self.postings[term][topic] = self.postings[term].get(topic, 0.0) + w
        # |c + v|² = |c|² + 2 c·v + |v|², and |v| = 1
        self.norm_sq[topic] = self.norm_sq.get(topic, 0.0) + 2 * dot + 1.0
