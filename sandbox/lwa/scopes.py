"""The scopes Login with Amazon knows, with the descriptions shown on the consent page."""

from __future__ import annotations

from sandbox.models import Client

PROFILE_SCOPES: dict[str, str] = {
    "profile": "Your name, e-mail address and Amazon account id",
    "profile:user_id": "Your Amazon account id",
    "postal_code": "The postal code of your default shipping address",
}

# Descriptions as in docs/amazon-music-api/reference.md 3.10.
MUSIC_SCOPES: dict[str, str] = {
    "music::catalog": "Search the Amazon music catalog",
    "music::favorites": "Read and update the users and artists a customer follows",
    "music::favorites:read": "Read the users and artists a customer follows",
    "music::history": "Read a customer's listening history",
    "music::library": "Read and update a customer's music library and playlists",
    "music::library:read": "Read a customer's music library and playlists",
    "music::playback": "Enable playback and playback device discovery",
    "music::profile": "Read and update a customer's music profile settings",
    "music::profile:read": "Read a customer's music profile and settings",
    "music::recommendation": "Read Amazon Music recommendations on a customer's behalf",
}

ALL_SCOPES: dict[str, str] = {**PROFILE_SCOPES, **MUSIC_SCOPES}

# What the control API and sandbox_token mint when no scopes are asked for.
DEFAULT_MINT_SCOPES = ("profile", *MUSIC_SCOPES)


def split_scope(raw: str) -> list[str]:
    """Scopes from LWA's space-separated ``scope``, in order, without repeats."""
    seen: dict[str, None] = {}
    for item in raw.split():
        seen.setdefault(item, None)
    return list(seen)


def unknown_scopes(scopes: list[str], client: Client) -> list[str]:
    """Scopes this client may not ask for: unknown ones, and music::* unless music-enabled."""
    allowed = ALL_SCOPES if client.music_enabled else PROFILE_SCOPES
    return [scope for scope in scopes if scope not in allowed]
