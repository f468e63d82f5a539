from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns

from transfer.amazon_login.provider import SettingsAmazonProvider

urlpatterns = default_urlpatterns(SettingsAmazonProvider)
