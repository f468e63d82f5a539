"""Minting tokens without the browser dance, for the control API and ``sandbox_token``."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from sandbox.lwa import scopes as scope_catalogue
from sandbox.lwa.accounts import find_account
from sandbox.lwa.tokens import issue_tokens
from sandbox.models import Client


class MintError(ValueError):
    """The account, client or scopes asked for do not exist (status 404) or are refused (400)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def default_client() -> Client | None:
    return (
        Client.objects.filter(client_id=settings.SANDBOX_CLIENT_ID).first()
        or Client.objects.order_by("id").first()
    )


def mint(account_handle: str, scopes: list[str] | None, client_id: str | None) -> dict[str, Any]:
    account = find_account(account_handle)
    if account is None:
        raise MintError(f"No sandbox account matches {account_handle!r}.", status=404)
    client = Client.objects.filter(client_id=client_id).first() if client_id else default_client()
    if client is None:
        raise MintError("No such client; register one with POST /_sandbox/clients.", status=404)
    wanted = scopes or list(scope_catalogue.DEFAULT_MINT_SCOPES)
    refused = scope_catalogue.unknown_scopes(wanted, client)
    if refused:
        raise MintError(f"Unknown scope(s) for this client: {' '.join(refused)}.")
    issued = issue_tokens(client, account, " ".join(wanted), with_refresh=True)
    return {
        **issued.as_oauth(),
        "scope": issued.scope,
        "api_key": client.security_profile_id,
        "client_id": client.client_id,
        "user_id": account.user_id,
        "music_user_id": account.music_user_id,
        "account": account.name,
    }
