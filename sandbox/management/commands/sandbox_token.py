"""``sandbox_token --account NAME [--scopes ...]``: print a valid token and x-api-key for scripts.

The default output is shell assignments, so ``eval "$(manage.py sandbox_token --account alice)"``
sets ACCESS_TOKEN, REFRESH_TOKEN, API_KEY, CLIENT_ID and EXPIRES_IN; ``--json`` prints JSON.
Run it with DJANGO_SETTINGS_MODULE=sandbox.settings against the server's database.
"""

from __future__ import annotations

import json
import shlex
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sandbox.lwa.minting import MintError, mint


class Command(BaseCommand):
    help = "Print a valid sandbox access token, refresh token and x-api-key for an account."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--account", required=True, help="alice, an e-mail or a user_id")
        parser.add_argument(
            "--scopes",
            nargs="+",
            help="scopes to grant (default: profile and every music:: scope)",
        )
        parser.add_argument("--client-id", help="the client to issue for (default: the demo)")
        parser.add_argument("--json", action="store_true", help="print JSON instead")

    def handle(self, *args: Any, **options: Any) -> None:
        scopes = [s for item in options["scopes"] or [] for s in item.replace(",", " ").split()]
        try:
            tokens = mint(options["account"], scopes or None, options["client_id"])
        except MintError as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps(tokens, indent=2))
            return
        lines = {
            "ACCESS_TOKEN": tokens["access_token"],
            "REFRESH_TOKEN": tokens["refresh_token"],
            "API_KEY": tokens["api_key"],
            "CLIENT_ID": tokens["client_id"],
            "EXPIRES_IN": str(tokens["expires_in"]),
        }
        for name, value in lines.items():
            self.stdout.write(f"{name}={shlex.quote(value)}")
