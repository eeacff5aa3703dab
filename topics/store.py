"""The placement index in the database: ``topics.similarity.Store`` over ``TermCount`` and ``TopicTerm``.

Four queries per placement, each bounded whatever the number of opinions: the document count and the
frequencies of the opinion's terms (primary key lookups), the candidates (the postings of at most
``CANDIDATE_TERMS`` rare terms, summed per topic in the database and cut to ``CANDIDATES``), and the
candidates' weights on the opinion's terms (at most CANDIDATES × terms rows).
"""

from collections.abc import Iterable

from django.db import connection

from topics.models import DOCUMENTS, TermCount, Topic, TopicTerm


class DatabaseStore:
    def __init__(self):
        self.weights: dict[int, dict[str, float]] = {}  # from ``dots``: topic → its weights on the terms asked

    def document_count(self) -> int:
        row = TermCount.objects.filter(term=DOCUMENTS).values_list("documents", flat=True).first()
        return row or 0

    def frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        terms = [t for t in terms if t]
        return dict(TermCount.objects.filter(term__in=terms).values_list("term", "documents")) if terms else {}

    def candidates(self, weights: dict[str, float], limit: int) -> list[int]:
        if not weights:
            return []
        terms = list(weights)
        case = " ".join("WHEN %s THEN %s" for _ in terms)
        params: list = []
        for term in terms:
            params += [term, weights[term]]
        term_table = TopicTerm._meta.db_table
        topic_table = Topic._meta.db_table
        # Ranked by partial cosine Σ w·c / |c|, compared squared (both sides are positive) so that SQLite
        # needs no square root.
        sql = (
            f"SELECT t.topic_id FROM {term_table} t JOIN {topic_table} p ON p.id = t.topic_id"
            f" WHERE t.term IN ({', '.join(['%s'] * len(terms))}) AND p.norm_sq > 0"
            f" GROUP BY t.topic_id, p.norm_sq"
            f" ORDER BY SUM(t.weight * CASE t.term {case} ELSE 0 END) * SUM(t.weight * CASE t.term {case} ELSE 0 END)"
            f" / p.norm_sq DESC, t.topic_id LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*terms, *params, *params, limit])
            return [row[0] for row in cursor.fetchall()]

    def dots(self, topic_ids: list[int], vector: dict[str, float]) -> dict[int, tuple[float, float]]:
        if not topic_ids or not vector:
            return {}
        norms = dict(Topic.objects.filter(pk__in=topic_ids).values_list("pk", "norm_sq"))
        self.weights = {pk: {} for pk in norms}
        rows = TopicTerm.objects.filter(topic_id__in=list(norms), term__in=list(vector)).values_list(
            "topic_id", "term", "weight"
        )
        for topic_id, term, weight in rows:
            self.weights[topic_id][term] = weight
        return {pk: (sum(vector[t] * w for t, w in self.weights[pk].items()), norm_sq) for pk, norm_sq in norms.items()}
