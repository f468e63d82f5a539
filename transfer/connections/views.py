"""Disconnecting Spotify or YouTube (connecting goes through allauth's provider URLs)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from transfer.connections import selectors
from transfer.connections.errors import SERVICE_ERRORS, service_failure
from transfer.connections.syncs import service_write_check
from transfer.connections.tokens import ServiceReconnectRequired
from transfer.core.types import AuthedRequest
from transfer.spotify.services import spotify_disconnect
from transfer.transfers.services.intake import (
    jobs_create_from_form,
    request_too_big,
    request_too_big_message,
    upload_store,
)
from transfer.transfers.services.jobs import TransferError
from transfer.youtube.services import youtube_disconnect


@require_POST
@login_required
def disconnect(request: AuthedRequest, service: str) -> HttpResponse:
    if service == "spotify":
        spotify_disconnect(user=request.user)
        messages.success(
            request,
            "Spotify is disconnected and its tokens are deleted here; syncs that use it are "
            "paused. Spotify offers apps no way to revoke access: remove this app at "
            "spotify.com/account/apps too.",
        )
    elif service == "youtube":
        revoked = youtube_disconnect(user=request.user)
        if revoked:
            messages.success(
                request,
                "YouTube is disconnected and Google revoked this app's access; syncs that use "
                "it are paused.",
            )
        else:
            messages.warning(
                request,
                "We deleted your Google tokens here, but Google did not confirm the revocation. "
                "You can remove this app at myaccount.google.com/permissions.",
            )
    else:
        raise Http404
    return redirect("accounts:account")


SERVICES = {"amazon": "Amazon Music", "spotify": "Spotify", "youtube": "YouTube", "file": "A file"}


@require_http_methods(["GET", "POST"])
@login_required
def transfer_between(request: AuthedRequest) -> HttpResponse:
    """Transfer between services: pick From and To in a grid, then what to move."""
    source = request.GET.get("from", "")
    target = request.GET.get("to", "")
    states = {s.key: s for s in selectors.service_states(user=request.user)}
    context: dict[str, Any] = {
        "services": SERVICES,
        "source": source if source in SERVICES else "",
        "target": target if target in SERVICES else "",
        "states": states,
        "next": request.get_full_path(),
    }
    ready = (
        context["source"]
        and context["target"]
        and all(
            key not in states or (states[key].connected and not states[key].needs_reconnect)
            for key in (source, target)
        )
        # Writing to YouTube needs a grant that allows it (not youtube.readonly).
        and (target not in states or states[target].can_write)
    )
    if ready and source != "file":
        try:
            context["items"] = selectors.source_items(user=request.user, service=source)
        except SERVICE_ERRORS as exc:
            context["problem"] = service_failure(exc)
    if ready and target == "spotify":
        try:
            context["spotify_playlists"] = selectors.spotify_own_playlists(user=request.user)
        except SERVICE_ERRORS as exc:
            context["problem"] = service_failure(exc)
    context["ready"] = ready
    context["destinations"] = selectors.DESTINATIONS.get(target, [])
    if target == "youtube":
        context["quota_left"] = selectors.youtube_quota_left()
        context["units_per_track"] = selectors.YOUTUBE_UNITS_PER_TRACK
    if request.method == "POST" and ready:
        response = _start(request, source, context)
        if response is not None:
            return response
    context["picked"] = set(request.POST.getlist("items")) if request.method == "POST" else set()
    context["all_picked"] = "select_all" in request.POST
    return render(request, "connections/transfer.html", context)


def _start(request: AuthedRequest, source: str, context: dict[str, Any]) -> HttpResponse | None:
    if "select_all" in request.POST:
        return None  # re-render with every box ticked
    if source == "file" and request_too_big(request.META.get("CONTENT_LENGTH")):
        # Nothing past its first file was read (transfer/transfers/uploads.py), the choices
        # after it included: say why, keep nothing.
        context["problem"] = request_too_big_message()
        return None
    destination = request.POST.get("destination", "")
    if destination not in {d for d, _ in context["destinations"]}:
        context["problem"] = "Choose where the tracks should go."
        return None
    existing = request.POST.get("existing_playlist", "")
    if destination == "spotify_existing_playlist" and existing not in {
        pid for pid, _ in context.get("spotify_playlists", [])
    }:
        context["problem"] = "Choose the Spotify playlist to add to."
        return None
    groups: dict[str, list[str]] = {}
    if source == "file":
        groups["file"] = []
    else:
        for value in request.POST.getlist("items"):
            kind, _, ref = value.partition("|")
            groups.setdefault(kind, []).append(ref)
    if not groups:
        context["problem"] = "Choose at least one playlist."
        return None
    schedule = request.POST.get("keep_in_sync", "")
    if schedule and source in ("spotify", "youtube", "amazon") and destination in SYNC_DESTINATIONS:
        return _keep_in_sync(request, groups, destination, schedule, context)
    if source == "file":
        # Stored, then read by a worker, as every upload is (transfers.services.intake).
        try:
            stored = upload_store(
                user=request.user,
                source="file",
                files=request.FILES.getlist("files"),
                destination=destination,
                existing_playlist=existing,
                strictness=request.POST.get("strictness", "balanced"),
            )
        except TransferError as exc:
            context["problem"] = str(exc)
            return None
        return redirect("transfers:upload", upload_id=stored.id)
    jobs = []
    try:
        for kind, refs in groups.items():
            jobs += jobs_create_from_form(
                user=request.user,
                source=kind,
                files=request.FILES.getlist("files"),
                playlist_ids=[r for r in refs if r not in ("library", "liked", "albums")],
                destination=destination,
                existing_playlist=existing,
                strictness=request.POST.get("strictness", "balanced"),
            )
    except TransferError as exc:
        context["problem"] = str(exc)
        return None
    except SERVICE_ERRORS as exc:
        context["problem"] = service_failure(exc)
        return None
    if len(jobs) == 1:
        return redirect("transfers:job", job_id=jobs[0].id)
    if len({job.batch_id for job in jobs}) == 1 and jobs[0].batch_id:
        return redirect("transfers:batch", batch_id=jobs[0].batch_id)
    return redirect("transfers:history")


# The transfer page's destinations that a sync can keep up to date (Spotify's saved albums are
# not: a sync follows tracks). Amazon sources go to the other services and the other way round.
SYNC_DESTINATIONS = {
    "new_playlist": "new_playlist",
    "library_tracks": "library_tracks",
    "spotify_new_playlist": "spotify_new_playlist",
    "spotify_liked": "spotify_liked",
    "youtube_new_playlist": "youtube_new_playlist",
}
# The transfer page's source kinds, as a sync's.
SYNC_SOURCES = {
    "spotify_playlist": "spotify_playlist",
    "spotify_liked": "spotify_liked",
    "youtube_playlist": "youtube_playlist",
    "amazon_playlist": "amazon_playlist",
    "amazon_library_tracks": "amazon_library",
}


def _keep_in_sync(
    request: AuthedRequest,
    groups: dict[str, list[str]],
    destination: str,
    schedule: str,
    context: dict[str, Any],
) -> HttpResponse | None:
    """One sync per chosen playlist (or Liked Songs); each runs now, then on its schedule."""
    from transfer.syncs.models import Sync
    from transfer.syncs.services.syncs import SyncError, sync_create

    if schedule not in Sync.Schedule.values:
        context["problem"] = "Choose how often to sync."
        return None
    labels = {item.value: item.label for item in context.get("items", [])}
    mode = request.POST.get("mode", Sync.Mode.ADDITIVE)
    try:
        service_write_check(user_id=request.user.pk, destination=SYNC_DESTINATIONS[destination])
    except ServiceReconnectRequired as exc:
        context["problem"] = exc.reason
        return None
    try:
        for kind, refs in groups.items():
            if kind not in SYNC_SOURCES:
                continue
            for ref in refs:
                name = labels.get(f"{kind}|{ref}", "Synced playlist")
                sync_create(
                    user=request.user,
                    name=name,
                    source_kind=SYNC_SOURCES[kind],
                    source_ref=ref,
                    destination=SYNC_DESTINATIONS[destination],
                    destination_name=name,
                    schedule=schedule,
                    mode=mode if mode in Sync.Mode.values else Sync.Mode.ADDITIVE,
                )
    except SyncError as exc:
        context["problem"] = str(exc)
        return None
    messages.success(request, "Saved. The first run has started; it then runs on its schedule.")
    return redirect("syncs:list")
