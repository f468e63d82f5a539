"""Keeps the Spotify tokens from a "connect", encrypted, in SpotifyConnection (allauth stores none:
SOCIALACCOUNT_STORE_TOKENS is off)."""

from __future__ import annotations

from typing import Any

from allauth.socialaccount.signals import social_account_added, social_account_updated
from django.dispatch import receiver

from transfer.spotify.services import spotify_store_login


@receiver(social_account_added)
@receiver(social_account_updated)
def store_spotify_tokens(sender: Any, request: Any, sociallogin: Any, **kwargs: Any) -> None:
    if sociallogin.account.provider != "spotify" or sociallogin.token is None:
        return
    data = sociallogin.account.extra_data or {}
    spotify_store_login(
        user=sociallogin.account.user,
        account_id=str(sociallogin.account.uid),
        name=str(data.get("display_name") or ""),
        email=str(data.get("email") or ""),
        access_token=sociallogin.token.token,
        refresh_token=sociallogin.token.token_secret or "",
        expires_at=sociallogin.token.expires_at,
    )
