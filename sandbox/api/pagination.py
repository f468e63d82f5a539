"""Limits, page tokens and the connection shape shared by every paged endpoint.

A page token is ``sbtok-v1_<base64 offset>.<HMAC>``; the HMAC covers the offset and the list it
belongs to (the "context": endpoint, resource id, search filters), so a tampered token, or one
from another list, is a 400. Lists whose edges carry ``"<index>:<id>"`` cursors also accept
such an edge cursor as ``cursor`` and continue after that edge, as some real clients do.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings

from sandbox.api.errors import bad_request

MAX_LIMIT = 100
_PREFIX = "sbtok-v1_"
_EDGE_CURSOR = re.compile(r"^(\d{1,9}):([^:]+)$")


def parse_limit(raw: Any, default: int, maximum: int = MAX_LIMIT) -> int:
    """``limit`` from a query string or JSON body: a whole number in 1..maximum."""
    if raw is None or raw == "":
        return default
    if isinstance(raw, bool):
        raise bad_request(f"The limit parameter must be a number between 1 and {maximum}.")
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise bad_request(
            f"The limit parameter must be a number between 1 and {maximum}."
        ) from None
    if isinstance(raw, float) and raw != value:
        raise bad_request(f"The limit parameter must be a number between 1 and {maximum}.")
    if not 1 <= value <= maximum:
        raise bad_request(f"The limit parameter must be a number between 1 and {maximum}.")
    return value


def encode_token(offset: int, context: str) -> str:
    payload = base64.urlsafe_b64encode(str(offset).encode()).decode().rstrip("=")
    return f"{_PREFIX}{payload}.{_mac(payload, context)}"


def decode_token(raw: str | None, context: str, *, edge_cursors: bool = False) -> int:
    """The offset a ``cursor``/``token`` points at; 0 when absent."""
    if raw is None or raw == "":
        return 0
    if not isinstance(raw, str):
        raise bad_request("The pagination token is invalid.")
    if edge_cursors:
        match = _EDGE_CURSOR.match(raw)
        if match:
            return int(match.group(1)) + 1
    if raw.startswith(_PREFIX) and "." in raw:
        payload, mac = raw[len(_PREFIX) :].rsplit(".", 1)
        if hmac.compare_digest(mac, _mac(payload, context)):
            try:
                padded = payload + "=" * (-len(payload) % 4)
                return int(base64.urlsafe_b64decode(padded).decode())
            except (ValueError, UnicodeDecodeError):
                pass
    raise bad_request("The pagination token is invalid or belongs to another request.")


def edge_cursor_index(raw: str | None) -> tuple[int, str] | None:
    """(index, id) of an ``"<index>:<id>"`` edge cursor, or None for anything else."""
    if not raw:
        return None
    match = _EDGE_CURSOR.match(raw)
    return (int(match.group(1)), match.group(2)) if match else None


def connection(
    edges: Sequence[dict[str, Any]], *, has_next: bool, next_offset: int, context: str
) -> dict[str, Any]:
    page_info: dict[str, Any] = {"hasNextPage": has_next}
    if has_next:
        page_info["token"] = encode_token(next_offset, context)
    return {"pageInfo": page_info, "edgeCount": len(edges), "edges": list(edges)}


def context_of(*parts: object) -> str:
    """A stable context string from parts that may be long (e.g. search filters)."""
    joined = "\x1f".join(str(part) for part in parts)
    return hashlib.sha256(joined.encode()).hexdigest()[:32]


def _mac(payload: str, context: str) -> str:
    key = f"{settings.SECRET_KEY}:pagination".encode()
    digest = hmac.new(key, f"{context}|{payload}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:12]).decode().rstrip("=")


def page_request(
    params: Any, context: str, *, default: int, maximum: int = MAX_LIMIT, edge_cursors: bool = False
) -> tuple[int, int]:
    """(offset, limit) from ``limit`` and ``cursor`` query parameters."""
    limit = parse_limit(params.get("limit"), default, maximum)
    offset = decode_token(params.get("cursor"), context, edge_cursors=edge_cursors)
    return offset, limit


def fetch_page(rows: Any, offset: int, limit: int) -> tuple[list[Any], bool]:
    """One page of a queryset (or list) and whether more follow, with a single query."""
    page = list(rows[offset : offset + limit + 1])
    return page[:limit], len(page) > limit
