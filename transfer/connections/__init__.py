"""What the Spotify and Google connections share: an encrypted OAuth grant, refresh, revoke.

Each service keeps its own token type (``transfer.spotify.models.SpotifyConnection``,
``transfer.youtube.models.GoogleConnection``) built on ``ServiceConnection``; the refresh logic
here serialises refreshes per person with a row lock, as ``transfer.amazon`` does for Amazon.
"""
