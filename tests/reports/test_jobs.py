"""Report jobs through the API and the services: who may print what, the job's life, the download.

The test settings run tasks inline once the request's transaction commits; inside a test
transaction ``on_commit`` fires only where a test captures and executes it, so the other tests
see their jobs stay pending until they run the task themselves.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from core.errors import PermissionRefused
from organisation.services import station_create, station_delete
from reports import generation, services
from reports.figures import deputies_of
from reports.models import JobStatus, ReportJob
from reports.tasks import generate_report
from tests.reports.pdf_checks import flat, page_texts, reader


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def post(user, **body):
    return client_for(user).post("/api/v1/reports/", body, format="json")


def test_a_leader_prints_a_station_report_and_downloads_the_pdf(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(org.leader, kind="station_annual", subject=org.area.id, year=org.year)
    assert response.status_code == 202
    assert set(response.json()) == {"id", "status", "progress"}
    job_id = response.json()["id"]
    detail = client_for(org.leader).get(f"/api/v1/reports/{job_id}/").json()
    assert detail["status"] == "done" and detail["progress"] == 100 and detail["error"] == ""
    assert detail["title"] == f"东湖片区实践站{org.year}年度工作报告"
    download = client_for(org.leader).get(detail["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    data = b"".join(download.streaming_content)
    assert data.startswith(b"%PDF-")
    assert len(reader(data).pages) == detail["pages"]


def test_a_deputy_prints_their_own_report_only(org):
    count = ReportJob.objects.count()
    own = post(org.main_user, kind="deputy_annual", subject=org.main.id, year=org.year)
    assert own.status_code == 202
    colleague = org.deputies[1]
    refused = [
        post(org.main_user, kind="deputy_annual", subject=colleague.id, year=org.year),
        post(org.main_user, kind="station_annual", subject=org.area.id, year=org.year),
        post(org.main_user, kind="batch", subject=org.area.id, year=org.year),
        post(org.staff, kind="station_annual", subject=org.area.id, year=org.year),
        post(org.officer, kind="deputy_annual", subject=org.main.id, year=org.year),
    ]
    assert [r.status_code for r in refused] == [403] * 5
    assert refused[0].json()["detail"] == "您无权打印这份报告。"
    assert ReportJob.objects.count() == count + 1
    assert APIClient().post("/api/v1/reports/", {}, format="json").status_code in (401, 403)


def test_only_the_requester_and_overseers_see_a_job(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job_id = post(org.main_user, kind="deputy_annual", subject=org.main.id, year=org.year).json()["id"]
    assert client_for(org.main_user).get(f"/api/v1/reports/{job_id}/").status_code == 200
    assert client_for(org.second_user).get(f"/api/v1/reports/{job_id}/").status_code == 404
    assert client_for(org.second_user).get(f"/api/v1/reports/{job_id}/download/").status_code == 404
    assert client_for(org.staff).get(f"/api/v1/reports/{job_id}/").status_code == 404
    assert client_for(org.office).get(f"/api/v1/reports/{job_id}/").status_code == 200
    assert client_for(org.leader).get(f"/api/v1/reports/{job_id}/download/").status_code == 200
    assert client_for(org.second_user).get("/api/v1/reports/").json()["count"] == 0
    assert client_for(org.main_user).get("/api/v1/reports/").json()["count"] == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "yearly", "subject": 1, "year": 2024}, "kind"),
        ({"kind": "street_annual", "year": 9999}, "year"),
        ({"kind": "street_annual", "subject": 1, "year": 2024}, "subject"),
        ({"kind": "station_annual", "year": 2024}, "subject"),
        ({"kind": "deputy_annual", "subject": 987654, "year": 2024}, "subject"),
        ({"kind": "station_annual", "subject": "东湖", "year": 2024}, "subject"),
    ],
)
def test_bad_requests_are_refused_field_by_field_and_write_nothing(org, body, field):
    response = post(org.leader, **body)
    assert response.status_code == 400
    assert field in response.json()
    assert not ReportJob.objects.exists()


def test_a_job_is_claimed_once_and_running_it_twice_changes_nothing(org):
    job = services.report_job_request(user=org.leader, kind="street_annual", subject_id=None, year=org.year)
    assert job.status == JobStatus.PENDING  # on_commit never fires inside the test transaction
    assert generate_report.apply(args=[job.id]).get() == "done"
    job.refresh_from_db()
    finished = (job.status, job.file.name, job.finished_at)
    assert finished[0] == JobStatus.DONE and job.progress == 100 and job.pages >= 2
    assert generate_report.apply(args=[job.id]).get() == "not claimed"
    job.refresh_from_db()
    assert (job.status, job.file.name, job.finished_at) == finished
    assert services.job_claim(job_id=job.id) is False


def test_progress_only_rises_while_running(org):
    job = services.report_job_request(user=org.leader, kind="street_annual", subject_id=None, year=org.year)
    services.job_progress(job_id=job.id, progress=40)
    job.refresh_from_db()
    assert job.progress == 0  # not running yet
    assert services.job_claim(job_id=job.id)
    services.job_progress(job_id=job.id, progress=40)
    services.job_progress(job_id=job.id, progress=30)
    job.refresh_from_db()
    assert (job.status, job.progress) == (JobStatus.RUNNING, 40)


def test_a_failed_render_ends_failed_with_a_readable_reason(org):
    station = station_create(name="临时实践点", kind="point", parent=org.area, address="临时地址")
    job = services.report_job_request(user=org.leader, kind="station_annual", subject_id=station.id, year=org.year)
    station_delete(station=station)  # deleted after the request, before the worker got to it
    assert generate_report.apply(args=[job.id]).get() == "failed"
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == f"联络站（编号 {station.id}）已不存在，无法生成报告。"
    assert job.finished_at is not None and not job.file
    response = client_for(org.leader).get(f"/api/v1/reports/{job.id}/download/")
    assert response.status_code == 409 and response.json()["detail"] == "报告尚未生成完成。"


@pytest.mark.postgres
def test_a_query_cancelled_by_the_statement_timeout_fails_the_job_without_a_retry(org, monkeypatch):
    job = services.report_job_request(user=org.leader, kind="street_annual", subject_id=None, year=org.year)

    def slow_query(job):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = '50ms'")
            cursor.execute("SELECT pg_sleep(2)")

    monkeypatch.setattr(generation, "run_job", slow_query)
    assert generate_report.apply(args=[job.id]).get() == "failed"
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("数据库查询耗时超过") and "已被中止" in job.error


def test_a_job_whose_worker_vanished_is_failed_when_read(org, settings):
    job = services.report_job_request(user=org.leader, kind="street_annual", subject_id=None, year=org.year)
    assert services.job_claim(job_id=job.id)
    # The worker was killed at the hard time limit: its heartbeat stopped long ago.
    long_ago = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    ReportJob.objects.filter(id=job.id).update(heartbeat_at=long_ago)
    detail = client_for(org.leader).get(f"/api/v1/reports/{job.id}/").json()
    assert detail["status"] == "failed"
    assert "后台任务进程已丢失" in detail["error"]
    # A redelivered task may claim such a job again instead.
    job2 = services.report_job_request(user=org.leader, kind="street_annual", subject_id=None, year=org.year)
    assert services.job_claim(job_id=job2.id)
    ReportJob.objects.filter(id=job2.id).update(heartbeat_at=long_ago)
    assert services.job_claim(job_id=job2.id)


def test_the_service_refuses_like_the_api(org):
    with pytest.raises(PermissionRefused):
        services.report_job_request(user=org.staff, kind="street_annual", subject_id=None, year=org.year)
    with pytest.raises(ValidationError) as error:
        services.report_job_request(user=org.leader, kind="street_annual", subject_id=None, year=1999)
    assert "year" in error.value.message_dict


def test_a_batch_merges_every_deputy_of_the_station_with_contents(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(org.leader, kind="batch", subject=org.area.id, year=org.year)
    assert response.status_code == 202
    job = ReportJob.objects.get(id=response.json()["id"])
    assert job.status == JobStatus.DONE, job.error
    data = job.file.read()
    pdf = reader(data)
    texts = [flat(t) for t in page_texts(data)]
    names = list(deputies_of(org.area).values_list("name", flat=True))
    assert sorted(names) == sorted(d.name for d in org.deputies)
    assert "人大代表履职报告汇编" in texts[0]
    contents = texts[1]
    assert "目录" in contents
    for name in names:
        assert name in contents
    outline = [item.title for item in pdf.outline if not isinstance(item, list)]
    assert outline[1:] == names
    # Page numbers run through the whole volume: every footer carries its page's place in the file.
    for index, text in enumerate(texts, start=1):
        assert f"第{index}页" in text, (index, text[-80:])
    # The cover counts the volume's pages, all of them.
    assert f"页数{len(pdf.pages)}" in texts[0]
    # Each deputy's report starts on the page the contents give, and also numbers its own pages.
    for item in pdf.outline[1:]:
        first = pdf.get_destination_page_number(item)
        section = job.pages  # narrowed below to this report's length, read from the contents
        for line in page_texts(data)[1].splitlines():
            if item.title in line:
                section = int(flat(line).split(item.title)[1].split(f"{first + 1}–")[0])
                assert f"{first + 1}–{first + section}" in flat(line)
        assert f"{item.title}代表{org.year}年度履职报告" in texts[first + 1]
        assert f"第{first + 1}页（本报告第1页共{section}页）" in texts[first]
        assert f"第{first + section}页（本报告第{section}页共{section}页）" in texts[first + section - 1]
    assert job.pages == len(pdf.pages)


def test_a_redelivered_or_retried_task_resumes_the_job_it_claimed_and_no_other_run_does(org):
    job = services.report_job_request(user=org.leader, kind="street_annual", subject_id=None, year=org.year)
    assert services.job_claim(job_id=job.id, task_id="task-1")
    services.job_progress(job_id=job.id, progress=60)
    # The worker process died: its message comes back with the same task id and resumes the job.
    assert services.job_claim(job_id=job.id, task_id="task-1")
    job.refresh_from_db()
    assert (job.status, job.progress, job.task_id) == (JobStatus.RUNNING, 1, "task-1")
    # Another message for the same job (a duplicate) does not take a live run's job.
    assert services.job_claim(job_id=job.id, task_id="task-2") is False
    assert services.job_claim(job_id=job.id) is False
    # Before a retry the job goes back to pending, only for the run that holds it.
    assert services.job_release(job_id=job.id, task_id="task-2") is False
    assert services.job_release(job_id=job.id, task_id="task-1")
    job.refresh_from_db()
    assert job.status == JobStatus.PENDING
    assert generate_report.apply(args=[job.id], task_id="task-1").get() == "done"
    # Finished: neither the same message nor another one claims it again.
    assert services.job_claim(job_id=job.id, task_id="task-1") is False
    assert generate_report.apply(args=[job.id], task_id="task-1").get() == "not claimed"


def _stale_running_job(org, settings, *, task_id="lost-task"):
    job = services.report_job_request(user=org.leader, kind="street_annual", subject_id=None, year=org.year)
    assert services.job_claim(job_id=job.id, task_id=task_id)
    long_ago = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    ReportJob.objects.filter(id=job.id).update(heartbeat_at=long_ago)
    return job


def test_the_job_list_fails_jobs_whose_worker_vanished_like_the_detail(org, settings, django_assert_num_queries):
    lost = _stale_running_job(org, settings)
    alive = services.report_job_request(user=org.leader, kind="street_annual", subject_id=None, year=org.year)
    assert services.job_claim(job_id=alive.id, task_id="alive-task")
    client = client_for(org.leader)
    client.get("/api/v1/reports/")  # warm up the session and the user's roles
    lost2 = _stale_running_job(org, settings, task_id="lost-task-2")
    with django_assert_num_queries(3):  # the stale-job UPDATE, the count, the page
        listing = client.get("/api/v1/reports/").json()
    statuses = {row["id"]: row["status"] for row in listing["results"]}
    assert statuses[lost.id] == statuses[lost2.id] == "failed"
    assert statuses[alive.id] == "running"
    for job_id, status in statuses.items():
        assert client.get(f"/api/v1/reports/{job_id}/").json()["status"] == status


def test_the_periodic_sweep_fails_jobs_whose_worker_vanished(org, settings):
    from django.core.management import call_command

    from notifications.models import TaskRun

    lost = _stale_running_job(org, settings)
    assert settings.CELERY_BEAT_SCHEDULE["reports-fail-stale-jobs"]["task"] == "reports.fail_stale_jobs"
    call_command("run_periodic_tasks", "reports.fail_stale_jobs")
    lost.refresh_from_db()
    assert lost.status == JobStatus.FAILED and "后台任务进程已丢失" in lost.error
    assert TaskRun.objects.get(task_name="reports.fail_stale_jobs").summary == {"failed": 1, "requeued": 0}
    # A redelivered message of the failed job does nothing.
    assert generate_report.apply(args=[lost.id], task_id="lost-task").get() == "not claimed"


def test_a_resumed_job_removes_what_its_killed_predecessor_left_in_its_work_folder(org):
    from reports.generation import job_workdir

    job = services.report_job_request(user=org.leader, kind="street_annual", subject_id=None, year=org.year)
    leftover = job_workdir(job.id)
    leftover.mkdir(parents=True, exist_ok=True)
    (leftover / "part-001.pdf").write_bytes(b"%PDF- half written")
    assert generate_report.apply(args=[job.id]).get() == "done"
    assert not leftover.exists()


def test_the_periodic_sweep_queues_again_a_job_whose_message_was_lost(
    org, settings, django_capture_on_commit_callbacks
):
    lost = services.report_job_request(user=org.leader, kind="street_annual", subject_id=None, year=org.year)
    recent = services.report_job_request(user=org.leader, kind="street_annual", subject_id=None, year=org.year)
    # Requested long ago; its message vanished with a Redis that kept no data.
    long_ago = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    ReportJob.objects.filter(id=lost.id).update(created_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.jobs_requeue_lost() == 1
    assert len(callbacks) == 1  # the task ran inline (test settings) when the sweep committed
    lost.refresh_from_db()
    recent.refresh_from_db()
    assert lost.status == JobStatus.DONE and recent.status == JobStatus.PENDING
    # Queued again once per sweep interval at most: right after, nothing is due.
    assert services.jobs_requeue_lost() == 0
