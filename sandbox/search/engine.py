"""The sandbox's catalog search: FTS5 retrieval, spelling correction and re-ranking.

Text filters run in two passes over the track index. The strict pass asks for every word
(spelling alternatives allowed); the relaxed pass asks for any of the query's selective words, so
that other versions and same-title songs by other artists come back too, ranked below. Words
found in more than a few percent of tracks ("love", "you") are left out of the relaxed pass to
keep it fast; they still count when candidates are re-ranked (``rank.py``). Exact filters (ids,
ISRC, album, artist, category) narrow both passes.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sandbox.search import rank
from sandbox.search.index import raw_cursor
from sandbox.search.text import OPTIONAL_TOKENS, index_text, tokens

TRACK_FIELDS = (
    "id",
    "asin",
    "albumId",
    "albumName",
    "artistId",
    "artistName",
    "categoryId",
    "name",
    "isrc",
)
SORTS = ("relevance", "release", "popularity", "name")
MAX_RESULTS = 1000
MIN_CANDIDATES = 60
# The relaxed pass ranks with bm25 only while its words' postings stay under this; bm25 costs
# about a microsecond and a half per matching track.
RELAXED_POSTINGS = 3000
# bm25 weights of the title, artists and album columns.
_BM25 = "bm25(sandbox_track_fts, 10.0, 6.0, 2.0)"
_TEXT_COLUMNS = {
    None: rank.ALL_COLUMNS,
    "name": (rank.TITLE,),
    "artistName": (rank.ARTISTS,),
    "albumName": (rank.ALBUM,),
}
_COLUMN_NAMES = ("title", "artists", "album")
_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"


class SearchError(ValueError):
    """A request the engine cannot run: unknown field or sort, or an empty query."""


@dataclass(frozen=True, slots=True)
class _Exact:
    sql: str
    params: tuple[Any, ...]


def _exact_filter(field: str, query: str) -> _Exact:
    value = query.strip()
    if field in ("id", "asin"):
        ids = [v.strip().upper() for v in value.split(",") if v.strip()]
        return _Exact("t.asin IN (SELECT value FROM json_each(?))", (json.dumps(ids),))
    if field == "isrc":
        isrc = "".join(c for c in value.upper() if c.isalnum())
        return _Exact("t.isrc = ?", (isrc,))
    if field == "albumId":
        return _Exact(
            "t.album_id IN (SELECT id FROM sandbox_album WHERE asin = ?)", (value.upper(),)
        )
    if field == "artistId":
        return _Exact(
            "t.id IN (SELECT ta.track_id FROM sandbox_trackartist ta JOIN sandbox_artist ar "
            "ON ar.id = ta.artist_id WHERE ar.asin = ?)",
            (value.upper(),),
        )
    # categoryId: the category's slug (what the browse API shows) or its number.
    return _Exact(
        "t.id IN (SELECT ct.track_id FROM sandbox_category_tracks ct JOIN sandbox_category c "
        "ON c.id = ct.category_id WHERE c.slug = ? OR CAST(c.id AS TEXT) = ?)",
        (value, value),
    )


def _edits(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    found = {a + b[1:] for a, b in splits if b}
    found |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    found |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    found |= {a + c + b for a, b in splits for c in _LETTERS}
    found.discard(word)
    return found


def _lookup(cursor: sqlite3.Cursor, words: Iterable[str]) -> dict[str, int]:
    """Document counts of the words that are in the index."""
    return dict(
        cursor.execute(
            "SELECT term, docs FROM sandbox_search_term "
            "WHERE term IN (SELECT value FROM json_each(?))",
            (json.dumps(list(dict.fromkeys(words))),),
        ).fetchall()
    )


@dataclass(slots=True)
class _QueryTerm:
    token: str
    docs: int
    optional: bool
    alternatives: list[str]
    # Word pairs that may stand for the token: "i m" for "im", "green day" for "greenday".
    phrases: list[tuple[str, str]]
    prefix: str


_CONTRACTIONS = frozenset({"s", "t", "m", "d", "ll", "re", "ve", "n"})


def _joinable(left: str, right: str) -> bool:
    # "i m" and "don t" are "I'm" and "Don't" with the apostrophe turned into a space;
    # "o jays" is "O'Jays".
    return right in _CONTRACTIONS or len(left) == 1


def _letter_runs(words: list[str]) -> dict[int, str]:
    """Runs of two or more one-letter words, joined, by the position where they start."""
    runs: dict[int, str] = {}
    start = 0
    while start < len(words):
        end = start
        while end < len(words) and len(words[end]) == 1 and words[end].isalpha():
            end += 1
        if end - start >= 2:
            runs[start] = "".join(words[start:end])
        start = max(end, start + 1)
    return runs


def _plan_terms(cursor: sqlite3.Cursor, words: list[str], last_is_prefix: bool) -> list[_QueryTerm]:
    pairs = [(a, b) for a, b in itertools.pairwise(words) if _joinable(a, b)]
    letters = _letter_runs(words)
    known = _lookup(cursor, [*words, *(a + b for a, b in pairs), *letters.values()])
    terms: list[_QueryTerm] = []
    position = 0
    while position < len(words):
        word = words[position]
        run = letters.get(position)
        if run and known.get(run):
            # "r e m" or "i o u": an abbreviation typed without its dots.
            size = len(run)
            terms.append(_QueryTerm(run, known[run], False, [], [], ""))
            position += size
            continue
        following = words[position + 1] if position + 1 < len(words) else ""
        if following and _joinable(word, following) and known.get(word + following):
            terms.append(
                _QueryTerm(
                    token=word + following,
                    docs=known[word + following],
                    optional=False,
                    alternatives=[],
                    phrases=[(word, following)],
                    prefix="",
                )
            )
            position += 2
            continue
        term = _QueryTerm(
            token=word,
            docs=known.get(word, 0),
            optional=word in OPTIONAL_TOKENS,
            alternatives=[],
            phrases=[],
            prefix="",
        )
        if term.docs == 0 and len(word) >= 4 and not word.isdigit():
            _correct(cursor, term, minimum=1)
            if len(word) >= 6:
                halves = [(word[:i], word[i:]) for i in range(2, len(word) - 1)]
                found = _lookup(cursor, [h for pair in halves for h in pair])
                term.phrases = [(a, b) for a, b in halves if a in found and b in found][:2]
            if last_is_prefix and position == len(words) - 1:
                term.prefix = word
        terms.append(term)
        position += 1
    return terms


def _correct(cursor: sqlite3.Cursor, term: _QueryTerm, minimum: int) -> bool:
    """Add the most common words one edit away (with at least ``minimum`` tracks)."""
    candidates = _lookup(cursor, _edits(term.token))
    best = sorted(
        ((w, d) for w, d in candidates.items() if d >= minimum), key=lambda i: (-i[1], i[0])
    )[:3]
    if not best:
        return False
    term.alternatives = [w for w, _ in best]
    term.docs = max(term.docs, *(d for _, d in best))
    return True


def _second_chance(cursor: sqlite3.Cursor, filters: list[_TextFilter]) -> bool:
    """When nothing has every word, suspect rare real words of being typos ("beak", "guna")."""
    changed = False
    for text_filter in filters:
        for term in text_filter.terms:
            if (
                not term.alternatives
                and not term.phrases
                and 0 < term.docs < 200
                and len(term.token) >= 4
                and not term.token.isdigit()
            ):
                changed = _correct(cursor, term, minimum=5 * term.docs) or changed
    return changed


def _term_expression(term: _QueryTerm) -> str:
    options = [f'"{term.token}"', *(f'"{w}"' for w in term.alternatives)]
    options += [f'"{a} {b}"' for a, b in term.phrases]
    if term.prefix:
        options.append(f'"{term.prefix}"*')
    return options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")"


def _scoped(columns: tuple[int, ...], expression: str) -> str:
    if columns == rank.ALL_COLUMNS:
        return expression
    names = " ".join(_COLUMN_NAMES[c] for c in columns)
    return f"{{{names}}} : ({expression})"


@dataclass(slots=True)
class _TextFilter:
    columns: tuple[int, ...]
    terms: list[_QueryTerm]


def _required(terms: list[_QueryTerm]) -> list[_QueryTerm]:
    # Rarest first: FTS5 walks an AND fastest when the shortest list leads.
    required = [t for t in terms if not t.optional] or terms
    return sorted(required, key=lambda t: t.docs)


def _strict(filters: list[_TextFilter]) -> str:
    """Every required word of every filter, each in its filter's columns."""
    return " AND ".join(
        _scoped(f.columns, " AND ".join(_term_expression(t) for t in _required(f.terms)))
        for f in filters
    )


