"""On a generated city, PostgreSQL answers a search from the GIN index, not by reading the table."""

import re

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.models import User
from liaison.models import Opinion
from search.selectors import KINDS, _page, count_capped, matching, sample

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def city(settings):
    settings.DEBUG = True
    call_command("seed_city", "--scale", "0.01", verbosity=0)
    # A few opinions about something no generated opinion mentions.
    some = list(Opinion.objects.order_by("id")[:5])
    for row in some:
        Opinion.objects.filter(pk=row.pk).update(content="楼道里的消防栓被杂物堵住")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return some


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def scans_the_table(text: str) -> bool:
    return re.search(r"Seq Scan on liaison_opinion(\s|$)", text, re.MULTILINE) is not None


def test_a_rare_word_is_read_from_the_gin_index(city):
    office = User.objects.get(username="city_office")
    rows = matching(office, "opinions", "消防栓")
    text = plan(rows[:20])
    assert "Bitmap Index Scan on liaison_opinion_search" in text, text
    assert not scans_the_table(text), text
    assert {o.pk for o in rows} == {o.pk for o in city}
    assert count_capped(rows) == (5, False)


def test_staff_search_uses_the_gin_index_too(city):
    staff = User.objects.get(username="city_staff_0001")
    text = plan(matching(staff, "opinions", "消防栓")[:20])
    assert "liaison_opinion_search" in text and not scans_the_table(text), text


def test_a_common_word_reads_a_page_without_scanning_the_table(city):
    # 「电梯」 is in one generated matter of ten: PostgreSQL may walk the order index and check the match
    # on each row, or read the GIN index; either way never a sequential scan of the table.
    office = User.objects.get(username="city_office")
    rows = matching(office, "opinions", "电梯")
    text = plan(rows[:20])
    assert not scans_the_table(text), text
    assert all("电梯" in o.content for o in rows[:20])
    count, capped = count_capped(rows)
    assert capped and count == 500


def test_find_reads_a_rare_word_from_the_gin_index_then_its_page_by_key(city):
    office = User.objects.get(username="city_office")
    rows = matching(office, "opinions", "消防栓")
    probe = rows.order_by().values_list("pk", "received_on", "id")[:501]
    text = plan(probe)
    assert "Bitmap Index Scan on liaison_opinion_search" in text and not scans_the_table(text), text
    found = sample(rows, KINDS["opinions"].order)
    page = _page(office, "opinions", "消防栓", found, 0, len(found))
    text = plan(page)
    assert "liaison_opinion_pkey" in text and "opinion_received_id" not in text and not scans_the_table(text), text
    assert [o.pk for o in page] == [o.pk for o in sorted(city, key=lambda o: (o.received_on, o.pk), reverse=True)]
