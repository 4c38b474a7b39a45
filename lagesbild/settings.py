"""Lägesbild settings, read from the environment through strict helpers.

Every setting that varies between machines comes from an environment variable; a bad value
raises ImproperlyConfigured at start-up instead of failing later. See .env.example.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LAGESBILD_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Miljövariabeln {name} måste vara satt.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on", "ja"}:
        return True
    if lowered in {"0", "false", "no", "off", "nej"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} är inte ett sanningsvärde (true/false).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} är inte ett heltal.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    """SECRET_KEY from the environment; else a random key kept in var/secret_key (never in git)."""
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        import secrets

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# ALLOWED_HOSTS: see "Deploy and security" at the end (tests add `testserver` themselves).
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "lagesbild.core",
    "lagesbild.strategy",
    "lagesbild.indicators",
    "lagesbild.reporting",
    "lagesbild.sources",
    "lagesbild.statusreport",
    "lagesbild.directory",
    "lagesbild.surveys",
    "lagesbild.web",
    "lagesbild.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lagesbild.urls"
WSGI_APPLICATION = "lagesbild.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lagesbild" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
# How long a worker keeps its database connection (seconds). Health checks make a kept
# connection that the server dropped (a restart, a failover) be replaced before it is used.
DB_CONN_MAX_AGE = env_int("LAGESBILD_DB_CONN_MAX_AGE", 60)
if DATABASE_URL:
    try:
        DATABASES = {
            "default": dj_database_url.parse(
                DATABASE_URL, conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=True
            )
        }
    except Exception as exc:  # dj_database_url raises several kinds
        raise ImproperlyConfigured(f"DATABASE_URL kan inte tolkas: {exc}") from None
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "lagesbild.sqlite3",
            "OPTIONS": {
                # Writers wait for each other instead of failing with "database is locked":
                # WAL lets readers go on while one writer writes, a write transaction takes the
                # write lock when it starts (IMMEDIATE, so two writers never deadlock on an
                # upgrade from a read lock), and a waiting writer waits up to the timeout.
                "timeout": env_int("LAGESBILD_SQLITE_TIMEOUT", 20),
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    f"PRAGMA busy_timeout={env_int('LAGESBILD_SQLITE_TIMEOUT', 20) * 1000};"
                ),
            },
            # Keep the connection per worker: opening one registers Django's SQL functions,
            # which costs more than a cached page's one query (bench/loadtest.py).
            "CONN_MAX_AGE": DB_CONN_MAX_AGE,
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2id with OWASP's parameters first (lagesbild/core/hashers.py: why not Django's PBKDF2);
# older PBKDF2, scrypt and Argon2 hashes (any parameters) still verify and are upgraded on login.
PASSWORD_HASHERS = [
    "lagesbild.core.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/konto/logga-in/"
LOGIN_REDIRECT_URL = "/rapportering/"
LOGOUT_REDIRECT_URL = "/"

# django-axes: throttle failed logins (lockout parameters: "Deploy and security" below).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "reporting/account/lockout.html"

# Optional OpenID Connect login, on only when OIDC_RP_CLIENT_ID etc. are set (docs/reporting.md).
from lagesbild.reporting import oidc as _oidc  # noqa: E402

_oidc.apply(globals(), os.environ)

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "sv")
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "lagesbild" / "static"]  # site.css lives outside the apps
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Hashed, compressed static files with far-future caching (lagesbild/core/staticfiles.py,
# docs/performance.md); `make setup` runs collectstatic. LAGESBILD_STATIC_MANIFEST=false serves
# the plain names (the test suite does so, see conftest.py).
STATIC_MANIFEST = env_bool("LAGESBILD_STATIC_MANIFEST", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "lagesbild.core.staticfiles.StaticStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded and generated files. The status report's builds and published editions are stored
# through the "reports" storage (never served from a URL of their own: the report views check
# who may see a draft); another backend (object storage) can replace it here.
MEDIA_ROOT = Path(os.environ.get("LAGESBILD_MEDIA_DIR", VAR_DIR / "media"))
STORAGES["reports"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": MEDIA_ROOT / "rapporter"},
}
# Files not yet collected are still served from the app folders (short cache time).
WHITENOISE_USE_FINDERS = env_bool("LAGESBILD_STATIC_FINDERS", True)
# collectstatic keeps (and compresses) only the hashed copies: half the work.
WHITENOISE_KEEP_ONLY_HASHED_FILES = env_bool("LAGESBILD_STATIC_KEEP_ONLY_HASHED", True)
# Cache time in seconds for files without a content hash; hashed files are cached for ten years.
WHITENOISE_MAX_AGE = env_int("LAGESBILD_STATIC_MAX_AGE", 0 if DEBUG else 3600)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "lagesbild@localhost")
# Development: EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend writes each message
# to a file in EMAIL_FILE_PATH (default var/mail); the console backend (the default) prints it.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
# The site's address in e-mail links (https://lagesbild.example.se); "" gives relative links.
LAGESBILD_BASE_URL = env_str("LAGESBILD_BASE_URL", "")
# Reporting: a value that changes by more than this share against last year's approved value
# needs a comment before it can be sent in (0.5 = 50 procent).
REPORTING_CHANGE_WARNING_SHARE = float(env_str("LAGESBILD_CHANGE_WARNING_SHARE", "0.5"))

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "lagesbild",
    }
}
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }

# Background work (report builds, notifications, scheduled reminders): django-tasks, the
# backport of Django 6's tasks framework. The default queue is the database (django-tasks-db), so
# the embedded default needs no extra server; `lagesbild serve` starts its worker
# (`manage.py db_worker`). With LAGESBILD_TASKS_BACKEND=rq and REDIS_URL set, RQ on Redis.
# Tests run tasks at once in the caller (ImmediateBackend), see conftest.py.
TASKS_BACKEND = env_str("LAGESBILD_TASKS_BACKEND", "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "rq": "django_tasks_rq.RQBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"LAGESBILD_TASKS_BACKEND måste vara något av {', '.join(_TASK_BACKENDS)}, "
        f"inte {TASKS_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
if TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("LAGESBILD_TASKS_BACKEND=rq kräver REDIS_URL.")
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}

# Where the county's configuration lives (a folder of YAML/CSV files, see docs/data-format.md).
LAGESBILD_CONFIG_DIR = Path(os.environ.get("LAGESBILD_CONFIG_DIR", BASE_DIR / "data" / "stockholm"))

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}


# ------------------------------------------------------------------ Deploy and security
# Everything here comes from the environment; docs/operations.md lists each variable.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")  # the test runner adds testserver

# Behind a TLS-terminating proxy: LAGESBILD_HTTPS=1 turns on HSTS, the redirect to https and
# secure cookies. The proxy must send X-Forwarded-Proto (trusted only with HTTPS on).
LAGESBILD_HTTPS = env_bool("LAGESBILD_HTTPS", False)
if LAGESBILD_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = env_int("LAGESBILD_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("LAGESBILD_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("LAGESBILD_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
SECURE_REDIRECT_EXEMPT = [r"^healthz?/?$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# The client's address behind reverse proxies: LAGESBILD_TRUSTED_PROXIES is how many proxies
# in front of Lägesbild append to LAGESBILD_PROXY_HEADER (X-Forwarded-For). 0: the connection's
# own address, and the header is ignored (a client cannot forge its address).
LAGESBILD_TRUSTED_PROXIES = env_int("LAGESBILD_TRUSTED_PROXIES", 0)
LAGESBILD_PROXY_HEADER = env_str("LAGESBILD_PROXY_HEADER", "X-Forwarded-For")
MIDDLEWARE.insert(0, "lagesbild.core.security.ClientAddressMiddleware")
MIDDLEWARE.insert(1, "lagesbild.core.security.HostileInputMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "csp.middleware.CSPMiddleware")  # fmt: skip
INSTALLED_APPS.append("csp")

# django-axes keys on that address (REMOTE_ADDR after ClientAddressMiddleware). A lockout
# holds for a user name from one address, and also for one address across all user names
# (one password tried against many accounts).
AXES_CLIENT_IP_CALLABLE = "lagesbild.core.security.client_ip"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]

# Content Security Policy (django-csp): no inline scripts anywhere. Inline styles are allowed
# only because the charts are inline SVG from matplotlib, which styles its elements inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'", *env_list("LAGESBILD_CSP_FORM_ACTION", "")],
        "frame-ancestors": ["'none'"],
    }
}

# Uploads (lagesbild.core.uploads): checked before they are opened.
LAGESBILD_UPLOAD_MAX_BYTES = env_int("LAGESBILD_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
LAGESBILD_XLSX_MAX_MEMBERS = env_int("LAGESBILD_XLSX_MAX_MEMBERS", 100)
LAGESBILD_XLSX_MAX_UNCOMPRESSED = env_int("LAGESBILD_XLSX_MAX_UNCOMPRESSED", 20 * 1024 * 1024)
LAGESBILD_XLSX_MAX_RATIO = env_int("LAGESBILD_XLSX_MAX_RATIO", 100)
LAGESBILD_UPLOAD_MAX_ROWS = env_int("LAGESBILD_UPLOAD_MAX_ROWS", 10_000)
LAGESBILD_UPLOAD_MAX_CELL_CHARS = env_int("LAGESBILD_UPLOAD_MAX_CELL_CHARS", 32_767)  # Excel's own
LAGESBILD_UPLOAD_ECHO_CHARS = 120  # a value quoted in an error message, at most
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploads go to a temporary file, not memory
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("LAGESBILD_FORM_MAX_BYTES", 2_621_440)  # non-file fields
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
