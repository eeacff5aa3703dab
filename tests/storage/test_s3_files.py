"""Uploads stored in an S3-compatible bucket (a moto server over HTTP): written through the real upload
paths, nothing on local disk, and served only after the scope check, streamed from the bucket."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from liaison.models import OpinionPhoto
from livelihood.models import ProgressPhoto
from suggestions.models import Reply, State
from tests.builders.files import SCRIPT, pdf_bytes, polyglot_upload
from tests.builders.suggestions import drive

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.usefixtures("s3_storage")]


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_default_storage_is_the_bucket(s3_storage):
    from storages.backends.s3 import S3Storage

    assert isinstance(default_storage, S3Storage)
    assert default_storage.bucket_name == s3_storage.name


def test_an_opinion_photo_uploaded_through_the_api_lands_in_the_bucket_and_is_served_by_scope(
    s3_storage, reception_street, client
):
    street = reception_street
    response = api(street.staff_a).post(
        "/api/v1/opinions/",
        {"station": street.a.pk, "category": "safety", "content": "井盖松动", "photos": [polyglot_upload()]},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    photo = OpinionPhoto.objects.get()
    assert s3_storage.keys() == [photo.image.name]
    stored = s3_storage.read(photo.image.name)
    assert b"<script" not in stored.lower()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "PNG"

    url = reverse("liaison:opinion_photo", args=[photo.opinion_id, photo.pk])
    client.force_login(street.staff_a)
    served = client.get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png" and served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Length"] == str(len(stored))
    assert b"".join(served.streaming_content) == stored
    # No bucket address is handed out: the bytes come through the application.
    assert s3_storage.endpoint not in str(served.headers) and "Location" not in served

    client.force_login(street.staff_b)
    assert client.get(url).status_code == 404


def test_a_reply_attachment_uploaded_through_the_api_lands_in_the_bucket_and_is_served_by_scope(
    s3_storage, world, client
):
    suggestion = drive(world, State.IN_PROGRESS)
    letter = pdf_bytes()
    response = api(world.lead_officer).post(
        f"/api/v1/suggestions/{suggestion.pk}/reply/",
        {"reply_class": "A", "content": "已列入今年计划。", "attachment": SimpleUploadedFile("答复函.pdf", letter)},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    reply = Reply.objects.get(suggestion=suggestion)
    assert s3_storage.keys() == [reply.attachment.name]
    assert s3_storage.read(reply.attachment.name) == letter

    page_url = reverse("suggestions:reply_attachment", args=[suggestion.pk, reply.pk])
    api_url = f"/api/v1/suggestions/{suggestion.pk}/replies/{reply.pk}/attachment/"
    client.force_login(world.deputy)
    page = client.get(page_url)
    assert page.status_code == 200
    assert page["Content-Type"] == "application/pdf" and page["Content-Disposition"].startswith("attachment;")
    assert b"".join(page.streaming_content) == letter
    assert b"".join(api(world.deputy).get(api_url).streaming_content) == letter
    for outsider in (world.other_deputy, world.staff_b):
        client.force_login(outsider)
        assert client.get(page_url).status_code == 404, outsider
        assert api(outsider).get(api_url).status_code == 404, outsider


def test_content_is_typed_from_the_bytes_in_the_bucket_too(s3_storage, world, client):
    """An object whose bytes are a web page is a plain download, whatever its name says."""
    suggestion = drive(world, State.IN_PROGRESS)
    api(world.lead_officer).post(
        f"/api/v1/suggestions/{suggestion.pk}/reply/",
        {"reply_class": "A", "content": "答复", "attachment": SimpleUploadedFile("答复函.pdf", pdf_bytes())},
        format="multipart",
    )
    reply = Reply.objects.get(suggestion=suggestion)
    hostile = b"<html>" + SCRIPT + b"x" * 100_000  # longer than the sniffed head and one streamed chunk
    s3_storage.client().put_object(Bucket=s3_storage.name, Key=reply.attachment.name, Body=hostile)
    client.force_login(world.deputy)
    response = client.get(reverse("suggestions:reply_attachment", args=[suggestion.pk, reply.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == hostile


def test_an_object_missing_from_the_bucket_is_a_404(s3_storage, world, client):
    suggestion = drive(world, State.IN_PROGRESS)
    api(world.lead_officer).post(
        f"/api/v1/suggestions/{suggestion.pk}/reply/",
        {"reply_class": "A", "content": "答复", "attachment": SimpleUploadedFile("答复函.pdf", pdf_bytes())},
        format="multipart",
    )
    reply = Reply.objects.get(suggestion=suggestion)
    s3_storage.client().delete_object(Bucket=s3_storage.name, Key=reply.attachment.name)
    client.force_login(world.deputy)
    assert client.get(reverse("suggestions:reply_attachment", args=[suggestion.pk, reply.pk])).status_code == 404


def test_files_with_the_same_name_never_overwrite_each_other(s3_storage):
    first = default_storage.save("reports/2026/report.pdf", SimpleUploadedFile("x", b"%PDF-1 first"))
    second = default_storage.save("reports/2026/report.pdf", SimpleUploadedFile("x", b"%PDF-1 second"))
    assert first != second
    assert s3_storage.read(first) == b"%PDF-1 first" and s3_storage.read(second) == b"%PDF-1 second"


def test_urls_the_storage_makes_are_presigned_and_short_lived(s3_storage):
    from urllib.parse import parse_qs, urlsplit

    name = default_storage.save("opinions/2026/01/x.png", SimpleUploadedFile("x", b"x"))
    query = parse_qs(urlsplit(default_storage.url(name)).query)
    assert query["X-Amz-Expires"] == ["60"] and "X-Amz-Signature" in query
    # The bucket itself refuses an unsigned request.
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{s3_storage.endpoint}/{s3_storage.name}/{name}", timeout=10)
    assert refused.value.code == 403


def test_sendfile_never_applies_to_files_in_the_bucket(s3_storage, world, client, settings):
    """The settings refuse MEDIA_SENDFILE with S3; even if set, the bytes are streamed, not left to a web server."""
    settings.MEDIA_SENDFILE = "nginx"
    suggestion = drive(world, State.IN_PROGRESS)
    letter = pdf_bytes()
    api(world.lead_officer).post(
        f"/api/v1/suggestions/{suggestion.pk}/reply/",
        {"reply_class": "A", "content": "答复", "attachment": SimpleUploadedFile("答复函.pdf", letter)},
        format="multipart",
    )
    reply = Reply.objects.get(suggestion=suggestion)
    client.force_login(world.deputy)
    response = client.get(reverse("suggestions:reply_attachment", args=[suggestion.pk, reply.pk]))
    assert response.status_code == 200 and "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content) == letter


def test_a_progress_photo_uploaded_through_the_page_lands_in_the_bucket_and_is_served_by_scope(
    s3_storage, livelihood_street, client
):
    street = livelihood_street
    _cycle, (project, _other) = street.implementing()
    client.force_login(street.unit_officer)
    response = client.post(
        f"/livelihood/projects/{project.pk}/progress/",
        {"percent": 40, "note": "基础完工", "photos": [polyglot_upload("site.gif")]},
    )
    assert response.status_code == 302
    photo = ProgressPhoto.objects.get()
    assert s3_storage.keys() == [photo.image.name]
    stored = s3_storage.read(photo.image.name)
    served = client.get(f"/livelihood/photos/{photo.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == stored
    client.force_login(street.other_officer)
    assert client.get(f"/livelihood/photos/{photo.pk}/").status_code == 404
