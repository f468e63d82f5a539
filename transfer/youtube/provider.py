"""allauth's Google provider with its endpoints read from settings (stand-in or Google)."""

from __future__ import annotations

from allauth.socialaccount.providers.google.provider import GoogleProvider

from transfer.youtube.login.views import SettingsGoogleOAuth2Adapter


class SettingsGoogleProvider(GoogleProvider):
    package = "transfer.youtube.login"
    oauth2_adapter_class = SettingsGoogleOAuth2Adapter


provider_classes = [SettingsGoogleProvider]
