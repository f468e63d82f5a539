from django.apps import AppConfig


class YouTubeConfig(AppConfig):
    name = "transfer.youtube"
    label = "youtube"

    def ready(self) -> None:
        from transfer.youtube import receivers  # noqa: F401  (stores tokens on connect)
