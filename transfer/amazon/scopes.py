"""Human descriptions of Login with Amazon scopes (docs/amazon-music-api/reference.md §3.10)."""

from __future__ import annotations

DESCRIPTIONS = {
    "profile": "Your name, email address and Amazon account id",
    "profile:user_id": "Your Amazon account id",
    "music::catalog": "Search the Amazon Music catalog",
    "music::favorites": "Read and update the users and artists you follow",
    "music::favorites:read": "Read the users and artists you follow",
    "music::history": "Read your listening history",
    "music::library": "Read and update your music library and playlists",
    "music::library:read": "Read your music library and playlists",
    "music::playback": "Play music and find playback devices",
    "music::profile": "Read and update your music profile settings",
    "music::profile:read": "Read your music profile and settings",
    "music::recommendation": "Read Amazon Music recommendations for you",
}


def describe_scopes(scopes: list[str]) -> list[tuple[str, str]]:
    return [(scope, DESCRIPTIONS.get(scope, scope)) for scope in scopes]
