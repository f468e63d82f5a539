"""Login with Amazon state: registered clients, sandbox people, codes and tokens."""

from __future__ import annotations

from django.db import models


class Client(models.Model):
    """A registered LWA security profile: client id and secret, and its x-api-key."""

    name = models.CharField(max_length=200)
    client_id = models.CharField(max_length=200, unique=True)
    client_secret = models.CharField(max_length=200)
    # The Security Profile ID (amzn1.application.<hex>), sent by API callers as x-api-key.
    security_profile_id = models.CharField(max_length=200, unique=True)
    redirect_uris = models.JSONField(default=list)
    # Enabled for the music::* scopes by "Amazon Music"; a disabled one gets "unknown scope".
    music_enabled = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name


class Account(models.Model):
    """A person with an Amazon account (and usually an Amazon Music subscription)."""

    user_id = models.CharField(max_length=64, unique=True, help_text="amzn1.account.<id>")
    music_user_id = models.CharField(max_length=64, unique=True, help_text="id in GET /me")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    has_music_account = models.BooleanField(default=True)
    # "UNLIMITED", "PRIME" or "FREE"; FREE accounts are denied library writes (403).
    subscription_tier = models.CharField(max_length=16, default="UNLIMITED")
    image_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class AuthorizationCode(models.Model):
    code = models.CharField(max_length=128, unique=True)
    client = models.ForeignKey(Client, on_delete=models.CASCADE)
    account = models.ForeignKey(Account, on_delete=models.CASCADE)
    redirect_uri = models.CharField(max_length=500)
    scope = models.CharField(max_length=500)
    code_challenge = models.CharField(max_length=200, blank=True)
    code_challenge_method = models.CharField(max_length=8, blank=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True)


class RefreshToken(models.Model):
    token = models.CharField(max_length=512, unique=True)
    client = models.ForeignKey(Client, on_delete=models.CASCADE)
    account = models.ForeignKey(Account, on_delete=models.CASCADE)
    scope = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True)


class AccessToken(models.Model):
    token = models.CharField(max_length=512, unique=True)
    client = models.ForeignKey(Client, on_delete=models.CASCADE)
    account = models.ForeignKey(Account, on_delete=models.CASCADE)
    refresh_token = models.ForeignKey(RefreshToken, on_delete=models.CASCADE, null=True)
    scope = models.CharField(max_length=500)
    expires_at = models.DateTimeField(db_index=True)
    revoked_at = models.DateTimeField(null=True)
