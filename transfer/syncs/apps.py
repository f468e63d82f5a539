from django.apps import AppConfig


class SyncsConfig(AppConfig):
    name = "transfer.syncs"
    label = "syncs"
