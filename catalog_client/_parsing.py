"""Turning the API's JSON into models: digging out the answer, pages, ids and paths.

Shared by every resource module; nothing here makes a call.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import Any, TypeVar
from urllib.parse import quote

from pydantic import BaseModel, ValidationError

from catalog_client.errors import InvalidResponseError
from catalog_client.models import Page, PageInfo, PlaylistEntry

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


def _seg(value: str) -> str:
    """A path segment, quoted so an id can never change the path."""
    if not value:
        raise ValueError("An id must not be empty.")
    return quote(value, safe="")


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:24]


def _chunks(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _dig(data: Any, *path: str) -> Any:
    """``data[path[0]][path[1]]…``, or InvalidResponseError naming what is missing."""
    current = data
    for depth, key in enumerate(path):
        if not isinstance(current, dict) or key not in current or current[key] is None:
            where = ".".join(("data", *path[:depth]))
            raise InvalidResponseError(f"The answer has no {key!r} in {where}.")
        current = current[key]
    return current


def _first_present(data: Any, *keys: str) -> Any:
    if isinstance(data, dict):
        for key in keys:
            if data.get(key) is not None:
                return data[key]
    return None


def _model(model: type[M], raw: Any) -> M:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise InvalidResponseError(
            f"The answer does not fit {model.__name__}: {exc.errors(include_url=False)[:3]}"
        ) from exc


def _edges(connection: Any) -> list[dict[str, Any]]:
    if not isinstance(connection, dict):
        raise InvalidResponseError("Expected a connection object with edges.")
    edges = connection.get("edges") or []
    if not isinstance(edges, list):
        raise InvalidResponseError("The connection's edges are not a list.")
    return [e for e in edges if isinstance(e, dict)]


def _page(
    connection: Any, model: type[M], edge_to_item: Callable[[dict[str, Any]], Any] | None
) -> Page[M]:
    edges = _edges(connection)
    page_info = _model(PageInfo, connection.get("pageInfo") or {})
    items = [
        _model(model, edge_to_item(edge) if edge_to_item else edge.get("node", edge))
        for edge in edges
    ]
    next_cursor = page_info.token
    if page_info.has_next_page and not next_cursor and edges:
        # reference.md §2.4: when there is more but no token, the last edge's cursor works.
        next_cursor = edges[-1].get("cursor")
    return Page(
        items=items,
        page_info=page_info,
        edge_count=connection.get("edgeCount"),
        next_cursor=next_cursor,
    )


def _playlist_entry(edge: dict[str, Any]) -> dict[str, Any]:
    cursor = edge.get("cursor")
    node = edge.get("node") or {}
    entry_id = edge.get("entryId") or (
        PlaylistEntry.entry_id_from_cursor(cursor) if isinstance(cursor, str) else None
    )
    if not entry_id:
        raise InvalidResponseError("A playlist track edge has no cursor to read its entry id from.")
    return {"entry_id": entry_id, "cursor": cursor, "track": node}
