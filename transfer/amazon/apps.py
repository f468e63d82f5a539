from django.apps import AppConfig


class AmazonConfig(AppConfig):
    name = "transfer.amazon"
    label = "amazon"

    def ready(self) -> None:
        from transfer.amazon import checks, receivers  # noqa: F401  (registers checks, signals)
