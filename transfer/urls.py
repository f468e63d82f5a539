"""Top-level URL configuration."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("transfer.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("account/", include("transfer.accounts.urls")),
    path("music/", include("transfer.music.urls")),
    path("transfers/", include("transfer.transfers.urls")),
    path("syncs/", include("transfer.syncs.urls")),
    path("staff/", include("transfer.dashboard.urls")),
    path("admin/", admin.site.urls),
]
