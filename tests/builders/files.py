"""Files for upload tests, made here: real images, documents, and the GIF/HTML polyglot."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

SCRIPT = b"<script>alert(document.cookie)</script>"


def png_bytes(size=(8, 8), color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def png_upload(name="photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def polyglot_gif() -> bytes:
    """A valid GIF (Pillow opens and verifies it) followed by an HTML script."""
    buffer = io.BytesIO()
    Image.new("P", (4, 4), 1).save(buffer, format="GIF", comment=SCRIPT)
    return buffer.getvalue() + b"\n<html><body>" + SCRIPT + b"</body></html>\n"


def polyglot_upload(name="evil.html") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, polyglot_gif(), content_type="text/html")


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()
