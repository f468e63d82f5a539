"""The transfer flow: new, preview, progress, review, result, history. Views stay thin."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from transfer.amazon import mapping
from transfer.amazon.clients import music_client_for
from transfer.connections.pipeline import destination_service, service_candidate, service_search
from transfer.core.types import AuthedRequest
from transfer.matching import SearchQuery
from transfer.transfers import live, selectors
from transfer.transfers.forms import NewTransferForm, ReadAgainForm, RenameForm
from transfer.transfers.models import SourceTrack, TransferBatch, TransferJob, Upload
from transfer.transfers.services import (
    batches,
    exports,
    intake,
    playlists,
    review,
    upload_progress,
)
from transfer.transfers.services.account import AMAZON_MUSIC_URL, account_status
from transfer.transfers.services.decisions import candidate_to_dict
from transfer.transfers.services.intake import jobs_create_from_form
from transfer.transfers.services.jobs import (
    TransferError,
    job_cancel,
    job_rerun,
    job_resume,
    job_start,
    queue_position,
)
from transfer.transfers.services.matching import record_of

State = TransferJob.State


def _job(request: AuthedRequest, job_id: str) -> TransferJob:
    return selectors.job_for_user(user_id=request.user.pk, job_id=job_id)


def _playlist_choices(request: AuthedRequest) -> list[tuple[str, str]]:
    client = music_client_for(request.user.pk)
    return [(p.id, p.title or p.id) for p in client.iter_my_playlists().take(500)]


@require_GET
@login_required
def history(request: AuthedRequest) -> HttpResponse:
    jobs = selectors.jobs_for_user(user_id=request.user.pk)[:200]
    return render(request, "transfers/history.html", {"jobs": jobs})


@require_http_methods(["GET", "POST"])
@login_required
def new(request: AuthedRequest) -> HttpResponse:
    # The account first: without Amazon Music every other call would be refused.
    account = account_status(user_id=request.user.pk)
    if not account.has_music:
        return _no_music(request)
    if request.method == "POST" and intake.request_too_big(request.META.get("CONTENT_LENGTH")):
        # Refused from its header: the upload handler stopped at its first file, so nothing of
        # it was stored (transfer/transfers/uploads.py).
        messages.error(request, intake.request_too_big_message())
        return redirect("transfers:new")
    form = NewTransferForm(
        request.POST or None, request.FILES or None, playlists=_playlist_choices(request)
    )
    if not account.can_write:
        # Saving to Amazon is refused for this plan: offer what works, and say why.
        destination = form.fields["destination"]
        assert isinstance(destination, forms.ChoiceField)
        destination.choices = [(TransferJob.Destination.FILE, "A file to download")]
        form.initial["destination"] = TransferJob.Destination.FILE
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        choices = {
            "destination": data["destination"],
            "playlist_name": data["playlist_name"],
            "existing_playlist": data["existing_playlist"],
            "strictness": data["strictness"],
            "dry_run": data["dry_run"],
            "skip_existing": data["skip_existing"],
        }
        if data["source"] in intake.STORED_SOURCES:
            # Stored, then read by a worker: the request returns at once, whatever the size.
            try:
                stored = intake.upload_store(
                    user=request.user,
                    source=data["source"],
                    files=data["uploads"],
                    text=data["text"],
                    **choices,
                )
            except TransferError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("transfers:upload", upload_id=stored.id)
            return render(request, "transfers/new.html", _new_context(form, account))
        try:
            jobs = jobs_create_from_form(
                user=request.user,
                source=data["source"],
                files=data["uploads"],
                text=data["text"],
                playlist_ids=data["playlists"],
                **choices,
            )
        except TransferError as exc:
            form.add_error(None, str(exc))
        else:
            if len(jobs) == 1:
                return redirect("transfers:job", job_id=jobs[0].id)
            assert jobs[0].batch_id is not None
            return redirect("transfers:batch", batch_id=jobs[0].batch_id)
    return render(request, "transfers/new.html", _new_context(form, account))


def _new_context(form: NewTransferForm, account: object) -> dict[str, object]:
    limits = intake.upload_limits()
    return {
        "form": form,
        "account": account,
        "upload_limits": {"tracks": limits.max_tracks, "mb": limits.max_bytes // 2**20},
    }


def _upload(request: AuthedRequest, upload_id: str) -> Upload:
    """The person's own upload, or 404."""
    return get_object_or_404(Upload, id=upload_id, user=request.user)


