from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "transfer.accounts"
    label = "accounts"
