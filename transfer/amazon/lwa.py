"""The product's Login with Amazon client: catalog_client's ``LoginWithAmazon`` over settings.

There is one LWA client (catalog_client/auth.py) and one token type (``TokenSet``); this module
only says where the endpoints and credentials come from. The sign-in itself (the code
exchange) is allauth's, through transfer/amazon_login, which reads the same settings.
"""

from __future__ import annotations

import functools

import requests
from django.conf import settings

from catalog_client import LoginWithAmazon


@functools.cache
def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # as for the API: no proxy-environment scan on every call
    return session


def login_with_amazon() -> LoginWithAmazon:
    """A client for the configured LWA endpoints; cheap, it shares the process's session."""
    return LoginWithAmazon(
        token_url=settings.LWA_TOKEN_URL,
        revoke_url=settings.LWA_REVOKE_URL,
        client_id=settings.LWA_CLIENT_ID,
        client_secret=settings.LWA_CLIENT_SECRET,
        session=_session(),
    )
