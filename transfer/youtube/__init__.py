"""A person's Google connection (allauth's Google provider with settings' endpoints), the YouTube
Data API v3 client with quota accounting, and YouTube as a source (playlists, Takeout files of
video ids) and a destination (playlistItems.insert, paced by the daily quota)."""
