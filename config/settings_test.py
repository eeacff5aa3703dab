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
# Tasks queued by the code under test run inline, even when REDIS_URL is set (CI): nothing is left in a
# shared broker with no worker to take it. Tests that need a real worker (tests/worker/) start one
# with their own settings module and broker key prefix.
CELERY_TASK_ALWAYS_EAGER = True
# ...and in the request itself, also the ones a running site would hand to a background thread
# (core.tasks.enqueue_detached); the tests of that thread switch it on.
EAGER_TASKS_IN_BACKGROUND = False
# Browser tests talk to a live server in another thread; persistent connections from that thread
# would keep the test database open and make its teardown fail on PostgreSQL.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# The suite never runs collectstatic; serve the source folders and skip WhiteNoise's missing-root warning.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
