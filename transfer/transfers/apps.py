from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "transfer.transfers"
    label = "transfers"
