"""Encryption of tokens at rest with Fernet (AES-128-CBC + HMAC-SHA256).

Keys come from settings.TOKEN_ENCRYPTION_KEYS, newest first; older keys still decrypt, which is
how keys are rotated (``manage.py rotate_token_keys`` then re-encrypts every token with the
newest). Only the demo (DEBUG on) may run without keys: one key is then derived from SECRET_KEY.
Production refuses that (settings.py), because rotating SECRET_KEY would silently make every
stored token unreadable; the deploy check reports it too (transfer/amazon/checks.py).

A token no configured key can decrypt is not an error while loading a row: it arrives as an
``Undecryptable`` value, so pages, the admin and deletion keep working and the person is asked
to sign in with Amazon again.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver


class TokenDecryptionError(Exception):
    """Stored ciphertext could not be decrypted with any configured key."""


class Undecryptable:
    """A stored token that no configured key can decrypt (the keys changed since it was saved).

    It keeps the ciphertext so that saving the row's other fields writes it back unchanged, and
    refuses to become text: code that would send it anywhere fails at that point, not while the
    row loads. ``connection_access_token`` turns it into "reconnect your account".
    """

    __slots__ = ("ciphertext",)

    def __init__(self, ciphertext: str) -> None:
        self.ciphertext = ciphertext

    def __str__(self) -> str:
        raise TokenDecryptionError("stored token cannot be decrypted with the configured keys")

    def __format__(self, spec: str) -> str:
        return str(self)

    def __repr__(self) -> str:
        return "<undecryptable token>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Undecryptable) and other.ciphertext == self.ciphertext

    def __hash__(self) -> int:
        return hash(self.ciphertext)


def derived_key(secret_key: str) -> str:
    """The demo's key, derived from SECRET_KEY (never used when keys are configured)."""
    digest = hashlib.sha256(b"amt-token-encryption:" + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def configured_keys() -> list[str]:
    """The keys in use, newest first; the derived key when none is set (settings.py allows
    that only with DEBUG on)."""
    keys = [str(key) for key in settings.TOKEN_ENCRYPTION_KEYS if str(key).strip()]
    return keys or [derived_key(settings.SECRET_KEY)]


@functools.cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in configured_keys()])


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken:
        raise TokenDecryptionError(
            "stored token cannot be decrypted with the configured keys"
        ) from None


def decrypt_or_mark(ciphertext: str) -> str | Undecryptable:
    try:
        return decrypt(ciphertext)
    except TokenDecryptionError:
        return Undecryptable(ciphertext)


def rotate(ciphertext: str) -> str:
    """The same token encrypted with the newest key; TokenDecryptionError if no key reads it."""
    try:
        return _fernet().rotate(ciphertext.encode()).decode()
    except InvalidToken:
        raise TokenDecryptionError(
            "stored token cannot be decrypted with the configured keys"
        ) from None


def reset_key_cache() -> None:
    """Forget the keys read from settings (a settings change in a test does this itself)."""
    _fernet.cache_clear()


@receiver(setting_changed)
def _forget_keys(*, setting: str, **_: Any) -> None:
    if setting in ("TOKEN_ENCRYPTION_KEYS", "SECRET_KEY", "DEBUG"):
        reset_key_cache()
