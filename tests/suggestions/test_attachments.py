"""Suggestion and reply attachments: checked by content, stored under generated names, downloadable
only by whoever may see the suggestion (page and API), never linked under /media/."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from suggestions import services
from suggestions.models import Attachment, Reply, State, Suggestion
from tests.builders.files import SCRIPT, docx_bytes, pdf_bytes, png_bytes, polyglot_upload
from tests.builders.suggestions import drive

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.usefixtures("media")]
GENERATED = re.compile(r"^suggestions/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|docx|png|jpg|txt)$")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def attach(world, suggestion, *files):
    return services.suggestion_update(suggestion=suggestion, actor=world.deputy, attachments=list(files))


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_attachments_are_stored_under_names_from_their_content(world):
    suggestion = drive(world, State.DRAFT)
    attach(
        world,
        suggestion,
        SimpleUploadedFile("方案.DOCX", docx_bytes(), content_type="application/octet-stream"),
        SimpleUploadedFile("说明.txt", "请尽快处理。\n".encode(), content_type="text/plain"),
        SimpleUploadedFile("现场.png", png_bytes() + b"\n" + SCRIPT, content_type="image/png"),
    )
    stored = {a.name: a.file.name for a in suggestion.attachments.all()}
    assert set(stored) == {"方案.DOCX", "说明.txt", "现场.png"}
    assert all(GENERATED.match(name) for name in stored.values()), stored
    assert stored["方案.DOCX"].endswith(".docx") and stored["说明.txt"].endswith(".txt")
    image = suggestion.attachments.get(name="现场.png")
    with image.file.open("rb") as handle:
        assert b"<script" not in handle.read()


@pytest.mark.parametrize(
    "upload",
    [
        polyglot_upload("evil.html"),
        SimpleUploadedFile("evil.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"),
        SimpleUploadedFile("tool.docx", b"MZ\x90\x00\x03\x00\x00\x00", content_type="application/octet-stream"),
        SimpleUploadedFile("page.html", docx_bytes(), content_type="text/html"),
        SimpleUploadedFile("page.txt", pdf_bytes(), content_type="text/plain"),
    ],
    ids=["gif polyglot", "html named pdf", "exe named docx", "docx named html", "pdf named txt"],
)
def test_content_that_is_not_an_allowed_kind_is_refused_in_chinese_and_writes_nothing(world, client, upload):
    suggestion = drive(world, State.DRAFT)
    client.force_login(world.deputy)
    response = client.post(
        f"/suggestions/{suggestion.pk}/edit/",
        {
            "title": suggestion.title,
            "content": suggestion.content,
            "category": suggestion.category,
            "attachments": [upload],
        },
    )
    assert response.status_code == 400
    assert "不支持此类型的文件" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_pdf_attachment_is_a_download_and_an_image_is_shown_inline(world, client):
    suggestion = drive(world, State.DRAFT)
    attach(
        world,
        suggestion,
        SimpleUploadedFile("答复.pdf", pdf_bytes(), content_type="application/pdf"),
        SimpleUploadedFile("方案.docx", docx_bytes(), content_type="text/html"),
        SimpleUploadedFile("现场.png", png_bytes(), content_type="image/png"),
    )
    client.force_login(world.deputy)
    served = {
        a.name: client.get(reverse("suggestions:attachment", args=[suggestion.pk, a.pk]))
        for a in suggestion.attachments.all()
    }
    assert all(r.status_code == 200 and r["X-Content-Type-Options"] == "nosniff" for r in served.values())
    pdf, docx, png = served["答复.pdf"], served["方案.docx"], served["现场.png"]
    assert pdf["Content-Type"] == "application/pdf" and pdf["Content-Disposition"].startswith("attachment;")
    assert b"".join(pdf.streaming_content) == pdf_bytes()
    assert docx["Content-Disposition"].startswith("attachment;") and ".docx" in docx["Content-Disposition"]
    assert docx["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert png["Content-Type"] == "image/png" and png["Content-Disposition"].startswith("inline;")


def test_a_legacy_attachment_is_never_served_as_html(world, client):
    """Files stored before kept the uploaded name; the type comes from the bytes, unknown ones are downloads."""
    suggestion = drive(world, State.DRAFT)
    attach(world, suggestion, SimpleUploadedFile("a.pdf", pdf_bytes(), content_type="application/pdf"))
    legacy = suggestion.attachments.get()
    legacy.file.storage.delete(legacy.file.name)
    name = legacy.file.storage.save("suggestions/2024/01/page.txt", SimpleUploadedFile("x", b"<html>" + SCRIPT))
    Attachment.objects.filter(pk=legacy.pk).update(file=name, name="page.txt")
    client.force_login(world.deputy)
    response = client.get(reverse("suggestions:attachment", args=[suggestion.pk, legacy.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def _replied_with_attachment(world):
    suggestion = drive(world, State.IN_PROGRESS)
    services.suggestion_reply(
        suggestion=suggestion,
        actor=world.lead_officer,
        reply_class="A",
        content="已列入今年计划。",
        attachment=SimpleUploadedFile("答复函.pdf", pdf_bytes(), content_type="application/pdf"),
    )
    return Suggestion.objects.get(pk=suggestion.pk)


def test_attachments_are_downloadable_by_who_may_see_the_suggestion_and_404_for_others(world, client):
    suggestion = _replied_with_attachment(world)
    reply = Reply.objects.get(suggestion=suggestion)
    assert reply.attachment_name == "答复函.pdf" and GENERATED.match(reply.attachment.name)
    page_url = reverse("suggestions:reply_attachment", args=[suggestion.pk, reply.pk])
    api_url = f"/api/v1/suggestions/{suggestion.pk}/replies/{reply.pk}/attachment/"
    allowed = [world.deputy, world.cosigner, world.lead_officer, world.office, world.leader, world.staff_a]
    refused = [world.other_deputy, world.other_officer, world.staff_b]
    for user in allowed:
        client.force_login(user)
        page = client.get(page_url)
        assert page.status_code == 200, user
        assert page["Content-Type"] == "application/pdf" and page["Content-Disposition"].startswith("attachment;")
        assert api(user).get(api_url).status_code == 200, user
    for user in refused:
        client.force_login(user)
        assert client.get(page_url).status_code == 404, user
        assert api(user).get(api_url).status_code == 404, user


def test_suggestion_attachments_follow_the_suggestions_scope(world, client):
    suggestion = drive(world, State.DRAFT)
    attach(world, suggestion, SimpleUploadedFile("a.pdf", pdf_bytes(), content_type="application/pdf"))
    attachment = suggestion.attachments.get()
    page_url = reverse("suggestions:attachment", args=[suggestion.pk, attachment.pk])
    api_url = f"/api/v1/suggestions/{suggestion.pk}/attachments/{attachment.pk}/"
    # A draft: the lead deputy and the invited co-signer see it, an outsider and the office do not yet.
    for user, status in [
        (world.deputy, 200),
        (world.cosigner, 200),
        (world.other_deputy, 404),
        (world.lead_officer, 404),
    ]:
        client.force_login(user)
        assert client.get(page_url).status_code == status, user
        assert api(user).get(api_url).status_code == status, user
    # Another suggestion's id with this attachment's id is a 404 too.
    other = drive(world, State.DRAFT, title="另一件建议")
    client.force_login(world.deputy)
    assert client.get(reverse("suggestions:attachment", args=[other.pk, attachment.pk])).status_code == 404
    assert client.get(reverse("suggestions:attachment", args=[suggestion.pk, attachment.pk + 999])).status_code == 404


def test_pages_and_api_link_files_through_the_scoped_views_never_media(world, client):
    suggestion = _replied_with_attachment(world)
    attachment_file = SimpleUploadedFile("a.pdf", pdf_bytes(), content_type="application/pdf")
    draft = drive(world, State.DRAFT, title="草稿")
    attach(world, draft, attachment_file)
    attachment = draft.attachments.get()
    reply = Reply.objects.get(suggestion=suggestion)
    client.force_login(world.deputy)
    bodies = {
        "detail": client.get(f"/suggestions/{suggestion.pk}/").content.decode(),
        "draft": client.get(f"/suggestions/{draft.pk}/").content.decode(),
        "edit": client.get(f"/suggestions/{draft.pk}/edit/").content.decode(),
        "api reply": api(world.deputy).get(f"/api/v1/suggestions/{suggestion.pk}/").content.decode(),
        "api draft": api(world.deputy).get(f"/api/v1/suggestions/{draft.pk}/").content.decode(),
    }
    for key, body in bodies.items():
        assert "/media/" not in body and reply.attachment.name not in body and attachment.file.name not in body, key
    assert reverse("suggestions:reply_attachment", args=[suggestion.pk, reply.pk]) in bodies["detail"]
    assert reverse("suggestions:attachment", args=[draft.pk, attachment.pk]) in bodies["draft"]
    assert reverse("suggestions:attachment", args=[draft.pk, attachment.pk]) in bodies["edit"]
    reply_json = api(world.deputy).get(f"/api/v1/suggestions/{suggestion.pk}/").json()["replies"][0]
    assert reply_json["attachment"] == f"/api/v1/suggestions/{suggestion.pk}/replies/{reply.pk}/attachment/"
    draft_json = api(world.deputy).get(f"/api/v1/suggestions/{draft.pk}/").json()
    assert draft_json["attachments"][0]["url"] == f"/api/v1/suggestions/{draft.pk}/attachments/{attachment.pk}/"


def test_the_api_detail_reads_attachments_in_a_constant_number_of_queries(world):
    suggestion = drive(world, State.DRAFT)
    attach(world, suggestion, SimpleUploadedFile("a.pdf", pdf_bytes(), content_type="application/pdf"))
    client = api(world.deputy)
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"/api/v1/suggestions/{suggestion.pk}/").status_code == 200
    attach(world, suggestion, *[SimpleUploadedFile(f"{i}.pdf", pdf_bytes()) for i in range(4)])
    with CaptureQueriesContext(connection) as five:
        response = client.get(f"/api/v1/suggestions/{suggestion.pk}/")
    assert len(response.json()["attachments"]) == 5
    assert len(five) == len(one)


def test_sendfile_headers_stay_ascii_for_legacy_names(world, client, settings):
    """Files stored before kept names such as 现场照片.png: the web server gets them percent-encoded."""
    suggestion = drive(world, State.DRAFT)
    attach(world, suggestion, SimpleUploadedFile("a.png", png_bytes(), content_type="image/png"))
    attachment = suggestion.attachments.get()
    storage = attachment.file.storage
    name = storage.save("suggestions/2024/01/现场照片.png", SimpleUploadedFile("x", png_bytes()))
    Attachment.objects.filter(pk=attachment.pk).update(file=name, name="现场照片.png")
    url = reverse("suggestions:attachment", args=[suggestion.pk, attachment.pk])
    client.force_login(world.deputy)
    settings.MEDIA_SENDFILE = "nginx"
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert (
        response["X-Accel-Redirect"] == "/protected-media/suggestions/2024/01/%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.png"
    )
    settings.MEDIA_SENDFILE = "apache"
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Sendfile"].endswith("/suggestions/2024/01/%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.png")
