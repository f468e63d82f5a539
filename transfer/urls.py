"""Top-level URL configuration."""

from django.contrib import admin
from django.urls import include, path

from transfer.core import views as core_views

urlpatterns = [
    # Browsers ask for /favicon.ico on pages that name no icon (some of allauth's).
    path("favicon.ico", core_views.favicon),
    path("", include("transfer.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("account/", include("transfer.accounts.urls")),
    path("connections/", include("transfer.connections.urls")),
    path("music/", include("transfer.music.urls")),
    path("transfers/", include("transfer.transfers.urls")),
    path("syncs/", include("transfer.syncs.urls")),
    path("staff/", include("transfer.dashboard.urls")),
    path("admin/", admin.site.urls),
]
