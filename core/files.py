"""Serving stored files (uploads and generated reports): one helper for every view.

Stored files are never reachable under ``/media/``: each is served by a view that first
finds its record through the user's scope, then calls ``serve_file``. The content type
comes from the file's bytes, never from its stored name (older uploads kept the name the
browser sent); only JPEG, PNG, GIF and WebP images are shown inline, everything else is
an attachment. Every response says ``nosniff``, is private to the user and carries a
CSP that forbids scripts, in case a browser opens it anyway.

Files are read through the storage API only, so they may live on local disk or in an
S3-compatible object store (``FILE_STORAGE``, config/storage.py). From an object store the
bytes are streamed through the application in chunks, never handed out as a bucket URL.
With local disk and ``MEDIA_SENDFILE=nginx`` (or ``apache``) the body is left to the web
server through ``X-Accel-Redirect`` (``X-Sendfile``); the permission check still happens here.
"""

from pathlib import PurePath
from urllib.parse import quote

import filetype
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
# Types a download may be labelled with; anything else is application/octet-stream.
DOWNLOAD_TYPES = INLINE_TYPES | {
    "application/pdf",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
OCTET_STREAM = "application/octet-stream"
SNIFF_BYTES = 8192
# Bytes read from the store per chunk of a streamed response.
STREAM_CHUNK = 64 * 1024
FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def sniff(head: bytes) -> tuple[str, str | None]:
    """(content type, extension) of a file from its first bytes; octet-stream when unknown or not allowed."""
    guess = filetype.guess(head)
    if guess is None or guess.mime not in DOWNLOAD_TYPES:
        return OCTET_STREAM, None
    return guess.mime, guess.extension


def _download_name(filename: str | None, stored_name: str, extension: str | None) -> str:
    """The name offered to the browser: the given one (or the stored one), with the content's extension."""
    name = PurePath((filename or PurePath(stored_name).name).replace("\\", "/")).name or "file"
    if extension:
        stem = name.rsplit(".", 1)[0] if "." in name else name
        name = f"{stem}.{extension}"
    return name


def _harden(response: HttpResponse, *, content_type: str, inline: bool, name: str) -> HttpResponse:
    response["Content-Type"] = content_type
    response["Content-Disposition"] = content_disposition_header(not inline, name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def serve_file(fieldfile, *, filename: str | None = None, content_type: str | None = None) -> HttpResponse:
    """Serve the file of ``fieldfile`` (a ``FieldFile``) to a user already allowed to see its record.

    ``filename`` is the name offered for saving (its extension is replaced by the content's);
    ``content_type`` may be given for files the application generated itself (report PDFs).
    A missing file is a 404.
    """
    stored = getattr(fieldfile, "name", "") or ""
    if not stored:
        raise Http404(_("The file is missing."))
    storage = fieldfile.storage
    local = isinstance(storage, FileSystemStorage)
    handle, size = (_open_local if local else _open_remote)(storage, stored)
    try:
        head = _read_head(handle)
    except BaseException:
        handle.close()
        raise
    sniffed_type, extension = sniff(head)
    if content_type is None:
        content_type = sniffed_type
    elif content_type != sniffed_type:
        # The application's own files must be what they claim to be; otherwise they are plain downloads.
        content_type, extension = OCTET_STREAM, None
    inline = content_type in INLINE_TYPES
    name = _download_name(filename, stored, extension)
    mode = settings.MEDIA_SENDFILE if local else "off"
    if mode == "off":
        if local:
            handle.seek(0)
            response = FileResponse(handle)
        else:
            response = StreamingHttpResponse(_chunks(head, handle))
            if size is not None:
                response["Content-Length"] = str(size)
        return _harden(response, content_type=content_type, inline=inline, name=name)
    handle.close()
    response = HttpResponse()
    if mode == "nginx":
        response["X-Accel-Redirect"] = settings.MEDIA_SENDFILE_PREFIX.rstrip("/") + "/" + quote(stored)
    else:
        # mod_xsendfile unescapes the path (XSendFileUnescape, on by default); headers must stay ASCII.
        response["X-Sendfile"] = quote(storage.path(stored))
    return _harden(response, content_type=content_type, inline=inline, name=name)


def _missing():
    return Http404(_("The file is missing."))


def _open_local(storage, stored: str):
    """The file on local disk, opened through the storage (seekable); its size is FileResponse's to find."""
    try:
        return storage.open(stored, "rb"), None
    except OSError:
        raise _missing() from None


def _open_remote(storage, stored: str):
    """(a readable stream of the stored object, its size or None), without copying it first.

    From an S3-compatible store the object's body is read as it arrives; any other storage is read
    through its own ``open``.
    """
    from storages.backends.s3 import S3Storage

    if isinstance(storage, S3Storage):
        from botocore.exceptions import ClientError
        from django.core.exceptions import SuspiciousOperation
        from storages.utils import clean_name

        try:
            key = storage._normalize_name(clean_name(stored))
            answer = storage.bucket.Object(key).get()
        except SuspiciousOperation:
            raise _missing() from None
        except ClientError as error:
            if error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404:
                raise _missing() from None
            raise
        return answer["Body"], answer.get("ContentLength")
    try:
        handle = storage.open(stored, "rb")
    except OSError:
        raise _missing() from None
    return handle, getattr(handle, "size", None)


def _read_head(handle) -> bytes:
    """The first SNIFF_BYTES of ``handle`` (a stream may hand them over in several reads)."""
    head = b""
    while len(head) < SNIFF_BYTES:
        piece = handle.read(SNIFF_BYTES - len(head))
        if not piece:
            break
        head += piece
    return head


def _chunks(head: bytes, handle):
    """The whole file: the bytes already read to identify it, then the rest as it comes; closes ``handle``."""
    try:
        if head:
            yield head
        while chunk := handle.read(STREAM_CHUNK):
            yield chunk
    finally:
        handle.close()
