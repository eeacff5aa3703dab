"""Full-text search that finds Chinese words: character n-grams in a ``tsvector`` on PostgreSQL.

Chinese has no spaces between words, and PostgreSQL's text-search parsers treat a run of Chinese
characters as one "word", so ``to_tsvector`` would index 「老旧小区加装电梯进展缓慢」 as a single lexeme that a
search for 「电梯」 never matches. A dictionary-based segmenter would need an extension the database does not
ship. Instead each searchable row carries the set of its **character bigrams and unigrams** (「电梯」 →
``电梯``, ``电``, ``梯``) and its Latin letter / digit runs as whole words, in a generated ``tsvector`` column
``search_grams`` with a GIN index:

- a query of two or more Chinese characters matches a row holding all its bigrams (「加装电梯」 →
  ``加装 & 装电 & 电梯``); a single character matches its unigram; a Latin or digit run matches as a word
  prefix (``abc:*``); several terms (separated by spaces) must all match;
- the column is computed by the database (``GENERATED ALWAYS AS (search_grams(...)) STORED``) from the
  model's ``SEARCH`` fields, so every write path (services, admin, bulk inserts) keeps it in step;
- ``search_grams(text)`` is an ``IMMUTABLE`` SQL function created by the migration operation
  ``AddSearchColumn``, which also adds the column and the index ``<table>_search`` (``fastupdate=off``, so a
  new row is findable at once and a search never scans a pending list). It indexes the first
  ``INDEXED_CHARS`` characters of the text (a tsvector is limited to 1 MB);
- the bigrams of a longer query need not be adjacent in the row: a rare false positive, accepted for an
  index that answers a two-character query over a million rows in milliseconds (see ``bench/search.py``).

On SQLite (the demo) the column does not exist; ``search`` falls back to ``icontains`` over the model's
``SEARCH`` fields for each Latin word or run of Chinese characters of the terms (punctuation is ignored as
on PostgreSQL): the same results for ordinary queries, by a table scan.

The ORM does not know the column (the model declares no field for it), so writes never mention it and
``makemigrations`` sees no change. Changing the type of a searched column needs the search column dropped
first (``RemoveSearchColumn``) and added again: PostgreSQL refuses to alter a column a generated column
reads.

Hostile input is harmless: ``terms_of`` keeps at most ``MAX_TERMS`` terms of at most ``MAX_TERM_LENGTH``
characters without control characters, and the tsquery is built from lexemes that can only contain
``[0-9a-z]`` and CJK characters, quoted, passed as a parameter.
"""

import re
import unicodedata
from functools import reduce
from operator import and_, or_

from django.db import connection, migrations
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import Expression
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

COLUMN = "search_grams"
FUNCTION = "search_grams"
MAX_TERMS = 5
MAX_TERM_LENGTH = 40
# Characters of a row's text that are indexed: a tsvector holds at most 1 MB.
INDEXED_CHARS = 50_000
# Latin and digit runs are indexed up to this many characters.
MAX_WORD = 40

# CJK unified ideographs (extension A and the basic block) and the compatibility ideographs. The same
# ranges are spelled in the SQL function below: the query side and the index side must agree.
_CJK = "\u3400-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[0-9a-z]+|[{_CJK}]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

FUNCTION_SQL = rf"""
CREATE OR REPLACE FUNCTION {FUNCTION}(body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT array_to_tsvector(coalesce(array_agg(gram), '{{}}'::text[]))
  FROM (
    SELECT left(word[1], {MAX_WORD}) AS gram
    FROM regexp_matches(lower(normalize(left(body, {INDEXED_CHARS}), NFKC)), '[0-9a-z]+', 'g') AS word
    UNION ALL
    SELECT substr(run.chars, i, n)
    FROM (
      SELECT hit[1] AS chars
      FROM regexp_matches(normalize(left(body, {INDEXED_CHARS}), NFKC), '[{_CJK}]+', 'g') AS hit
    ) AS run,
    generate_series(1, length(run.chars)) AS i,
    (VALUES (1), (2)) AS size(n)
    WHERE i + n - 1 <= length(run.chars)
  ) AS grams
$$
"""


