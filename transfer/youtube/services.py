"""A person's Google connection for YouTube: tokens, a ready client, resolving Takeout ids,
disconnect (revoked at Google)."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Sequence

import requests
from django.conf import settings
from django.contrib.auth.models import User

from transfer.connections import oauth, tokens
from transfer.core.redis import get_redis
from transfer.formats.records import TrackRecord
from transfer.youtube.client import YouTubeClient
from transfer.youtube.mapper import track_record_of
from transfer.youtube.models import GoogleConnection
from transfer.youtube.quota import QuotaLedger

logger = logging.getLogger(__name__)
SERVICE = "YouTube"


def _endpoint() -> tokens.Endpoint:
    return tokens.Endpoint(
        service=SERVICE,
        token_url=settings.GOOGLE_TOKEN_URL,
        client_id=settings.GOOGLE_CLIENT_ID,
        client_secret=settings.GOOGLE_CLIENT_SECRET,
    )


def google_store_login(
    *,
    user: User,
    account_id: str,
    name: str,
    email: str,
    access_token: str,
    refresh_token: str,
    expires_at: dt.datetime | None,
    scopes: list[str],
) -> GoogleConnection:
    return tokens.store_login(
        GoogleConnection,
        user=user,
        account_id=account_id,
        name=name,
        email=email,
        access_token=access_token,
        refresh_token=refresh_token,
        expires_at=expires_at,
        scopes=scopes,
    )


def google_access_token(*, user_id: int, failed_token: str | None = None) -> str:
    return tokens.access_token(
        GoogleConnection, _endpoint(), user_id=user_id, failed_token=failed_token
    )


class _Tokens:
    def __init__(self, user_id: int) -> None:
        self.user_id = user_id

    def get_token(self) -> str:
        return google_access_token(user_id=self.user_id)

    def refresh_token(self, failed_token: str) -> str:
        return google_access_token(user_id=self.user_id, failed_token=failed_token)


@functools.cache
def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxy scan on every call (docs/boundaries.md)
    return session


def quota_ledger() -> QuotaLedger:
    """The app's one Google Cloud project: one count of units, shared by every person."""
    return QuotaLedger(
        get_redis(), daily=settings.YOUTUBE_DAILY_QUOTA, project=settings.GOOGLE_CLIENT_ID or "key"
    )


def youtube_client_for(user_id: int) -> YouTubeClient:
    return YouTubeClient(
        api_url=settings.YOUTUBE_API_URL,
        ledger=quota_ledger(),
        tokens=_Tokens(user_id),
        session=_session(),
        quota_recheck=settings.YOUTUBE_QUOTA_RECHECK_SECONDS,
    )


def youtube_key_client() -> YouTubeClient | None:
    """A client on the configured API key (public videos only), or None without one."""
    if not settings.YOUTUBE_API_KEY or not settings.YOUTUBE_API_URL:
        return None
    return YouTubeClient(
        api_url=settings.YOUTUBE_API_URL,
        ledger=quota_ledger(),
        api_key=settings.YOUTUBE_API_KEY,
        session=_session(),
    )


def youtube_resolve_ids(
    *, user_id: int | None, records: Sequence[TrackRecord]
) -> tuple[list[TrackRecord], list[str]]:
    """Titles and channels for id-only rows (Takeout), through the person's connection or the
    API key; 50 ids per call. Rows whose video no longer exists stay as they were, and are
    listed, so nothing is dropped silently."""
    connected = (
        user_id is not None
        and GoogleConnection.objects.filter(
            user_id=user_id, status=GoogleConnection.Status.ACTIVE
        ).exists()
    )
    client = (
        youtube_client_for(user_id) if connected and user_id is not None else (youtube_key_client())
    )
    if client is None:
        return list(records), []
    wanted = [r.source_id for r in records if r.source_id and not r.title.strip()]
    videos = client.videos(wanted)
    resolved: list[TrackRecord] = []
    missing: list[str] = []
    for record in records:
        video = videos.get(record.source_id) if not record.title.strip() else None
        if video is not None:
            resolved.append(track_record_of(video, line=record.line, added_at=record.added_at))
        else:
            if not record.title.strip() and record.source_id:
                missing.append(record.source_id)
            resolved.append(record)
    return resolved, missing


def youtube_disconnect(*, user: User) -> bool:
    """Revoke the grant at Google (best effort), forget it here, pause syncs. True if revoked."""
    from allauth.socialaccount.models import SocialAccount

    from transfer.connections.pausing import syncs_pause_for_service

    connection = GoogleConnection.objects.filter(user=user).first()
    revoked = False
    if connection is not None:
        token = connection.refresh_token or connection.access_token
        revoked = oauth.revoke_token(revoke_url=settings.GOOGLE_REVOKE_URL, token=token)
        connection.delete()
    SocialAccount.objects.filter(user=user, provider="google").delete()
    syncs_pause_for_service(user=user, service="youtube", reason="YouTube was disconnected.")
    logger.info("Disconnected YouTube for user %s (revoked at Google: %s)", user.pk, revoked)
    return revoked
