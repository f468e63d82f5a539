"""Keeps the Amazon tokens from a Login with Amazon sign-in, encrypted, in AmazonConnection.

allauth is told not to store tokens itself (SOCIALACCOUNT_STORE_TOKENS = False): its SocialToken
table would keep them in plain text and show them in the admin.
"""

from __future__ import annotations

from typing import Any

from allauth.account.signals import user_logged_in
from allauth.socialaccount.signals import social_account_added
from django.conf import settings
from django.dispatch import receiver

from transfer.amazon.services import connection_store_login


@receiver(user_logged_in)
def store_amazon_tokens(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is None or sociallogin.account.provider != "amazon":
        return
    _store(user, sociallogin)


@receiver(social_account_added)
def store_connected_account(sender: Any, request: Any, sociallogin: Any, **kwargs: Any) -> None:
    """A signed-in person connected Amazon again after disconnecting it."""
    if sociallogin.account.provider == "amazon":
        _store(sociallogin.account.user, sociallogin)


def _store(user: Any, sociallogin: Any) -> None:
    token = sociallogin.token
    if token is None:
        return
    data = sociallogin.account.extra_data or {}
    connection_store_login(
        user=user,
        amazon_user_id=str(sociallogin.account.uid),
        name=str(data.get("name", "")),
        email=str(data.get("email", "")),
        access_token=token.token,
        refresh_token=token.token_secret or "",
        expires_at=token.expires_at,
        scopes=list(settings.AMAZON_MUSIC_SCOPES),
    )
