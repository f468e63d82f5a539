"""The OAuth adapter behind /accounts/spotify/login/: Spotify's stock one, URLs from settings."""

from __future__ import annotations

from typing import Any

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.spotify.views import SpotifyOAuth2Adapter
from django.conf import settings
from django.http import HttpRequest


class SettingsSpotifyOAuth2Adapter(SpotifyOAuth2Adapter):
    @property
    def authorize_url(self) -> str:
        return settings.SPOTIFY_AUTHORIZE_URL

    @property
    def access_token_url(self) -> str:
        return settings.SPOTIFY_TOKEN_URL

    @property
    def profile_url(self) -> str:
        return settings.SPOTIFY_API_URL.rstrip("/") + "/me"

    def complete_login(self, request: HttpRequest, app: Any, token: Any, **kwargs: Any) -> Any:
        # The token goes in the Authorization header, not the query string (allauth's default),
        # so it never lands in a server's access log.
        with get_adapter().get_requests_session() as session:
            response = session.get(
                self.profile_url, headers={"Authorization": f"Bearer {token.token}"}
            )
            response.raise_for_status()
            extra_data = response.json()
        return self.get_provider().sociallogin_from_response(request, extra_data)


oauth2_login = OAuth2LoginView.adapter_view(SettingsSpotifyOAuth2Adapter)
oauth2_callback = OAuth2CallbackView.adapter_view(SettingsSpotifyOAuth2Adapter)
