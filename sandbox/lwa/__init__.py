"""The fake Login with Amazon: consent page, token, refresh, revoke, profile and tokeninfo."""
