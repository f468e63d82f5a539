"""Django admin for transfer jobs and their tracks: search, filters, and retry / cancel actions.

Lists stay quick on large tables: the user comes in the same query, the total count is not
recomputed for filtered lists, and a job's tracks are a filtered track list rather than an
inline that would load thousands of rows.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from transfer.transfers.models import PinnedChoice, SourceTrack, TransferJob
from transfer.transfers.services.jobs import job_cancel, job_resume


class UUIDSearchMixin:
    """Searching for a pasted id finds that row; other words search the text fields."""

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        try:
            wanted = uuid.UUID(search_term.strip())
        except ValueError:
            return super().get_search_results(request, queryset, search_term)  # type: ignore[misc]
        return queryset.filter(id=wanted), False


@admin.register(TransferJob)
class TransferJobAdmin(UUIDSearchMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "user",
        "state",
        "source_kind",
        "destination",
        "track_count",
        "retries",
        "created_at",
        "finished_at",
    )
    list_filter = ("state", "source_kind", "destination", "dry_run", "accept_suggestions")
    search_fields = ("name", "user__username", "user__email", "source_ref", "destination_ref")
    list_select_related = ("user",)
    show_full_result_count = False
    date_hierarchy = "created_at"
    raw_id_fields = ("user", "batch")
    readonly_fields = (
        "id",
        "tracks_link",
        "created_at",
        "started_at",
        "matched_at",
        "finished_at",
        "updated_at",
        "lease_owner",
        "lease_until",
    )
    actions = ("retry_jobs", "cancel_jobs")

    @admin.display(description="Tracks")
    def tracks_link(self, job: TransferJob) -> SafeString:
        url = reverse("admin:transfers_sourcetrack_changelist") + f"?job__id__exact={job.id}"
        return format_html('<a href="{}">{} tracks</a>', url, job.track_count)

    @admin.action(description="Retry the selected failed jobs where they stopped")
    def retry_jobs(self, request: HttpRequest, queryset: QuerySet[TransferJob]) -> None:
        retried = sum(
            job_resume(job=job) for job in queryset.filter(state=TransferJob.State.FAILED)
        )
        skipped = queryset.count() - retried
        self.message_user(request, f"Retried {retried} job(s).", messages.SUCCESS)
        if skipped:
            self.message_user(
                request, f"{skipped} job(s) had not failed and were left alone.", messages.WARNING
            )

    @admin.action(description="Cancel the selected jobs")
    def cancel_jobs(self, request: HttpRequest, queryset: QuerySet[TransferJob]) -> None:
        cancelled = sum(job_cancel(job=job) for job in queryset)
        self.message_user(request, f"Cancelled {cancelled} job(s).", messages.SUCCESS)


@admin.register(SourceTrack)
class SourceTrackAdmin(admin.ModelAdmin):
    list_display = ("title", "job", "position", "band", "write_state", "confidence", "decided_at")
    list_filter = ("band", "write_state", "decided_by_person")
    search_fields = ("title", "album", "isrc", "chosen_id")
    list_select_related = ("job",)
    show_full_result_count = False
    raw_id_fields = ("job",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(PinnedChoice)
class PinnedChoiceAdmin(admin.ModelAdmin):
    list_display = ("track_key", "catalog_id", "user", "created_at")
    search_fields = ("track_key", "catalog_id", "user__username")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
