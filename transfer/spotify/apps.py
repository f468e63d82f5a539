from django.apps import AppConfig


class SpotifyConfig(AppConfig):
    name = "transfer.spotify"
    label = "spotify"

    def ready(self) -> None:
        from transfer.spotify import receivers  # noqa: F401  (stores tokens on connect)
