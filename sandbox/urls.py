"""URL map of the sandbox: Login with Amazon at the root, the Music API under /v1, control API."""

from django.conf import settings
from django.urls import include, path

from sandbox import artwork, views_health
from sandbox.lwa import views as lwa
from sandbox.youtube import urls as youtube_urls

urlpatterns = [
    path("healthz", views_health.healthz, name="sandbox-healthz"),
    path("ap/oa", lwa.authorize, name="lwa-authorize"),
    path("auth/o2/token", lwa.token, name="lwa-token"),
    path("auth/o2/token/revoke", lwa.revoke, name="lwa-revoke"),
    path("auth/o2/tokeninfo", lwa.tokeninfo, name="lwa-tokeninfo"),
    path("user/profile", lwa.profile, name="lwa-profile"),
    path("v1/", include("sandbox.api.urls")),
    path("images/<str:image_id>.svg", artwork.image, name="sandbox-image"),
    # Stand-ins for the other services (sandbox/spotify, sandbox/youtube).
    path("spotify/", include("sandbox.spotify.urls")),
    path("google/", include(youtube_urls.google_urlpatterns)),
    path("youtube/", include(youtube_urls.youtube_urlpatterns)),
]

if settings.SANDBOX_CONTROL_API:
    urlpatterns += [
        path("_sandbox/spotify/", include("sandbox.spotify.control")),
        path("_sandbox/youtube/", include("sandbox.youtube.control")),
        path("_sandbox/", include("sandbox.control")),
    ]
