"""Disconnecting Spotify or YouTube (connecting goes through allauth's provider URLs)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from transfer.core.types import AuthedRequest
from transfer.spotify.services import spotify_disconnect
from transfer.youtube.services import youtube_disconnect


@require_POST
@login_required
def disconnect(request: AuthedRequest, service: str) -> HttpResponse:
    if service == "spotify":
        spotify_disconnect(user=request.user)
        messages.success(
            request,
            "Spotify is disconnected and its tokens are deleted here; syncs that use it are "
            "paused. Spotify offers apps no way to revoke access: remove this app at "
            "spotify.com/account/apps too.",
        )
    elif service == "youtube":
        revoked = youtube_disconnect(user=request.user)
        if revoked:
            messages.success(
                request,
                "YouTube is disconnected and Google revoked this app's access; syncs that use "
                "it are paused.",
            )
        else:
            messages.warning(
                request,
                "We deleted your Google tokens here, but Google did not confirm the revocation. "
                "You can remove this app at myaccount.google.com/permissions.",
            )
    else:
        raise Http404
    return redirect("accounts:account")
