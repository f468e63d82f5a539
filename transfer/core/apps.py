from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "transfer.core"
    label = "core"
