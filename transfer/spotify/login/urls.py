from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns

from transfer.spotify.provider import SettingsSpotifyProvider

urlpatterns = default_urlpatterns(SettingsSpotifyProvider)
