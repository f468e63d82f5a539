"""allauth glue for connecting Spotify (provider package: its urls and views)."""