def _relaxed(filters: list[_TextFilter], budget: int) -> tuple[str, bool]:
    """Any of the rarest words of each filter, and whether bm25 can afford to rank it.

    Words join from the rarest up while their postings fit the budget; a filter whose rarest
    word alone is over budget is matched unranked, most popular (lowest id) first.
    """
    parts = []
    affordable = True
    for text_filter in filters:
        chosen: list[_QueryTerm] = []
        postings = 0
        for term in sorted(text_filter.terms, key=lambda t: (t.optional, t.docs)):
            if chosen and (term.optional or postings + term.docs > budget):
                break
            chosen.append(term)
            postings += term.docs
        affordable = affordable and postings <= budget
        expression = " OR ".join(_term_expression(t) for t in chosen)
        parts.append(_scoped(text_filter.columns, f"({expression})"))
    return " AND ".join(parts), affordable


def _match(
    cursor: sqlite3.Cursor, expression: str, exact: list[_Exact], limit: int, ranked: bool
) -> list[int]:
    # Assembled from this module's constant fragments; every value is bound.
    sql = "SELECT rowid FROM sandbox_track_fts WHERE sandbox_track_fts MATCH ?"
    params: list[Any] = [expression]
    if exact:
        conditions = " AND ".join(e.sql for e in exact)
        sql += f" AND rowid IN (SELECT t.id FROM sandbox_track t WHERE {conditions})"  # noqa: S608
        for e in exact:
            params.extend(e.params)
    if ranked:
        sql += f" ORDER BY {_BM25}"
    sql += " LIMIT ?"
    params.append(limit)
    return [row[0] for row in cursor.execute(sql, params)]


