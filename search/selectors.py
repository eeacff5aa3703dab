"""One search over opinions, suggestions, replies and livelihood projects, each scoped like its list.

Every kind starts from the selector its own list uses (``opinions_visible_to``, ``suggestions_visible_to``,
``replies_visible_to``, ``projects_visible_to``), so a search can never show a row the user could not open;
``core.search.search`` narrows it to the rows matching the query (a GIN index on PostgreSQL, ``icontains``
on SQLite). Counts stop at ``COUNT_CAP``: a count of every match of a common word over a million opinions
would cost more than the page, and "more than 500" is all a reader needs. Newest first.

A page is not read with ``ORDER BY … LIMIT`` over the matches straight away: for a word PostgreSQL thinks
common but that is rare (or whose matches are all old) it would walk the order index through the whole
table. ``find`` first reads up to ``SAMPLE_CAP`` matching ids with their order keys and no order (from the
GIN index, or stopping early); when that is all of them the page is picked from them and read by key.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.search import first_matching, search, snippet, terms_of
from liaison.selectors import opinions_visible_to
from livelihood.selectors import projects_visible_to
from suggestions.selectors import replies_visible_to, suggestions_visible_to

COUNT_CAP = 500
# Matches read (id and order keys only) to place a page exactly; beyond it, a page is read along the index.
# 1,000 covers a common word in an area station's subtree at scale 1 (about 850 matches for 「电梯」).
SAMPLE_CAP = 1000
PAGE_SIZE = 20
# Pages that can be asked for: the capped count, a page at a time.
MAX_PAGE = -(-COUNT_CAP // PAGE_SIZE)


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    rows: Callable[..., QuerySet]  # the list's selector, taking the user
    order: tuple[str, ...]
    title: Callable
    texts: Callable  # the searched texts of a row, the one to quote first
    when: Callable
    url: Callable


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return timezone.localdate(value)
    return value


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind(
            key="opinions",
            label=_("Opinions"),
            rows=opinions_visible_to,
            order=("-received_on", "-id"),
            title=lambda o: f"{o.get_category_display()} · {o.station.name}",
            texts=lambda o: [o.content, o.outcome_note, o.resolution_note],
            when=lambda o: o.received_on,
            url=lambda o: reverse("liaison:opinion_detail", args=[o.pk]),
        ),
        Kind(
            key="suggestions",
            label=_("Suggestions"),
            rows=suggestions_visible_to,
            order=("-created_at", "-id"),
            title=lambda s: s.title,
            texts=lambda s: [s.content, s.title],
            when=lambda s: _day(s.created_at),
            url=lambda s: reverse("suggestions:detail", args=[s.pk]),
        ),
        Kind(
            key="replies",
            label=_("Replies"),
            rows=replies_visible_to,
            order=("-replied_at", "-id"),
            title=lambda r: f"{r.suggestion.title} · {r.unit.name}",
            texts=lambda r: [r.content],
            when=lambda r: r.replied_on,
            url=lambda r: reverse("suggestions:detail", args=[r.suggestion_id]) + "#replies",
        ),
        Kind(
            key="projects",
            label=_("Livelihood projects"),
            rows=projects_visible_to,
            order=("-created_at", "-id"),
            title=lambda p: p.title,
            texts=lambda p: [p.description, p.title],
            when=lambda p: _day(p.created_at),
            url=lambda p: reverse("livelihood:project_detail", args=[p.pk]),
        ),
    )
}


@dataclass(frozen=True)
class Hit:
    kind: str
    id: int
    title: str
    snippet: str  # HTML: escaped, matches in <mark>
    date: date | None
    url: str


@dataclass(frozen=True)
class KindCount:
    key: str
    label: str
    count: int
    capped: bool


@dataclass
class Results:
    q: str
    terms: list[str]
    kind: str
    page: int
    counts: list[KindCount] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)

    @property
    def count(self) -> int:
        return next((c.count for c in self.counts if c.key == self.kind), 0)

    @property
    def count_capped(self) -> bool:
        return next((c.capped for c in self.counts if c.key == self.kind), False)

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // PAGE_SIZE))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def matching(user, kind: str, q) -> QuerySet:
    """The rows of ``kind`` that ``user`` may see and that match ``q``, newest first."""
    spec = KINDS[kind]
    return search(spec.rows(user), q).order_by(*spec.order)


def sample(queryset: QuerySet, order: tuple[str, ...], cap: int | None = None) -> list[tuple]:
    """At most ``cap + 1`` (``SAMPLE_CAP`` by default) matching rows as ``(pk, *order keys)``, in no order.

    Without ORDER BY, PostgreSQL reads a rare word's rows from the GIN index and stops a common word's
    early: never more than ``cap + 1`` rows, whatever the table's size."""
    cap = SAMPLE_CAP if cap is None else cap
    fields = [name.lstrip("-") for name in order]
    return list(queryset.order_by().values_list("pk", *fields)[: cap + 1])


