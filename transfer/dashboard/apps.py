from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "transfer.dashboard"
    label = "dashboard"
