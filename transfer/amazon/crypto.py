"""Encryption of tokens at rest with Fernet (AES-128-CBC + HMAC-SHA256).

Keys come from settings.TOKEN_ENCRYPTION_KEYS, newest first; older keys still decrypt, which is
how keys are rotated. When none is configured, one key is derived from SECRET_KEY so the demo
works with zero setup; production deployments should set their own.
"""

from __future__ import annotations

import base64
import functools
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class TokenDecryptionError(Exception):
    """Stored ciphertext could not be decrypted with any configured key."""


@functools.cache
def _fernet() -> MultiFernet:
    keys = list(settings.TOKEN_ENCRYPTION_KEYS)
    if not keys:
        digest = hashlib.sha256(b"amt-token-encryption:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(key.encode()) for key in keys])


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken:
        raise TokenDecryptionError(
            "stored token cannot be decrypted with the configured keys"
        ) from None


def reset_key_cache() -> None:
    """Forget derived keys (tests that change the settings call this)."""
    _fernet.cache_clear()
