"""core.uploads and core.files on their own: kinds read from the bytes, the sendfile settings, no /media/ route."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from core.uploads import clean_document, clean_image, display_name, document_kind
from tests.builders.files import SCRIPT, docx_bytes, pdf_bytes, png_bytes, polyglot_gif
from tests.test_settings import run_python


def test_kinds_come_from_the_content():
    assert document_kind(pdf_bytes()) == "pdf"
    assert document_kind(docx_bytes()) == "docx"
    assert document_kind(png_bytes()) == "png"
    assert document_kind("会议纪要\r\n".encode("gb18030")) == "txt"
    assert document_kind(polyglot_gif()) is None  # GIF is not an attachment kind
    assert document_kind(b"PK\x03\x04 not really a zip") is None
    assert document_kind(b"\x00\x01binary") is None


def test_clean_image_keeps_jpeg_photos_upright_and_drops_their_metadata():
    buffer = io.BytesIO()
    image = Image.new("RGB", (6, 3), (10, 200, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90° clockwise
    exif[0x010E] = "<script>x</script>"
    image.save(buffer, format="JPEG", exif=exif)
    cleaned = clean_image(SimpleUploadedFile("p.jpeg", buffer.getvalue()), field="photos")
    assert cleaned.name.endswith(".jpg") and len(cleaned.name) == 36
    data = cleaned.read()
    assert b"<script" not in data and b"Exif" not in data
    with Image.open(io.BytesIO(data)) as result:
        assert result.format == "JPEG" and result.size == (3, 6)


def test_clean_image_refuses_what_is_not_an_image_and_oversized_files():
    for data in (b"<html>" + SCRIPT, b"GIF89a" + SCRIPT, b""):
        with pytest.raises(ValidationError) as refused:
            clean_image(SimpleUploadedFile("x.gif", data), field="photos")
        assert list(refused.value.message_dict) == ["photos"]
    with pytest.raises(ValidationError):
        clean_image(SimpleUploadedFile("x.png", png_bytes()), field="photos", max_bytes=10)


def test_clean_image_turns_a_polyglot_gif_into_a_clean_png():
    cleaned = clean_image(SimpleUploadedFile("evil.html", polyglot_gif()), field="photos")
    data = cleaned.read()
    assert cleaned.name.endswith(".png") and b"<script" not in data and data.startswith(b"\x89PNG")


def test_clean_document_needs_the_name_and_the_content_to_agree():
    assert clean_document(SimpleUploadedFile("a.PDF", pdf_bytes()), field="f").name.endswith(".pdf")
    for name, data in [("a.html", pdf_bytes()), ("a.pdf", b"<html></html>"), ("a", pdf_bytes())]:
        with pytest.raises(ValidationError):
            clean_document(SimpleUploadedFile(name, data), field="f")


def test_display_names_lose_any_directory():
    assert display_name(SimpleUploadedFile("../../etc/passwd", b"x")) == "passwd"
    assert display_name(SimpleUploadedFile("C:\\Users\\a\\报告.pdf", b"x")) == "报告.pdf"


@pytest.mark.django_db
def test_nothing_is_served_under_media():
    assert Client().get("/media/opinions/2026/01/x.png").status_code == 404


def _sendfile(**env):
    code = "import django; django.setup(); from django.conf import settings; print(settings.MEDIA_SENDFILE)"
    return run_python(["-c", code], DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1", **env)


def test_the_sendfile_setting_defaults_to_off_and_refuses_unknown_values():
    assert _sendfile().stdout.strip() == "off"
    assert _sendfile(MEDIA_SENDFILE="nginx").stdout.strip() == "nginx"
    refused = _sendfile(MEDIA_SENDFILE="lighttpd")
    assert refused.returncode != 0 and "ImproperlyConfigured: MEDIA_SENDFILE='lighttpd'" in refused.stderr
    refused = _sendfile(MEDIA_SENDFILE="nginx", MEDIA_SENDFILE_PREFIX="protected")
    assert refused.returncode != 0 and "MEDIA_SENDFILE_PREFIX" in refused.stderr
