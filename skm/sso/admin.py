from django.contrib import admin

from skm.admin import ReadOnlyModelAdmin

from . import services
from .models import SsoIdentity, SsoPolicy


@admin.register(SsoIdentity)
class SsoIdentityAdmin(ReadOnlyModelAdmin):
    """Made at a user's first SSO login (skm.sso.services); the admin lists them."""

    list_display = ("user", "issuer", "created_at", "last_login_at")
    search_fields = ("user__username", "user__email")
    exclude = ("subject",)


@admin.register(SsoPolicy)
class SsoPolicyAdmin(admin.ModelAdmin):
    """The one policy row, changed through ``services.sso_policy_set`` (who and when is kept)."""

    fields = ("require_for_staff", "updated_by", "updated_at")
    readonly_fields = ("updated_by", "updated_at")
    list_display = ("__str__", "require_for_staff", "updated_by", "updated_at")

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return self.has_view_permission(request) and not SsoPolicy.objects.exists()

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = services.sso_policy_set(require_for_staff=form.cleaned_data["require_for_staff"], user=request.user)
        obj.pk = saved.pk
        obj.__dict__.update({k: v for k, v in saved.__dict__.items() if not k.startswith("_")})
