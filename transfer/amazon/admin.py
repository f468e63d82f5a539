from django.contrib import admin

from transfer.amazon.models import AmazonConnection


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

    def has_add_permission(self, request: object) -> bool:
        return False
