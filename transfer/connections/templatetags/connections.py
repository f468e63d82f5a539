"""``{% service_connections %}``: the Spotify and YouTube cards (state, connect, disconnect)."""

from __future__ import annotations

from typing import Any

from django import template

from transfer.connections.selectors import service_states

register = template.Library()


@register.inclusion_tag("connections/cards.html", takes_context=True)
def service_connections(context: dict[str, Any], compact: bool = False) -> dict[str, Any]:
    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "states": service_states(user=request.user),
        "compact": compact,
        "next": request.get_full_path(),
    }


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)
