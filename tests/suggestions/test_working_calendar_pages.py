"""The working-day calendar the office enters: its pages, and the mark in the printed reports.

The 2027 schedule used here is described in ``working_calendar_support``.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from reports.documents import street_document
from reports.pdf.render import html_to_pdf
from suggestions import services
from suggestions.models import CalendarDay, CalendarYear, State
from tests.builders.suggestions import drive
from tests.reports.pdf_checks import flat, page_texts
from tests.suggestions import working_calendar_support
from tests.suggestions.working_calendar_support import SCHEDULE_2027, enter

# The shared fixtures: the pinned package's range, and messages in Chinese.
package_ends_in_2026 = working_calendar_support.package_ends_in_2026
in_chinese = working_calendar_support.in_chinese


# --- The pages -------------------------------------------------------------------------------------


def test_the_office_previews_then_saves_a_year(world, client):
    client.force_login(world.office)
    page = client.get("/suggestions/calendar/").content.decode()
    assert 'data-year="2027" data-source="provisional"' in page and "录入2027年节假日安排" in page
    assert "暂按法定节假日推算" in page
    assert "/suggestions/calendar/" in client.get("/suggestions/").content.decode()  # the tab

    form = {"year": "2027", "source": "国办发明电〔2026〕7号", "schedule": SCHEDULE_2027, "note": ""}
    response = client.post("/suggestions/calendar/enter/", form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "预览：2027年" in html and 'data-date="2027-02-14" data-working="1"' in html
    assert "工作日放假6天" in html and "调休上班2天" in html  # 01-01 and 02-08..02-12
    assert not CalendarYear.objects.exists()  # a preview writes nothing

    response = client.post("/suggestions/calendar/enter/", {**form, "confirmed": "1"})
    assert response.status_code == 302 and response["Location"] == "/suggestions/calendar/2027/"
    assert CalendarDay.objects.filter(calendar_year__year=2027).count() == 13
    html = client.get("/suggestions/calendar/2027/").content.decode()
    assert "国办发明电〔2026〕7号" in html and "春节调休" in html
    assert 'data-year="2027" data-source="entered"' in client.get("/suggestions/calendar/").content.decode()

    # Replacing starts from the current schedule, warns, and needs the preview's confirmation.
    page = client.get("/suggestions/calendar/enter/?year=2027").content.decode()
    assert "2027-02-06~2027-02-13 春节" in page
    changed = {**form, "schedule": "2027-01-01 元旦"}
    html = client.post("/suggestions/calendar/enter/", changed).content.decode()
    assert "这将替换" in html and 'name="replace" value="1"' in html
    response = client.post("/suggestions/calendar/enter/", {**changed, "confirmed": "1"})
    assert response.status_code == 409 and "已经录入过" in response.content.decode()
    assert CalendarDay.objects.count() == 13
    client.post("/suggestions/calendar/enter/", {**changed, "confirmed": "1", "replace": "1"})
    assert CalendarDay.objects.count() == 1


def test_a_bad_paste_shows_the_line_and_writes_nothing(world, client):
    client.force_login(world.office)
    bad = {"year": "2027", "schedule": "2027-01-01 元旦\n2027-02-15 上班", "confirmed": "1"}
    response = client.post("/suggestions/calendar/enter/", bad)
    assert response.status_code == 400
    assert "第2行：2027-02-15是周一至周五" in response.content.decode()
    assert not CalendarYear.objects.exists()


@pytest.mark.parametrize("who", ["staff_a", "deputy", "lead_officer", "leader"])
def test_the_calendar_pages_are_the_offices(world, client, who):
    enter(world.office)
    client.force_login(world.users()[who])
    for url in ["/suggestions/calendar/", "/suggestions/calendar/enter/", "/suggestions/calendar/2027/"]:
        assert client.get(url).status_code == 403, url
    response = client.post(
        "/suggestions/calendar/enter/", {"year": "2028", "schedule": "2028-01-01 元旦", "confirmed": "1"}
    )
    assert response.status_code == 403
    assert not CalendarYear.objects.filter(year=2028).exists()
    assert "/suggestions/calendar/" not in client.get("/suggestions/").content.decode()


def test_the_overview_costs_the_same_for_one_or_three_years(world, client):
    client.force_login(world.office)
    enter(world.office)
    counts = []
    for year in (2028, 2029, None):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/suggestions/calendar/").status_code == 200
        counts.append(len(queries))
        if year:
            enter(world.office, year=year, text=f"{year}-01-01 元旦")
    assert counts[0] == counts[-1], counts


def test_admin_enters_a_year_through_the_service(world, client):
    client.force_login(world.admin)
    response = client.post(
        "/admin/suggestions/calendaryear/add/",
        {"year": "2027", "source": "", "note": "", "schedule": "2027-01-04 上班"},
    )
    assert response.status_code == 200 and "第1行：2027-01-04是周一至周五" in response.content.decode()
    assert not CalendarYear.objects.exists()
    response = client.post(
        "/admin/suggestions/calendaryear/add/", {"year": "2027", "source": "", "note": "", "schedule": SCHEDULE_2027}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    calendar_year = CalendarYear.objects.get()
    assert calendar_year.entered_by == world.admin and calendar_year.days.count() == 13
    page = client.get(f"/admin/suggestions/calendaryear/{calendar_year.pk}/change/").content.decode()
    assert "2027-02-06~2027-02-13 春节" in page
    response = client.post(
        f"/admin/suggestions/calendaryear/{calendar_year.pk}/change/",
        {"source": "更正", "note": "", "schedule": "2027-01-01 元旦"},
    )
    assert response.status_code == 302
    assert list(CalendarDay.objects.values_list("name", flat=True)) == ["元旦"]


def test_a_year_the_package_covers_starts_from_the_package_schedule(client, make_user):
    """Entering a year replaces the package for it: the form starts from the package's holidays, so that
    correcting one day does not drop the others; entered as is, every day keeps its package status."""
    from datetime import timedelta

    import chinese_calendar

    from suggestions.deadlines import WorkingCalendar
    from suggestions.holidays import parse_schedule

    office = make_user(Role.OFFICE, username="calendar_office")
    client.force_login(office)
    response = client.get("/suggestions/calendar/enter/", {"year": "2026"})
    assert response.status_code == 200
    text = response.context["form"].initial["schedule"]
    assert "2026-10-01~2026-10-07 国庆节" in text and "调休上班" in text
    services.calendar_year_enter(actor=office, year=2026, entries=parse_schedule(text))
    calendar = WorkingCalendar()
    day = date(2026, 1, 1)
    while day.year == 2026:
        assert calendar.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)
    # A malformed year in the address falls back to next year instead of failing.
    assert client.get("/suggestions/calendar/enter/", {"year": "²"}).status_code == 200


# --- The mark in the printed reports ---------------------------------------------------------------


def test_the_street_pdf_marks_a_provisional_deadline(world, frozen_today):
    frozen_today("2027-01-04 10:00 +08:00")  # a Monday; 2027 is not entered
    late = drive(world, State.SUBMITTED)
    assert (late.assign_due, late.assign_due_provisional) == (date(2027, 1, 11), True)
    frozen_today("2027-01-29 10:00 +08:00")  # now overdue: listed in the street report

    document = street_document(2027)
    text = flat("".join(page_texts(html_to_pdf(document.html()).data)))
    assert flat(late.title) in text
    assert "2027年1月11日（暂按法定节假日推算）" in text
