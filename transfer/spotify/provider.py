"""allauth's Spotify provider with its endpoints read from settings (stand-in or Spotify).

allauth finds providers in each installed app's ``provider`` module; ``package`` points it at
``transfer.spotify.login`` for the provider's ``urls`` and ``views``.
"""

from __future__ import annotations

from allauth.socialaccount.providers.spotify.provider import SpotifyOAuth2Provider

from transfer.spotify.login.views import SettingsSpotifyOAuth2Adapter


class SettingsSpotifyProvider(SpotifyOAuth2Provider):
    package = "transfer.spotify.login"
    oauth2_adapter_class = SettingsSpotifyOAuth2Adapter


provider_classes = [SettingsSpotifyProvider]
