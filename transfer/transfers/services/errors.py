"""What the transfer services refuse with: a message the person reads and can act on."""

from __future__ import annotations


class TransferError(Exception):
    """Something the person must change (nothing to transfer, an account that cannot save...)."""


class AccountCannotWrite(TransferError):
    """Waiting will not help: the account cannot save to Amazon Music."""
