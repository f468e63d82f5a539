"""Seeds what the demo needs in the product's database. Safe to run again."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Prepare the product database for the local demo (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        domain = urlsplit(settings.SITE_URL).netloc
        Site.objects.update_or_create(
            id=settings.SITE_ID, defaults={"domain": domain, "name": "Music Transfer"}
        )
        self.stdout.write(f"Site set to {domain}.")
