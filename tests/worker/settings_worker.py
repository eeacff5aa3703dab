"""Settings for the processes that worker tests start (Celery worker, web server).

The test settings, but tasks really go through Redis, under a key prefix of the test's own so that
concurrent runs and the shared Redis never mix; mail goes to files the test can count. The test
passes everything through the environment (see tests/worker/conftest.py).
"""

import os

from config.settings_test import *  # noqa: F403
from tests.worker.settings_worker_names import SUBPROCESS_APPLICATION_NAME

CELERY_TASK_ALWAYS_EAGER = False
CELERY_IMPORTS = ["tests.worker.worker_tasks"]

_visibility = int(os.environ.get("WORKER_TEST_VISIBILITY_TIMEOUT", CELERY_VISIBILITY_TIMEOUT))  # noqa: F405
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "global_keyprefix": os.environ["WORKER_TEST_KEY_PREFIX"],
    "visibility_timeout": _visibility,
    # Look for abandoned messages every second (production: every 100 s), so a short visibility
    # timeout takes effect quickly.
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
if _visibility <= CELERY_TASK_TIME_LIMIT:  # noqa: F405
    # Keep the rule "time limits below the visibility timeout" true for the short timeout too.
    CELERY_TASK_TIME_LIMIT = _visibility - 1
    CELERY_TASK_SOFT_TIME_LIMIT = max(1, _visibility - 2)

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["WORKER_TEST_MAIL_DIR"]

# The beat schedule of a test: every few seconds instead of daily.
if os.environ.get("WORKER_TEST_BEAT_SECONDS"):
    _every = float(os.environ["WORKER_TEST_BEAT_SECONDS"])
    CELERY_BEAT_SCHEDULE = {
        "test-sweep": {"task": "tests.sweep_due_accounts", "schedule": _every},
        "test-deliver-pending": {"task": "notifications.deliver_pending", "schedule": _every},
    }

# Retries after a transient database error start after this many seconds (production: 30).
if os.environ.get("WORKER_TEST_RETRY_BACKOFF"):
    TASK_RETRY_BACKOFF = int(os.environ["WORKER_TEST_RETRY_BACKOFF"])
    TASK_RETRY_BACKOFF_MAX = TASK_RETRY_BACKOFF * 4
# Files the processes store (generated reports), in a folder of the test's own.
if os.environ.get("WORKER_TEST_MEDIA_ROOT"):
    MEDIA_ROOT = os.environ["WORKER_TEST_MEDIA_ROOT"]
# Persistent database connections, as in production (the test settings close them after each request).
if os.environ.get("WORKER_TEST_CONN_MAX_AGE"):
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["WORKER_TEST_CONN_MAX_AGE"])  # noqa: F405
# Name the sessions of these processes, so that a test ending "the database's sessions" (what a
# PostgreSQL restart does) ends theirs and never the test process's own (any of its threads).
DATABASES["default"].setdefault("OPTIONS", {})["application_name"] = SUBPROCESS_APPLICATION_NAME  # noqa: F405
