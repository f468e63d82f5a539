"""Re-encrypt every stored Amazon token with the newest key in TOKEN_ENCRYPTION_KEYS.

Rotating: put the new key first in TOKEN_ENCRYPTION_KEYS and keep the old ones after it, deploy,
run this command, then drop the old keys. Tokens no key can read are counted and left as they
are (their owners are asked to sign in again); the command never prints a token.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import TextField, Value
from django.db.models.functions import Cast

from transfer.amazon.crypto import TokenDecryptionError, rotate
from transfer.amazon.models import AmazonConnection

FIELDS = ("access_token", "refresh_token")


class Command(BaseCommand):
    help = "Re-encrypt stored Amazon tokens with the newest TOKEN_ENCRYPTION_KEYS key."

    def handle(self, *args: Any, **options: Any) -> None:
        rotated = unreadable = 0
        # The raw ciphertext, past the field's decryption.
        raw = AmazonConnection.objects.annotate(
            **{f"raw_{name}": Cast(name, output_field=TextField()) for name in FIELDS}
        ).values_list("pk", *(f"raw_{name}" for name in FIELDS))
        for pk, *ciphertexts in raw.iterator(chunk_size=500):
            try:
                fresh = {
                    name: Value(rotate(text) if text else "", output_field=TextField())
                    for name, text in zip(FIELDS, ciphertexts, strict=True)
                }
            except TokenDecryptionError:
                unreadable += 1
                continue
            with transaction.atomic():
                AmazonConnection.objects.filter(pk=pk).update(**fresh)
            rotated += 1
        self.stdout.write(
            f"Re-encrypted the tokens of {rotated} connection(s) with the newest key; "
            f"{unreadable} could not be read with any configured key and were left as they are."
        )