def count_capped(queryset: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """How many rows ``queryset`` has, reading at most ``cap + 1`` (``COUNT_CAP`` by default): the count up
    to ``cap`` and whether there are more."""
    cap = COUNT_CAP if cap is None else cap
    n = queryset.order_by().values("pk")[: cap + 1].count()
    return min(n, cap), n > cap


def _page(user, kind: str, q, found: list[tuple], start: int, end: int) -> QuerySet:
    """Rows ``start:end`` of the matches, newest first, without walking the table.

    ``found`` is the sample of the matches (every one when there are at most ``SAMPLE_CAP``; the order
    fields are all descending). Every match then is in ``found``: the page is read by primary key. Otherwise the
    word is common and the page is read along the order's index under its LIMIT, from the newest row down
    to a bound: the ``end``-th newest row of the sample, since at least ``end`` matches are that new or
    newer. So a word whose matches are all old never makes PostgreSQL walk the whole index looking for them.
    """
    spec = KINDS[kind]
    newest = sorted(found, key=lambda row: row[1:], reverse=True)
    if len(found) <= SAMPLE_CAP:
        ids = [row[0] for row in newest[start:end]]
        return spec.rows(user).filter(pk__in=ids).order_by(*spec.order)
    bound = newest[end - 1][1]
    lead = spec.order[0].lstrip("-")
    return matching(user, kind, q).filter(**{f"{lead}__gte": bound})[start:end]


def find(user, q, kind: str | None = None, page: int = 1) -> Results:
    """Search every kind for ``q``: a capped count per kind and one page of ``kind`` (by default the
    first kind with a match). ``page`` beyond the last page is the last page. One query per kind (its
    sample, which gives the capped count) and one for the page, whatever the number of hits."""
    terms = terms_of(q)
    kind = kind if kind in KINDS else None
    results = Results(q=q or "", terms=terms, kind=kind or next(iter(KINDS)), page=1)
    if not terms:
        return results
    samples = {}
    for key, spec in KINDS.items():
        samples[key] = sample(matching(user, key, q), spec.order)
        count = len(samples[key])
        results.counts.append(
            KindCount(key=key, label=spec.label, count=min(count, COUNT_CAP), capped=count > COUNT_CAP)
        )
    if kind is None:
        kind = next((c.key for c in results.counts if c.count), next(iter(KINDS)))
    results.kind = kind
    results.page = max(1, min(int(page or 1), results.pages))
    if not results.count:
        return results
    spec = KINDS[kind]
    start = (results.page - 1) * PAGE_SIZE
    # Only the first ``COUNT_CAP`` matches are listed: the last page stops there.
    rows = _page(user, kind, q, samples[kind], start, min(start + PAGE_SIZE, results.count))
    results.hits = [
        Hit(
            kind=kind,
            id=row.pk,
            title=spec.title(row),
            snippet=snippet(first_matching(spec.texts(row), terms), terms),
            date=spec.when(row),
            url=spec.url(row),
        )
        for row in rows
    ]
    return results
