"""Pages for syncs and backups: list, create, edit, pause, resume, run now, delete, snapshots
and restore. Views fetch the person's own object (404 otherwise) and call one service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from transfer.amazon.clients import music_client_for
from transfer.connections.errors import SERVICE_ERRORS, service_failure
from transfer.connections.selectors import service_states, spotify_own_playlists
from transfer.core.types import AuthedRequest
from transfer.syncs import selectors
from transfer.syncs.fetch import FetchError
from transfer.syncs.forms import EditSyncForm, NewSyncForm
from transfer.syncs.models import LibrarySnapshot
from transfer.syncs.services import snapshots
from transfer.syncs.services.intake import sync_create_from_form
from transfer.syncs.services.syncs import (
    SyncError,
    sync_delete,
    sync_pause,
    sync_resume,
    sync_run_now,
    sync_update,
)
from transfer.transfers.services.jobs import TransferError


def _back(request: AuthedRequest, default: str = "syncs:list") -> HttpResponse:
    """Back to where the button was: the list, or the sync's own page."""
    target = request.POST.get("next", "")
    if target.startswith("/syncs/") and "//" not in target:
        return redirect(target)
    return redirect(default)


@require_GET
@login_required
def sync_list(request: AuthedRequest) -> HttpResponse:
    syncs = list(selectors.syncs_for_user(user_id=request.user.pk))
    polling = any(getattr(s, "running", False) for s in syncs)
    template = "syncs/_sync_rows.html" if request.headers.get("HX-Request") else "syncs/list.html"
    return render(request, template, {"syncs": syncs, "polling": polling})


@require_http_methods(["GET", "POST"])
@login_required
def sync_new(request: AuthedRequest) -> HttpResponse:
    client = music_client_for(request.user.pk)
    playlists = [(p.id, p.title or p.id) for p in client.iter_my_playlists().take(500)]
    states = {s.key: s for s in service_states(user=request.user)}
    spotify_playlists: list[tuple[str, str]] = []
    problem = ""
    spotify = states.get("spotify")
    if spotify is not None and spotify.writable:
        try:
            spotify_playlists = spotify_own_playlists(user=request.user)
        except SERVICE_ERRORS as exc:
            problem = service_failure(exc)
    form = NewSyncForm(
        request.POST or None,
        playlists=playlists,
        services=states,
        spotify_playlists=spotify_playlists,
    )
    if request.method == "POST" and form.is_valid():
        try:
            sync = sync_create_from_form(
                user=request.user,
                data=form.cleaned_data,
                playlist_names=form.playlist_names,
                spotify_names=form.spotify_names,
            )
        except FetchError as exc:
            form.add_error("url", exc.message)
        except (SyncError, TransferError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"“{sync.name}” is kept in sync now; its first run is on its way."
            )
            return redirect("syncs:detail", sync_id=sync.id)
    context = {
        "form": form,
        "states": list(states.values()),
        "problem": problem,
        "next": request.path,
    }
    return render(request, "syncs/new.html", context)


@require_GET
@login_required
def sync_detail(request: AuthedRequest, sync_id: str) -> HttpResponse:
    sync = selectors.sync_for_user(user_id=request.user.pk, sync_id=sync_id)
    runs = selectors.runs_for_sync(sync=sync)
    form = EditSyncForm(initial={"schedule": sync.schedule, "mode": sync.mode})
    polling = any(r.is_active for r in runs[:1])
    template = "syncs/_runs.html" if request.headers.get("HX-Request") else "syncs/detail.html"
    return render(request, template, {"sync": sync, "runs": runs, "form": form, "polling": polling})


@require_POST
@login_required
def sync_edit(request: AuthedRequest, sync_id: str) -> HttpResponse:
    sync = selectors.sync_for_user(user_id=request.user.pk, sync_id=sync_id)
    form = EditSyncForm(request.POST)
    if form.is_valid():
        sync_update(
            sync=sync, schedule=form.cleaned_data["schedule"], mode=form.cleaned_data["mode"]
        )
        messages.success(request, "Saved.")
    else:
        messages.error(request, "Choose how often and what to do with removed tracks.")
    return redirect("syncs:detail", sync_id=sync.id)


@require_POST
@login_required
def sync_pause_view(request: AuthedRequest, sync_id: str) -> HttpResponse:
    sync = selectors.sync_for_user(user_id=request.user.pk, sync_id=sync_id)
    if sync_pause(sync=sync):
        messages.success(request, f"Paused “{sync.name}”.")
    return _back(request)


@require_POST
@login_required
def sync_resume_view(request: AuthedRequest, sync_id: str) -> HttpResponse:
    sync = selectors.sync_for_user(user_id=request.user.pk, sync_id=sync_id)
    if sync_resume(sync=sync):
        messages.success(request, f"Resumed “{sync.name}”: it runs within a minute.")
    return _back(request)


@require_POST
@login_required
def sync_run_now_view(request: AuthedRequest, sync_id: str) -> HttpResponse:
    sync = selectors.sync_for_user(user_id=request.user.pk, sync_id=sync_id)
    if sync.paused:
        messages.error(request, "Resume the sync first.")
    elif sync_run_now(sync=sync) is None:
        messages.info(request, "A run of this sync is already on its way.")
    else:
        messages.success(request, f"Running “{sync.name}” now.")
    return _back(request)


@require_POST
@login_required
def sync_delete_view(request: AuthedRequest, sync_id: str) -> HttpResponse:
    sync = selectors.sync_for_user(user_id=request.user.pk, sync_id=sync_id)
    name = sync.name
    sync_delete(sync=sync)
    messages.success(request, f"Deleted the sync “{name}”. What it wrote stays where it is.")
    return redirect("syncs:list")


@require_GET
@login_required
def backup_list(request: AuthedRequest) -> HttpResponse:
    user_id = request.user.pk
    return render(
        request,
        "syncs/backups.html",
        {
            "snapshots": selectors.snapshots_for_user(user_id=user_id)[:100],
            "pending": snapshots.snapshot_is_pending(user_id=user_id),
            "last_error": snapshots.snapshot_last_error(user_id=user_id),
        },
    )


@require_POST
@login_required
def backup_take(request: AuthedRequest) -> HttpResponse:
    if snapshots.snapshot_request(user=request.user):
        messages.success(request, "Taking a snapshot now. Refresh in a minute to see it.")
    else:
        messages.info(request, "A snapshot is already being taken.")
    return redirect("syncs:backups")


@require_GET
@login_required
def backup_detail(request: AuthedRequest, snapshot_id: str) -> HttpResponse:
    snapshot = selectors.snapshot_for_user(user_id=request.user.pk, snapshot_id=snapshot_id)
    view = selectors.snapshot_view(snapshot=snapshot)
    return render(request, "syncs/backup.html", {"view": view, "snapshot": snapshot})


@require_POST
@login_required
def backup_restore(request: AuthedRequest, snapshot_id: str, playlist_id: str) -> HttpResponse:
    snapshot = selectors.snapshot_for_user(user_id=request.user.pk, snapshot_id=snapshot_id)
    try:
        job = snapshots.snapshot_restore_playlist(
            user=request.user, snapshot=snapshot, playlist_id=playlist_id
        )
    except LibrarySnapshot.DoesNotExist:
        messages.error(request, "That playlist is not in this snapshot.")
        return redirect("syncs:backup", snapshot_id=snapshot.id)
    except TransferError as exc:
        messages.error(request, str(exc))
        return redirect("syncs:backup", snapshot_id=snapshot.id)
    messages.success(request, f"Restoring “{job.name}” as a new playlist.")
    return redirect("transfers:job", job_id=job.id)
