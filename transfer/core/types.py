"""Typing helpers shared by the apps."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthedRequest(HttpRequest):
    """A request behind ``login_required``: its user is a real, signed-in User."""

    user: User