def _document_count(cursor: sqlite3.Cursor) -> int:
    row = cursor.execute(
        "SELECT value FROM sandbox_search_meta WHERE name = 'track_docs'"
    ).fetchone()
    return int(row[0]) if row else 0


def _title_words(
    cursor: sqlite3.Cursor, filters: list[_TextFilter], best: int | None
) -> str | None:
    """A title-only query for "the same song by someone else", or None if there is none.

    Fielded searches have a name filter for it. For free text, the words that the best full
    match carries in its artist column are taken to be the artist and left out.
    """
    named = [f for f in filters if f.columns == (rank.TITLE,)]
    if named:
        terms = named[0].terms
    else:
        free = [f for f in filters if f.columns == rank.ALL_COLUMNS]
        if not free or best is None:
            return None
        row = cursor.execute(
            "SELECT title, artists FROM sandbox_track_fts WHERE rowid = ?", (best,)
        ).fetchone()
        if row is None:
            return None
        title_words, artist_words = set(row[0].split()), set(row[1].split())
        terms = [
            t
            for t in free[0].terms
            if not ({t.token, *t.alternatives} & artist_words - title_words)
        ]
        if not terms or len(terms) == len(free[0].terms):
            return None
    return _scoped((rank.TITLE,), " AND ".join(_term_expression(t) for t in _required(terms)))


def _details(
    cursor: sqlite3.Cursor, ids: list[int]
) -> dict[int, tuple[tuple[str, str, str], int, str | None, str]]:
    found: dict[int, tuple[str, str, str]] = {}
    extra: dict[int, tuple[int, str | None, str]] = {}
    listed = json.dumps(ids)
    for track_id, title, artists, album in cursor.execute(
        "SELECT rowid, title, artists, album FROM sandbox_track_fts "
        "WHERE rowid IN (SELECT value FROM json_each(?))",
        (listed,),
    ):
        found[track_id] = (title, artists, album)
    for track_id, popularity, released, title in cursor.execute(
        "SELECT id, popularity, release_date, title FROM sandbox_track "
        "WHERE id IN (SELECT value FROM json_each(?))",
        (listed,),
    ):
        extra[track_id] = (popularity, released, title)
    return {
        i: (found[i], extra[i][0], extra[i][1], extra[i][2])
        for i in ids
        if i in found and i in extra
    }


def _sort_key(sort_by: str) -> str:
    return {
        "relevance": "t.popularity DESC, t.id",
        "popularity": "t.popularity DESC, t.id",
        "release": "t.release_date IS NULL, t.release_date DESC, t.popularity DESC, t.id",
        "name": "t.title COLLATE NOCASE, t.popularity DESC, t.id",
    }[sort_by]


def _check(limit: int, offset: int, sort_by: str) -> None:
    if sort_by not in SORTS:
        raise SearchError(f"sortBy must be one of {', '.join(SORTS)}")
    if limit < 1 or offset < 0:
        raise SearchError("limit must be positive and offset not negative")


