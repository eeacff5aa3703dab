"""Settings for the test suite: the real settings with test-only defaults.

The database and Redis still come from DATABASE_URL / REDIS_URL, so CI runs the
suite on PostgreSQL and Redis while a fresh clone runs it on SQLite.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdefghij")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")

from config.settings import *  # noqa: F403

# Hashing passwords with the production hasher would make fixture creation dominate the run.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
