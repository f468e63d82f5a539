"""A text field that is encrypted in the database and plain in Python.

A value that no configured key decrypts loads as ``Undecryptable`` instead of raising, so one
changed key cannot turn every page that touches the row (the admin's lists, deleting the
person) into a server error; saving the row writes that ciphertext back untouched.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from transfer.amazon.crypto import Undecryptable, decrypt_or_mark, encrypt


class EncryptedTextField(models.TextField):
    def from_db_value(
        self, value: str | None, expression: Any, connection: Any
    ) -> str | Undecryptable | None:
        if value is None or value == "":
            return value
        return decrypt_or_mark(value)

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, Undecryptable):
            return value.ciphertext
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))
