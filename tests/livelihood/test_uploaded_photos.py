"""Progress photos go through core.uploads like every upload: re-encoded, generated names, served as images."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from livelihood.models import ProgressPhoto, ProgressUpdate
from livelihood.services.projects import progress_record
from tests.builders.files import polyglot_upload

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
GENERATED = re.compile(r"^livelihood/progress/\d{4}/\d{2}/[0-9a-f]{32}\.png$")


def test_a_polyglot_progress_photo_is_re_encoded_and_served_as_an_image(street, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _cycle, (project, _other) = street.implementing()
    client.force_login(street.unit_officer)
    response = client.post(
        f"/livelihood/projects/{project.pk}/progress/",
        {"percent": 40, "note": "基础完工", "photos": [polyglot_upload("site.gif")]},
    )
    assert response.status_code == 302
    photo = ProgressPhoto.objects.get()
    assert GENERATED.match(photo.image.name), photo.image.name
    with photo.image.open("rb") as handle:
        assert b"<script" not in handle.read()
    served = client.get(f"/livelihood/photos/{photo.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff" and served["Content-Disposition"].startswith("inline;")
    page = client.get(f"/livelihood/projects/{project.pk}/").content.decode()
    api = client.get(f"/api/v1/livelihood/projects/{project.pk}/").content.decode()
    api_url = f"/api/v1/livelihood/projects/{project.pk}/photos/{photo.pk}/"
    assert f"/livelihood/photos/{photo.pk}/" in page and api_url in api
    assert "/media/" not in page and "/media/" not in api and photo.image.name not in page + api
    assert client.get(api_url)["Content-Type"] == "image/png"
    client.force_login(street.other_officer)
    assert client.get(f"/livelihood/photos/{photo.pk}/").status_code == 404
    assert client.get(api_url).status_code == 404
    # The photo's id under another project is not found either, even for the office that sees both.
    client.force_login(street.office)
    assert client.get(api_url).status_code == 200
    assert client.get(f"/api/v1/livelihood/projects/{_other.pk}/photos/{photo.pk}/").status_code == 404


def test_a_non_image_progress_photo_is_refused_and_writes_nothing(street, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _cycle, (project, _other) = street.implementing()
    with pytest.raises(ValidationError) as refused:
        progress_record(
            project=project,
            percent=30,
            note="x",
            actor=street.unit_officer,
            photos=[SimpleUploadedFile("a.png", b"<svg onload=alert(1)>", content_type="image/png")],
        )
    assert "photos" in refused.value.message_dict
    assert not ProgressUpdate.objects.exists() and not ProgressPhoto.objects.exists()