class SearchableFields:
    """The text columns of a model that its ``search_grams`` column indexes (declared as ``SEARCH``)."""

    def __init__(self, *fields: str):
        self.fields = tuple(fields)

    def __repr__(self) -> str:
        return f"SearchableFields{self.fields!r}"


def is_postgres(using=None) -> bool:
    from django.db import connections

    return (connections[using] if using else connection).vendor == "postgresql"


# --- Queries -----------------------------------------------------------------------------------------


def terms_of(q) -> list[str]:
    """The search terms of a user's query: control characters removed, split on white space, at most
    ``MAX_TERMS`` distinct terms of at most ``MAX_TERM_LENGTH`` characters each."""
    if not q:
        return []
    text = _CONTROL.sub(" ", str(q)[: (MAX_TERM_LENGTH + 1) * MAX_TERMS * 4])
    terms: list[str] = []
    for word in text.split():
        word = word[:MAX_TERM_LENGTH]
        if word not in terms:
            terms.append(word)
        if len(terms) == MAX_TERMS:
            break
    return terms


def _normalised(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_ASCII_LOWER)


def runs_of(term: str) -> list[str]:
    """The indexable runs of a term: Latin / digit words (lower case) and runs of Chinese characters."""
    return _RUN.findall(_normalised(term))


def lexemes_of(term: str) -> list[tuple[str, bool]]:
    """The lexemes a term is matched by, each with whether it is a prefix (Latin words are)."""
    lexemes: list[tuple[str, bool]] = []
    for run in runs_of(term):
        if run.isascii():
            lexemes.append((run[:MAX_WORD], True))
        elif len(run) == 1:
            lexemes.append((run, False))
        else:
            lexemes.extend((run[i : i + 2], False) for i in range(len(run) - 1))
    return list(dict.fromkeys(lexemes))


def tsquery_of(terms: list[str]) -> str:
    """The tsquery (text to cast with ``::tsquery``) matching rows that hold every lexeme of every term;
    empty when no term has an indexable character (punctuation, emoji)."""
    parts = []
    for term in terms:
        for lexeme, prefix in lexemes_of(term):
            quoted = "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"
            parts.append(quoted + (":*" if prefix else ""))
    return " & ".join(parts)


class SearchMatch(Expression):
    """``<table alias>.search_grams @@ %s::tsquery``: a boolean condition on the queryset's own table that
    follows Django's table aliases (so a searched queryset can be used as a subquery)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, tsquery: str, alias: str | None = None):
        super().__init__(output_field=BooleanField())
        self.tsquery = tsquery
        self.alias = alias

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        clone = self.copy()
        clone.alias = query.get_initial_alias() if query is not None else self.alias
        return clone

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def get_group_by_cols(self):
        return []

    def as_sql(self, compiler, connection):
        column = f"{compiler.quote_name_unless_alias(self.alias)}.{connection.ops.quote_name(COLUMN)}"
        return f"{column} @@ %s::tsquery", [self.tsquery]


def _fields_of(model) -> tuple[str, ...]:
    declared = getattr(model, "SEARCH", None)
    if not isinstance(declared, SearchableFields):
        raise TypeError(f"{model.__name__} declares no SEARCH = SearchableFields(...)")
    return declared.fields


def search_q(model, q, *, using=None) -> Q | None:
    """The condition "matches every term of ``q``" on ``model``; ``None`` when ``q`` has no term, and a
    condition matching nothing when its terms have nothing to search for."""
    terms = terms_of(q)
    if not terms:
        return None
    fields = _fields_of(model)
    if is_postgres(using):
        tsquery = tsquery_of(terms)
        return Q(SearchMatch(tsquery)) if tsquery else Q(pk__in=[])
    runs = [run for term in terms for run in runs_of(term)]
    if not runs:
        return Q(pk__in=[])
    return reduce(and_, (reduce(or_, (Q(**{f"{field}__icontains": run}) for field in fields)) for run in runs))


def search(queryset: QuerySet, q) -> QuerySet:
    """``queryset`` narrowed to the rows matching ``q`` (unchanged when ``q`` has no term)."""
    condition = search_q(queryset.model, q, using=queryset.db)
    return queryset if condition is None else queryset.filter(condition)


# --- Showing matches --------------------------------------------------------------------------------


def _pattern(terms: list[str]) -> re.Pattern | None:
    runs = sorted({run for term in terms for run in runs_of(term)}, key=len, reverse=True)
    if not runs:
        return None
    return re.compile("|".join(re.escape(run) for run in runs), re.IGNORECASE)


def highlight(text: str, terms: list[str]) -> SafeString:
    """``text`` HTML-escaped, with each occurrence of a term's words wrapped in ``<mark>``."""
    text = text or ""
    pattern = _pattern(terms)
    if pattern is None:
        return mark_safe(escape(text))
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))


