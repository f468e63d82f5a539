"""Iterators that page for you.

Connections (reference.md §2.4) carry ``pageInfo{hasNextPage, token}``. The next page is asked
for with ``cursor=<token>`` on GETs and ``"token": <token>`` in search bodies; the endpoint
methods know which, and hand this module a ``fetch_page(cursor)`` function. A ``Paginator``
makes no call until it is iterated, so building one is free.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from catalog_client.errors import InvalidResponseError
from catalog_client.models import Page

T = TypeVar("T")

# A runaway guard: a server that keeps saying hasNextPage with new tokens forever would
# otherwise keep a worker busy until its hard time limit.
MAX_PAGES = 10_000


class Paginator(Generic[T]):
    """Iterate items across pages; ``pages()`` for page-wise access; ``max_items`` to stop early."""

    def __init__(
        self,
        fetch_page: Callable[[str | None], Page[T]],
        *,
        max_items: int | None = None,
        start_cursor: str | None = None,
    ) -> None:
        self._fetch_page = fetch_page
        self._max_items = max_items
        self._start_cursor = start_cursor

    def pages(self) -> Iterator[Page[T]]:
        cursor = self._start_cursor
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            page = self._fetch_page(cursor)
            yield page
            next_cursor = page.next_cursor
            if not page.page_info.has_next_page or not next_cursor:
                return
            if next_cursor in seen:
                # Asking again with a cursor already used would loop forever.
                raise InvalidResponseError(
                    f"The server returned the pagination token {next_cursor!r} twice."
                )
            seen.add(next_cursor)
            cursor = next_cursor
        raise InvalidResponseError(f"More than {MAX_PAGES} pages; giving up.")

    def __iter__(self) -> Iterator[T]:
        remaining = self._max_items
        if remaining is not None and remaining <= 0:
            return
        for page in self.pages():
            for item in page.items:
                yield item
                if remaining is not None:
                    remaining -= 1
                    if remaining <= 0:
                        return

    def first_page(self) -> Page[T]:
        return self._fetch_page(self._start_cursor)

    def to_list(self) -> list[T]:
        return list(self)

    def take(self, count: int) -> list[T]:
        """The first ``count`` items, fetching only the pages needed for them."""
        return list(Paginator(self._fetch_page, max_items=count, start_cursor=self._start_cursor))
