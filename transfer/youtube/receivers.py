"""Keeps the Google tokens from a "connect", encrypted, in GoogleConnection."""

from __future__ import annotations

from typing import Any

from allauth.socialaccount.signals import social_account_added, social_account_updated
from django.conf import settings
from django.dispatch import receiver

from transfer.youtube.services import google_store_login


@receiver(social_account_added)
@receiver(social_account_updated)
def store_google_tokens(sender: Any, request: Any, sociallogin: Any, **kwargs: Any) -> None:
    if sociallogin.account.provider != "google" or sociallogin.token is None:
        return
    data = sociallogin.account.extra_data or {}
    google_store_login(
        user=sociallogin.account.user,
        account_id=str(sociallogin.account.uid),
        name=str(data.get("name") or ""),
        email=str(data.get("email") or ""),
        access_token=sociallogin.token.token,
        refresh_token=sociallogin.token.token_secret or "",
        expires_at=sociallogin.token.expires_at,
        scopes=list(getattr(sociallogin.token, "granted_scopes", None) or settings.YOUTUBE_SCOPES),
    )
