"""Settings for the sandbox server: its own process, port and SQLite database.

Run it with ``DJANGO_SETTINGS_MODULE=sandbox.settings``: ``manage.py migrate``, ``sandbox_seed``,
and ``gunicorn sandbox.wsgi:application --workers 1 --threads 16`` (one process, because the
rate limiter and the fault switches live in its memory).
"""

from __future__ import annotations

from pathlib import Path

from transfer.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("SANDBOX_DEBUG", default=False)
# The sandbox is a development tool that never holds real secrets.
SECRET_KEY = "sandbox-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.staticfiles",
    "sandbox",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Stats, injected faults and the per-x-api-key rate limit, in front of LWA and /v1.
    "sandbox.api.middleware.SandboxEdgeMiddleware",
]
# The API's routes take an optional trailing slash themselves; a redirect would drop bodies.
APPEND_SLASH = False
ROOT_URLCONF = "sandbox.urls"
WSGI_APPLICATION = "sandbox.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env_str("SANDBOX_DATABASE_PATH", str(BASE_DIR / "var" / "sandbox.sqlite3")),
        "OPTIONS": {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-200000;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        # One connection per server thread for the process's life: opening one per request
        # (and running the PRAGMAs, reading the schema, starting with a cold page cache) was
        # a large share of a cheap request's CPU. The price is memory: each thread keeps its
        # page cache (at 50,000 tracks and 16 threads the process grew from about 140 MB to
        # 370 MB after 4,000 searches spread over all threads).
        "CONN_MAX_AGE": None,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
STATIC_URL = "/static/"

# Login with Amazon behaviour.
SANDBOX_ACCESS_TOKEN_TTL = env_int("SANDBOX_ACCESS_TOKEN_TTL", 3600)
# The demo's registered client; tests register more through the control API.
SANDBOX_CLIENT_ID = env_str(
    "LWA_CLIENT_ID", "amzn1.application-oa2-client.demo0000000000000000000000000000"
)
SANDBOX_CLIENT_SECRET = env_str("LWA_CLIENT_SECRET", "amzn1.oa2-cs.v1.demo-secret")
SANDBOX_API_KEY = env_str(
    "AMAZON_MUSIC_API_KEY", "amzn1.application.00000000000000000000000000000demo"
)
SANDBOX_REDIRECT_URIS = env_list(
    "SANDBOX_REDIRECT_URIS",
    [
        "http://127.0.0.1:8000/accounts/amazon/login/callback/",
        "http://localhost:8000/accounts/amazon/login/callback/",
    ],
)
# Requests per second per security profile (x-api-key); 0 turns the limit off.
SANDBOX_RATE_LIMIT = env_float("SANDBOX_RATE_LIMIT", 20.0)
# Serialized catalog tracks kept per server process (see sandbox/api/loaders.py).
SANDBOX_TRACK_NODE_CACHE = env_int("SANDBOX_TRACK_NODE_CACHE", 100_000)
# The /_sandbox/ control API (faults, limits, clients) is on unless a deployment turns it off.
SANDBOX_CONTROL_API = env_bool("SANDBOX_CONTROL_API", default=True)
SANDBOX_PUBLIC_URL = env_str("SANDBOX_PUBLIC_URL", "http://127.0.0.1:8001")
# Serve generated cover art from /images/ instead of pointing at Amazon's image hosts, which
# an offline demo cannot reach.
SANDBOX_SERVE_IMAGES = env_bool("SANDBOX_SERVE_IMAGES", default=True)

# --- The Spotify and Google/YouTube stand-ins (sandbox/spotify, sandbox/youtube) -------------
# Their demo apps, registered at start; tests and benchmarks register more via /_sandbox/.
SANDBOX_SPOTIFY_CLIENT_ID = env_str("SPOTIFY_CLIENT_ID", "sandbox-spotify-client")
SANDBOX_SPOTIFY_CLIENT_SECRET = env_str("SPOTIFY_CLIENT_SECRET", "sandbox-spotify-secret")
SANDBOX_SPOTIFY_REDIRECT_URIS = env_list(
    "SANDBOX_SPOTIFY_REDIRECT_URIS",
    [
        "http://127.0.0.1:8000/accounts/spotify/login/callback/",
        "http://localhost:8000/accounts/spotify/login/callback/",
    ],
)
SANDBOX_GOOGLE_CLIENT_ID = env_str("GOOGLE_CLIENT_ID", "sandbox-google-client")
SANDBOX_GOOGLE_CLIENT_SECRET = env_str("GOOGLE_CLIENT_SECRET", "sandbox-google-secret")
SANDBOX_GOOGLE_REDIRECT_URIS = env_list(
    "SANDBOX_GOOGLE_REDIRECT_URIS",
    [
        "http://127.0.0.1:8000/accounts/google/login/callback/",
        "http://localhost:8000/accounts/google/login/callback/",
    ],
)
SANDBOX_YOUTUBE_API_KEY = env_str("YOUTUBE_API_KEY", "sandbox-youtube-api-key")
# The grant the control API's token endpoint hands out unless told otherwise: what the product
# asks Google for (the same variable and default as its YOUTUBE_SCOPES), so a stand-in token is
# what a person who agreed to the product's consent screen would hold.
SANDBOX_GOOGLE_DEFAULT_SCOPES = env_list(
    "YOUTUBE_SCOPES", ["profile", "email", "https://www.googleapis.com/auth/youtube"]
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("SANDBOX_LOG_LEVEL", "WARNING")},
}
