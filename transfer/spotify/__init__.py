"""A person's Spotify connection (allauth's Spotify provider with settings' endpoints), the Web API
client, the mapper from Spotify's objects to ours, and Spotify as a source and a destination."""
