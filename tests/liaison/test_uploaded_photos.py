"""Opinion photos: a GIF/HTML polyglot named evil.html, sent through the public page, the public API
and the staff API, is stored re-encoded under a generated name and only ever served as an image."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from liaison.models import Opinion, OpinionPhoto
from tests.builders.files import polyglot_gif, polyglot_upload
from tests.liaison import reception_support
from tests.liaison.reception_support import fresh_ip

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.usefixtures("isolated_rate_limits", "media")]
street = reception_support.street
isolated_rate_limits = reception_support.isolated_rate_limits
GENERATED = re.compile(r"^opinions/\d{4}/\d{2}/[0-9a-f]{32}\.(png|jpg)$")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def submit_public_page(client, street):
    return client.post(
        reverse("liaison:public_station", args=[street.a.pk]),
        {"category": "environment", "content": "河道有异味", "consent": "on", "photos": polyglot_upload()},
        REMOTE_ADDR=fresh_ip(),
    )


def submit_public_api(client, street):
    return client.post(
        "/api/v1/public/opinions/",
        {"station": street.a.pk, "category": "traffic", "content": "路口的红绿灯坏了", "photos": [polyglot_upload()]},
        REMOTE_ADDR=fresh_ip(),
    )


def submit_staff_api(client, street):
    client.force_login(street.staff_a)
    return client.post(
        "/api/v1/opinions/",
        {"station": street.a.pk, "category": "safety", "content": "井盖松动", "photos": [polyglot_upload()]},
    )


@pytest.mark.parametrize(
    "submit,status",
    [(submit_public_page, 302), (submit_public_api, 201), (submit_staff_api, 201)],
    ids=["public page", "public API", "staff API"],
)
def test_a_polyglot_photo_is_stored_re_encoded_and_served_as_an_image(client, street, submit, status):
    response = submit(client, street)
    assert response.status_code == status, response.content
    photo = OpinionPhoto.objects.get()
    assert GENERATED.match(photo.image.name), photo.image.name
    with photo.image.open("rb") as handle:
        stored = handle.read()
    assert b"<script" not in stored.lower() and b"<html" not in stored.lower()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "PNG" and image.size == (4, 4)

    client.force_login(street.staff_a)
    served = client.get(reverse("liaison:opinion_photo", args=[photo.opinion_id, photo.pk]))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"].startswith("inline;") and ".html" not in served["Content-Disposition"]
    assert b"".join(served.streaming_content) == stored


def test_a_photo_stored_before_under_its_uploaded_name_is_served_by_its_content(client, street):
    """Older rows kept the browser's name; serving must not take the type from it."""
    submit_staff_api(client, street)
    opinion = Opinion.objects.get()
    photo = OpinionPhoto(opinion=opinion)
    photo.image.save("evil.html", ContentFile(polyglot_gif()), save=True)
    assert photo.image.name.endswith("evil.html")
    client.force_login(street.staff_a)
    served = client.get(reverse("liaison:opinion_photo", args=[opinion.pk, photo.pk]))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/gif" and served["X-Content-Type-Options"] == "nosniff"
    assert "evil.html" not in served["Content-Disposition"]
    client.force_login(street.staff_b)
    assert client.get(reverse("liaison:opinion_photo", args=[opinion.pk, photo.pk])).status_code == 404


def test_a_missing_photo_file_is_a_404(client, street):
    submit_staff_api(client, street)
    photo = OpinionPhoto.objects.get()
    photo.image.storage.delete(photo.image.name)
    assert client.get(reverse("liaison:opinion_photo", args=[photo.opinion_id, photo.pk])).status_code == 404


def test_opinion_pages_and_api_link_photos_only_through_the_scoped_view(client, street):
    submit_staff_api(client, street)
    photo = OpinionPhoto.objects.get()
    scoped = reverse("liaison:opinion_photo", args=[photo.opinion_id, photo.pk])
    page = client.get(reverse("liaison:opinion_detail", args=[photo.opinion_id])).content.decode()
    detail = client.get(f"/api/v1/opinions/{photo.opinion_id}/")
    api_url = f"/api/v1/opinions/{photo.opinion_id}/photos/{photo.pk}/"
    assert scoped in page and detail.json()["photos"] == [api_url]
    for body in (page, detail.content.decode()):
        assert "/media/" not in body and photo.image.name not in body


def test_api_clients_download_photos_through_the_opinions_scope(client, street):
    submit_staff_api(client, street)
    photo = OpinionPhoto.objects.get()
    url = f"/api/v1/opinions/{photo.opinion_id}/photos/{photo.pk}/"
    for user, status in [
        (street.staff_a, 200),
        (street.office, 200),
        (street.staff_b, 404),
        (street.outsider_user, 404),
    ]:
        api = APIClient()
        api.force_authenticate(user)
        response = api.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    assert APIClient().get(url).status_code in (401, 403)


def test_sendfile_settings_hand_the_body_to_the_web_server(client, street, settings):
    submit_staff_api(client, street)
    photo = OpinionPhoto.objects.get()
    url = reverse("liaison:opinion_photo", args=[photo.opinion_id, photo.pk])
    settings.MEDIA_SENDFILE = "nginx"
    response = client.get(url)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{photo.image.name}"
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    settings.MEDIA_SENDFILE = "apache"
    response = client.get(url)
    assert response["X-Sendfile"] == photo.image.path and response.content == b""
    assert "X-Accel-Redirect" not in response
    client.force_login(street.staff_b)
    assert client.get(url).status_code == 404
