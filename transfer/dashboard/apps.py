"""The staff dashboard: what the system is doing, beside the Django admin."""

from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "transfer.dashboard"
    label = "dashboard"
    verbose_name = "Staff dashboard"

    def ready(self) -> None:
        # Every worker started after this reports its heartbeat and its task retries/failures.
        from transfer.celery import app
        from transfer.dashboard import workers

        workers.install(app)
