"""A local stand-in for Google's OAuth 2.0 endpoints and the YouTube Data API v3.

Like the Spotify one it lives in the sandbox's process and memory; its videos come from the
Amazon sandbox's catalog plus the real YouTube Music fixture videos (real video ids), and every
call costs quota units as YouTube's do, with the daily quota resetting at midnight Pacific time.
"""
