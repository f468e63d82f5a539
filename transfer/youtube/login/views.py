"""The OAuth adapter behind /accounts/google/login/: Google's stock one, URLs from settings."""

from __future__ import annotations

from typing import Any

from allauth.socialaccount.models import SocialToken
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

    def parse_token(self, data: dict[str, Any]) -> SocialToken:
        # What Google granted can be less than what was asked (granular consent lets a person
        # untick a scope): keep its answer, so that writing is offered only when allowed.
        token = super().parse_token(data)
        token.granted_scopes = str(data.get("scope") or "").split()
        return token


oauth2_login = OAuth2LoginView.adapter_view(SettingsGoogleOAuth2Adapter)
oauth2_callback = OAuth2CallbackView.adapter_view(SettingsGoogleOAuth2Adapter)
