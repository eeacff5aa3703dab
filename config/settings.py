"""Settings for the liaison station product.

Every deployment-specific value comes from the environment and is validated by
``config.env``; ``.env.example`` documents each variable.

This is the settings module Django loads. Three self-contained sections live in their own
modules and are imported here in place: ``config.security`` (accounts, login lockout, sessions,
security headers), ``config.background`` (Redis, cache, Celery, the beat schedule) and
``config.reminders`` (notification delivery, reminder rules).
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_list, env_str
from config.storage import (  # noqa: F401  (settings Django reads)
    FILE_STORAGE,
    FILE_STORAGE_BACKEND,
    MEDIA_ROOT,
    MEDIA_SENDFILE,
    MEDIA_SENDFILE_PREFIX,
    MEDIA_URL,
    replica_database,
)

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
    # Form widgets render through the project's templates (FORM_RENDERER below), so
    # templates/django/forms/ can refine them (pinyin keys on select options, 「请选择」).
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_ratelimit",
    # The product's own apps, lowest layer first (see docs/architecture.md).
    "organisation",
    "deputies",
    "accounts",
    "notifications",
    "duties",
    "liaison",
    "suggestions",
    "livelihood",
    "search",
    "imports",
    "topics",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Every dynamic response is no-store; WhiteNoise answers static files before it.
    "core.middleware.NoStoreMiddleware",
    # Content-Security-Policy and Permissions-Policy, as configured in config/security.py.
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Chinese by default; only the language switcher (a cookie) changes it, not the browser.
    "accounts.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Small answers a page asks for several times (the staff's stations) are read once per request.
    "core.request_memo.RequestMemoMiddleware",
    # The report, dashboard and statistics pages read from the replica when one is configured (core/replica.py).
    "core.replica.ReplicaReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Under DEBUG (the demo) a 404 still gets the branded page, not Django's technical one; see the class.
    "core.middleware.BrandedNotFoundUnderDebugMiddleware",
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
            "libraries": {"pinyin": "core.templatetags.pinyin"},
        },
    },
]

FORM_RENDERER = "core.form_renderer.SelectRenderer"

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
# An optional read replica (DATABASE_REPLICA_URL) for the read-only report, dashboard and statistics
# pages; core.replica says which reads go there. Without it, every query uses the primary.
_replica = replica_database(DATABASES["default"])
if _replica is not None:
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]

# --- Accounts, login lockout, sessions and security headers: config/security.py ---------------------
from config.security import *  # noqa: E402, F403

# HTTPS, once DEBUG is off (the headers themselves come from SecurityMiddleware).
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
# Stored files (local disk or S3-compatible storage), MEDIA_ROOT and the sendfile options come from
# config/storage.py (imported above); their backend is the "default" storage.

STORAGES = {
    "default": FILE_STORAGE_BACKEND,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Redis, cache, Celery and the beat schedule: config/background.py ---------------------------------
from config.background import *  # noqa: E402, F403

# Celery's clock, and so every HH:MM time of the beat schedule, is the site's local time.
CELERY_TIMEZONE = TIME_ZONE

# --- Notifications and reminders: config/reminders.py ----------------------------------------------
from config.reminders import *  # noqa: E402, F403

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

# --- Suggestion deadlines (docs/domain.md: the legal defaults; suggestions/deadlines.py uses them) -----
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
        "StationKindEnum": "organisation.models.StationKind",
        "DeputyKindEnum": "deputies.models.DeputyKind",
        "DeputyGroupKindEnum": "deputies.models.GroupKind",
        "GridRoleEnum": "duties.models.GridRole",
        "GridModeEnum": "duties.models.GridMode",
        "HandlingUnitKindEnum": "organisation.models.UnitKind",
        "ReportKindEnum": "reports.models.ReportKind",
        "ReportJobStatusEnum": "reports.models.JobStatus",
        "LedgerKindEnum": "imports.models.LedgerKind",
        "ImportBatchStatusEnum": "imports.models.BatchStatus",
        "GridDutyKindEnum": "duties.models.GridDutyKind",
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
