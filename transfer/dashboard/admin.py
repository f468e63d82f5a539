"""People in the Django admin: Django's user admin plus their Amazon connection and backups."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest

from transfer.amazon.admin import TOKEN_FIELDS
from transfer.amazon.models import AmazonConnection
from transfer.syncs.services.snapshots import snapshot_request

admin.site.unregister(User)


@admin.register(User)
class PersonAdmin(UserAdmin):
    list_display = (
        "username",
        "email",
        "amazon_status",
        "is_staff",
        "is_active",
        "date_joined",
        "last_login",
    )
    list_filter = ("amazon_connection__status", "is_staff", "is_superuser", "is_active")
    search_fields = ("username", "email", "first_name", "last_name", "amazon_connection__name")
    list_select_related = ("amazon_connection",)
    show_full_result_count = False
    actions = ("take_snapshot",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        # The list shows the connection's status only: its tokens are never loaded or decrypted.
        return (
            super()
            .get_queryset(request)
            .defer(*(f"amazon_connection__{name}" for name in TOKEN_FIELDS))
        )

    @admin.display(description="Amazon", ordering="amazon_connection__status")
    def amazon_status(self, user: User) -> str:
        try:
            connection = user.amazon_connection
        except AmazonConnection.DoesNotExist:
            return "Not connected"
        return str(connection.get_status_display())

    @admin.action(description="Take a library snapshot of the selected people now")
    def take_snapshot(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        queued = sum(snapshot_request(user=user) for user in queryset)
        self.message_user(request, f"Queued {queued} snapshot(s).", messages.SUCCESS)
