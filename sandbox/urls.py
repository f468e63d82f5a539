"""URL map of the sandbox: Login with Amazon at the root, the Music API under /v1."""

from django.urls import path

from sandbox import views_health

urlpatterns = [
    path("healthz", views_health.healthz, name="sandbox-healthz"),
]
