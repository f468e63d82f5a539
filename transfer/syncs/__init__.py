"""Scheduled syncs and library backups (issue 8; being built)."""
