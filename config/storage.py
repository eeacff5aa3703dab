"""Where stored files live, and the optional read replica (settings imported by ``config.settings``).

Files (uploaded photos and attachments, generated report PDFs) go through Django's storage API
only, so the backend is a setting: local disk under MEDIA_ROOT (the default, one host) or an
S3-compatible object store (several hosts, e.g. MinIO on the premises), chosen with FILE_STORAGE.
Either way files are private: they are served by views that check the user's scope
(``core.files.serve_file``), never by a public URL.

With DATABASE_REPLICA_URL set, the read-only pages and exports of reports, dashboards and statistics
read from a replica (``core.replica``); everything else and every write uses the primary.
"""

from collections.abc import Mapping
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_choice, env_str

_BASE_DIR = Path(__file__).resolve().parent.parent

# --- Files ------------------------------------------------------------------------------------
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or _BASE_DIR / "media")
FILE_STORAGE = env_choice("FILE_STORAGE", "local", {"local", "s3"})

# Stored files are only ever served by views that check the user's scope (core/files.py), never under
# MEDIA_URL. With "nginx" or "apache" (local disk only) the view answers with X-Accel-Redirect /
# X-Sendfile and the web server sends the bytes from an internal location (MEDIA_SENDFILE_PREFIX for nginx).
MEDIA_SENDFILE = env_choice("MEDIA_SENDFILE", "off", {"off", "nginx", "apache"})
MEDIA_SENDFILE_PREFIX = env_str("MEDIA_SENDFILE_PREFIX", "/protected-media/")
if not (MEDIA_SENDFILE_PREFIX.startswith("/") and MEDIA_SENDFILE_PREFIX.endswith("/")):
    raise ImproperlyConfigured(
        f"MEDIA_SENDFILE_PREFIX={MEDIA_SENDFILE_PREFIX!r} must start and end with '/', e.g. /protected-media/."
    )
if FILE_STORAGE != "local" and MEDIA_SENDFILE != "off":
    raise ImproperlyConfigured(
        f"MEDIA_SENDFILE={MEDIA_SENDFILE} needs files on the web server's disk; with FILE_STORAGE={FILE_STORAGE} "
        "the application streams them itself, so set MEDIA_SENDFILE=off."
    )


def _flag(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off.")


def s3_storage_options(environ: Mapping[str, str]) -> dict:
    """The S3Storage options (django-storages) that the S3_* variables of ``environ`` describe."""
    missing = [name for name in ("S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY") if not environ.get(name)]
    if missing:
        raise ImproperlyConfigured(f"FILE_STORAGE=s3 needs {', '.join(missing)} (see .env.example).")
    addressing = environ.get("S3_ADDRESSING_STYLE") or "path"
    if addressing not in {"path", "virtual", "auto"}:
        raise ImproperlyConfigured(f"S3_ADDRESSING_STYLE={addressing!r} must be one of ['auto', 'path', 'virtual'].")
    raw_seconds = environ.get("S3_URL_SECONDS") or "60"
    if not raw_seconds.strip().isdigit() or int(raw_seconds) < 1:
        raise ImproperlyConfigured(f"S3_URL_SECONDS={raw_seconds!r} must be a whole number of seconds, at least 1.")
    ca_bundle = environ.get("S3_CA_BUNDLE") or None
    return {
        "bucket_name": environ["S3_BUCKET"],
        "access_key": environ["S3_ACCESS_KEY_ID"],
        "secret_key": environ["S3_SECRET_ACCESS_KEY"],
        # MinIO and most on-premises stores need the endpoint and path-style addresses.
        "endpoint_url": environ.get("S3_ENDPOINT_URL") or None,
        "region_name": environ.get("S3_REGION") or None,
        "addressing_style": addressing,
        "signature_version": "s3v4",
        # A key prefix inside the bucket, so one bucket may hold several sites' files.
        "location": (environ.get("S3_PREFIX") or "").strip("/"),
        # Objects inherit the bucket's policy, which must be private; no ACL header is sent (some
        # stores refuse them). Names are never reused: a second file with the same name gets a suffix.
        "default_acl": None,
        "file_overwrite": False,
        # Any URL the storage makes is presigned and short-lived; the application streams files
        # itself after the scope check, so none is handed to browsers.
        "querystring_auth": True,
        "querystring_expire": int(raw_seconds),
        # Files opened for reading through the storage spill to a temporary file above this size.
        "max_memory_size": 4 * 1024 * 1024,
        # TLS certificates are checked (against S3_CA_BUNDLE when the store has a private CA).
        "verify": ca_bundle if ca_bundle else _flag(environ, "S3_VERIFY_TLS", True),
    }


# Every S3 variable is read whatever FILE_STORAGE says, so a test can list what the settings read.
S3_VARIABLES = (
    "S3_ENDPOINT_URL",
    "S3_BUCKET",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_REGION",
    "S3_PREFIX",
    "S3_ADDRESSING_STYLE",
    "S3_URL_SECONDS",
    "S3_VERIFY_TLS",
    "S3_CA_BUNDLE",
)
_s3_environment = {name: value for name in S3_VARIABLES if (value := env_str(name)) is not None}
if FILE_STORAGE == "s3":
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3_storage_options(_s3_environment)}
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
FILE_STORAGE_BACKEND = _default_storage


# --- Read replica -------------------------------------------------------------------------------
def replica_database(primary: dict) -> dict | None:
    """The replica's connection settings from DATABASE_REPLICA_URL, or None when no replica is set."""
    url = env_str("DATABASE_REPLICA_URL") or ""
    if not url.strip():
        return None
    try:
        replica = dj_database_url.parse(
            url,
            conn_max_age=primary.get("CONN_MAX_AGE", 0),
            conn_health_checks=primary.get("CONN_HEALTH_CHECKS", False),
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL is not a valid database URL: {exc}") from None
    if replica["ENGINE"] != primary["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must be a replica of DATABASE_URL (the same database engine).")
    # Tests run against the primary's test database: the replica mirrors it instead of getting its own.
    replica["TEST"] = {"MIRROR": "default"}
    return replica
