from django.contrib import admin

from skm.admin import ReadOnlyModelAdmin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyModelAdmin):
    """Tokens are made and revoked on the "Token API" page or with skm_token (the
    secret is shown once there); the admin lists them, never their secret."""

    list_display = ("prefix", "name", "user", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "name", "user__username")
    exclude = ("secret_hash",)
