"""Django settings. Everything that differs between machines comes from the environment.

- DATABASE_URL: defaults to a SQLite file under var/; postgres://… switches to PostgreSQL.
- ONEHOME_SECRET_KEY: required in production; a random key is kept in var/ otherwise.
- ONEHOME_DEBUG=1: development mode. ONEHOME_ALLOWED_HOSTS: comma-separated host names.
- ONEHOME_HTTPS=1: production behind TLS (secure cookies, HSTS, redirect to https);
  ONEHOME_TRUSTED_PROXIES: the reverse proxies whose X-Forwarded-* headers are believed.
  The whole list is in docs/operations.md ("Production environment").
"""

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
import js_lib_htmx  # noqa: F401  (its static files are found through INSTALLED_APPS)
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ONEHOME_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0") == "1"


# Production runs behind TLS: every security setting below follows this one switch.
HTTPS = _flag("ONEHOME_HTTPS")


def _secret_key() -> str:
    if key := os.environ.get("ONEHOME_SECRET_KEY"):
        return key
    if HTTPS:  # every server of a deployment must sign with the same key
        raise ImproperlyConfigured("ONEHOME_HTTPS=1 needs ONEHOME_SECRET_KEY.")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("ONEHOME_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("ONEHOME_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",  # API tokens stored as digests (docs/decisions/0012-api-tokens-knox.md)
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "js_lib_htmx",
    "django_tasks",
    "django_tasks_db",
    "csp",
    # Sign-in (onehome/access/signin, docs/decisions/0011): failed logins counted and locked
    # out (django-axes), a second factor by TOTP (django-otp).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "onehome.access",
    "onehome.geo",
    "onehome.orgs",
    "onehome.registry",
    "onehome.targeting",
    "onehome.cases",
    "onehome.notifications",
    "onehome.privacy",
    "onehome.volunteers",
    "onehome.api",
    "onehome.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "onehome.web.compression.PageGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "onehome.web.language.ThaiFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "onehome.api.limits.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "onehome.access.middleware.AccessPolicyMiddleware",
    # Inside the access policy's request context, so sign-in events are audited with the
    # client's address: the verified second factor, the idle timeout, the pages allowed
    # before the second factor, and (last, as axes wants) the lockout answer.
    "django_otp.middleware.OTPMiddleware",
    "onehome.access.signin.middleware.IdleTimeoutMiddleware",
    "onehome.access.signin.middleware.SecondFactorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "onehome.urls"
WSGI_APPLICATION = "onehome.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "onehome" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'onehome.sqlite3'}",
        conn_max_age=int(os.environ.get("ONEHOME_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short OLTP queries: PostgreSQL's JIT took far longer compiling a case-list plan than
    # running it. random_page_cost 1.1 (the server's default is 4, for spinning disks): the
    # working set is in memory or on SSD, where a random read costs about what a sequential
    # one does; with 4 the planner hashed whole tables to join a page of 50 cases to their
    # names. See docs/performance.md, "Figures behind choices in the code (cases API)".
    # ONEHOME_PG_RANDOM_PAGE_COST overrides it (empty: the server's own setting).
    page_cost = os.environ.get("ONEHOME_PG_RANDOM_PAGE_COST", "1.1")
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off" + (
        f" -c random_page_cost={float(page_cost)}" if page_cost else ""
    )
    # Parameters bound by PostgreSQL, so psycopg can prepare the statements that repeat
    # (onehome/core/compiled/prepared.py: those whose plan depends on the area are still
    # planned per call).
    if os.environ.get("ONEHOME_PG_SERVER_BINDING", "1") == "1":
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while the demo loader or a request writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "access.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in (docs/operations.md, "Sign-in"). Failed logins are counted per account and per
# client address (onehome.access.network.client_ip) on every path that signs in (the login
# page, the admin's, the API's token): ONEHOME_LOGIN_FAILURE_LIMIT failures on one account,
# or ONEHOME_ADDRESS_FAILURE_LIMIT from one address, lock it for ONEHOME_LOCKOUT_MINUTES
# (every further try restarts the wait). ONEHOME_IDLE_MINUTES without a request ends a
# session. Staff, superusers and users with a region- or nation-wide scope confirm each
# sign-in with a TOTP code (onehome/access/signin/second_factor.py).
ONEHOME_LOGIN_FAILURE_LIMIT = int(os.environ.get("ONEHOME_LOGIN_FAILURE_LIMIT", "5"))
ONEHOME_ADDRESS_FAILURE_LIMIT = int(os.environ.get("ONEHOME_ADDRESS_FAILURE_LIMIT", "30"))
ONEHOME_LOCKOUT_MINUTES = int(os.environ.get("ONEHOME_LOCKOUT_MINUTES", "15"))
ONEHOME_IDLE_MINUTES = int(os.environ.get("ONEHOME_IDLE_MINUTES", "30"))
AUTHENTICATION_BACKENDS = [
    "onehome.access.signin.lockout.LockoutBackend",  # refuses a locked account or address
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "onehome.access.signin.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = ONEHOME_LOGIN_FAILURE_LIMIT
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = dt.timedelta(minutes=ONEHOME_LOCKOUT_MINUTES)
AXES_CLIENT_IP_CALLABLE = "onehome.access.network.client_ip"
AXES_LOCKOUT_CALLABLE = "onehome.access.signin.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True  # only the account's own failures from that address
AXES_DISABLE_ACCESS_LOG = True  # the audit log records every sign-in and sign-out
OTP_TOTP_ISSUER = "OneHome"

AUTH_PASSWORD_VALIDATORS = [
    # Django's checks with Thai messages, then OneHome's: not the username, not a national
    # ID, not a date, not a short number (onehome/access/signin/validators.py).
    {"NAME": "onehome.access.signin.validators.SimilarToNameValidator"},
    {"NAME": "onehome.access.signin.validators.MinimumLengthValidator"},
    {"NAME": "onehome.access.signin.validators.CommonPasswordValidator"},
    {"NAME": "onehome.access.signin.validators.NotTheUsernameValidator"},
    {"NAME": "onehome.access.signin.validators.NotANationalIdValidator"},
    {"NAME": "onehome.access.signin.validators.NotADateValidator"},
    {"NAME": "onehome.access.signin.validators.NotAShortNumberValidator"},
]

LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "onehome" / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
# Survey rounds, welfare-card lists and targeting results (Parquet files, not ORM rows).
ONEHOME_DATA_DIR = Path(os.environ.get("ONEHOME_DATA_DIR", VAR_DIR / "data"))
ONEHOME_IMPORT_MEMORY = os.environ.get("ONEHOME_IMPORT_MEMORY", "4GB")  # DuckDB, per import
# Static files (docs/decisions/0016): Bootstrap's built CSS and JS from the
# django-include-bootstrap wheel, Sarabun as WOFF2 subsets cut from fontpkg-sarabun, each
# through a finder of onehome.web. collectstatic (`make demo`, `make serve`, deployment)
# writes copies with the content's hash in their names, compressed (.gz and .br), which
# WhiteNoise serves from STATIC_ROOT with a cache lifetime of ten years. Tests render with
# the plain storage (onehome/conftest.py); the first-load test collects and uses this one.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "onehome.web.bootstrap_finder.BootstrapFinder",
    "onehome.web.fonts.SarabunSubsetFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Every page names its files through {% static %}, so only the hashed copies are kept and
# compressed; source maps (fetched only by developer tools) are not compressed.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
# With ONEHOME_DEBUG=1 the files come straight from the finders, unhashed.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Request bodies are refused by their declared length before anything reads them (413,
# onehome/api/limits.py): 1 MB for forms and JSON, ONEHOME_UPLOAD_MAX_SIZE for a file
# upload (the targeting import's survey rounds and welfare-card lists). An upload above
# FILE_UPLOAD_MAX_MEMORY_SIZE is spooled to a temporary file rather than held in memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000_000
ONEHOME_UPLOAD_MAX_SIZE = int(os.environ.get("ONEHOME_UPLOAD_MAX_SIZE", str(100_000_000)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5_000_000

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and _flag("ONEHOME_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = int(os.environ.get("ONEHOME_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and _flag("ONEHOME_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading is a promise to browsers that is slow to undo: only on request.
SECURE_HSTS_PRELOAD = HTTPS and _flag("ONEHOME_HSTS_PRELOAD")
# The reverse proxies (addresses or networks, comma-separated) allowed to say who the
# client is (X-Forwarded-For, read by onehome.access.network.client_ip) and that the
# request came over https (X-Forwarded-Proto). Empty: the peer itself is the client.
ONEHOME_TRUSTED_PROXIES = [
    a.strip() for a in os.environ.get("ONEHOME_TRUSTED_PROXIES", "").split(",") if a.strip()
]
if ONEHOME_TRUSTED_PROXIES:
    # Django believes this header from anyone: the app must be reachable only through
    # the proxy (gunicorn bound to 127.0.0.1 or a private address), which sets it.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp; docs/decisions/0009): every script, style sheet,
# font and image comes from this server. The two inline scripts carry the request's nonce
# (`nonce="{{ request.csp_nonce }}"`), buttons use listeners in onehome/app.js rather
# than on…= attributes. Inline style attributes (bar widths, progress bars) stay allowed:
# a style cannot run code. ONEHOME_CSP_REPORT_ONLY=1 sends the policy as
# Content-Security-Policy-Report-Only (browsers report, block nothing), to try a change;
# ONEHOME_CSP_REPORT_URI is where browsers send the reports.
_CSP = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if report_uri := os.environ.get("ONEHOME_CSP_REPORT_URI"):
    _CSP["DIRECTIVES"]["report-uri"] = [report_uri]
if _flag("ONEHOME_CSP_REPORT_ONLY"):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # knox's TokenAuthentication (hashed, expiring tokens) with one lean query
        # (onehome/api/auth.py).
        "onehome.api.auth.LeanTokenAuthentication",
    ],
    # Last: a query value outside its declared enum answers 400 (onehome/api/query.py).
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "onehome.api.query.DeclaredQueryValues",
    ],
    # REST framework's parsers, with JSON nested too deep answered 400 (onehome/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "onehome.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # drf-spectacular with every error answer documented (onehome/api/schema.py).
    "DEFAULT_SCHEMA_CLASS": "onehome.api.schema.ContractSchema",
    "EXCEPTION_HANDLER": "onehome.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/minute", "user": "6000/minute"},
}

# API tokens (docs/operations.md, "API tokens"): the database keeps a SHA-512 digest and a
# 15-character prefix, never the token; each expires ONEHOME_TOKEN_TTL_HOURS after it is
# issued (24 by default) and is never renewed on use (no write per request).
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(hours=float(os.environ.get("ONEHOME_TOKEN_TTL_HOURS", "24"))),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "OneHome API",
    "DESCRIPTION": "People, households, organisations and areas of the OneHome platform. "
    "Every personal-data endpoint is limited to the caller's area scope and audited.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several case models have a "status" or "kind"; name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "ReportStatusEnum": "onehome.cases.models.ReportStatus",
        "CaseStatusEnum": "onehome.cases.models.CaseStatus",
        "ReferralStatusEnum": "onehome.cases.models.ReferralStatus",
        "ServiceStatusEnum": "onehome.cases.models.ServiceStatus",
        "EventKindEnum": "onehome.cases.models.EventKind",
        "ServiceKindEnum": "onehome.cases.models.ServiceKind",
        # Reports' risks and plans' protection risks are one choice set.
        "RiskEnum": "onehome.cases.models.Risk",
        # A volunteer's status and the step to one are one choice set (issue 16).
        "VolunteerStatusEnum": "onehome.volunteers.models.VolunteerStatus",
        "HelpKindEnum": "onehome.volunteers.models.HelpKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ONEHOME_LOG_LEVEL", "WARNING")},
}

