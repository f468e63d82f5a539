"""'Your Amazon Music': the signed-in person's playlists, library and browse, read live."""
