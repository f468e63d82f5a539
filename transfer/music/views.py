from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from transfer.core.types import AuthedRequest
from transfer.music import selectors
from transfer.transfers.services import exports


def _cursor(request: AuthedRequest) -> str | None:
    return request.GET.get("cursor") or None


def _more(request: AuthedRequest) -> bool:
    """A "load more" request from htmx wants only the next rows, not the page."""
    return bool(request.headers.get("HX-Request") and _cursor(request))


@require_GET
@login_required
def playlists(request: AuthedRequest) -> HttpResponse:
    page = selectors.playlists_page(user_id=request.user.pk, cursor=_cursor(request))
    template = "music/_playlist_cards.html" if _more(request) else "music/playlists.html"
    return render(request, template, {"page": page, "section": "playlists"})


@require_GET
@login_required
def playlist(request: AuthedRequest, playlist_id: str) -> HttpResponse:
    page = selectors.playlist_tracks_page(
        user_id=request.user.pk, playlist_id=playlist_id, cursor=_cursor(request)
    )
    if _more(request):
        return render(request, "music/_track_rows.html", {"page": page, "entries": True})
    details = selectors.playlist_get(user_id=request.user.pk, playlist_id=playlist_id)
    return render(
        request,
        "music/playlist.html",
        {
            "playlist": details,
            "page": page,
            "entries": True,
            "section": "playlists",
            "export_formats": exports.EXPORT_FORMATS,
        },
    )


@require_GET
@login_required
def library_albums(request: AuthedRequest) -> HttpResponse:
    page = selectors.library_albums_page(user_id=request.user.pk, cursor=_cursor(request))
    template = "music/_album_cards.html" if _more(request) else "music/library_albums.html"
    return render(request, template, {"page": page, "section": "albums"})


@require_GET
@login_required
def library_tracks(request: AuthedRequest) -> HttpResponse:
    page = selectors.library_tracks_page(user_id=request.user.pk, cursor=_cursor(request))
    template = "music/_track_rows.html" if _more(request) else "music/library_tracks.html"
    context = {
        "page": page,
        "library": True,
        "section": "tracks",
        "export_formats": exports.EXPORT_FORMATS,
    }
    return render(request, template, context)


@require_GET
@login_required
def browse(request: AuthedRequest) -> HttpResponse:
    context = selectors.browse_overview(user_id=request.user.pk)
    return render(request, "music/browse.html", {**context, "section": "browse"})


@require_GET
@login_required
def category(request: AuthedRequest, category_id: str) -> HttpResponse:
    view = selectors.category_get(user_id=request.user.pk, category_id=category_id)
    return render(request, "music/category.html", {"view": view, "section": "browse"})


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
def playlist_export(request: AuthedRequest, playlist_id: str, format_id: str) -> HttpResponse:
    if format_id not in exports.EXPORT_FORMATS:
        raise Http404("No such format")
    return _download(
        *exports.export_amazon_playlist(
            user_id=request.user.pk, playlist_id=playlist_id, format_id=format_id
        )
    )


@require_GET
@login_required
def library_export(request: AuthedRequest, format_id: str) -> HttpResponse:
    if format_id not in exports.EXPORT_FORMATS:
        raise Http404("No such format")
    return _download(*exports.export_amazon_library(user_id=request.user.pk, format_id=format_id))
