from django.apps import AppConfig


class ConnectionsConfig(AppConfig):
    """Connect and disconnect Spotify and YouTube; the connection cards pages include."""

    name = "transfer.connections"
    label = "connections"
