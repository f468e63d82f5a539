from __future__ import annotations

from allauth.socialaccount.providers.amazon.provider import AmazonProvider

from transfer.amazon_login.views import SettingsAmazonOAuth2Adapter


class SettingsAmazonProvider(AmazonProvider):
    oauth2_adapter_class = SettingsAmazonOAuth2Adapter


provider_classes = [SettingsAmazonProvider]
