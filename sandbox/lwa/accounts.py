"""Finding and creating sandbox people (Amazon accounts) by a friendly handle."""

from __future__ import annotations

import secrets
import string

from django.db.models import Q

from sandbox.models import Account

_UPPER = string.ascii_uppercase + string.digits
_LOWER = string.ascii_lowercase + string.digits


def find_account(handle: str) -> Account | None:
    """An account by user_id, music user id, e-mail, e-mail name or (first) name, any case.

    Scripts and tests say "alice"; the consent form sends the user_id.
    """
    handle = handle.strip()
    if not handle:
        return None
    exact = Account.objects.filter(
        Q(user_id=handle)
        | Q(music_user_id=handle)
        | Q(email__iexact=handle)
        | Q(name__iexact=handle)
        | Q(email__istartswith=handle + "@")
    ).order_by("id")
    found = exact.first()
    if found is not None:
        return found
    return Account.objects.filter(name__istartswith=handle + " ").order_by("id").first()


def create_account(
    name: str,
    email: str,
    *,
    subscription_tier: str = "UNLIMITED",
    has_music_account: bool = True,
) -> Account:
    return Account.objects.create(
        user_id="amzn1.account." + "".join(secrets.choice(_UPPER) for _ in range(28)),
        music_user_id="".join(secrets.choice(_LOWER) for _ in range(26)),
        name=name,
        email=email,
        subscription_tier=subscription_tier,
        has_music_account=has_music_account,
    )
