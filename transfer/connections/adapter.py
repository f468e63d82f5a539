"""Spotify and Google are connected to an account, never used to sign in.

Sign-in stays Login with Amazon only; a Spotify or Google login that is not a "connect" from a
signed-in person is turned away with a message instead of creating an account.
"""

from __future__ import annotations

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import redirect

CONNECT_ONLY = frozenset({"spotify", "google"})


class ConnectOnlyAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        provider = sociallogin.account.provider
        if provider not in CONNECT_ONLY:
            return
        connecting = sociallogin.state.get("process") == "connect"
        if not connecting or not request.user.is_authenticated:
            messages.error(
                request,
                "Sign in with Amazon first; then connect Spotify or YouTube from your account.",
            )
            raise ImmediateHttpResponse(redirect("/"))
