"""Report PDFs are served only through the job's scope: its owner while they may still print its subject,
and the overseers; never under /media/."""

import pytest
from rest_framework.test import APIClient

from accounts.services import user_update
from core.roles import Role
from reports.models import JobStatus, ReportJob

pytestmark = pytest.mark.postgres


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def printed(org, settings, tmp_path, django_capture_on_commit_callbacks):
    """A deputy's own annual report, printed for real by the task (WeasyPrint)."""
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(org.main_user).post(
            "/api/v1/reports/", {"kind": "deputy_annual", "subject": org.main.id, "year": org.year}, format="json"
        )
    assert response.status_code == 202, response.content
    job = ReportJob.objects.get(pk=response.json()["id"])
    assert job.status == JobStatus.DONE
    return job


def download(user, job):
    return client_for(user).get(f"/api/v1/reports/{job.pk}/download/")


def test_the_owner_and_overseers_download_the_pdf_others_get_404(org, printed):
    for user in (org.main_user, org.office, org.leader):
        response = download(user, printed)
        assert response.status_code == 200, user
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    for user in (org.second_user, org.staff, org.officer):
        assert download(user, printed).status_code == 404, user


def test_an_owner_who_may_no_longer_print_the_subject_cannot_download_it(org, printed):
    user_update(user=org.main_user, deputy=org.deputies[2], actor=None)
    org.main_user.refresh_from_db()
    assert download(org.main_user, printed).status_code == 404
    user_update(user=org.main_user, deputy=org.main, actor=None)
    org.main_user.refresh_from_db()
    assert download(org.main_user, printed).status_code == 200


def test_an_office_account_moved_to_another_role_loses_its_reports(
    org, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    clerk = org.office
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(clerk).post(
            "/api/v1/reports/", {"kind": "station_annual", "subject": org.area.id, "year": org.year}, format="json"
        )
    job = ReportJob.objects.get(pk=response.json()["id"])
    assert download(clerk, job).status_code == 200
    user_update(user=clerk, role=Role.STATION_STAFF, stations=[org.area], actor=None)
    clerk.refresh_from_db()
    assert download(clerk, job).status_code == 404
    assert download(org.leader, job).status_code == 200


def test_job_pages_and_api_give_the_scoped_address_never_media(org, printed, client):
    detail = client_for(org.main_user).get(f"/api/v1/reports/{printed.pk}/").json()
    assert detail["download_url"] == f"/api/v1/reports/{printed.pk}/download/"
    listing = client_for(org.main_user).get("/api/v1/reports/").content.decode()
    client.force_login(org.main_user)
    pages = [client.get(f"/reports/jobs/{printed.pk}/"), client.get("/reports/print/")]
    assert all(page.status_code == 200 for page in pages)
    assert f"/api/v1/reports/{printed.pk}/download/" in pages[0].content.decode()
    for body in (listing, *(page.content.decode() for page in pages)):
        assert "/media/" not in body and printed.file.name not in body


def test_sendfile_to_nginx_leaves_the_body_to_the_web_server(org, printed, settings):
    settings.MEDIA_SENDFILE = "nginx"
    response = download(org.main_user, printed)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{printed.file.name}"
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert download(org.second_user, printed).status_code == 404


def test_the_admin_shows_the_scoped_download_not_the_storage_url(org, printed, client, make_user):
    admin_user = make_user(Role.ADMIN, username="root")
    client.force_login(admin_user)
    page = client.get(f"/admin/reports/reportjob/{printed.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert f"/api/v1/reports/{printed.pk}/download/" in body
    assert "/media/" not in body and printed.file.name not in body
