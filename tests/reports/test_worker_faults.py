"""Report jobs survive what production does to workers: a rendering process killed, database
connections dropped mid-render. Real Celery workers on Redis, jobs requested over HTTP."""

import os
import signal
from pathlib import Path

import pytest
from django.db import connection
from pypdf import PdfReader

from reports.models import JobStatus, ReportJob
from tests.reports.seed import seed_street
from tests.reports.test_worker import Api
from tests.worker.conftest import harness, wait_for  # noqa: F401  (``harness`` is a fixture)
from tests.worker.settings_worker_names import SUBPROCESS_APPLICATION_NAME

pytestmark = pytest.mark.worker


def pool_children(pid: int) -> list[int]:
    """The pool processes of a Celery worker (its child processes)."""
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def request_batch(harness, tmp: Path, **env):  # noqa: F811
    street = seed_street(full_year=False)
    _web, base = harness.start_web(**env)
    api = Api(base, "leader")
    status, accepted = api.call(
        "POST", "/api/v1/reports/", {"kind": "batch", "subject": street.area.id, "year": street.year}
    )
    assert status == 202, accepted
    return street, api, accepted["id"]


def worker_env(tmp: Path, **extra) -> dict:
    (tmp / "worker-tmp").mkdir(exist_ok=True)
    (tmp / "media").mkdir(exist_ok=True)
    return {"TMPDIR": tmp / "worker-tmp", "WORKER_TEST_MEDIA_ROOT": tmp / "media", **extra}


def mid_render(job_id: int, *, after=None) -> ReportJob | None:
    """The job once it is running and past its claim (rendering deputies), newer than ``after``."""
    job = ReportJob.objects.get(id=job_id)
    if job.status == JobStatus.RUNNING and 3 <= job.progress < 95 and (after is None or job.started_at > after):
        return job
    return None


def assert_done_once_with_a_correct_pdf(harness, api, job_id: int, street, tmp: Path):  # noqa: F811
    job = wait_for(
        lambda: (j := ReportJob.objects.get(id=job_id)).is_finished and j, timeout=240, message="the job to finish"
    )
    assert job.status == JobStatus.DONE, (job.error, harness.logs())
    # Stored once: a second finish would have saved a second file next to the first.
    stored = [p for p in (tmp / "media").rglob("*") if p.is_file()]
    assert [p.name for p in stored] == [Path(job.file.name).name]
    pdf = PdfReader(stored[0])
    assert len(pdf.pages) == job.pages
    outline = [item.title for item in pdf.outline if not isinstance(item, list)]
    assert sorted(outline[1:]) == sorted(d.name for d in street.deputies)
    # Every deputy's report has pages of its own, after the cover and contents.
    assert job.pages >= 2 + len(street.deputies)
    assert api.call("GET", f"/api/v1/reports/{job_id}/")[1]["status"] == "done"
    log = "\n".join(p.log() for p in harness.processes if p.name.startswith("reports"))
    assert log.count("succeeded in") and log.count(": 'done'") == 1, log[-4000:]
    # No scratch folder is left behind by the killed runs (pymp-*: the live worker's own multiprocessing folder).
    assert [p.name for p in (tmp / "worker-tmp").iterdir() if not p.name.startswith("pymp-")] == []


def test_a_rendering_process_killed_five_times_resumes_and_ends_done_once(harness, tmp_path):  # noqa: F811
    street, api, job_id = request_batch(harness, tmp_path)
    worker = harness.start_worker("reports", **worker_env(tmp_path))
    kills, after = 0, None
    while kills < 5:
        job = wait_for(lambda after=after: mid_render(job_id, after=after), timeout=120, message=f"render #{kills + 1}")
        children = pool_children(worker.process.pid)
        assert len(children) == 1, children
        os.kill(children[0], signal.SIGKILL)
        kills, after = kills + 1, job.started_at
    assert_done_once_with_a_correct_pdf(harness, api, job_id, street, tmp_path)
    assert worker.log().count("WorkerLostError") >= 5
    assert worker.alive()


def test_database_connections_dropped_mid_render_the_job_still_ends_done(harness, tmp_path):  # noqa: F811
    street, api, job_id = request_batch(harness, tmp_path)
    harness.start_worker("reports", **worker_env(tmp_path, WORKER_TEST_RETRY_BACKOFF=1))
    wait_for(lambda: mid_render(job_id), timeout=120, message="the render")
    # What a PostgreSQL restart does to the worker: its sessions end. Only this test database's.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = %s",
            [SUBPROCESS_APPLICATION_NAME],
        )
        assert any(terminated for (terminated,) in cursor.fetchall())
    assert_done_once_with_a_correct_pdf(harness, api, job_id, street, tmp_path)
    log = "\n".join(p.log() for p in harness.processes if p.name.startswith("reports"))
    assert "Retry in" in log, log[-4000:]