def _upload_context(found: Upload) -> dict[str, object]:
    return {
        "upload": found,
        "progress": upload_progress.upload_progress_read(found.id),
        "target": intake.upload_target(upload=found),
    }


@require_GET
@login_required
def upload(request: AuthedRequest, upload_id: str) -> HttpResponse:
    """Where an upload waits to be read; once read, its preview (or its batch)."""
    found = _upload(request, upload_id)
    if found.state == Upload.State.DONE:
        return redirect(intake.upload_target(upload=found))
    context = _upload_context(found)
    context["names"] = ", ".join(found.files.values_list("name", flat=True)) or "Your upload"
    return render(request, "transfers/upload.html", context)


@require_GET
@login_required
def upload_progress_partial(request: AuthedRequest, upload_id: str) -> HttpResponse:
    """The partial the upload's page polls; once read, htmx follows HX-Redirect to the preview."""
    found = _upload(request, upload_id)
    context = _upload_context(found)
    response = render(request, "transfers/_upload_progress.html", context)
    if found.state == Upload.State.DONE:
        response["HX-Redirect"] = str(context["target"])
    return response


def _no_music(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "transfers/no_music.html",
        {"reason": account_status(user_id=request.user.pk).reason, "music_url": AMAZON_MUSIC_URL},
    )


@require_GET
@login_required
def signed_in(request: AuthedRequest) -> HttpResponse:
    """Where sign-in lands: read the account first, so nobody walks into a refusal."""
    account = account_status(user_id=request.user.pk, fresh=True)
    if not account.has_music:
        return _no_music(request)
    if not account.can_write:
        messages.info(request, account.reason)
    return redirect("music:playlists")


def _batch(request: AuthedRequest, batch_id: str) -> TransferBatch:
    """The person's own batch, or 404."""
    return get_object_or_404(TransferBatch, id=batch_id, user=request.user)


@require_GET
@login_required
def batch(request: AuthedRequest, batch_id: str) -> HttpResponse:
    found = _batch(request, batch_id)
    jobs = batches.batch_jobs(batch=found)
    context = {"batch": found, "jobs": jobs, "progress": batches.batch_progress(batch=found)}
    return render(request, "transfers/batch.html", context)


@require_GET
@login_required
def batch_progress(request: AuthedRequest, batch_id: str) -> HttpResponse:
    """The batch page's combined progress, polled while any of its jobs runs or waits."""
    found = _batch(request, batch_id)
    context = {
        "batch": found,
        "jobs": batches.batch_jobs(batch=found),
        "progress": batches.batch_progress(batch=found),
    }
    return render(request, "transfers/_batch_progress.html", context)


@require_POST
@login_required
def batch_start(request: AuthedRequest, batch_id: str) -> HttpResponse:
    found = _batch(request, batch_id)
    ready = list(found.jobs.filter(state=State.READY).order_by("created_at"))
    choice = request.POST.get("on_name_taken", "")
    taken = playlists.names_taken(jobs=ready)
    if taken and choice not in ("add", "rename"):
        return render(
            request, "transfers/name_taken.html", {"batch": found, "taken": taken, "job": None}
        )
    for item in taken:
        if choice == "add":
            playlists.job_add_to_existing(job=item.job, playlist_id=item.playlist_id)
        else:
            playlists.job_rename(job=item.job, name=item.suggested_name)
    try:
        for job in ready:
            intake.preview_check_startable(job=job)
        started = batches.batch_start(batch=found)
        for job in ready:
            intake.preview_done(job=job)
    except TransferError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"Started {started} transfer{'s' if started != 1 else ''}: each runs when one of "
            "your slots is free.",
        )
    return redirect("transfers:batch", batch_id=found.id)


def _review_params(request: AuthedRequest) -> tuple[str, str]:
    filter_by = request.GET.get("filter", "all")
    sort = request.GET.get("sort", "position")
    return (
        filter_by if filter_by in selectors.REVIEW_FILTERS else "all",
        sort if sort in selectors.REVIEW_SORTS else "position",
    )


