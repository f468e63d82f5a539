"""Scheduled syncs of a source into Amazon Music, and nightly library backups."""

from django.apps import AppConfig


class SyncsConfig(AppConfig):
    name = "transfer.syncs"
    label = "syncs"
    verbose_name = "Syncs and backups"
