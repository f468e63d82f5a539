"""Settings for mypy's Django plugin only (development tooling): product and sandbox.

The product and the sandbox run as separate processes with separate settings; the type checker
reads one settings module, so this one lets it see both.
"""

from transfer.settings import *  # noqa: F403
from transfer.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "sandbox"]

# The sandbox's own settings, so its modules type-check against the names they read.
from sandbox import settings as _sandbox  # noqa: E402

SANDBOX_ACCESS_TOKEN_TTL = _sandbox.SANDBOX_ACCESS_TOKEN_TTL
SANDBOX_CONTROL_API = _sandbox.SANDBOX_CONTROL_API
SANDBOX_RATE_LIMIT = _sandbox.SANDBOX_RATE_LIMIT
SANDBOX_CLIENT_ID = _sandbox.SANDBOX_CLIENT_ID
SANDBOX_CLIENT_SECRET = _sandbox.SANDBOX_CLIENT_SECRET
SANDBOX_API_KEY = _sandbox.SANDBOX_API_KEY
SANDBOX_REDIRECT_URIS = _sandbox.SANDBOX_REDIRECT_URIS
SANDBOX_PUBLIC_URL = _sandbox.SANDBOX_PUBLIC_URL
SANDBOX_SERVE_IMAGES = _sandbox.SANDBOX_SERVE_IMAGES
# The Spotify and Google/YouTube stand-ins.
SANDBOX_SPOTIFY_CLIENT_ID = _sandbox.SANDBOX_SPOTIFY_CLIENT_ID
SANDBOX_SPOTIFY_CLIENT_SECRET = _sandbox.SANDBOX_SPOTIFY_CLIENT_SECRET
SANDBOX_SPOTIFY_REDIRECT_URIS = _sandbox.SANDBOX_SPOTIFY_REDIRECT_URIS
SANDBOX_GOOGLE_CLIENT_ID = _sandbox.SANDBOX_GOOGLE_CLIENT_ID
SANDBOX_GOOGLE_CLIENT_SECRET = _sandbox.SANDBOX_GOOGLE_CLIENT_SECRET
SANDBOX_GOOGLE_REDIRECT_URIS = _sandbox.SANDBOX_GOOGLE_REDIRECT_URIS
SANDBOX_YOUTUBE_API_KEY = _sandbox.SANDBOX_YOUTUBE_API_KEY
SANDBOX_GOOGLE_DEFAULT_SCOPES = _sandbox.SANDBOX_GOOGLE_DEFAULT_SCOPES
SANDBOX_TRACK_NODE_CACHE = _sandbox.SANDBOX_TRACK_NODE_CACHE
