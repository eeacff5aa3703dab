"""core.search: terms, lexemes, the tsquery, highlighting, and the search itself on both engines."""

import pytest
from django.db import connection

from core.search import highlight, lexemes_of, search, search_q, snippet, terms_of, tsquery_of
from liaison.models import Opinion


def test_terms_are_bounded_and_cleaned():
    assert terms_of("") == [] and terms_of(None) == [] and terms_of("   \t ") == []
    assert terms_of("电梯  停运") == ["电梯", "停运"]
    assert terms_of("a b c d e f g") == ["a", "b", "c", "d", "e"]
    assert terms_of("电梯 电梯 停运") == ["电梯", "停运"]
    assert terms_of("x" * 100) == ["x" * 40]
    # Control and zero-width characters separate words; they never reach the query.
    assert terms_of("电\x00梯\x1b停\u200b运") == ["电", "梯", "停", "运"]
    assert len(terms_of("电" * 10_000)) == 1


def test_lexemes_are_bigrams_unigrams_and_words():
    assert lexemes_of("电梯") == [("电梯", False)]
    assert lexemes_of("加装电梯") == [("加装", False), ("装电", False), ("电梯", False)]
    assert lexemes_of("梯") == [("梯", False)]
    assert lexemes_of("ABC-１２３") == [("abc", True), ("123", True)]
    assert lexemes_of("&|!:*()'\\") == [] and lexemes_of("😀🏠") == []


def test_tsquery_quotes_every_lexeme():
    assert tsquery_of(["电梯", "abc"]) == "'电梯' & 'abc':*"
    assert tsquery_of(["'&|!"]) == ""
    assert tsquery_of([]) == ""


def test_highlight_escapes_then_marks():
    assert highlight("加装<b>电梯</b>", ["电梯"]) == "加装&lt;b&gt;<mark>电梯</mark>&lt;/b&gt;"
    assert highlight("<script>", ["script"]) == "&lt;<mark>script</mark>&gt;"
    # A term never matches inside an entity the escaping produced.
    assert highlight("a & b", ["amp"]) == "a &amp; b"
    assert highlight("No match", ["电梯"]) == "No match"
    assert highlight("Lift LIFT lift", ["lift"]) == "<mark>Lift</mark> <mark>LIFT</mark> <mark>lift</mark>"


def test_snippet_is_cut_around_the_first_match():
    text = "前" * 300 + "电梯" + "后" * 300
    cut = snippet(text, ["电梯"], width=60)
    assert cut.startswith("…") and cut.endswith("…") and "<mark>电梯</mark>" in cut
    assert len(cut.replace("<mark>", "").replace("</mark>", "")) <= 62
    assert snippet("短文本电梯", ["电梯"]) == "短文本<mark>电梯</mark>"


def make(station, content, **fields):
    return Opinion.objects.create(
        station=station, source="desk", category="other", content=content, received_on="2024-03-01", **fields
    )


@pytest.mark.django_db
def test_search_finds_chinese_words_on_this_engine(world):
    lift = make(world.station_a, "老旧小区加装电梯进展缓慢")
    noted = make(world.station_a, "路灯", outcome_note="已联系电梯公司")
    lamp = make(world.station_a, "小区路灯损坏")
    latin = make(world.station_a, "WiFi 信号 ABC123 差")
    every = Opinion.objects.all()
    assert set(search(every, "电梯")) == {lift, noted}
    assert set(search(every, "梯")) == {lift, noted}
    assert set(search(every, "加装电梯")) == {lift}
    assert set(search(every, "电梯 缓慢")) == {lift}
    assert set(search(every, "路灯")) == {noted, lamp}
    assert set(search(every, "wifi")) == {latin}
    assert set(search(every, "abc123")) == {latin}
    assert set(search(every, "停运")) == set()
    assert set(search(every, "")) == set(every)
    assert search_q(Opinion, "   ") is None


@pytest.mark.django_db
def test_a_new_or_edited_row_is_found_at_once(world):
    row = make(world.station_a, "路灯")
    assert not search(Opinion.objects.all(), "电梯").exists()
    Opinion.objects.filter(pk=row.pk).update(resolution_note="更换了电梯门")
    assert list(search(Opinion.objects.all(), "电梯")) == [row]


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_column_and_index_exist_on_postgres():
    with connection.cursor() as cursor:
        for table in ("liaison_opinion", "suggestions_suggestion", "suggestions_reply", "livelihood_project"):
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [f"{table}_search"])
            (definition,) = cursor.fetchone()
            assert "gin (search_grams)" in definition and "fastupdate=off" in definition, definition
        cursor.execute("SELECT unnest(tsvector_to_array(search_grams('加装电梯 Lift-3，ＡＢＣ')))")
        grams = {row[0] for row in cursor.fetchall()}
    assert grams == {"加", "装", "电", "梯", "加装", "装电", "电梯", "lift", "3", "abc"}
