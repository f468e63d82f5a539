from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns

from transfer.youtube.provider import SettingsGoogleProvider

urlpatterns = default_urlpatterns(SettingsGoogleProvider)
