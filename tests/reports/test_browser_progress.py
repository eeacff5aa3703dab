"""In real Chromium, without a broker: printing the whole street answers at once with the job page,
whose progress bar follows the job the web process runs in a background thread."""

import re
import time

import pytest
from playwright.sync_api import expect

from core import tasks as core_tasks
from reports.figures import deputies_of
from reports.models import JobStatus, ReportJob, ReportKind
from tests.browser_support import login, page  # noqa: F401  (``page`` is a fixture)
from tests.reports.pdf_checks import flat, page_texts, reader
from tests.reports.seed import seed_street

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _drain_background_thread():
    """Wait for the background thread's queue to be empty (it runs one task at a time, in order)."""
    core_tasks.detached_executor().submit(lambda: None).result(timeout=120)


def test_printing_the_whole_street_without_a_broker_shows_progress_on_the_job_page(page, live_server, settings):  # noqa: F811
    settings.CELERY_TASK_ALWAYS_EAGER = True  # no broker, as in the demo
    settings.EAGER_TASKS_IN_BACKGROUND = True
    street = seed_street(full_year=False, deputies=12)
    login(page, "leader")
    page.goto("/reports/print/")
    form = page.locator("#print-station-form")
    form.locator("select[name=kind]").select_option("batch")
    form.locator("select[name=station]").select_option("")  # the whole street
    form.locator("select[name=year]").select_option(str(street.year))
    started = time.monotonic()
    try:
        with page.expect_navigation():
            form.locator("[type=submit]").click()
        answered_after = time.monotonic() - started
        assert "/reports/jobs/" in page.url
        job = ReportJob.objects.get()
        assert (job.kind, job.subject_id) == (ReportKind.BATCH, None)
        # The page came back before the PDF was printed: it shows the job still under way.
        seen = [int(page.locator("#report-progress").get_attribute("aria-valuenow"))]
        assert seen[0] < 100, f"the request waited for the whole job ({answered_after:.1f}s)"
        notes = {page.locator("#report-note").inner_text()}
        deadline = time.monotonic() + 120
        while seen[-1] < 100 and time.monotonic() < deadline:
            page.wait_for_timeout(250)
            seen.append(int(page.locator("#report-progress").get_attribute("aria-valuenow")))
            notes.add(page.locator("#report-note").inner_text())
        expect(page.locator("#report-label")).to_have_text(re.compile("已完成|失败"), timeout=15_000)
    finally:
        _drain_background_thread()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert page.locator("#report-label").inner_text() == "已完成"
    assert seen == sorted(seen), seen
    assert len(set(seen)) >= 3, seen  # the bar moved while the deputies were printed
    # ...and said which report it had reached; the note goes once the job is finished.
    count = deputies_of(None).count()
    assert any("已生成第" in n and f"/{count} 份：" in n for n in notes), notes
    assert page.locator("#report-note").inner_text() == ""
    with page.expect_download() as info:
        page.locator("#report-download-link").click()
    data = open(info.value.path(), "rb").read()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and len(reader(data).pages) == job.pages
    contents = flat(page_texts(data)[1])
    for deputy in deputies_of(None):
        assert deputy.name in contents
