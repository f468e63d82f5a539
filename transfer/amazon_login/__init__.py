"""Login with Amazon as an allauth provider whose endpoints come from settings.

allauth's stock Amazon provider hard-codes amazon.com. This app registers the same provider id
(``amazon``, so URLs stay ``/accounts/amazon/login/``) with an adapter that reads the authorize,
token and profile URLs from settings: Amazon in production, the sandbox in the demo and tests.
Install it *instead of* ``allauth.socialaccount.providers.amazon``.
"""
