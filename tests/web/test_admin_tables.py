"""Lists and forms like an admin system: filters by name, sortable and sizeable suggestion list with an Excel
export, defaults that can be submitted as they are."""

import re
from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from liaison.services.reception import visit_record
from reports.models import ReportJob
from suggestions.models import State, Suggestion
from tests.builders.suggestions import drive
from tests.liaison import reception_support

street = reception_support.street

pytestmark = pytest.mark.django_db


def _rows(html: str) -> list[str]:
    """The suggestion numbers of the table's rows, in order."""
    return re.findall(r'<tr data-href="/suggestions/(\d+)/">', html)


# --- the suggestion list ------------------------------------------------------------------------------------


def test_the_suggestion_list_has_number_submission_date_both_deadlines_and_actions(world, client):
    submitted = drive(world, State.SUBMITTED, title="等待交办")
    assigned = drive(world, State.ASSIGNED, title="已经交办")
    client.force_login(world.office)
    html = client.get(reverse("suggestions:list")).content.decode()
    for header in ("编号", "提交日期", "交办期限", "答复期限", "操作"):
        assert f">{header}<" in html, header
    assert f'<td class="num nowrap">{submitted.pk}</td>' in html
    row = html[html.index(f'<tr data-href="/suggestions/{assigned.pk}/">') :]
    row = row[: row.index("</tr>")]
    assert assigned.reply_due.isoformat() in row and assigned.assign_due.isoformat() in row
    assert f'href="/suggestions/{assigned.pk}/">查看</a>' in row


def test_sorting_is_by_whitelisted_columns_only(world, client):
    first = drive(world, State.SUBMITTED, title="乙")
    second = drive(world, State.SUBMITTED, title="甲")
    Suggestion.objects.filter(pk=first.pk).update(assign_due=date(2030, 1, 1))
    client.force_login(world.office)
    url = reverse("suggestions:list")
    default = _rows(client.get(url).content.decode())
    assert default == [str(second.pk), str(first.pk)]  # newest first
    assert _rows(client.get(url, {"sort": "number"}).content.decode()) == [str(first.pk), str(second.pk)]
    assert _rows(client.get(url, {"sort": "-assign_due"}).content.decode()) == [str(first.pk), str(second.pk)]
    assert _rows(client.get(url, {"sort": "assign_due"}).content.decode()) == [str(second.pk), str(first.pk)]
    # Not a sortable column: the default order, never an error or a sort by an arbitrary field.
    for bogus in ("lead_deputy__user__password", "-content", "?", ""):
        response = client.get(url, {"sort": bogus})
        assert response.status_code == 200
        assert _rows(response.content.decode()) == default
    # The header links toggle the direction.
    html = client.get(url, {"sort": "number"}).content.decode()
    assert 'aria-sort="ascending"' in html and "?sort=-number" in html


def test_the_page_size_is_chosen_within_bounds(world, client):
    for number in range(12):
        drive(world, State.DRAFT, title=f"草稿{number}")
    client.force_login(world.deputy)
    url = reverse("suggestions:list")
    assert len(_rows(client.get(url, {"page_size": "10"}).content.decode())) == 10
    assert len(_rows(client.get(url, {"page_size": "10", "page": "2"}).content.decode())) == 2
    for refused in ("100000", "0", "-5", "abc", "7"):
        assert len(_rows(client.get(url, {"page_size": refused}).content.decode())) == 12
    html = client.get(url, {"page_size": "10", "state": "draft"}).content.decode()
    assert '<option value="10" selected>10</option>' in html
    # The size form keeps the filters.
    assert '<input type="hidden" name="state" value="draft">' in html


