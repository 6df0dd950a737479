from django.contrib import admin

from .models import ChangeLog, EvidencePhoto, Plan, PlanItem, PlanUnsur, Realisation


class PlanUnsurInline(admin.TabularInline):
    model = PlanUnsur
    extra = 0
    fields = ("order", "code", "title", "nrr", "converted", "grade", "grade_label")


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("unit", "period", "status", "lowest_n", "survey_report_date", "finalised_at")
    list_filter = ("status", "period")
    search_fields = ("unit__name", "unit__code")
    autocomplete_fields = ("unit",)
    readonly_fields = ("created_by", "created_at", "updated_at", "finalised_at", "finalised_by", "ikm", "weight_mode")
    inlines = [PlanUnsurInline]


class RealisationInline(admin.StackedInline):
    model = Realisation
    extra = 0
    readonly_fields = ("updated_by", "updated_at")


class EvidencePhotoInline(admin.TabularInline):
    model = EvidencePhoto
    extra = 0
    fields = ("order", "caption", "width", "height", "uploaded_by", "uploaded_at")
    readonly_fields = ("width", "height", "uploaded_by", "uploaded_at")


@admin.register(PlanItem)
class PlanItemAdmin(admin.ModelAdmin):
    list_display = ("__str__", "plan_unsur", "responsible", "due_date")
    list_select_related = ("plan_unsur__plan__unit",)
    search_fields = ("program", "plan_unsur__plan__unit__name")
    readonly_fields = ("due_date",)
    inlines = [RealisationInline, EvidencePhotoInline]


@admin.register(ChangeLog)
class ChangeLogAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "action", "object_type", "object_repr")
    list_filter = ("action",)
    search_fields = ("object_repr", "plan__unit__name")
    date_hierarchy = "created_at"

    # The audit trail is read-only, even for admins.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
