from django.apps import AppConfig


class AmazonConfig(AppConfig):
    name = "transfer.amazon"
    label = "amazon"

    def ready(self) -> None:
        from transfer.amazon import receivers  # noqa: F401  (connects the login signal)
