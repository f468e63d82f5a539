"""Scheduled syncs of a source into Amazon Music, and nightly library backups (issue 8)."""