def snippet(text: str, terms: list[str], width: int = 120) -> SafeString:
    """About ``width`` characters of ``text`` around the first match, highlighted, with ellipses where cut."""
    text = " ".join((text or "").split())
    pattern = _pattern(terms)
    match = pattern.search(text) if pattern else None
    start = 0
    if match and match.start() > width // 3:
        start = match.start() - width // 3
    end = min(len(text), start + width)
    start = max(0, min(start, end - width))
    piece = highlight(text[start:end], terms)
    return mark_safe(("…" if start else "") + piece + ("…" if end < len(text) else ""))


def first_matching(texts, terms: list[str]) -> str:
    """The first of ``texts`` that contains a term's word (else the first non-empty one)."""
    pattern = _pattern(terms)
    texts = [t for t in texts if t]
    if pattern:
        for text in texts:
            if pattern.search(text):
                return text
    return texts[0] if texts else ""


# --- Migrations ------------------------------------------------------------------------------------


class AddSearchColumn(migrations.operations.base.Operation):
    """Create ``search_grams(text)``, add the generated ``search_grams`` column of ``model_name`` over its
    ``SEARCH`` fields and its GIN index ``<table>_search``. PostgreSQL only: a no-op elsewhere. Adding the
    column rewrites the table (see the README for the time it takes on a big table)."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str, fields: tuple[str, ...] | list[str]):
        self.model_name = model_name
        self.fields = tuple(fields)

    def deconstruct(self):
        return self.__class__.__name__, [], {"model_name": self.model_name, "fields": self.fields}

    def state_forwards(self, app_label, state):
        pass

    def _table(self, app_label, state):
        return state.apps.get_model(app_label, self.model_name)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = self._table(app_label, to_state)
        quote = schema_editor.quote_name
        columns = [quote(model._meta.get_field(name).column) for name in self.fields]
        source = " || ' ' || ".join(f"coalesce({column}, '')" for column in columns)
        table = model._meta.db_table
        schema_editor.execute(FUNCTION_SQL)
        schema_editor.execute(
            f"ALTER TABLE {quote(table)} ADD COLUMN {quote(COLUMN)} tsvector "
            f"GENERATED ALWAYS AS ({FUNCTION}({source})) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX {quote(table + '_search')} ON {quote(table)} USING gin ({quote(COLUMN)}) "
            "WITH (fastupdate = off)"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = self._table(app_label, from_state)._meta.db_table
        quote = schema_editor.quote_name
        schema_editor.execute(f"ALTER TABLE {quote(table)} DROP COLUMN IF EXISTS {quote(COLUMN)}")

    def describe(self):
        return f"Add the full-text search column to {self.model_name}"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name.lower()}_search"


class RemoveSearchColumn(AddSearchColumn):
    """The reverse of ``AddSearchColumn`` (drop the column and its index; the function stays)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        super().database_backwards(app_label, schema_editor, to_state, from_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        super().database_forwards(app_label, schema_editor, to_state, from_state)

    def describe(self):
        return f"Remove the full-text search column of {self.model_name}"
