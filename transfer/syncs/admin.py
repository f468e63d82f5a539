"""Django admin for syncs, their runs and library snapshots, with run now / pause / resume."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from transfer.syncs.models import LibrarySnapshot, Sync, SyncRun
from transfer.syncs.services.syncs import sync_pause, sync_resume, sync_run_now
from transfer.transfers.admin import UUIDSearchMixin


@admin.register(Sync)
class SyncAdmin(UUIDSearchMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "user",
        "source_kind",
        "destination",
        "schedule",
        "mode",
        "paused",
        "next_run_at",
        "last_ok",
        "consecutive_failures",
    )
    list_filter = ("paused", "source_kind", "destination", "schedule", "mode", "last_ok")
    search_fields = ("name", "user__username", "user__email", "source_ref", "destination_ref")
    list_select_related = ("user",)
    show_full_result_count = False
    raw_id_fields = ("user",)
    readonly_fields = ("id", "created_at", "updated_at", "last_run_at", "consecutive_failures")
    actions = ("run_now", "pause", "resume")

    @admin.action(description="Run the selected syncs now")
    def run_now(self, request: HttpRequest, queryset: QuerySet[Sync]) -> None:
        queued = 0
        with transaction.atomic():
            for sync in queryset.filter(paused=False):
                queued += sync_run_now(sync=sync) is not None
        self.message_user(request, f"Queued {queued} run(s).", messages.SUCCESS)
        if queued < queryset.count():
            self.message_user(
                request,
                "Paused syncs, and syncs with a run already on its way, were left alone.",
                messages.WARNING,
            )

    @admin.action(description="Pause the selected syncs")
    def pause(self, request: HttpRequest, queryset: QuerySet[Sync]) -> None:
        paused = sum(sync_pause(sync=s, reason="Paused by the site's staff.") for s in queryset)
        self.message_user(request, f"Paused {paused} sync(s).", messages.SUCCESS)

    @admin.action(description="Resume the selected syncs")
    def resume(self, request: HttpRequest, queryset: QuerySet[Sync]) -> None:
        resumed = sum(sync_resume(sync=s) for s in queryset)
        self.message_user(request, f"Resumed {resumed} sync(s).", messages.SUCCESS)


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    list_display = (
        "sync",
        "state",
        "trigger",
        "attempts",
        "found",
        "added",
        "removed",
        "created_at",
    )
    list_filter = ("state", "trigger")
    search_fields = ("sync__name", "sync__user__username", "message")
    list_select_related = ("sync",)
    show_full_result_count = False
    raw_id_fields = ("sync", "job")
    date_hierarchy = "created_at"


@admin.register(LibrarySnapshot)
class LibrarySnapshotAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "taken_at",
        "playlist_count",
        "playlist_track_count",
        "library_track_count",
        "added",
        "removed",
        "size_bytes",
    )
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    show_full_result_count = False
    date_hierarchy = "taken_at"
    # The blob is for restoring, not for reading in a form.
    exclude = ("data",)
    readonly_fields = (
        "user",
        "taken_at",
        "playlist_count",
        "playlist_track_count",
        "library_track_count",
        "library_album_count",
        "added",
        "removed",
        "changes",
        "first",
        "size_bytes",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[LibrarySnapshot]:
        return super().get_queryset(request).defer("data")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
