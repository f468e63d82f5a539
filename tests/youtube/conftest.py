"""The YouTube tests share the Spotify tests' fixtures (the stand-ins, settings, connections)."""

from tests.spotify.conftest import services, standins

__all__ = ["services", "standins"]
