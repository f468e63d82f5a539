from django.apps import AppConfig


class AmazonLoginConfig(AppConfig):
    name = "transfer.amazon_login"
    label = "amazon_login"