def test_the_excel_export_is_the_filtered_list_with_formulas_neutralised(world, client):
    drive(world, State.SUBMITTED, title='=HYPERLINK("http://evil.example","点我")')
    drive(world, State.DRAFT, title="草稿不在筛选结果中")
    client.force_login(world.deputy)
    response = client.get(reverse("suggestions:list"), {"state": "submitted", "export": "xlsx", "page": "3"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("编号", "标题", "状态")
    assert len(rows) == 3  # title line, header, the one submitted suggestion
    assert rows[2][1] == '\'=HYPERLINK("http://evil.example","点我")'
    assert all(not (isinstance(v, str) and v.startswith("=")) for row in rows for v in row)
    # The list page links to the export of what it shows.
    html = client.get(reverse("suggestions:list"), {"state": "submitted"}).content.decode()
    assert "?state=submitted&amp;export=xlsx" in html


# --- the visit list's filters ---------------------------------------------------------------------------------


def test_visit_filters_pick_stations_grids_and_deputies_by_name(street, client):
    visit_record(
        actor=street.staff_a,
        station=street.a,
        date=date(2026, 3, 2),
        channel="at_station",
        headcount=1,
        deputies=[street.owner],
    )
    visit_record(actor=street.staff_a, station=street.a1, date=date(2026, 3, 3), channel="at_station", headcount=2)
    client.force_login(street.staff_a)
    url = reverse("liaison:visit_list")
    html = client.get(url).content.decode()
    start = html.index('<form method="get" class="filters"')
    form = html[start : html.index("</form>", start)]
    assert re.search(rf'<option value="{street.a.pk}" data-pinyin="[^"]*">甲片区实践站</option>', form)
    assert re.search(rf'<option value="{street.grid_a1.pk}" data-pinyin="[^"]*">A-1 第一网格</option>', form)
    assert re.search(rf'<option value="{street.owner.pk}" data-pinyin="[^"]*">王代表</option>', form)
    assert form.count('type="date"') == 2
    assert "接待方式" in form and "Channel" not in form
    assert _labels_are_chinese(form)
    listed = client.get(url, {"deputy": street.owner.pk}).content.decode()
    assert "2026-03-02" in listed and "2026-03-03" not in listed
    listed = client.get(url, {"date_from": "2026-03-03", "date_to": "2026-03-31"}).content.decode()
    assert "2026-03-03" in listed and "2026-03-02" not in listed


def _labels_are_chinese(form_html: str) -> bool:
    labels = re.findall(r"<label[^>]*>([^<]*)</label>", form_html)
    assert labels
    return all(not re.search(r"[A-Za-z]", label) for label in labels)


@pytest.mark.parametrize(
    "url_name",
    ["liaison:visit_list", "liaison:opinion_list", "suggestions:list", "deputies:deputy_list", "liaison:station_list"],
)
def test_every_list_filter_label_is_translated(street, client, url_name):
    client.force_login(street.office)
    html = client.get(reverse(url_name)).content.decode()
    start = html.index('class="filters"')
    assert _labels_are_chinese(html[start : html.index("</form>", start)])


# --- defaults -------------------------------------------------------------------------------------------------


def test_a_staff_member_with_one_station_has_it_preselected(street, client):
    client.force_login(street.staff_a)
    html = client.get(reverse("liaison:visit_new")).content.decode()
    select = html[html.index('name="station"') :]
    select = select[: select.index("</select>")]
    assert re.search(rf'<option value="{street.a.pk}" selected[ >]', select)
    # Someone with the whole jurisdiction chooses.
    client.force_login(street.office)
    html = client.get(reverse("liaison:visit_new")).content.decode()
    select = html[html.index('name="station"') :]
    assert '<option value="" selected>请选择</option>' in select[: select.index("</select>")]


def test_the_print_page_prints_as_it_is_and_lists_years_from_the_first_data(street, client, frozen_today):
    frozen_today(date(2026, 5, 4))
    visit_record(actor=street.staff_a, station=street.a, date=date(2024, 11, 5), channel="at_station", headcount=1)
    client.force_login(street.office)
    response = client.get(reverse("reports:print"))
    form = response.context["station_form"]
    assert [year for year, _label in form.fields["year"].choices] == [2026, 2025, 2024]
    data = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in data.items() if value is not None}
    response = client.post(reverse("reports:print_request"), {**data, "form": "station"})
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:job", args=[job.pk])
    # The deputy form too.
    form = client.get(reverse("reports:print")).context["deputy_form"]
    data = {name: form[name].value() for name in form.fields}
    response = client.post(reverse("reports:print_request"), {**data, "form": "deputy"})
    job = ReportJob.objects.latest("id")
    assert ReportJob.objects.count() == 2 and response["Location"] == reverse("reports:job", args=[job.pk])
