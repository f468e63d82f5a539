"""URL map of the sandbox: Login with Amazon at the root, the Music API under /v1, control API."""

from django.conf import settings
from django.urls import include, path

from sandbox import artwork, views_health
from sandbox.lwa import views as lwa

urlpatterns = [
    path("healthz", views_health.healthz, name="sandbox-healthz"),
    path("ap/oa", lwa.authorize, name="lwa-authorize"),
    path("auth/o2/token", lwa.token, name="lwa-token"),
    path("auth/o2/token/revoke", lwa.revoke, name="lwa-revoke"),
    path("auth/o2/tokeninfo", lwa.tokeninfo, name="lwa-tokeninfo"),
    path("user/profile", lwa.profile, name="lwa-profile"),
    path("v1/", include("sandbox.api.urls")),
    path("images/<str:image_id>.svg", artwork.image, name="sandbox-image"),
]

if settings.SANDBOX_CONTROL_API:
    urlpatterns.append(path("_sandbox/", include("sandbox.control")))
