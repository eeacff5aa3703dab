"""Checking uploaded files before they are stored: one place for every app.

An upload's name and its declared content type come from the browser and are never
trusted. The content is identified from its bytes (``filetype``), the file is stored
under a generated name whose extension is derived from that content, and images are
decoded and re-encoded with Pillow, so bytes hidden after or inside an image (a GIF
followed by ``<script>``, metadata, comments) are dropped. Serving is in ``core.files``.

Services call ``clean_image`` (photos) or ``clean_document`` (attachments) and save
the ``ContentFile`` they return; each raises ``ValidationError({field: message})``.
"""

import io
import uuid
import zipfile
from pathlib import PurePath

import filetype
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format → how it is stored after re-encoding. Photos stay JPEG; everything else
# becomes PNG (lossless), so a GIF or WebP loses its animation and whatever it carried.
IMAGE_OUTPUT = {"JPEG": ("JPEG", "jpg"), "PNG": ("PNG", "png"), "GIF": ("PNG", "png"), "WEBP": ("PNG", "png")}
PHOTO_FORMATS = frozenset(IMAGE_OUTPUT)
# Refuse images that would take too much memory to decode (about 160 MB as RGBA).
MAX_IMAGE_PIXELS = 40_000_000
# Bytes read to identify a file (filetype looks at the first 8 KB).
SNIFF_BYTES = 8192

# Attachment kinds by the extension they are stored with; images among them are re-encoded.
DOCUMENT_KINDS = frozenset({"pdf", "doc", "docx", "xls", "xlsx", "txt", "jpg", "png"})
_OOXML_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_TEXT_ENCODINGS = ("utf-8", "gb18030")


def generated_name(extension: str) -> str:
    """A fresh random file name with ``extension``; the directory comes from the field's ``upload_to``."""
    return f"{uuid.uuid4().hex}.{extension}"


def display_name(upload, limit: int = 200) -> str:
    """The uploaded file's base name, for showing and for the download name (never used on disk)."""
    name = PurePath(str(getattr(upload, "name", "") or "").replace("\\", "/")).name
    return "".join(ch for ch in name if ch.isprintable())[:limit] or "file"


def declared_extension(upload) -> str:
    """The extension of the uploaded name, lower case, ``jpeg`` read as ``jpg``; "" without one."""
    name = display_name(upload)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return "jpg" if extension in ("jpeg", "jpe") else extension


def _read(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _check_size(upload, field: str, max_bytes: int | None, message: str | None) -> None:
    if max_bytes is not None and (upload.size or 0) > max_bytes:
        raise ValidationError(
            {field: [message or _("The file is larger than %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)}]}
        )


def reencode_image(data: bytes, *, formats=PHOTO_FORMATS) -> tuple[bytes, str]:
    """Decode ``data`` and encode the pixels again: (new bytes, extension). ``ValueError`` if it is no such image.

    Only the first frame is kept and no metadata (EXIF, ICC, comments, text chunks) is copied;
    the EXIF orientation is applied to the pixels first so that photos stay upright.
    """
    try:
        with Image.open(io.BytesIO(data)) as probe:
            source_format = probe.format
            probe.verify()
        if source_format not in formats or source_format not in IMAGE_OUTPUT:
            raise ValueError(f"format {source_format} is not accepted")
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width < 1 or height < 1 or width * height > MAX_IMAGE_PIXELS:
                raise ValueError("image too large")
            image.seek(0)
            image.load()
            image = ImageOps.exif_transpose(image) or image
            output_format, extension = IMAGE_OUTPUT[source_format]
            has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
            if output_format == "JPEG" or not has_alpha:
                clean = image.convert("RGB")
            else:
                clean = image.convert("RGBA")
            clean.info = {}
            buffer = io.BytesIO()
            if output_format == "JPEG":
                clean.save(buffer, format="JPEG", quality=90)
            else:
                clean.save(buffer, format="PNG")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as exc:
        raise ValueError(str(exc)) from None
    return buffer.getvalue(), extension


def clean_image(
    upload,
    *,
    field: str,
    max_bytes: int | None = None,
    formats=PHOTO_FORMATS,
    invalid_message: str | None = None,
    too_big_message: str | None = None,
) -> ContentFile:
    """A verified, re-encoded copy of an uploaded image under a generated ``.jpg``/``.png`` name."""
    _check_size(upload, field, max_bytes, too_big_message)
    try:
        data, extension = reencode_image(_read(upload), formats=formats)
    except ValueError:
        raise ValidationError(
            {field: [invalid_message or _("Only JPEG, PNG, WebP or GIF photos can be attached.")]}
        ) from None
    return ContentFile(data, name=generated_name(extension))


def _ooxml_kind(data: bytes) -> str | None:
    """``docx`` or ``xlsx`` when ``data`` is such an Office Open XML package, else None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for extension, part in _OOXML_PARTS.items():
        if part in names:
            return extension
    return None


def _is_plain_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in _TEXT_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return all(ch.isprintable() or ch in "\t\r\n\f" for ch in text)
    return False


def document_kind(data: bytes) -> str | None:
    """The extension the content of ``data`` deserves among ``DOCUMENT_KINDS``, or None."""
    guess = filetype.guess(data[:SNIFF_BYTES])
    extension = guess.extension if guess else None
    if extension in ("zip", "docx", "xlsx"):
        return _ooxml_kind(data)
    if extension in ("pdf", "doc", "xls", "jpg", "png"):
        return extension
    if guess is None and _is_plain_text(data):
        return "txt"
    return None


def clean_document(
    upload,
    *,
    field: str,
    kinds=DOCUMENT_KINDS,
    max_bytes: int | None = None,
    invalid_message: str | None = None,
    too_big_message: str | None = None,
) -> ContentFile:
    """A verified copy of an uploaded attachment under a generated name with its content's extension.

    The content must be one of ``kinds`` and agree with the uploaded name's extension (a PDF is
    not accepted as ``.html``, nor a web page as ``.pdf`` or ``.txt`` as anything else), so what
    people download is what they were shown. Images among ``kinds`` (``jpg``, ``png``) are
    re-encoded like photos.
    """
    _check_size(upload, field, max_bytes, too_big_message)
    data = _read(upload)
    kind = document_kind(data)
    message = invalid_message or _("Files of this type cannot be attached; use one of: %(types)s.") % {
        "types": ", ".join(sorted(kinds))
    }
    if kind is None or kind not in kinds or declared_extension(upload) != kind:
        raise ValidationError({field: [message]})
    if kind in ("jpg", "png"):
        try:
            data, kind = reencode_image(data, formats={"JPEG", "PNG"})
        except ValueError:
            raise ValidationError({field: [message]}) from None
    return ContentFile(data, name=generated_name(kind))
