"""Settings for every environment, driven by environment variables.

Defaults suit the zero-setup demo (DEBUG on, SQLite, the local sandbox standing in for Amazon).
Production turns DEBUG off and then fails closed: it refuses to start, naming the variable,
until SECRET_KEY, the Amazon endpoints and the credentials are set (never the sandbox or a demo
secret by accident). The secure-cookie, HSTS and proxy settings switch on with it so that
``manage.py check --deploy`` is clean. Any variable can come from a file, ``NAME_FILE``.

On a developer's clone, ``make install`` writes ``.env.dev`` (``DEBUG=true``) at the repository
root and these settings read it, so ``manage.py`` commands work without exporting anything. It
is git-ignored and docker-ignored: the image never holds it, and a real environment variable
always wins over it. It is not ``.env`` because that file holds docker compose's production
values.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from celery.schedules import crontab

from transfer.env import (
    env_bool,
    env_float,
    env_int,
    env_list,
    env_required,
    env_required_all,
    env_str,
    load_env_file,
)

BASE_DIR = Path(__file__).resolve().parent.parent
load_env_file(BASE_DIR / ".env.dev")

DEBUG = env_bool("DEBUG", default=False)

if DEBUG:
    # A fixed key is fine while DEBUG is on: nothing signed with it leaves the developer's machine.
    SECRET_KEY = env_str("SECRET_KEY") or "insecure-demo-key-do-not-use-in-production"
else:
    SECRET_KEY = env_required("SECRET_KEY")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    # Login with Amazon with endpoints from settings; replaces allauth's Amazon provider app.
    "transfer.amazon_login",
    "transfer.core",
    "transfer.amazon",
    "transfer.accounts",
    "transfer.music",
    "transfer.transfers",
    "transfer.syncs",
    "transfer.dashboard",
]
if DEBUG:
    # Development tooling (benchmarks, measurement commands); never installed in production.
    INSTALLED_APPS.append("devtools")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "transfer.amazon.middleware.AmazonErrorsMiddleware",
]

if not DEBUG:
    # In development runserver serves static files; in production WhiteNoise serves the
    # collected, compressed and hashed copies from STATIC_ROOT.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

# A body announced past the upload limit is not read into files (transfer/transfers/uploads.py).
FILE_UPLOAD_HANDLERS = [
    "transfer.transfers.uploads.RefuseOversizedUpload",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
ROOT_URLCONF = "transfer.urls"
WSGI_APPLICATION = "transfer.wsgi.application"
SITE_ID = 1

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

# SQLite by default (the demo); PostgreSQL in production and in the test suite via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'demo.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo's web process and worker write at the same time: WAL and IMMEDIATE transactions
    # turn SQLite's "database is locked" errors into short waits.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One Redis serves three roles, each on its own key prefix: the cache (catalog lookups), the
# Celery broker and result backend, and live job progress.
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "transfer.core.cache.PooledRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "amt",
        "TIMEOUT": 3600,
    }
}

# Sessions are read from the cache (and kept in the database too): the progress partial that
# many people poll then needs no database query at all.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or REDIS_URL
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360)
CELERY_WORKER_CONCURRENCY = env_int("CELERY_WORKER_CONCURRENCY", 4)
CELERY_BEAT_SCHEDULE = {
    "recover-stalled-transfers": {
        "task": "transfer.transfers.tasks.recover_stalled",
        "schedule": 60.0,
    },
}

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/transfers/signed-in/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Amazon endpoints and credentials. With DEBUG on they default to the local sandbox and its demo
# credentials; with DEBUG off every one must be set (see README, "Real Amazon credentials").
_SANDBOX = "http://127.0.0.1:8001"
_AMAZON_DEV_DEFAULTS = {
    "AMAZON_MUSIC_API_URL": f"{_SANDBOX}/v1",
    "LWA_AUTHORIZE_URL": f"{_SANDBOX}/ap/oa",
    "LWA_TOKEN_URL": f"{_SANDBOX}/auth/o2/token",
    "LWA_PROFILE_URL": f"{_SANDBOX}/user/profile",
    "LWA_REVOKE_URL": f"{_SANDBOX}/auth/o2/token/revoke",
    "LWA_CLIENT_ID": "amzn1.application-oa2-client.demo0000000000000000000000000000",
    "LWA_CLIENT_SECRET": "amzn1.oa2-cs.v1.demo-secret",
    "AMAZON_MUSIC_API_KEY": "amzn1.application.00000000000000000000000000000demo",
}
if DEBUG:
    _amazon = {name: env_str(name, default) for name, default in _AMAZON_DEV_DEFAULTS.items()}
else:
    _amazon = env_required_all(_AMAZON_DEV_DEFAULTS, why="DEBUG is off: no sandbox or demo value")
AMAZON_MUSIC_API_URL = _amazon["AMAZON_MUSIC_API_URL"]
LWA_AUTHORIZE_URL = _amazon["LWA_AUTHORIZE_URL"]
LWA_TOKEN_URL = _amazon["LWA_TOKEN_URL"]
LWA_PROFILE_URL = _amazon["LWA_PROFILE_URL"]
LWA_REVOKE_URL = _amazon["LWA_REVOKE_URL"]
LWA_CLIENT_ID = _amazon["LWA_CLIENT_ID"]
LWA_CLIENT_SECRET = _amazon["LWA_CLIENT_SECRET"]
AMAZON_MUSIC_API_KEY = _amazon["AMAZON_MUSIC_API_KEY"]
AMAZON_MUSIC_RATE_LIMIT = env_float("AMAZON_MUSIC_RATE_LIMIT", 10.0)
# Seconds a web request or task may spend waiting out 429s and retries before giving up (a
# page shows "try again"; a task reschedules itself).
AMAZON_MUSIC_RETRY_BUDGET = env_float("AMAZON_MUSIC_RETRY_BUDGET", 5.0)
# `profile` is needed for the sign-in itself (allauth reads user_id from /user/profile); the
# music scopes are what the app does: read the catalog, read and write library and playlists.
AMAZON_MUSIC_SCOPES = env_list(
    "AMAZON_MUSIC_SCOPES", ["profile", "music::profile", "music::catalog", "music::library"]
)
# Transfers: how much one person may run at once, and how big one transfer may be: a whole
# library (uploads are read by a worker, not in the request; under 2 KB of its memory per track
# at the peak, the file included: manage.py bench_upload).
TRANSFER_MAX_ACTIVE_JOBS = env_int("TRANSFER_MAX_ACTIVE_JOBS", 5)
TRANSFER_MAX_TRACKS = env_int("TRANSFER_MAX_TRACKS", 100_000)
TRANSFER_MAX_UPLOAD_BYTES = env_int("TRANSFER_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
# Tracks per matching task (chunks run in parallel across workers) and per write checkpoint.
# Chunks are the unit of fair sharing: smaller ones let a newcomer's job in sooner.
TRANSFER_MATCH_CHUNK = env_int("TRANSFER_MATCH_CHUNK", 25)
# Matching chunks in flight at once across the deployment (about the match workers' total
# concurrency); the rest wait in per-person queues and go out least-served person first.
TRANSFER_MATCH_SLOTS = env_int("TRANSFER_MATCH_SLOTS", 4)
# How many tracks of head start a person who arrives gets over those already running: jobs up
# to about this size run before the big ones go on.
TRANSFER_FAIR_CREDIT = env_int("TRANSFER_FAIR_CREDIT", 500)
# Times the minutely recovery re-queues a job that makes no progress before failing it.
TRANSFER_MAX_RECOVERIES = env_int("TRANSFER_MAX_RECOVERIES", 3)
TRANSFER_WRITE_CHUNK = env_int("TRANSFER_WRITE_CHUNK", 100)
# How long a writer's claim on a job lasts without renewal (its worker renews it every third of
# this while alive): after a worker dies, another one takes the job over this many seconds later.
TRANSFER_LEASE_SECONDS = env_int("TRANSFER_LEASE_SECONDS", 20)
# A matching job with no decision for this long, or a writing job idle this long without a
# lease, is queued again; beat looks for such jobs every TRANSFER_RECOVER_EVERY_SECONDS.
TRANSFER_STALLED_SECONDS = env_int("TRANSFER_STALLED_SECONDS", 30)
TRANSFER_RECOVER_EVERY_SECONDS = env_float("TRANSFER_RECOVER_EVERY_SECONDS", 10.0)
CELERY_BEAT_SCHEDULE["recover-stalled-transfers"]["schedule"] = TRANSFER_RECOVER_EVERY_SECONDS
# The task retry policy (transfer/core/retrying.py). Waiting on Amazon's 429s spends no retries
# but ends TASK_RETRY_DEADLINE_SECONDS after the work's first try; transient failures (5xx, no
# connection, a garbled answer) are retried this many times in a row without progress, backing
# off from TRANSFER_RETRY_BACKOFF_SECONDS doubling up to the cap.
TASK_RETRY_DEADLINE_SECONDS = env_float("TASK_RETRY_DEADLINE_SECONDS", 6 * 3600.0)
TRANSFER_MAX_TRANSIENT_RETRIES = env_int("TRANSFER_MAX_TRANSIENT_RETRIES", 8)
TRANSFER_RETRY_BACKOFF_SECONDS = env_float("TRANSFER_RETRY_BACKOFF_SECONDS", 2.0)
TRANSFER_RETRY_BACKOFF_CAP_SECONDS = env_float("TRANSFER_RETRY_BACKOFF_CAP_SECONDS", 300.0)

# Syncs and library backups (transfer.syncs). A sync's URL source is fetched with a byte cap and
# a timeout, and never from private, loopback or link-local addresses unless this allows it
# (only for trusted single-user setups and the test suite).
SYNC_ALLOW_PRIVATE_URLS = env_bool("SYNC_ALLOW_PRIVATE_URLS", default=False)
SYNC_URL_MAX_BYTES = env_int("SYNC_URL_MAX_BYTES", TRANSFER_MAX_UPLOAD_BYTES)
SYNC_URL_TIMEOUT = env_float("SYNC_URL_TIMEOUT", 20.0)
# A failing run is retried this many times, waiting SYNC_RETRY_BACKOFF_SECONDS doubled each
# time (with jitter); after SYNC_PAUSE_AFTER_FAILURES failed runs in a row the sync pauses.
SYNC_MAX_RETRIES = env_int("SYNC_MAX_RETRIES", 4)
SYNC_RETRY_BACKOFF_SECONDS = env_float("SYNC_RETRY_BACKOFF_SECONDS", 60.0)
SYNC_PAUSE_AFTER_FAILURES = env_int("SYNC_PAUSE_AFTER_FAILURES", 5)
# The nightly backup's hour (UTC) and how many snapshots each person keeps.
SYNC_BACKUP_HOUR = env_int("SYNC_BACKUP_HOUR", 3)
SYNC_BACKUPS_KEPT = env_int("SYNC_BACKUPS_KEPT", 30)
CELERY_BEAT_SCHEDULE |= {
    "enqueue-due-syncs": {"task": "transfer.syncs.tasks.enqueue_due", "schedule": 60.0},
    "nightly-library-backups": {
        "task": "transfer.syncs.tasks.backup_all",
        "schedule": crontab(hour=SYNC_BACKUP_HOUR, minute=30),
    },
}

# Fernet keys for tokens at rest, newest first (rotate by prepending, then run
# `manage.py rotate_token_keys`). Empty: derived from SECRET_KEY, which only the demo may do:
# production refuses it, since changing SECRET_KEY would then make every stored token unreadable.
TOKEN_ENCRYPTION_KEYS = env_list("TOKEN_ENCRYPTION_KEYS", [])
if not DEBUG and not TOKEN_ENCRYPTION_KEYS:
    env_required("TOKEN_ENCRYPTION_KEYS")

# Sign-in is Login with Amazon only; staff use the Django admin's own login.
SOCIALACCOUNT_ONLY = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 15
# Tokens are kept encrypted in transfer.amazon's AmazonConnection, never in allauth's tables.
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {
    "amazon": {
        "APPS": [
            {
                "client_id": LWA_CLIENT_ID,
                "secret": LWA_CLIENT_SECRET,
                "key": AMAZON_MUSIC_API_KEY,
                "settings": {"oauth_pkce_enabled": True},
            }
        ],
        "SCOPE": AMAZON_MUSIC_SCOPES,
        "OAUTH_PKCE_ENABLED": True,
    }
}

LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

if not DEBUG:
    # Production sits behind a TLS-terminating proxy (see docker-compose.yml and README).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # The container health check talks plain HTTP to the web process itself.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    SESSION_COOKIE_HTTPONLY = True
    X_FRAME_OPTIONS = "DENY"


# --- Spotify and YouTube connections (transfer.spotify, transfer.youtube) ---------------------
# Each service is on when its app's credentials are configured (always in the demo, against the
# sandbox's stand-ins). In production an enabled service must name every endpoint explicitly:
# the settings fail closed rather than fall back to the local stand-ins. See README, "Real
# Spotify and Google apps".
def _service_url(name: str, enabled: bool, sandbox_default: str) -> str:
    if DEBUG:
        return env_str(name, sandbox_default)
    return env_required(name) if enabled else env_str(name, "")


SPOTIFY_ENABLED = env_bool("SPOTIFY_ENABLED", default=DEBUG)
SPOTIFY_CLIENT_ID = env_str("SPOTIFY_CLIENT_ID", "sandbox-spotify-client" if DEBUG else "")
SPOTIFY_CLIENT_SECRET = env_str("SPOTIFY_CLIENT_SECRET", "sandbox-spotify-secret" if DEBUG else "")
SPOTIFY_AUTHORIZE_URL = _service_url(
    "SPOTIFY_AUTHORIZE_URL", SPOTIFY_ENABLED, "http://127.0.0.1:8001/spotify/accounts/authorize"
)
SPOTIFY_TOKEN_URL = _service_url(
    "SPOTIFY_TOKEN_URL", SPOTIFY_ENABLED, "http://127.0.0.1:8001/spotify/accounts/api/token"
)
SPOTIFY_API_URL = _service_url(
    "SPOTIFY_API_URL", SPOTIFY_ENABLED, "http://127.0.0.1:8001/spotify/v1"
)
SPOTIFY_SCOPES = env_list(
    "SPOTIFY_SCOPES",
    [
        "user-read-email",
        "user-read-private",
        "playlist-read-private",
        "playlist-read-collaborative",
        "playlist-modify-private",
        "playlist-modify-public",
        "user-library-read",
        "user-library-modify",
    ],
)
# Seconds a call may spend waiting out Spotify's 429s before the task reschedules instead.
SPOTIFY_RETRY_BUDGET = env_float("SPOTIFY_RETRY_BUDGET", 5.0)

GOOGLE_ENABLED = env_bool("GOOGLE_ENABLED", default=DEBUG)
GOOGLE_CLIENT_ID = env_str("GOOGLE_CLIENT_ID", "sandbox-google-client" if DEBUG else "")
GOOGLE_CLIENT_SECRET = env_str("GOOGLE_CLIENT_SECRET", "sandbox-google-secret" if DEBUG else "")
GOOGLE_AUTHORIZE_URL = _service_url(
    "GOOGLE_AUTHORIZE_URL", GOOGLE_ENABLED, "http://127.0.0.1:8001/google/o/oauth2/v2/auth"
)
GOOGLE_TOKEN_URL = _service_url(
    "GOOGLE_TOKEN_URL", GOOGLE_ENABLED, "http://127.0.0.1:8001/google/token"
)
GOOGLE_REVOKE_URL = _service_url(
    "GOOGLE_REVOKE_URL", GOOGLE_ENABLED, "http://127.0.0.1:8001/google/revoke"
)
GOOGLE_USERINFO_URL = _service_url(
    "GOOGLE_USERINFO_URL", GOOGLE_ENABLED, "http://127.0.0.1:8001/google/oauth2/v2/userinfo"
)
YOUTUBE_API_URL = _service_url(
    "YOUTUBE_API_URL", GOOGLE_ENABLED, "http://127.0.0.1:8001/youtube/v3"
)
# An API key lets Takeout files (video ids only) be resolved without a connected account.
YOUTUBE_API_KEY = env_str("YOUTUBE_API_KEY", "sandbox-youtube-api-key" if DEBUG else "")
# Units a day for this app's Google Cloud project (10,000 unless Google granted more).
YOUTUBE_DAILY_QUOTA = env_int("YOUTUBE_DAILY_QUOTA", 10_000)
# How often a transfer waiting for tomorrow's YouTube quota checks again (seconds).
YOUTUBE_QUOTA_RECHECK_SECONDS = env_float("YOUTUBE_QUOTA_RECHECK_SECONDS", 1800.0)
# A job that waits this long for YouTube's quota without writing anything ends with a reason
# (no job waits forever, e.g. when the project's daily quota is too small for one insert).
YOUTUBE_QUOTA_MAX_STALL_SECONDS = env_float("YOUTUBE_QUOTA_MAX_STALL_SECONDS", 3 * 86_400.0)
# Reading and writing playlists in one consent: syncs into YouTube write unattended, long after
# the person chose them, so the grant they rely on is asked for once, up front (``youtube``
# includes reading). Setting only ``.../youtube.readonly`` makes YouTube read-only: the pages
# then offer no YouTube destination until the person reconnects with writing allowed.
YOUTUBE_SCOPES = env_list(
    "YOUTUBE_SCOPES", ["profile", "email", "https://www.googleapis.com/auth/youtube"]
)

INSTALLED_APPS += ["transfer.connections", "transfer.spotify", "transfer.youtube"]
SOCIALACCOUNT_ADAPTER = "transfer.connections.adapter.ConnectOnlyAdapter"
if SPOTIFY_ENABLED:
    SOCIALACCOUNT_PROVIDERS["spotify"] = {
        "APPS": [{"client_id": SPOTIFY_CLIENT_ID, "secret": SPOTIFY_CLIENT_SECRET}],
        "SCOPE": SPOTIFY_SCOPES,
        "OAUTH_PKCE_ENABLED": True,
    }
if GOOGLE_ENABLED:
    SOCIALACCOUNT_PROVIDERS["google"] = {
        "APPS": [{"client_id": GOOGLE_CLIENT_ID, "secret": GOOGLE_CLIENT_SECRET}],
        "SCOPE": YOUTUBE_SCOPES,
        # A refresh token, and the consent screen again so Google sends one on reconnect.
        "AUTH_PARAMS": {"access_type": "offline", "prompt": "consent"},
        "OAUTH_PKCE_ENABLED": True,
    }
