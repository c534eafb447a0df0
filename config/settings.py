"""Settings, read from the environment.

Defaults give a working development setup on SQLite under var/. Production sets at least
DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (PostgreSQL); see README.md.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.http import HttpRequest

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """A boolean environment variable: 1/true/yes/on are true."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated environment variable as a list without blanks."""
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


DEBUG = env_bool("DEBUG", True)

_DEV_SECRET = "dev-insecure-secret-key-change-me-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DEBUG 关闭时必须设置环境变量 SECRET_KEY")
    SECRET_KEY = _DEV_SECRET

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A stale form token gets templates/403_csrf.html in the admin's look, in Chinese.
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

INSTALLED_APPS = [
    # django.contrib.admin with the project's site (config/admin_site.py).
    "config.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "import_export",
    "agencies",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite under var/ by default so a new user runs in minutes; production uses DATABASE_URL.
DEFAULT_SQLITE = f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"


def database(url: str, **extra: object) -> dict:
    """One DATABASES entry from a URL, with the connection settings of the environment.

    Behind PgBouncer in transaction mode, DB_DISABLE_SERVER_SIDE_CURSORS=1: a named
    cursor (QuerySet.iterator()) cannot outlive the transaction that the pooler gives it.
    """
    config = dj_database_url.parse(
        url,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
        disable_server_side_cursors=env_bool("DB_DISABLE_SERVER_SIDE_CURSORS", False),
        **extra,
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Reviewers click while a scheduled job writes: wait for the lock instead of failing.
        config.setdefault("OPTIONS", {})["timeout"] = 20
        config["CONN_MAX_AGE"] = 0
    return config


DATABASES = {"default": database(os.environ.get("DATABASE_URL", "") or DEFAULT_SQLITE)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)

# A PostgreSQL streaming replica for the read-only heavy pages (the overview, the summary
# workbook); everything else reads the primary (config/routers.py). Tests mirror default.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = database(
        DATABASE_REPLICA_URL, test_options={"MIRROR": "default"}
    )
    DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
    MIDDLEWARE += ["config.routers.ReplicaReadsMiddleware"]

# Django's cache is per process by default (local memory), and the application itself does
# not use it; django-import-export's CacheStorage does, and needs one that every gunicorn
# worker and app server shares: DB_CACHE_TABLE=<table> (`manage.py createcachetable` once).
DB_CACHE_TABLE = os.environ.get("DB_CACHE_TABLE", "")
if DB_CACHE_TABLE:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": DB_CACHE_TABLE,
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Chinese for what third-party apps print in English (django-axes' models and admin).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "media/"

# The admin's report page has one input per cell (about 200); the default 1000 leaves room,
# but a bulk edit of a 2019 report with all tables is close enough to raise it.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Uploaded documents wait here between preview and confirmation. Not under MEDIA_ROOT:
# staged reports are not public and must never be served as media.
IMPORT_STAGING_ROOT = Path(
    os.environ.get("IMPORT_STAGING_ROOT", BASE_DIR / "var" / "import-staging")
)

# Largest document accepted for import, in bytes (default 20 MB).
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 20 * 1024 * 1024)

# Each document is parsed in a child process with these limits (reports.importing.intake.sandbox):
# a decompression bomb or an endless page tree is stopped and refused as resource_limit.
# The memory limit is address space the parse may add to the (forked) parent's.
IMPORT_PARSE_CPU_SECONDS = env_int("IMPORT_PARSE_CPU_SECONDS", 30)
IMPORT_PARSE_MEMORY_MB = env_int("IMPORT_PARSE_MEMORY_MB", 1024)
IMPORT_PARSE_TIMEOUT_SECONDS = env_int("IMPORT_PARSE_TIMEOUT_SECONDS", 60)

# Word/Excel 97-2003, WPS, RTF and OpenDocument files are converted to DOCX/XLSX by
# LibreOffice (reports.importing.intake.convert) inside the parse's child process:
# IMPORT_SOFFICE is the program (a name on PATH or a path); where it is missing these files
# are refused with what to install. A conversion has its own wall-clock limit (always ended
# before the parse's, above) and address space for LibreOffice itself, in MB.
IMPORT_SOFFICE = os.environ.get("IMPORT_SOFFICE", "soffice")
IMPORT_CONVERT_TIMEOUT_SECONDS = env_int("IMPORT_CONVERT_TIMEOUT_SECONDS", 40)
IMPORT_CONVERT_MEMORY_MB = env_int("IMPORT_CONVERT_MEMORY_MB", 2048)

# Approving (审核通过) a report that still has open 错误 findings: "confirm" (default) asks
# the reviewer to confirm with a reason, recorded in the history; "refuse" does not allow it
# until the errors are handled. docs/deployment.md, section 2.
REPORTS_APPROVE_WITH_ERRORS = os.environ.get("REPORTS_APPROVE_WITH_ERRORS", "confirm")
if REPORTS_APPROVE_WITH_ERRORS not in ("confirm", "refuse"):
    raise ImproperlyConfigured(
        "环境变量 REPORTS_APPROVE_WITH_ERRORS 只能是 confirm 或 refuse，"
        f"现为 {REPORTS_APPROVE_WITH_ERRORS!r}"
    )

# django-import-export (registry and report figures in CSV/Excel). A dry run and its
# confirmation run in a transaction; a cell beginning with "=" is never exported as a
# formula; importing needs the change permission, exporting the view permission.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Off: it turns every cell into text (numbers, and blanks as "None"). The resources escape
# formulae in text cells themselves (agencies.resources.SheetExportMixin).
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# Where an uploaded CSV/Excel file waits between the dry run and its confirmation: the
# local temporary folder by default. With several application servers the confirmation may
# reach another one: import_export.tmp_storages.CacheStorage (with DB_CACHE_TABLE) or
# MediaStorage (MEDIA_ROOT on shared storage). docs/deployment.md, section 10.
IMPORT_EXPORT_TMP_STORAGE_CLASS = (
    os.environ.get("IMPORT_EXPORT_TMP_STORAGE_CLASS", "")
    or "import_export.tmp_storages.TempFolderStorage"
)

# --- Security: on whenever DEBUG is off (manage.py check --deploy is clean then). ------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # SECURE_COOKIES=0 only for a plain-http run on one machine (`make demo`).
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_REFERRER_POLICY = "same-origin"

# --- Login throttling (django-axes): N failures for one username from one address lock
# that pair out for a cool-off period; the lockout page is Chinese (templates/axes/).
# Its app config only names the app in Chinese (登录安全) on the admin index.
INSTALLED_APPS += ["config.apps.AxesConfig"]
# Our own admin for its records (agencies/admin/login_records.py): superusers only, in Chinese.
AXES_ENABLE_ADMIN = False
# Last, as axes requires: it turns the lockout raised during login into the response.
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
# Username and address together: a guesser is stopped without letting anyone lock a
# colleague out from another address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_COOLOFF_MESSAGE = "登录失败次数过多，账号已被暂时锁定，请稍后再试。"
AXES_PERMALOCK_MESSAGE = "登录失败次数过多，账号已被锁定，请联系管理员解锁。"
# No start-up banner on every management command (cron mails whatever a job prints);
# failed logins and lockouts are still logged.
AXES_VERBOSE = False
# Behind nginx REMOTE_ADDR is the proxy: read the client address from the header nginx
# sets (AXES_CLIENT_IP_HEADER=HTTP_X_REAL_IP), never from one a client could send itself.
_CLIENT_IP_HEADER = os.environ.get("AXES_CLIENT_IP_HEADER", "")


def client_ip(request: HttpRequest) -> str | None:
    """The client address as the trusted proxy reports it, else the socket's."""
    if _CLIENT_IP_HEADER and request.META.get(_CLIENT_IP_HEADER):
        return request.META[_CLIENT_IP_HEADER].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")


AXES_CLIENT_IP_CALLABLE = client_ip

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # The PDF libraries log every oddity of a damaged file as they read it (and pikepdf
    # announces itself); the importer reports the damage itself, as a warning naming the
    # pages and byte offsets, so only their errors reach the log.
    "loggers": {
        "pdfminer": {"level": "ERROR"},
        "pikepdf": {"level": "ERROR"},
    },
}
