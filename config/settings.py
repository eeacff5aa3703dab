"""Settings for the liaison station product.

Every deployment-specific value comes from the environment and is validated by
``config.env``; ``.env.example`` documents each variable.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_int_list, env_list, env_str, env_time

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_ratelimit",
    # The product's own apps, lowest layer first (see ARCHITECTURE.md).
    "accounts",
    "notifications",
    "deputies",
    "liaison",
    "suggestions",
    "livelihood",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Chinese by default; only the language switcher (a cookie) changes it, not the browser.
    "accounts.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# --- Database -----------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
try:
    # Persistent connections are checked before their first use in each request or task
    # (CONN_HEALTH_CHECKS): after a PostgreSQL restart or failover ended them, the next request
    # opens a fresh connection instead of failing with a 500.
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
            conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", True),
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security ------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out credentials before the database is asked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 12, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login lockout: five failures for one username from one address, or twenty for one username
# from any number of addresses (password spraying), lock it for the cool-off time (accounts.lockout).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_USERNAME_FAILURE_LIMIT = env_int("LOGIN_USERNAME_FAILURE_LIMIT", 20, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_HANDLER = "accounts.lockout.LoginAttemptHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"

# The client's address for the lockout, the rate limits and the privacy audit (core.client_ip):
# with TRUSTED_PROXY_COUNT reverse proxies in front, the entry that many places from the right of
# X-Forwarded-For; with 0 (no proxy) the header is ignored and REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"
RATELIMIT_IP_META_KEY = "core.client_ip.client_ip"

# Idle timeout: the session lives SESSION_IDLE_MINUTES after the last request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Language and time -----------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media ---------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
# Stored files are only ever served by views that check the user's scope (core/files.py), never under
# MEDIA_URL. With "nginx" or "apache" the view answers with X-Accel-Redirect / X-Sendfile and the web
# server sends the bytes from an internal location (MEDIA_SENDFILE_PREFIX for nginx).
MEDIA_SENDFILE = env_choice("MEDIA_SENDFILE", "off", {"off", "nginx", "apache"})
MEDIA_SENDFILE_PREFIX = env_str("MEDIA_SENDFILE_PREFIX", "/protected-media/")
if not (MEDIA_SENDFILE_PREFIX.startswith("/") and MEDIA_SENDFILE_PREFIX.endswith("/")):
    raise ImproperlyConfigured(
        f"MEDIA_SENDFILE_PREFIX={MEDIA_SENDFILE_PREFIX!r} must start and end with '/', e.g. /protected-media/."
    )
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Redis, cache and Celery ---------------------------------------------------------
REDIS_URL = env_str("REDIS_URL") or None
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# django-ratelimit (the public QR channel) counts requests in the default cache. Its checks
# accept only the third-party Redis backend by name, but Django's own RedisCache is shared
# and increments atomically, so that warning is silenced. Without REDIS_URL (the one-process
# demo) the cache is per process; the limit still holds within that process, so the error
# about an unshared cache is silenced only in that case.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if not REDIS_URL:
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

CELERY_BROKER_URL = REDIS_URL or "memory://"
# Tasks report through the database (TaskRun, ReminderSent, Delivery), never through a result backend.
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# Without a broker the demo runs every task inline, in the request that queues it.
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
# Every task here is idempotent (it claims its work with a unique row or a conditional UPDATE), so a
# message is acknowledged only after the task finished (acks_late), and a task whose worker process
# died (SIGKILL, out of memory) goes back to the queue instead of being lost (reject_on_worker_lost).
# A task that is NOT safe to run twice must say so with acks_late=False on its decorator.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One message at a time per worker process: with late acks, prefetched messages would sit unacked
# behind a long task and could be redelivered elsewhere when the visibility timeout passes.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis redelivers a message that was taken but not acknowledged after this many seconds (that is how
# a task of a killed worker is redone). Every time limit, retry delay and countdown must stay below it,
# or a task still running would be handed to a second worker; config.celery checks every task, refuses
# longer countdowns at publish time, and a test fails if a task breaks the rule.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=60)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # A publish to a vanished broker fails within seconds instead of hanging a web request.
    "socket_timeout": 5,
    "socket_connect_timeout": 3,
}
# A publish that fails after these few quick retries raises; the web app catches it (the work is
# already in the database and a periodic sweep picks it up), so pages keep working without Redis.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# When the worker loses Redis, tasks it is running will be redelivered anyway: stop them rather than
# let them finish twice.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Soft limit: the task gets SoftTimeLimitExceeded and can stop cleanly; hard limit: the process is killed.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 600, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 900, minimum=1)
if not CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT < CELERY_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured(
        "Celery limits must satisfy CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT < "
        f"CELERY_VISIBILITY_TIMEOUT (got {CELERY_TASK_SOFT_TIME_LIMIT} < {CELERY_TASK_TIME_LIMIT} < "
        f"{CELERY_VISIBILITY_TIMEOUT}); otherwise Redis hands a running task to a second worker."
    )
# Retries (core.tasks.reliable_task): exponential backoff from 30 s, capped at 10 min,
# with full jitter so that tasks failing together (database restart) do not retry together.
TASK_RETRY_BACKOFF = 30
TASK_RETRY_BACKOFF_MAX = min(600, CELERY_VISIBILITY_TIMEOUT // 2)
TASK_MAX_RETRIES = 5


def _daily(env_name: str, default: str):
    """A crontab running once a day at HH:MM local time, overridable by the environment."""
    hour, minute = env_time(env_name, default)
    return crontab(hour=hour, minute=minute)


# The worker's heartbeat: sent by the beat every HEARTBEAT_SECONDS; older than three intervals
# means the worker (or the beat, or Redis) is down.
HEARTBEAT_SECONDS = env_int("SCHEDULE_HEARTBEAT_SECONDS", 60, minimum=10)
HEARTBEAT_STALE_SECONDS = 3 * HEARTBEAT_SECONDS

# The beat schedule is static (one beat process, no database scheduler). Sweeps compute what is due
# from the database, so a missed tick (beat or Redis down) is caught up by the next one.
CELERY_BEAT_SCHEDULE: dict = {
    "notifications-deliver-pending": {
        # Deliveries whose task could not be queued (broker down) or failed and wait for a retry.
        "task": "notifications.deliver_pending",
        "schedule": timedelta(minutes=env_int("SCHEDULE_DELIVER_PENDING_MINUTES", 5, minimum=1)),
    },
    # Proof that background work flows (beat → Redis → worker → database), read by the status page
    # and `manage.py check_background --heartbeat`. A heartbeat that waited longer than one interval
    # is dropped, so a dead worker's backlog never looks like a live one.
    "notifications-heartbeat": {
        "task": "notifications.heartbeat",
        "schedule": timedelta(seconds=HEARTBEAT_SECONDS),
        "options": {"expires": HEARTBEAT_SECONDS},
    },
    "notifications-prune": {
        "task": "notifications.prune",
        "schedule": _daily("SCHEDULE_PRUNE_AT", "03:30"),
    },
    # Report jobs whose worker vanished are failed, so no list shows them "running" for ever.
    "reports-fail-stale-jobs": {
        "task": "reports.fail_stale_jobs",
        "schedule": timedelta(minutes=env_int("SCHEDULE_STALE_REPORTS_MINUTES", 5, minimum=1)),
    },
    # Reception days of open-ended rules are generated ahead of time; this keeps the horizon moving.
    "liaison-extend-reception-days": {
        "task": "liaison.extend_reception_days",
        "schedule": _daily("SCHEDULE_RECEPTION_DAYS_AT", "02:30"),
    },
}
# The reminder sweeps (one task per rule, so the status page shows each). The suggestion sweeps run
# before office hours; "reception tomorrow" in the afternoon before, when a deputy can still rearrange.
_SUGGESTION_REMINDERS_AT = _daily("SCHEDULE_SUGGESTION_REMINDERS_AT", "07:30")
for _task in ["reply_due", "co_opinion_due", "overdue", "assignment_pending", "evaluation_pending"]:
    CELERY_BEAT_SCHEDULE[f"suggestions-remind-{_task}"] = {
        "task": f"suggestions.remind_{_task}",
        "schedule": _SUGGESTION_REMINDERS_AT,
    }
CELERY_BEAT_SCHEDULE |= {
    "liaison-remind-reception-tomorrow": {
        "task": "liaison.remind_reception_tomorrow",
        "schedule": _daily("SCHEDULE_RECEPTION_REMINDER_AT", "16:00"),
    },
    "liaison-remind-grid-duties": {
        "task": "liaison.remind_grid_duties",
        "schedule": _daily("SCHEDULE_GRID_DUTY_REMINDER_AT", "09:00"),
    },
    "livelihood-remind-overdue-milestones": {
        "task": "livelihood.remind_overdue_milestones",
        "schedule": _daily("SCHEDULE_LIVELIHOOD_REMINDER_AT", "08:00"),
    },
}

# --- Notifications and reminders -------------------------------------------------------------
# The SMS channel class (a dotted path); the default only logs. A gateway subclasses
# notifications.channels.SmsChannel and is named here.
NOTIFICATIONS_SMS_CHANNEL = env_str("NOTIFICATIONS_SMS_CHANNEL", "notifications.channels.LoggingSmsChannel")
# Absolute links in emails and SMS ("https://station.example.org"); relative when empty.
NOTIFICATIONS_SITE_URL = (env_str("NOTIFICATIONS_SITE_URL", "") or "").rstrip("/")
# A delivery that keeps failing is marked failed (shown on the status page) after this many attempts.
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 5, minimum=1)
# The reminder rules. Each goes at most once per recipient, subject and threshold (notifications.reminders).
REMINDERS = {
    # Lead-unit officers, this many days before the reply deadline.
    "REPLY_DUE_DAYS": env_int_list("REMINDER_REPLY_DUE_DAYS", [15, 7, 1], minimum=1),
    # Co-unit officers, this many days before their written opinion is due.
    "CO_OPINION_DUE_DAYS": env_int_list("REMINDER_CO_OPINION_DUE_DAYS", [7, 1], minimum=1),
    # The deputy, once a reply has waited this many working days for an evaluation.
    "EVALUATION_PENDING_WORKING_DAYS": env_int("REMINDER_EVALUATION_WORKING_DAYS", 20, minimum=1),
    # Rostered deputies, this many days before a reception day (1 = the day before).
    "RECEPTION_DAYS_BEFORE": env_int("REMINDER_RECEPTION_DAYS_BEFORE", 1, minimum=1),
    # A deputy with a "四个一" duty still missing this many days before the end of its period.
    "GRID_DUTY_DAYS_BEFORE_END": {
        "month": env_int("REMINDER_DUTY_MONTH_DAYS", 7, minimum=1),
        "quarter": env_int("REMINDER_DUTY_QUARTER_DAYS", 15, minimum=1),
        "year": env_int("REMINDER_DUTY_YEAR_DAYS", 30, minimum=1),
    },
    # Overdue suggestions (unit, office, flagging leader) and overdue livelihood milestones (unit)
    # are reminded once per ISO week while they stay overdue; the assignment deadline (office) once,
    # the working days coming from SUGGESTION_ASSIGN_WORKING_DAYS.
}
REMINDER_RULE_KEYS = {
    "suggestion_reply_due",
    "suggestion_co_opinion_due",
    "suggestion_overdue",
    "suggestion_assignment_pending",
    "suggestion_evaluation_pending",
    "reception_day_tomorrow",
    "grid_duty_missing",
    "livelihood_milestone_overdue",
}
# Reminder rules that must not run at all, e.g. "suggestion_overdue,grid_duty_missing".
REMINDERS_DISABLED = set(env_list("REMINDERS_DISABLED", []))
if REMINDERS_DISABLED - REMINDER_RULE_KEYS:
    raise ImproperlyConfigured(
        f"REMINDERS_DISABLED names unknown rules {sorted(REMINDERS_DISABLED - REMINDER_RULE_KEYS)}; "
        f"known rules: {sorted(REMINDER_RULE_KEYS)}."
    )

# --- Email ----------------------------------------------------------------------------
EMAIL_BACKEND = env_choice(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend",
    {
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.smtp.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
    },
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "liaison@localhost")

# --- Suggestion deadlines (DOMAIN.md: the legal defaults; suggestions/deadlines.py uses them) ----------
SUGGESTION_DEADLINES = {
    # Calendar months after 交办 for the first reply, and the furthest an approved extension may go.
    "REPLY_MONTHS": env_int("SUGGESTION_REPLY_MONTHS", 3, minimum=1),
    "EXTENSION_MAX_MONTHS": env_int("SUGGESTION_EXTENSION_MAX_MONTHS", 6, minimum=1),
    # Calendar months after a 不满意 first evaluation for the second reply.
    "REREPLY_MONTHS": env_int("SUGGESTION_REREPLY_MONTHS", 1, minimum=1),
    # Working days (Chinese calendar) after submission for the office to assign.
    "ASSIGN_WORKING_DAYS": env_int("SUGGESTION_ASSIGN_WORKING_DAYS", 5, minimum=1),
    # Working days after 交办 during which a unit may ask to return an item.
    "RETURN_REQUEST_WORKING_DAYS": env_int("SUGGESTION_RETURN_REQUEST_WORKING_DAYS", 7, minimum=1),
    # Calendar months after 交办 for co-units' written opinions.
    "CO_OPINION_MONTHS": env_int("SUGGESTION_CO_OPINION_MONTHS", 1, minimum=1),
    # "Due soon" window, in calendar days, for lists and reminders.
    "DUE_SOON_DAYS": env_int("SUGGESTION_DUE_SOON_DAYS", 7, minimum=1),
}
if SUGGESTION_DEADLINES["EXTENSION_MAX_MONTHS"] < SUGGESTION_DEADLINES["REPLY_MONTHS"]:
    raise ImproperlyConfigured("SUGGESTION_EXTENSION_MAX_MONTHS cannot be shorter than SUGGESTION_REPLY_MONTHS.")

# --- API --------------------------------------------------------------------------------
# API tokens (POST /api/v1/auth/token/) stop working this many days after they were issued.
API_TOKEN_LIFETIME = timedelta(days=env_int("API_TOKEN_DAYS", 30, minimum=1))
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes a missing or bad token a 401 rather than a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "PAGE_SIZE": 50,
    # Bounded number filters, and 400 for a query parameter the endpoint does not know (core/filters.py).
    "DEFAULT_FILTER_BACKENDS": ["core.filters.StrictFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}


def _direct_opinion_outcomes():
    """The opinion outcomes other than escalation (imported late: models cannot load with the settings)."""
    from liaison.models import OpinionOutcome

    return [choice for choice in OpinionOutcome.choices if choice[0] != OpinionOutcome.ESCALATED]


SPECTACULAR_SETTINGS = {
    "TITLE": "人大代表联络站 API",
    "DESCRIPTION": "Liaison station, suggestion lifecycle and livelihood project API (v1).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc come from drf-spectacular-sidecar and are served locally (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No request may leave the intranet: Swagger UI's default validator badge calls validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Several models have a field called "role" or "mode"; name their choice sets after the model.
    "ENUM_NAME_OVERRIDES": {
        "UserRoleEnum": "accounts.models.Role",
        "StationKindEnum": "liaison.models.StationKind",
        "DeputyKindEnum": "deputies.models.DeputyKind",
        "DeputyGroupKindEnum": "deputies.models.GroupKind",
        "GridRoleEnum": "liaison.models.GridRole",
        "GridModeEnum": "liaison.models.GridMode",
        "HandlingUnitKindEnum": "suggestions.models.UnitKind",
        "ReportKindEnum": "reports.models.ReportKind",
        "OpinionOutcomeEnum": "liaison.models.OpinionOutcome",
        # What staff may record directly; escalation happens by creating a suggestion.
        "OpinionDirectOutcomeEnum": _direct_opinion_outcomes,
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"})},
}

# --- Web-layer hardening: caching, Content-Security-Policy, Permissions-Policy ------------------------
# Every dynamic response is no-store (core.middleware); WhiteNoise answers static files before it.
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1, "core.middleware.NoStoreMiddleware"
)
# Under DEBUG (the demo) a 404 still gets the branded page, not Django's technical one; see the class.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "core.middleware.BrandedNotFoundUnderDebugMiddleware",
)
# Content-Security-Policy (django-csp). Pages load only the application's own files: no inline script or
# style, no inline event handler, no style="" attribute ('unsafe-inline' appears nowhere). The behaviours
# that used to be inline live in static/js/app.js (data-confirm, data-autosubmit, data-print). A page that
# must run a library injecting its own <style> elements (ReDoc) asks for request.csp_nonce; the nonce is
# added to the header only for the responses that used it. img-src allows data: for the icons embedded in
# Swagger UI's stylesheet. With DEBUG on, django-csp leaves 404 and 500 answers without the header.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

MIDDLEWARE.insert(MIDDLEWARE.index("core.middleware.NoStoreMiddleware") + 1, "csp.middleware.CSPMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("csp.middleware.CSPMiddleware") + 1, "core.middleware.PermissionsPolicyMiddleware")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features no page of the application uses are switched off for it and anything it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
