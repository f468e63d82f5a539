"""System checks for the token keys: usable Fernet keys, and in production a dedicated one.

A key derived from SECRET_KEY ties every stored token to SECRET_KEY: rotating SECRET_KEY (as
one does after a leak) would make all of them unreadable at once. ``check --deploy`` says so.
"""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from transfer.amazon.crypto import derived_key


@register(Tags.security)
def check_token_keys_are_fernet_keys(**_: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    for index, key in enumerate(settings.TOKEN_ENCRYPTION_KEYS):
        try:
            Fernet(str(key).encode())
        except ValueError:
            problems.append(
                Error(
                    f"TOKEN_ENCRYPTION_KEYS[{index}] is not a Fernet key.",
                    hint="Make one with: python -c 'from cryptography.fernet import Fernet; "
                    "print(Fernet.generate_key().decode())'",
                    id="amazon.E001",
                )
            )
    return problems


@register(Tags.security, deploy=True)
def check_token_key_is_not_derived(**_: Any) -> list[CheckMessage]:
    keys = [str(key) for key in settings.TOKEN_ENCRYPTION_KEYS if str(key).strip()]
    if keys and keys[0] != derived_key(settings.SECRET_KEY):
        return []
    return [
        Warning(
            "Tokens at rest are encrypted with a key derived from SECRET_KEY: changing "
            "SECRET_KEY would make every stored Amazon token unreadable.",
            hint="Set TOKEN_ENCRYPTION_KEYS to a key of its own (newest first when rotating), "
            "then run manage.py rotate_token_keys.",
            id="amazon.W001",
        )
    ]
