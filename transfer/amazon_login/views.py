from __future__ import annotations

from allauth.socialaccount.providers.amazon.views import AmazonOAuth2Adapter
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from django.conf import settings

from transfer.amazon.lwa import login_with_amazon


class SettingsAmazonOAuth2Adapter(AmazonOAuth2Adapter):
    """The stock adapter, with each Login with Amazon endpoint read from settings."""

    @property
    def authorize_url(self) -> str:
        return settings.LWA_AUTHORIZE_URL

    @property
    def access_token_url(self) -> str:
        # The same token endpoint the product refreshes through (one LWA client and its
        # settings: transfer/amazon/lwa.py); allauth does only the code exchange.
        return login_with_amazon().token_url

    @property
    def profile_url(self) -> str:
        return settings.LWA_PROFILE_URL


oauth2_login = OAuth2LoginView.adapter_view(SettingsAmazonOAuth2Adapter)
oauth2_callback = OAuth2CallbackView.adapter_view(SettingsAmazonOAuth2Adapter)