def search_tracks(
    db: Any,
    filters: Sequence[tuple[str | None, str]],
    limit: int = 20,
    offset: int = 0,
    sort_by: str = "relevance",
) -> tuple[list[int], bool]:
    """Track ids (``sandbox_track.id``) best first, and whether more results follow."""
    _check(limit, offset, sort_by)
    if not filters:
        raise SearchError("at least one search filter is required")
    cursor = raw_cursor(db)
    exact: list[_Exact] = []
    texts: list[tuple[tuple[int, ...], str]] = []
    for field, query in filters:
        if field is not None and field not in TRACK_FIELDS:
            raise SearchError(f"unknown search field {field!r}")
        if not query or not query.strip():
            raise SearchError("a search filter needs a query")
        if field in _TEXT_COLUMNS:
            texts.append((_TEXT_COLUMNS[field], query))
        else:
            assert field is not None
            exact.append(_exact_filter(field, query))
    if offset >= MAX_RESULTS:
        return [], False
    wanted = min(offset + limit, MAX_RESULTS)
    if not texts:
        where = " AND ".join(e.sql for e in exact)
        params = [p for e in exact for p in e.params]
        rows = cursor.execute(
            f"SELECT t.id FROM sandbox_track t WHERE {where} "  # noqa: S608
            f"ORDER BY {_sort_key(sort_by)} LIMIT ? OFFSET ?",
            [*params, min(limit, wanted - offset) + 1, offset],
        ).fetchall()
        ids = [r[0] for r in rows]
        has_more = len(ids) > limit and offset + limit < MAX_RESULTS
        return ids[:limit], has_more
    return _text_search(cursor, texts, exact, limit, offset, wanted, sort_by)


def _text_search(
    cursor: sqlite3.Cursor,
    texts: list[tuple[tuple[int, ...], str]],
    exact: list[_Exact],
    limit: int,
    offset: int,
    wanted: int,
    sort_by: str,
) -> tuple[list[int], bool]:
    total = max(1, _document_count(cursor))
    text_filters: list[_TextFilter] = []
    for columns, query in texts:
        words = list(dict.fromkeys(tokens(query)))
        if not words:
            return [], False
        free_text = columns == rank.ALL_COLUMNS
        terms = _plan_terms(cursor, words, last_is_prefix=free_text)
        text_filters.append(_TextFilter(columns, terms))
    # 1. Everything the query asks for, most popular first.
    pool = max(MIN_CANDIDATES, wanted + 1)
    found = dict.fromkeys(_match(cursor, _strict(text_filters), exact, pool, ranked=False))
    if not found and _second_chance(cursor, text_filters):
        found = dict.fromkeys(_match(cursor, _strict(text_filters), exact, pool, ranked=False))
    if len(found) <= wanted:
        spare = max(MIN_CANDIDATES, wanted + 1 - len(found))
        # 2. The same title by anyone: the words the best full match does not have as artist.
        title_filter = _title_words(cursor, text_filters, next(iter(found), None))
        if title_filter is not None:
            found.update(dict.fromkeys(_match(cursor, title_filter, exact, spare, ranked=False)))
    if len(found) <= wanted:
        # 3. Partial matches on the rarest words, ranked by bm25 while that stays cheap.
        spare = max(MIN_CANDIDATES, wanted + 1 - len(found))
        relaxed, affordable = _relaxed(text_filters, RELAXED_POSTINGS)
        found.update(dict.fromkeys(_match(cursor, relaxed, exact, spare, ranked=affordable)))
    if not found:
        return [], False
    parts = [
        rank.Part(
            columns=text_filter.columns,
            terms=tuple(
                rank.Term(
                    token=t.token,
                    alternatives=frozenset(t.alternatives),
                    phrases=tuple(t.phrases),
                    prefix=t.prefix,
                    weight=rank.idf(t.docs, total) * (0.3 if t.optional else 1.0),
                    optional=t.optional,
                )
                for t in text_filter.terms
            ),
        )
        for text_filter in text_filters
    ]
    details = _details(cursor, list(found))
    candidates = [
        rank.Candidate(
            id=track_id,
            fields=(tuple(f[0].split()), tuple(f[1].split()), tuple(f[2].split())),
            popularity=popularity,
        )
        for track_id, (f, popularity, _released, _title) in details.items()
    ]
    ordered = rank.rank(parts, candidates)
    if sort_by != "relevance":
        complete = [c for c in ordered if c.coverage >= 0.999]
        chosen = complete or ordered
        if sort_by == "popularity":
            ordered = sorted(chosen, key=lambda c: (-c.popularity, c.id))
        elif sort_by == "release":
            ordered = sorted(
                chosen,
                key=lambda c: (details[c.id][2] is None, _negated(details[c.id][2]), c.id),
            )
        else:
            ordered = sorted(chosen, key=lambda c: (index_text(details[c.id][3]), c.id))
    ids = [c.id for c in ordered]
    page = ids[offset : offset + limit]
    return page, len(ids) > offset + limit and offset + limit < MAX_RESULTS


