"""In real Chromium: a leader opens the dashboard, prints a station's annual report, watches the
progress bar finish and downloads a valid PDF."""

import threading

import pytest
from django.db import connections
from playwright.sync_api import expect

from reports.models import JobStatus, ReportJob, ReportKind
from reports.tasks import generate_report
from tests.browser_support import login, page  # noqa: F401  (``page`` is a fixture)
from tests.reports.pdf_checks import flat, page_texts, reader
from tests.reports.seed import seed_street

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _download(page, link) -> bytes:  # noqa: F811
    with page.expect_download() as info:
        link.click()
    path = info.value.path()
    with open(path, "rb") as handle:
        return handle.read()


def test_a_leader_prints_a_station_report_from_the_dashboard(page, live_server):  # noqa: F811
    street = seed_street(full_year=False)
    login(page, "leader")
    page.goto("/reports/dashboard/")
    assert page.locator("h1").inner_text() == "数据看板"
    assert page.locator("svg.chart").count() >= 2

    form = page.locator("#print-station-form")
    form.locator("select[name=kind]").select_option("station_annual")
    form.locator("select[name=station]").select_option(str(street.area.id))
    form.locator("select[name=year]").select_option(str(street.year))
    with page.expect_navigation():
        form.locator("[type=submit]").click()

    assert "/reports/jobs/" in page.url
    bar = page.locator("#report-progress")
    expect(page.locator("#report-progress")).to_have_attribute("aria-valuenow", "100", timeout=15_000)
    assert bar.get_attribute("aria-valuenow") == "100"
    link = page.locator("#report-download-link")
    link.wait_for(state="visible")
    data = _download(page, link)
    assert data.startswith(b"%PDF-")
    texts = [flat(t) for t in page_texts(data)]
    assert f"东湖片区实践站{street.year}年度工作报告" in texts[1]
    assert len(reader(data).pages) == ReportJob.objects.get().pages


def test_the_progress_bar_follows_a_job_that_runs_after_the_page_opened(page, live_server):  # noqa: F811
    street = seed_street(full_year=False)
    # A job waiting for a worker. Without a broker the request itself would run it inline, so the
    # pending job is staged directly; the real task then runs while the page polls.
    job = ReportJob.objects.create(
        kind=ReportKind.BATCH,
        subject_id=street.area.id,
        year=street.year,
        title="东湖片区实践站人大代表履职报告汇编",
        requested_by=street.leader,
    )
    login(page, "leader")
    page.goto(f"/reports/jobs/{job.id}/")
    assert page.locator("#report-progress").get_attribute("aria-valuenow") == "0"
    assert page.locator("#report-download").is_hidden()

    def run_task():
        try:
            generate_report.apply(args=[job.id])
        finally:
            connections.close_all()  # this thread's own connection, so the test database can be dropped

    seen = []
    worker = threading.Thread(target=run_task)
    worker.start()
    while worker.is_alive():
        seen.append(int(page.locator("#report-progress").get_attribute("aria-valuenow")))
        page.wait_for_timeout(300)
    worker.join()
    expect(page.locator("#report-progress")).to_have_attribute("aria-valuenow", "100", timeout=15_000)
    seen.append(100)
    assert seen == sorted(seen)
    assert len(set(seen)) >= 3, seen  # the bar moved while the batch was printed, not only at the end
    assert page.locator("#report-label").inner_text() == "已完成"
    data = _download(page, page.locator("#report-download-link"))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and len(reader(data).pages) == job.pages