# Domain settings
ONEHOME_DEMO_PROVINCE = "57"  # Chiang Rai

# Background tasks (Django's Tasks API through the django-tasks backport). The database
# backend needs no extra service (`onehome db_worker` runs them); ONEHOME_TASKS=rq with
# REDIS_URL puts them on a Redis queue for production (install the `rq` extra).
if os.environ.get("ONEHOME_TASKS") == "rq":  # pragma: no cover - production only
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# The cache holds the public forms' per-IP hourly counts (cases/intake_views.py), so it
# must be shared by every server process: a per-process cache would let each gunicorn
# worker grant the whole allowance again. The database cache (table created by a
# migration) needs no extra service; ONEHOME_CACHE=redis with REDIS_URL uses Redis, whose
# counters are atomic (install the `rq` extra, which brings redis-py).
if os.environ.get("ONEHOME_CACHE") == "redis":  # pragma: no cover - production only
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "onehome_cache",
        }
    }

# Cases: emergency cash aid above this many baht per time per family needs an approval.
ONEHOME_CASH_AID_CEILING = int(os.environ.get("ONEHOME_CASH_AID_CEILING", "3000"))
# First-contact deadlines by urgency: (amount, unit); "hours" run around the clock,
# "working_days" skip weekends and Thai public holidays (the `holidays` package).
ONEHOME_SLA = {
    "critical": (1, "hours"),
    "urgent": (24, "hours"),
    "normal": (3, "working_days"),
}
# How long a break-the-glass grant to a sensitive case lasts.
ONEHOME_GLASS_BREAK_HOURS = 4
# PDPA retention: years after a case or report is closed before the retention task
# anonymises it (names, IDs, phones, addresses and free text go; counts stay). See
# docs/operations.md, "Personal data (PDPA)".
ONEHOME_RETENTION_YEARS_CASES = int(os.environ.get("ONEHOME_RETENTION_YEARS_CASES", "10"))
ONEHOME_RETENTION_YEARS_REPORTS = int(os.environ.get("ONEHOME_RETENTION_YEARS_REPORTS", "5"))
# Notification senders beyond the in-app inbox (dotted paths); SMS/LINE plug in here.
ONEHOME_NOTIFY_SENDERS = [
    "onehome.notifications.senders.EmailSender",
    "onehome.notifications.senders.LoggingSender",
]
EMAIL_BACKEND = os.environ.get(
    "ONEHOME_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = "OneHome <no-reply@onehome.invalid>"
