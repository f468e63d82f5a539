"""The OAuth adapter behind /accounts/google/login/: Google's stock one, URLs from settings."""

from __future__ import annotations

from allauth.socialaccount.providers.google.views import GoogleOAuth2Adapter
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from django.conf import settings


class SettingsGoogleOAuth2Adapter(GoogleOAuth2Adapter):
    @property
    def authorize_url(self) -> str:
        return settings.GOOGLE_AUTHORIZE_URL

    @property
    def access_token_url(self) -> str:
        return settings.GOOGLE_TOKEN_URL

    @property
    def identity_url(self) -> str:
        return settings.GOOGLE_USERINFO_URL


oauth2_login = OAuth2LoginView.adapter_view(SettingsGoogleOAuth2Adapter)
oauth2_callback = OAuth2CallbackView.adapter_view(SettingsGoogleOAuth2Adapter)
