from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from transfer.amazon.models import AmazonConnection

TOKEN_FIELDS = ("access_token", "refresh_token")


@admin.register(AmazonConnection)
class AmazonConnectionAdmin(admin.ModelAdmin):
    # The tokens are deliberately absent: staff never see them, even encrypted.
    list_display = ("user", "name", "status", "expires_at", "connected_at")
    list_filter = ("status",)
    search_fields = ("user__username", "user__email", "name", "email", "amazon_user_id")
    fields = (
        "user",
        "amazon_user_id",
        "name",
        "email",
        "scopes",
        "status",
        "status_detail",
        "expires_at",
        "connected_at",
        "refreshed_at",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[AmazonConnection]:
        # Never even decrypt: the tokens are not shown, and unreadable ones must not break a page.
        return super().get_queryset(request).defer(*TOKEN_FIELDS)

    def has_add_permission(self, request: object) -> bool:
        return False
