"""What the person's Amazon account can do, known before any work starts.

Amazon Music answers ``GET /me`` with the subscription tier, and refuses every call of an
Amazon account that has no Amazon Music (AUTH_NO_MUSIC_ACCOUNT_FOUND). A FREE tier may read
but not save playlists or library items (DENIED_SUBSCRIPTION_TIER on writes). Reading this once
at sign-in and on the new-transfer page lets us offer what works ("a file to download")
instead of letting a job fail at its last step. The answer is cached for a few minutes: a
plan changes rarely, and the check must not spend the shared request budget.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.core.cache import cache

from catalog_client import AmazonMusicError, PermissionDeniedError, RateLimitedError
from transfer.amazon.clients import music_client_for
from transfer.amazon.services import AmazonUnavailable
from transfer.transfers.services.errors import AccountCannotWrite

CACHE_SECONDS = 600
AMAZON_MUSIC_URL = "https://music.amazon.com"
NO_MUSIC_CODES = ("AUTH_NO_MUSIC_ACCOUNT_FOUND", "NO_MUSIC_ACCOUNT_FOUND")
# Tiers Amazon documents as unable to save (reference.md §3.1, DENIED_SUBSCRIPTION_TIER).
READ_ONLY_TIERS = ("FREE",)

FREE_TIER_REASON = (
    "Your Amazon Music plan (Free) cannot save playlists or library items through Amazon's "
    "API, so this app cannot save there for you. You can still match your music and download "
    "the result as a file (CSV, M3U8, XSPF...), or upgrade to Amazon Music Unlimited or Prime."
)
NO_MUSIC_REASON = (
    "This Amazon account has no Amazon Music account yet, so Amazon Music refuses every "
    "request for it. Open Amazon Music once with this Amazon account (it creates one, free), "
    "then come back here."
)


@dataclass(frozen=True)
class AccountStatus:
    has_music: bool
    tier: str  # "UNLIMITED", "PRIME", "FREE", or "" when Amazon did not say

    @property
    def can_write(self) -> bool:
        return self.has_music and self.tier.upper() not in READ_ONLY_TIERS

    @property
    def reason(self) -> str:
        """Why saving to Amazon Music is not possible; empty when it is."""
        if not self.has_music:
            return NO_MUSIC_REASON
        if not self.can_write:
            return FREE_TIER_REASON
        return ""


def _key(user_id: int) -> str:
    return f"amt:account:{user_id}"


def account_status(*, user_id: int, fresh: bool = False) -> AccountStatus:
    """The tier and whether the account has Amazon Music (one ``GET /me``, then cached)."""
    if not fresh:
        cached = cache.get(_key(user_id))
        if cached:
            return AccountStatus(**cached)
    try:
        me = music_client_for(user_id).get_me()
    except PermissionDeniedError as exc:
        if exc.code not in NO_MUSIC_CODES:
            raise
        status = AccountStatus(has_music=False, tier="")
    else:
        status = AccountStatus(has_music=True, tier=(me.subscription_tier or "").upper())
    cache.set(_key(user_id), asdict(status), CACHE_SECONDS)
    return status


def account_forget(*, user_id: int) -> None:
    """After Amazon refused a write for the tier: read the account again next time."""
    cache.delete(_key(user_id))


def account_check_can_write(*, user_id: int) -> None:
    """Refuse a start only when we know the account cannot save.

    If Amazon cannot say right now (throttled, down), the job starts anyway: should the plan
    refuse the writes, the job meets that answer and ends with its reason, without a Resume.
    """
    try:
        status = account_status(user_id=user_id)
    except (RateLimitedError, AmazonUnavailable):
        return
    except AmazonMusicError as exc:
        if exc.transient:
            return
        raise
    if not status.can_write:
        raise AccountCannotWrite(status.reason)
