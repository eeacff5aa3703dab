"""The "四个一" year month by month: a deputy who missed March's patrol is shown as missing March, on the
duties pages and in the performance file, not only as "11 of 12"."""

import re
from datetime import date

import pytest
from django.urls import reverse

from duties.selectors import MISSED, OPEN, duty_year
from duties.services.grid_duties import grid_duty_record
from reports.compliance import duty_compliance

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_without_march(reception_street, frozen_today):
    """The owner of grid A1 patrolled every month of 2024 but March; one research visit, in Q2."""
    street = reception_street
    frozen_today(date(2024, 12, 20))
    for month in range(1, 13):
        if month != 3:
            grid_duty_record(
                actor=street.office, deputy=street.owner, grid=street.grid_a1, kind="patrol", date=date(2024, month, 10)
            )
    grid_duty_record(
        actor=street.office, deputy=street.owner, grid=street.grid_a1, kind="research", date=date(2024, 5, 6)
    )
    return street


def _row(rows, kind):
    return next(row for row in rows if row.kind == kind)


def test_the_missed_month_is_named(year_without_march):
    street = year_without_march
    rows = duty_compliance([street.owner.pk], 2024)[street.owner.pk]
    patrol = _row(rows, "patrol")
    assert (patrol.done, patrol.due) == (11, 12)
    assert [p.label for p in patrol.missed] == ["3月"]
    assert patrol.missed_labels == "3月"
    assert [p.status for p in patrol.periods][:4] == ["done", "done", MISSED, "done"]
    research = _row(rows, "research")
    assert [p.label for p in research.missed] == ["第1季度", "第3季度"]
    # The current quarter and month are still open, not missed.
    assert research.periods[-1].status == OPEN
    meeting = _row(rows, "grid_meeting")
    assert len(meeting.missed) == 11 and meeting.periods[-1].status == OPEN
    # The report (述职) is due once a year: still open on 20 December.
    assert _row(rows, "report").periods[0].status == OPEN


def test_after_the_year_boundary_the_closed_year_has_nothing_open(year_without_march, frozen_today):
    street = year_without_march
    frozen_today(date(2025, 1, 5))
    rows = duty_year([street.owner.pk], 2024, date(2025, 1, 5))[street.owner.pk]
    assert all(p.status != OPEN for row in rows for p in row["periods"])
    report = next(row for row in rows if row["kind"] == "report")
    assert [p.label for p in report["missed"]] == ["2024年"]
    this_year = duty_year([street.owner.pk], 2025, date(2025, 1, 5))[street.owner.pk]
    patrol = next(row for row in this_year if row["kind"] == "patrol")
    assert [p.status for p in patrol["periods"]] == [OPEN] + ["future"] * 11
    assert (patrol["due"], patrol["done"]) == (1, 0)


def test_a_deputy_assigned_in_the_summer_is_not_missing_the_spring(reception_street, frozen_today):
    street = reception_street
    frozen_today(date(2024, 12, 20))
    # The outsider's assignment started in 2020; end it and start a new one in July 2024 on grid B1.
    from duties.models import GridAssignment

    GridAssignment.objects.filter(deputy=street.outsider).update(start_date=date(2024, 7, 1))
    patrol = _row(duty_compliance([street.outsider.pk], 2024)[street.outsider.pk], "patrol")
    assert [p.status for p in patrol.periods[:6]] == ["not_due"] * 6
    assert [p.label for p in patrol.missed] == ["7月", "8月", "9月", "10月", "11月"]
    assert patrol.due == 6


def test_the_pages_show_march_missing(year_without_march, client):
    street = year_without_march
    client.force_login(street.office)
    file_page = client.get(reverse("reports:deputy_file", args=[street.owner.pk]), {"year": 2024}).content.decode()
    patrol_row = re.search(r'<tr data-kind="patrol">.*?</tr>', file_page, re.S).group(0)
    assert re.search(r'data-status="missed" title="3月"', patrol_row)
    assert patrol_row.count('data-status="missed"') == 1
    assert '<td class="duty-missed">3月</td>' in patrol_row

    client.force_login(street.staff_a)
    overview = client.get(reverse("liaison:duty_overview")).content.decode()
    assert '<span class="nowrap">巡网格：3月</span>' in overview
    deputy_page = client.get(reverse("liaison:duty_deputy", args=[street.owner.pk]), {"year": 2024}).content.decode()
    patrol_row = re.search(r'<tr data-kind="patrol">.*?</tr>', deputy_page, re.S).group(0)
    assert 'data-status="missed" title="3月"' in patrol_row
    assert client.get(reverse("liaison:duty_deputy", args=[street.owner.pk]), {"year": "2031"}).status_code == 404
