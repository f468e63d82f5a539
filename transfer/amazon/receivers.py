"""Keeps the Amazon tokens from a Login with Amazon sign-in, encrypted, in AmazonConnection.

Every change to a connection also tells the per-process token caches (transfer/amazon/tokens.py).

allauth is told not to store tokens itself (SOCIALACCOUNT_STORE_TOKENS = False): its SocialToken
table would keep them in plain text and show them in the admin.
"""

from __future__ import annotations

from typing import Any

from allauth.account.signals import user_logged_in
from allauth.socialaccount.signals import social_account_added
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from transfer.amazon.models import AmazonConnection
from transfer.amazon.services import connection_store_login
from transfer.amazon.tokens import token_changed


@receiver(post_save, sender=AmazonConnection)
@receiver(post_delete, sender=AmazonConnection)
def forget_cached_token(sender: Any, instance: AmazonConnection, **kwargs: Any) -> None:
    """Any change to a connection (refresh, reconnect mark, disconnect) ends cached copies."""
    token_changed(instance.user_id)


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
