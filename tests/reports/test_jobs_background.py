"""Without a broker, a report job runs in a background thread of the web process, not in the request."""

import threading

import pytest
from django.db import connections
from rest_framework.test import APIClient

from core import tasks as core_tasks
from reports.models import JobStatus, ReportJob
from tests.reports.seed import seed_street

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def no_broker(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EAGER_TASKS_IN_BACKGROUND = True


def test_the_request_answers_before_the_job_runs_and_the_thread_finishes_it(no_broker):
    street = seed_street(full_year=False)
    client = APIClient()
    client.force_authenticate(street.leader)
    gate = threading.Event()
    busy = core_tasks.detached_executor().submit(
        gate.wait, 60
    )  # the background thread is busy: the job has to wait its turn
    try:
        response = client.post(
            "/api/v1/reports/", {"kind": "station_annual", "subject": street.area.id, "year": street.year}
        )
        assert response.status_code == 202
        job = ReportJob.objects.get(id=response.json()["id"])
        assert job.status == JobStatus.PENDING  # the request did not print it
    finally:
        gate.set()
    busy.result(timeout=60)
    core_tasks.detached_executor().submit(connections.close_all).result(
        timeout=300
    )  # queued after the job: the job is done
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.progress == 100 and job.pages and job.progress_note == ""


def test_with_the_background_thread_off_the_job_runs_in_the_request(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EAGER_TASKS_IN_BACKGROUND = False
    street = seed_street(full_year=False)
    client = APIClient()
    client.force_authenticate(street.leader)
    response = client.post(
        "/api/v1/reports/", {"kind": "station_annual", "subject": street.area.id, "year": street.year}
    )
    assert ReportJob.objects.get(id=response.json()["id"]).status == JobStatus.DONE
