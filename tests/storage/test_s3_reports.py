"""Several hosts, one bucket: a report PDF requested on one web process, rendered by a real Celery worker
and downloaded through other web processes, with no local disk shared between any of them (each has a
MEDIA_ROOT of its own, which stays empty)."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from reports.models import JobStatus, ReportJob
from tests.reports.seed import seed_street
from tests.reports.test_worker import Api, follow
from tests.storage.conftest import files_under
from tests.worker.conftest import harness, wait_for  # noqa: F401  (``harness`` is a fixture)

pytestmark = [pytest.mark.worker, pytest.mark.postgres]


def test_a_pdf_rendered_by_a_worker_is_downloaded_from_other_web_processes(
    harness,  # noqa: F811
    bucket,
    s3_storage,
    tmp_path,
):
    street = seed_street(full_year=False)
    media = {host: tmp_path / f"{host}-media" for host in ("web-1", "web-2", "worker")}
    for folder in media.values():
        folder.mkdir()

    _web, first_host = harness.start_web("web-1", WORKER_TEST_MEDIA_ROOT=media["web-1"], **bucket.env())
    api = Api(first_host, "leader")
    status, accepted = api.call(
        "POST", "/api/v1/reports/", {"kind": "station_annual", "subject": street.area.id, "year": street.year}
    )
    assert status == 202, accepted
    harness.start_worker("reports", WORKER_TEST_MEDIA_ROOT=media["worker"], **bucket.env())
    seen = follow(api, accepted["id"], timeout=240)
    assert seen[-1][0] == "done", (seen, harness.logs())

    job = ReportJob.objects.get(pk=accepted["id"])
    assert job.status == JobStatus.DONE and job.file.name.startswith(f"reports/{street.year}/")
    assert bucket.keys() == [job.file.name]
    pdf = bucket.read(job.file.name)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 10_000

    # Another web host (a second server process) serves it from the bucket...
    _web2, second_host = harness.start_web("web-2", WORKER_TEST_MEDIA_ROOT=media["web-2"], **bucket.env())
    code, body = Api(second_host, "leader").call("GET", f"/api/v1/reports/{job.pk}/download/")
    assert code == 200 and body == pdf
    # ...and so does this process (the s3_storage fixture: the same bucket, a MEDIA_ROOT of its own).
    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(username="leader"))
    response = client.get(f"/api/v1/reports/{job.pk}/download/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == pdf
    # Someone outside the report's scope gets nothing.
    outsider = get_user_model().objects.exclude(username="leader").filter(deputy__isnull=False).first()
    client.force_authenticate(outsider)
    assert client.get(f"/api/v1/reports/{job.pk}/download/").status_code == 404

    for host, folder in media.items():
        assert files_under(folder) == [], host