def _negated(released: object) -> tuple[int, ...]:
    # A string from sqlite3, a date from Django's connection (it converts declared types).
    if not released:
        return (0,)
    return tuple(-int(part) for part in str(released).split("-"))


def _simple_search(
    db: Any,
    fts_table: str,
    key: str,
    query: str,
    limit: int,
    offset: int,
    weights: str,
    popularity_sql: str | None = None,
) -> tuple[list[Any], bool]:
    """Ranked OR-of-words search over a small index (albums, artists, playlists, podcasts)."""
    if not query or not query.strip():
        raise SearchError("a search needs a query")
    if limit < 1 or offset < 0:
        raise SearchError("limit must be positive and offset not negative")
    words = list(dict.fromkeys(tokens(query)))
    if not words or offset >= MAX_RESULTS:
        return [], False
    cursor = raw_cursor(db)
    required = [w for w in words if w not in OPTIONAL_TOKENS] or words
    strict = " AND ".join(f'"{w}"' for w in required)
    relaxed = " OR ".join(f'"{w}"' for w in words)
    wanted = min(offset + limit, MAX_RESULTS)
    seen: dict[Any, int] = {}
    ordered: list[Any] = []
    for expression in (strict, relaxed):
        order = f"bm25({fts_table}, {weights})"
        if popularity_sql:
            order = f"{order} - 0.05 * ln(1 + ({popularity_sql}))"
        rows = cursor.execute(
            f"SELECT {key} FROM {fts_table} WHERE {fts_table} MATCH ? "  # noqa: S608
            f"ORDER BY {order} LIMIT ?",
            (expression, wanted + 1),
        ).fetchall()
        for (item,) in rows:
            if item not in seen:
                seen[item] = len(ordered)
                ordered.append(item)
        if len(ordered) > wanted:
            break
    page = ordered[offset : offset + limit]
    return page, len(ordered) > offset + limit and offset + limit < MAX_RESULTS


def search_albums(db: Any, query: str, limit: int = 20, offset: int = 0) -> tuple[list[int], bool]:
    """Album ids (``sandbox_album.id``), best first, and whether more follow."""
    return _simple_search(
        db,
        "sandbox_album_fts",
        "rowid",
        query,
        limit,
        offset,
        "8.0, 4.0",
        "SELECT popularity FROM sandbox_album WHERE id = sandbox_album_fts.rowid",
    )


def search_artists(db: Any, query: str, limit: int = 20, offset: int = 0) -> tuple[list[int], bool]:
    """Artist ids (``sandbox_artist.id``), best first, and whether more follow."""
    return _simple_search(db, "sandbox_artist_fts", "rowid", query, limit, offset, "1.0")


def search_playlists(
    db: Any, query: str, limit: int = 20, offset: int = 0, owner_id: int | None = None
) -> tuple[list[str], bool]:
    """Playlist ids: Amazon's curated playlists and public user playlists (plus, when
    ``owner_id`` is given, that account's private ones), best first."""
    ids, has_more = _simple_search(
        db, "sandbox_playlist_fts", "id", query, MAX_RESULTS, 0, "0.0, 8.0, 2.0"
    )
    if not ids:
        return [], False
    cursor = raw_cursor(db)
    visible = {
        row[0]
        for row in cursor.execute(
            "SELECT id FROM sandbox_playlist WHERE id IN (SELECT value FROM json_each(?)) AND "
            "(curated = 1 OR visibility = 'PUBLIC' OR owner_id IS ?)",
            (json.dumps(ids), owner_id if owner_id is not None else -1),
        )
    }
    allowed = [i for i in ids if i in visible]
    return allowed[offset : offset + limit], len(allowed) > offset + limit or (
        has_more and len(allowed) == len(ids)
    )


def search_podcast_shows(
    db: Any, query: str, limit: int = 20, offset: int = 0
) -> tuple[list[int], bool]:
    return _simple_search(
        db, "sandbox_podcastshow_fts", "id", query, limit, offset, "0.0, 8.0, 2.0"
    )


def search_podcast_episodes(
    db: Any, query: str, limit: int = 20, offset: int = 0
) -> tuple[list[int], bool]:
    return _simple_search(
        db, "sandbox_podcastepisode_fts", "id", query, limit, offset, "0.0, 8.0, 1.0"
    )