@require_GET
@login_required
def batch_review(request: AuthedRequest, batch_id: str) -> HttpResponse:
    """One review across every job of the batch that waits for it."""
    found = _batch(request, batch_id)
    jobs = batches.batch_review_jobs(batch=found)
    filter_by, sort = _review_params(request)
    context = {
        "batch": found,
        "jobs": jobs,
        "counts": review.review_counts(jobs=jobs),
        "page": selectors.review_page(
            job=jobs[0], jobs=jobs, page=request.GET.get("page"), filter_by=filter_by, sort=sort
        )
        if jobs
        else None,
        "filters": selectors.REVIEW_FILTERS,
        "sorts": selectors.REVIEW_SORTS,
        "filter_by": filter_by,
        "sort": sort,
        "can_undo": any(job.last_bulk for job in jobs),
    }
    return render(request, "transfers/batch_review.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def batch_bulk(request: AuthedRequest, batch_id: str, action: str) -> HttpResponse:
    """Bulk review actions over the whole batch; accepting asks once, with what it will do."""
    found = _batch(request, batch_id)
    jobs = batches.batch_review_jobs(batch=found)
    if action not in ("accept", "skip-not-found", "undo", "write"):
        raise Http404("No such action")
    if action == "accept" and request.method == "GET":
        counts = review.review_counts(jobs=jobs)
        return render(
            request,
            "transfers/accept_confirm.html",
            {"counts": counts, "batch": found, "job": None, "examples": _other_artist(jobs)},
        )
    if request.method != "POST":
        return redirect("transfers:batch_review", batch_id=found.id)
    try:
        if action == "accept":
            only = request.POST.get("only") == "same_artist"
            count = batches.batch_accept_suggestions(batch=found, only_same_artist=only)
            messages.success(request, f"Accepted {count} suggestion{'s' if count != 1 else ''}.")
        elif action == "skip-not-found":
            count = batches.batch_skip_not_found(batch=found)
            messages.success(request, f"Skipped {count} track{'s' if count != 1 else ''}.")
        elif action == "undo":
            count = batches.batch_undo(batch=found)
            messages.success(request, f"Undone: {count} track{'s' if count != 1 else ''} back.")
        else:
            count = batches.batch_write(batch=found)
            messages.success(request, f"Saving {count} transfer{'s' if count != 1 else ''}.")
            return redirect("transfers:batch", batch_id=found.id)
    except review.ReviewError as exc:
        messages.error(request, str(exc))
    return redirect("transfers:batch_review", batch_id=found.id)


def _other_artist(jobs: list[TransferJob], limit: int = 10) -> list[SourceTrack]:
    """A few of the suggestions by another artist, shown before accepting them all."""
    rows = SourceTrack.objects.filter(job__in=jobs, band=SourceTrack.Band.REVIEW).exclude(
        chosen_id=""
    )
    picked = [row for row in rows.order_by("job__created_at", "position")[:2000]]
    return [r for r in picked if review.artist_agrees(r.chosen) is False][:limit]


@require_GET
@login_required
def job(request: AuthedRequest, job_id: str) -> HttpResponse:
    """One address for a job; what it shows follows the job's state."""
    found = _job(request, job_id)
    context: dict[str, object] = {"job": found}
    if found.state == State.READY:
        return _preview(request, found)
    if found.state == State.QUEUED:
        context["position"] = queue_position(job=found)
        return render(request, "transfers/queued.html", context)
    if found.state in (State.MATCHING, State.WRITING):
        context["progress"] = selectors.job_progress(job=found)
        return render(request, "transfers/progress.html", context)
    if found.state == State.REVIEW:
        filter_by, sort = _review_params(request)
        context.update(
            page=selectors.review_page(
                job=found, page=request.GET.get("page"), filter_by=filter_by, sort=sort
            ),
            counts=review.review_counts(jobs=[found]),
            filters=selectors.REVIEW_FILTERS,
            sorts=selectors.REVIEW_SORTS,
            filter_by=filter_by,
            sort=sort,
        )
        return render(request, "transfers/review.html", context)
    context["summary"] = selectors.job_summary(job=found)
    context["export_formats"] = exports.EXPORT_FORMATS
    context["missing"] = selectors.not_transferred(job=found)
    context["fixable"] = found.state == State.DONE and found.writes_to_amazon
    return render(request, "transfers/result.html", context)


@require_GET
def progress(request: HttpRequest, job_id: str) -> HttpResponse:
    """The small partial the progress page polls; it stops polling itself when the stage ends.

    Many people may watch at once, so this never touches the database on its hot path: the
    signed-in person's id comes from the (cached) session without loading the user, and the
    partial comes from Redis (see live.py). Unchanged progress is a 304.
    """
    user_id = request.session.get(SESSION_KEY)
    if user_id is None:
        return redirect_to_login(request.get_full_path())
    partial = live.progress_partial(job_id=job_id)
    if partial is None or str(partial.owner_id) != str(user_id):
        raise Http404("No such transfer")
    if partial.live and partial.etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(partial.html)
    response["ETag"] = partial.etag
    # The browser keeps the copy but asks every time (If-None-Match); nobody else keeps it.
    response["Cache-Control"] = "private, no-cache"
    if not partial.live:
        # The stage is over: reload into the review or result page.
        response["HX-Refresh"] = "true"
    return response


def _preview(
    request: AuthedRequest,
    found: TransferJob,
    read_again: ReadAgainForm | None = None,
    rename: RenameForm | None = None,
) -> HttpResponse:
    preview = intake.preview_for(job=found)
    context = {
        "job": found,
        "preview": preview,
        "rows": preview.rows,
        "read_again": read_again
        or ReadAgainForm(
            columns=preview.columns,
            fed_by=preview.fed_by,
            initial={"swap": bool(preview.file and preview.file.swapped)},
        ),
        "rename": rename or RenameForm(initial={"name": found.name}),
    }
    return render(request, "transfers/preview.html", context)


@require_POST
@login_required
def preview_rename(request: AuthedRequest, job_id: str) -> HttpResponse:
    found = _job(request, job_id)
    form = RenameForm(request.POST)
    if not form.is_valid():
        return _preview(request, found, rename=form)
    try:
        intake.preview_rename(job=found, name=form.cleaned_data["name"])
    except TransferError as exc:
        messages.error(request, str(exc))
    return redirect("transfers:job", job_id=found.id)


@require_POST
@login_required
def preview_read_again(request: AuthedRequest, job_id: str) -> HttpResponse:
    found = _job(request, job_id)
    file = found.intake_file
    form = ReadAgainForm(
        request.POST,
        columns=list(file.columns) if file is not None else [],
        fed_by=dict(file.fed_by) if file is not None else {},
    )
    if not form.is_valid():
        return _preview(request, found, read_again=form)
    try:
        intake.preview_reread(job=found, columns=form.columns(), swap=form.cleaned_data["swap"])
    except TransferError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Read again. Check the tracks below.")
    return redirect("transfers:job", job_id=found.id)


@require_POST
@login_required
def preview_include(request: AuthedRequest, job_id: str, row_id: str) -> HttpResponse:
    found = _job(request, job_id)
    row = _row(found, row_id)
    try:
        intake.preview_include(job=found, row=row, included=request.POST.get("included") == "on")
    except TransferError as exc:
        messages.error(request, str(exc))
    if request.headers.get("HX-Request"):
        return HttpResponse(status=204)
    return redirect("transfers:job", job_id=found.id)


@require_GET
@login_required
def queued(request: AuthedRequest, job_id: str) -> HttpResponse:
    """The queued page's partial: its place in the person's queue, until the job starts."""
    found = _job(request, job_id)
    if found.state == State.QUEUED:
        return render(
            request, "transfers/_queued.html", {"job": found, "position": queue_position(job=found)}
        )
    # It has started: reload into the progress page, heading and all.
    response = HttpResponse(status=204)
    response["HX-Refresh"] = "true"
    return response


@require_POST
@login_required
def start(request: AuthedRequest, job_id: str) -> HttpResponse:
    found = _job(request, job_id)
    choice = request.POST.get("on_name_taken", "")
    taken = playlists.names_taken(jobs=[found]) if found.state == State.READY else []
    if taken and choice not in ("add", "rename"):
        return render(request, "transfers/name_taken.html", {"job": found, "taken": taken})
    if taken and choice == "add":
        found = playlists.job_add_to_existing(job=found, playlist_id=taken[0].playlist_id)
    elif taken:
        found = playlists.job_rename(
            job=found, name=request.POST.get("new_name") or taken[0].suggested_name
        )
    try:
        intake.preview_check_startable(job=found)
        if job_start(job=found):
            intake.preview_done(job=found)
    except TransferError as exc:
        messages.error(request, str(exc))
    return redirect("transfers:job", job_id=found.id)


@require_POST
@login_required
def cancel(request: AuthedRequest, job_id: str) -> HttpResponse:
    found = _job(request, job_id)
    if job_cancel(job=found):
        messages.success(request, "Transfer cancelled. What was already saved stays saved.")
    return redirect("transfers:job", job_id=found.id)


@require_POST
@login_required
def resume(request: AuthedRequest, job_id: str) -> HttpResponse:
    found = _job(request, job_id)
    if job_resume(job=found):
        messages.success(request, "Resumed where it stopped.")
    return redirect("transfers:job", job_id=found.id)


@require_POST
@login_required
def rerun(request: AuthedRequest, job_id: str) -> HttpResponse:
    fresh = job_rerun(job=_job(request, job_id))
    return redirect("transfers:job", job_id=fresh.id)


@require_POST
@login_required
def delete(request: AuthedRequest, job_id: str) -> HttpResponse:
    review.job_delete(job=_job(request, job_id))
    messages.success(request, "Transfer deleted.")
    return redirect("transfers:history")


def _row(found: TransferJob, row_id: str) -> SourceTrack:
    return get_object_or_404(SourceTrack, id=row_id, job=found)


@require_POST
@login_required
def choose(request: AuthedRequest, job_id: str, row_id: str) -> HttpResponse:
    found = _job(request, job_id)
    row = _row(found, row_id)
    catalog_id = request.POST.get("catalog_id", "")
    candidate = next((c for c in row.candidates if c.get("id") == catalog_id), None)
    service = destination_service(found.destination)
    if candidate is None and service:
        # Spotify or YouTube as the destination: their catalog (transfer.connections).
        found_there = service_candidate(
            service=service, user_id=request.user.pk, track_id=catalog_id
        )
        if found_there is None:
            raise Http404
        candidate = candidate_to_dict(found_there)
    elif candidate is None:
        # A track found by hand: take it from the catalog, not from the form.
        track = music_client_for(request.user.pk).get_track(catalog_id)
        candidate = candidate_to_dict(mapping.candidate(track))
    try:
        if found.state == State.DONE and found.writes_to_amazon:
            review.track_fix(job=found, row=row, candidate=candidate)
        else:
            review.track_choose(
                job=found,
                row=row,
                candidate=candidate,
                # Pins name Amazon tracks; a choice among another service's tracks is not pinned.
                remember=bool(request.POST.get("remember")) and not service,
            )
    except review.ReviewError as exc:
        messages.error(request, str(exc))
    return _review_row_or_redirect(request, found, row)


@require_POST
@login_required
def skip(request: AuthedRequest, job_id: str, row_id: str) -> HttpResponse:
    found = _job(request, job_id)
    row = _row(found, row_id)
    try:
        review.track_skip(job=found, row=row)
    except review.ReviewError as exc:
        messages.error(request, str(exc))
    return _review_row_or_redirect(request, found, row)


def _review_row_or_redirect(
    request: AuthedRequest, found: TransferJob, row: SourceTrack
) -> HttpResponse:
    if request.headers.get("HX-Request"):
        row.refresh_from_db()
        found.refresh_from_db()
        context: dict[str, object] = {"job": found, "row": row, "oob": True}
        # The counters and buttons above the rows change in place (an out-of-band swap).
        batch_id = request.POST.get("batch") or ""
        if batch_id and found.batch_id and str(found.batch_id) == batch_id:
            jobs = batches.batch_review_jobs(batch=found.batch)  # type: ignore[arg-type]
            context.update(batch=found.batch, in_batch=True, counts=review.review_counts(jobs=jobs))
            context["can_undo"] = any(job.last_bulk for job in jobs)
        elif found.state == State.REVIEW:
            context["counts"] = review.review_counts(jobs=[found])
        return render(request, "transfers/_review_row.html", context)
    return redirect("transfers:job", job_id=found.id)


@require_GET
@login_required
def search(request: AuthedRequest, job_id: str, row_id: str) -> HttpResponse:
    """Search the catalog by hand for one track; results are scored against it, with reasons."""
    found = _job(request, job_id)
    row = _row(found, row_id)
    query = request.GET.get("q", "").strip()
    results = []
    if query:
        from transfer.matching import score_candidate

        service = destination_service(found.destination)
        if service:  # Spotify or YouTube as the destination (transfer.connections)
            search = service_search(service=service, user_id=request.user.pk)
            candidates = list(search(SearchQuery((("", query),), limit=10)))
        else:
            client = music_client_for(request.user.pk)
            candidates = [
                mapping.candidate(t) for t in client.search_tracks(query, limit=10, max_items=10)
            ]
        for candidate in candidates:
            scored = score_candidate(record_of(row), candidate)
            results.append(
                {**candidate_to_dict(candidate), "score": scored.score, "why": scored.explain()}
            )
    return render(
        request,
        "transfers/_search_results.html",
        {
            "job": found,
            "row": row,
            "results": results,
            "query": query,
            "fixing": bool(request.GET.get("fixing")),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def accept_all(request: AuthedRequest, job_id: str) -> HttpResponse:
    """GET says what accepting would do and asks once; POST does it (all, or same artist)."""
    found = _job(request, job_id)
    if request.method == "GET":
        return render(
            request,
            "transfers/accept_confirm.html",
            {
                "job": found,
                "counts": review.review_counts(jobs=[found]),
                "examples": _other_artist([found]),
            },
        )
    only = request.POST.get("only") == "same_artist"

    def accept() -> str:
        count = review.job_accept_suggestions(job=found, only_same_artist=only)
        return (
            f"Accepted {count} suggestion{'s' if count != 1 else ''}"
            f"{' by the same artist' if only else ''}. You can undo this."
        )

    return _bulk_action(request, found, accept)


@require_POST
@login_required
def skip_not_found(request: AuthedRequest, job_id: str) -> HttpResponse:
    found = _job(request, job_id)

    def skip_all() -> str:
        count = review.job_skip_not_found(job=found)
        return f"Skipped {count} track{'s' if count != 1 else ''} not found. You can undo this."

    return _bulk_action(request, found, skip_all)


@require_POST
@login_required
def undo(request: AuthedRequest, job_id: str) -> HttpResponse:
    found = _job(request, job_id)
    label = found.last_bulk.get("label", "")

    def undo_last() -> str:
        count = review.job_undo_bulk(job=found)
        return f"Undone: {label.lower() or 'the last change'}." if count else ""

    return _bulk_action(request, found, undo_last)


def _bulk_action(
    request: AuthedRequest, found: TransferJob, action: Callable[[], str]
) -> HttpResponse:
    """Run one bulk review action, say what it did (or why it could not), back to the job."""
    try:
        said = action()
        if said:
            messages.success(request, said)
    except review.ReviewError as exc:
        messages.error(request, str(exc))
    return redirect("transfers:job", job_id=found.id)


@require_POST
@login_required
def write(request: AuthedRequest, job_id: str) -> HttpResponse:
    found = _job(request, job_id)
    review.job_write(job=found)
    return redirect("transfers:job", job_id=found.id)


@require_GET
@login_required
def export(request: AuthedRequest, job_id: str, format_id: str) -> HttpResponse:
    found = _job(request, job_id)
    if format_id == "unmatched":
        data, filename, content_type = exports.export_unmatched(job=found)
    elif format_id in exports.EXPORT_FORMATS:
        data, filename, content_type = exports.export_job(job=found, format_id=format_id)
    else:
        raise Http404("No such format")
    return _download(data, filename, content_type)


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def playlist_duplicates(request: AuthedRequest, playlist_id: str) -> HttpResponse:
    """Remove a playlist's repeated tracks: GET shows them and asks; POST removes them.

    The playlist is read with the person's own token, so another person's id gets Amazon's
    refusal (shown by the Amazon errors middleware), never their playlist.
    """
    user_id = request.user.pk
    if request.method == "POST":
        if request.POST.get("undo"):
            count = playlists.playlist_undo_remove_repeats(user_id=user_id, playlist_id=playlist_id)
            messages.success(request, f"Put back {count} track{'s' if count != 1 else ''}.")
            return redirect("music:playlist", playlist_id=playlist_id)
        count = playlists.playlist_remove_repeats(user_id=user_id, playlist_id=playlist_id)
        messages.success(
            request,
            f"Removed {count} repeated track{'s' if count != 1 else ''}; the first of each stays.",
        )
        return redirect("transfers:playlist_duplicates", playlist_id=playlist_id)
    details = music_client_for(user_id).get_playlist(playlist_id)
    return render(
        request,
        "transfers/duplicates.html",
        {
            "playlist": details,
            "repeats": playlists.playlist_repeats(user_id=user_id, playlist_id=playlist_id),
            "can_undo": playlists.playlist_can_undo(user_id=user_id, playlist_id=playlist_id),
        },
    )
