from django.apps import AppConfig


class MusicConfig(AppConfig):
    name = "transfer.music"
    label = "music"
