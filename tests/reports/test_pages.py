"""The report pages: who may open them, query counts that do not grow with the rows, Excel exports."""

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from deputies.services import deputy_create
from liaison.models import PersonalDataAccess
from organisation.models import StationKind
from organisation.services import station_create
from reports import services
from reports.models import JobStatus, PointWeightChange, ReportJob
from tests.reports import seed

PAGES = ["/reports/dashboard/", "/reports/ranking/", "/reports/weights/", "/reports/dashboard/export/monthly/"]


@pytest.mark.parametrize("url", PAGES)
def test_overseers_open_the_dashboards_and_others_are_refused(client, org, url):
    for user in (org.leader, org.office):
        client.force_login(user)
        assert client.get(url).status_code == 200
    for user in (org.main_user, org.staff, org.officer):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_a_deputy_sees_their_own_file_only_and_leaders_see_all(client, org):
    url = f"/reports/deputies/{org.main.id}/file/"
    client.force_login(org.main_user)
    assert client.get("/reports/my-file/")["Location"] == url
    page = client.get(url)
    assert page.status_code == 200 and "张建国" in page.content.decode()
    for outsider in (org.second_user, org.staff, org.officer):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    for overseer in (org.leader, org.office):
        client.force_login(overseer)
        assert client.get(url).status_code == 200


def test_the_dashboard_speaks_chinese_and_draws_svg_charts(client, org):
    client.force_login(org.leader)
    html = client.get("/reports/dashboard/").content.decode()
    assert "数据看板" in html and "接待群众（人次）" in html and "<svg" in html
    assert "导出 Excel" in html and 'id="print-station-form"' in html


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_dashboard_queries_do_not_grow_with_stations(client, org):
    client.force_login(org.leader)

    def add_points(n):
        for i in range(n):
            station_create(name=f"测试实践点{n}-{i}", kind=StationKind.POINT, parent=org.other_area, address="地址")

    add_points(10)
    at_10 = _count_queries(client, "/reports/dashboard/")
    add_points(90)
    at_100 = _count_queries(client, "/reports/dashboard/")
    # About thirty: session and user, the station list of the filter, the five figures, per-station rows,
    # categories, months, reception days, activities, suggestion metrics (overall, by unit, by category),
    # overdue and key-supervision lists, the ranking (one query) and the duty compliance (two).
    assert at_10 == at_100


def test_ranking_queries_do_not_grow_with_deputies(client, org):
    client.force_login(org.leader)
    for i in range(10):
        deputy_create(name=f"甲代表{i:03d}", phone="13812345678")
    at_10 = _count_queries(client, "/reports/ranking/")
    for i in range(90):
        deputy_create(name=f"乙代表{i:03d}")
    at_100 = _count_queries(client, "/reports/ranking/")
    # Session, user, weights, deputies with every figure, grid assignments and duties for compliance.
    assert at_10 == at_100


def test_job_list_queries_do_not_grow_with_jobs(org):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(org.leader)

    def request(n):
        for _ in range(n):
            services.report_job_request(user=org.leader, kind="street_annual", subject_id=None, year=org.year)
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/v1/reports/?page_size=100").status_code == 200
        return len(queries)

    # A count and one page of jobs with their requester joined.
    assert request(10) == request(90)


def test_exports_mask_phones_and_are_logged(client, org):
    deputy_create(name="电话代表", phone="13812345678")
    client.force_login(org.office)
    response = client.get("/reports/ranking/export/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[1][:3] == ["名次", "代表", "电话"]
    phones = [row[2] for row in rows[2:] if row[1] == "电话代表"]
    assert phones == ["138****5678"]
    assert "13812345678" not in str(rows)
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.action, log.object_type) == (org.office, "export", "report_table")
    assert "积分" in log.subject


@pytest.mark.parametrize("table", ["stations", "categories", "monthly", "units", "suggestion_categories",
                                   "overdue", "key_supervision", "compliance"])  # fmt: skip
def test_every_dashboard_table_downloads(client, org, table):
    client.force_login(org.leader)
    response = client.get(f"/reports/dashboard/export/{table}/")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet.max_row >= 2
    assert client.get("/reports/dashboard/export/nonsense/").status_code == 404


def test_weights_page_saves_for_the_office_and_is_read_only_for_leaders(client, org):
    client.force_login(org.leader)
    assert client.post("/reports/weights/", {"visit": "3"}).status_code == 403
    client.force_login(org.office)
    form = {item: "1" for item in services.PointItem.values}
    form["suggestion_led"] = "9"
    response = client.post("/reports/weights/", form)
    assert response.status_code == 302
    assert PointWeightChange.objects.filter(item="suggestion_led", new_weight=9).exists()
    form["visit"] = "-5"
    page = client.post("/reports/weights/", form)
    assert page.status_code == 200
    assert not PointWeightChange.objects.filter(item="visit", new_weight=-5).exists()


def test_printing_from_the_page_goes_to_the_job_page(client, org, django_capture_on_commit_callbacks):
    client.force_login(org.leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/reports/print/request/",
            {"form": "station", "kind": "station_annual", "station": org.area.id, "year": org.year},
        )
    job = ReportJob.objects.get()
    assert response["Location"] == f"/reports/jobs/{job.id}/"
    assert job.status == JobStatus.DONE
    page = client.get(response["Location"]).content.decode()
    assert 'role="progressbar"' in page and f"/api/v1/reports/{job.id}/download/" in page
    # A deputy cannot use the station form, and a station report needs its station.
    client.force_login(org.main_user)
    assert client.post("/reports/print/request/", {"form": "station", "kind": "street_annual"}).status_code == 403
    client.force_login(org.leader)
    response = client.post("/reports/print/request/", {"form": "station", "kind": "station_annual", "year": org.year})
    assert response.status_code == 302 and ReportJob.objects.count() == 1


def test_the_ranking_export_counts_voter_contacts(client, street):
    client.force_login(street.office)
    sheet = load_workbook(BytesIO(client.get("/reports/ranking/export/").content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    column = rows[1].index("联系选民")
    main = next(row for row in rows[2:] if row[1] == street.main.name)
    assert main[column] == seed.MAIN_CONTACTS
    assert all(row[column] == 0 for row in rows[2:] if row[1] != street.main.name)


def test_the_dashboard_says_how_many_deputies_met_the_voter_contact_requirement(client, street):
    client.force_login(street.leader)
    body = client.get("/reports/dashboard/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    deputies = len(street.deputies)
    assert f"全年联系选民不少于10次的代表：1名（共{deputies}名）" in body


def test_the_ranking_links_each_deputy_to_their_file_for_that_year(client, street):
    client.force_login(street.leader)
    page = client.get("/reports/ranking/", {"year": street.year}).content.decode()
    url = f"/reports/deputies/{street.main.id}/file/?year={street.year}"
    assert f'<a href="{url}">{street.main.name}</a>' in page
    assert client.get(url).status_code == 200


def test_the_dashboard_states_its_rounding_rule(client, org):
    client.force_login(org.leader)
    page = client.get("/reports/dashboard/").content.decode()
    assert 'id="rounding-note"' in page
    assert "保留四位小数（如 0.8571）" in page and "保留一位小数（如 85.7%）" in page
